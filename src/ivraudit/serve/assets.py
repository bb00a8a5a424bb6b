"""The live preview's style sheet and script, inlined in its page (no CDN, nothing fetched
but the page's own server). The page's Content-Security-Policy allows exactly these by hash.

The script: listens to /events (server-sent events) and, on each reload, fetches the chosen
menu's view and the menu list again and swaps them in (the phone keeps its call); drives the
phone through /call; outlines the node where the call is in the drawing.
"""

from __future__ import annotations

CSS = """
body { max-width: none; padding: 0; }
.bar { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem;
  border-bottom: 1px solid var(--line); background: var(--band); }
.live { color: var(--muted); font-size: .9em; }
.live.on { color: var(--pass); }
.live.off { color: var(--error); }
.layout { display: grid; grid-template-columns: 15rem minmax(0, 1fr) 19rem; gap: 1rem;
  padding: 0 1rem; align-items: start; }
.menus ul { list-style: none; padding: 0; margin: 1rem 0; }
.menus li { margin: 0 0 .8rem; word-break: break-word; }
.menus a[aria-current] { font-weight: 700; color: var(--ink); }
.view h1 { margin-top: 1rem; }
.tabs ul { display: flex; gap: .8rem; list-style: none; padding: 0; }
.tabs a[aria-current] { font-weight: 700; color: var(--ink); text-decoration: none; }
.problem { border: 2px solid var(--error); background: var(--error-bg); padding: .5rem 1rem;
  border-radius: .4rem; margin: 1rem 0; }
.problem pre { white-space: pre-wrap; margin: .3rem 0; }
figure.drawing .scroll { max-height: 75vh; }
figure.drawing svg { max-width: none; }
g.here > polygon, g.here > ellipse { fill: #fff176; stroke: #6a1b9a; stroke-width: 5px; }
.phone { position: sticky; top: 0; max-height: 100vh; overflow: auto; padding: 0 0 1rem;
  border-left: 1px solid var(--line); padding-left: 1rem; }
.keypad { display: grid; grid-template-columns: repeat(3, 3.2rem); gap: .4rem; }
.key { font: inherit; font-size: 1.3rem; padding: .4rem 0; border-radius: .5rem;
  border: 1px solid var(--line); background: #fff; cursor: pointer; }
.key:disabled { color: #aaa; cursor: default; }
.phone button { font: inherit; }
.phone input { font: inherit; width: 9rem; }
.status { font-weight: 600; }
.transcript { padding-left: 1.2rem; font-size: .9em; }
.transcript .time { min-width: 3.8rem; }
@media (max-width: 70rem) { .layout { grid-template-columns: minmax(0, 1fr); }
  .phone { position: static; border-left: 0; padding-left: 0; } }
"""

SCRIPT = """
(function () {
  "use strict";
  var body = document.body;
  var call = null;

  function query() {
    var q = new URLSearchParams();
    if (body.dataset.menu) { q.set("menu", body.dataset.menu); }
    if (body.dataset.scenario) { q.set("scenario", body.dataset.scenario); }
    return q.toString();
  }

  function live(text, state) {
    var el = document.getElementById("live");
    el.textContent = text;
    el.className = "live " + state;
  }

  function refresh(version) {
    return fetch("/view?" + query()).then(function (r) { return r.json(); }).then(function (d) {
      document.getElementById("main").innerHTML = d.view;
      document.getElementById("menus").innerHTML = d.menus;
      body.dataset.version = String(version);
      live("up to date (reload " + version + ")", "on");
      outline();
    });
  }

  var source = new EventSource("/events");
  source.addEventListener("hello", function (e) {
    body.dataset.version = e.data;
    live("watching for saves", "on");
  });
  source.addEventListener("reload", function (e) { refresh(e.data); });
  source.onerror = function () { live("not connected: is ivraudit serve running?", "off"); };

  function outline() {
    var svg = document.querySelector("#main svg");
    if (!svg) { return; }
    svg.querySelectorAll("g.here").forEach(function (g) { g.classList.remove("here"); });
    if (!call || !call.node) { return; }
    svg.querySelectorAll("g.node").forEach(function (g) {
      var title = g.querySelector("title");
      if (title && title.textContent === call.node) { g.classList.add("here"); }
    });
  }

  function show(d) {
    call = d;
    var list = document.getElementById("transcript");
    list.textContent = "";
    d.lines.forEach(function (line) {
      var item = document.createElement("li");
      var time = document.createElement("span");
      time.className = "time";
      time.textContent = line.at;
      item.appendChild(time);
      item.appendChild(document.createTextNode(" " + line.text));
      list.appendChild(item);
    });
    list.scrollTop = list.scrollHeight;
    var waiting = !d.state.ended && d.state.waits !== null;
    document.querySelectorAll(".key").forEach(function (b) { b.disabled = !waiting; });
    document.getElementById("silent").disabled = !waiting;
    document.getElementById("phrase").disabled = !waiting;
    document.getElementById("say").disabled = !waiting;
    document.getElementById("hangup").disabled = d.state.ended;
    var status = d.state.ended ? d.state.summary :
      "At " + d.state.node + ": waiting for " + (d.state.waits === "digits" ? "digits" : "a key") +
      (d.state.speech ? " or a phrase" : "");
    document.getElementById("status").textContent = status;
    call.node = d.state.node;
    body.dataset.call = d.id;
    body.dataset.callNode = d.state.node || "";
    outline();
  }

  function post(url, data) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                       body: JSON.stringify(data || {})})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.error) { document.getElementById("status").textContent = d.error; return; }
        show(d);
      });
  }

  document.getElementById("call").addEventListener("click", function () {
    post("/call", {menu: body.dataset.menu, scenario: body.dataset.scenario});
  });
  document.getElementById("hangup").addEventListener("click", function () {
    if (call) { post("/call/" + call.id + "/hangup"); }
  });
  document.getElementById("silent").addEventListener("click", function () {
    if (call) { post("/call/" + call.id + "/silence"); }
  });
  document.querySelectorAll(".key").forEach(function (button) {
    button.addEventListener("click", function () {
      if (call) { post("/call/" + call.id + "/press", {keys: button.dataset.key}); }
    });
  });
  document.getElementById("speak").addEventListener("submit", function (e) {
    e.preventDefault();
    var phrase = document.getElementById("phrase");
    if (call && phrase.value.trim()) {
      post("/call/" + call.id + "/say", {phrase: phrase.value});
      phrase.value = "";
    }
  });
})();
"""
