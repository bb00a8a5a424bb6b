"""`ivraudit serve`: the live preview. The phone's turns by hand, the application through
Starlette's test client, and the real command in headless Chromium (page, reload on save,
the keypad moving the call), with screenshots checked here and kept for a look by eye."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import ROOT
from ivraudit.format.loader import load_text
from ivraudit.simulate.session import Line
from ivraudit.simulate.turns import TurnCall

CHROMIUM = "/usr/bin/chromium"

# The welcome plays 2 s, each option 3 s: the prompt is 5 s; the timeout 5 s; a wrong key
# or silence replays it. `help` takes speech: "agent" goes to the person.
LINE = """\
ivr: Preview line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    duration: 2
    timeout: 5
    options:
      - {key: 1, say: For a person press 1., duration: 3, goto: agent}
      - {key: 2, say: For help press 2., duration: 3, goto: help}
  help:
    type: menu
    say: Say what you need.
    duration: 2
    options:
      - {key: 0, say: Or press 0., duration: 1, speech: [agent], goto: agent}
  agent: {type: human, queue: general}
"""


def _call(text: str = LINE) -> TurnCall:
    menu = load_text(text, "line.yaml")
    return TurnCall(Line(menu, None, "default", frozenset()))


# -- the phone's turns (simulate/turns.py), by hand -----------------------------------------

def test_a_call_plays_until_the_menu_waits_then_follows_the_caller():
    call = _call()
    # 2 s welcome + 3 s + 3 s options = 8 s, then main waits
    assert call.state() | {"events": 0} == {
        "node": "main", "ended": False, "outcome": None, "waits": "key", "speech": False,
        "seconds": 8.0, "events": 0, "summary": None}
    call.stay_silent()  # 8 s + 5 s timeout = 13 s: failure 1 of 3, replay: 13 + 8 = 21 s
    assert (call.node, call.state()["seconds"]) == ("main", 21.0)
    assert any("timeout (no key), failure 1 of 3 -> replay" in line["text"]
               for line in call.transcript())
    call.press("2")  # help: 2 s + 1 s = 3 s: waits at 24 s, and listens for speech
    assert (call.node, call.state()["seconds"], call.state()["speech"]) == ("help", 24.0, True)
    call.say("an agent please")  # "agent" inside the sentence matches
    state = call.state()
    assert (state["ended"], state["outcome"], state["node"]) == (True, "person", "agent")
    assert state["summary"].startswith("summary: reached a person at 24.0 s (agent)")
    lines = [line["text"] for line in call.transcript()]
    assert "main takes key 2 -> help" in lines and lines[-1] == "reached a person at 24.0 s (agent)"


def test_a_menu_that_plays_on_for_ever_without_waiting_ends_as_a_loop():
    call = _call("ivr: Loop\nformat: 1\nentry: a\nnodes:\n"
                 "  a: {type: message, say: One., duration: 1, next: b}\n"
                 "  b: {type: message, say: Two., duration: 1, next: a}\n")
    assert call.state()["ended"] and call.state()["outcome"] == "loop"


def test_a_key_that_is_no_phone_key_is_refused():
    from ivraudit.simulate.errors import SimulateError

    with pytest.raises(SimulateError, match="'x' is not a phone key"):
        _call().press("x")


# -- the application, through Starlette's test client ---------------------------------------

@pytest.fixture
def folder(tmp_path):
    (tmp_path / "line.yaml").write_text(LINE, encoding="utf-8")
    (tmp_path / "bank.yaml").write_bytes((ROOT / "menus" / "bank.yaml").read_bytes())
    return tmp_path


@pytest.fixture
def client(folder):
    from starlette.testclient import TestClient

    from ivraudit.serve.app import create_app
    from ivraudit.serve.library import Library

    library = Library([str(folder)])
    library.reload()
    with TestClient(create_app(library, say=lambda line: None),
                    base_url="http://127.0.0.1") as test:
        test.library = library
        yield test


def _menu(folder, name: str) -> str:
    return (folder / name).as_posix()


def test_the_page_lists_the_menus_and_shows_the_chosen_one(client, folder):
    require_dot()
    page = client.get("/", params={"menu": _menu(folder, "line.yaml")}).text
    assert page.count('<li><a href="/?menu=') == 2  # both menus listed
    assert "Harbourline Bank telephone banking" in page and "<h1><span lang=\"en-US\">Preview line" in page
    assert '<svg role="img"' in page  # the drawing, inline
    assert "Fewest key presses" in page and "Findings" in page  # metrics, findings
    assert 'aria-label="Keypad"' in page
    # the verdict says FAIL or PASS once (a badge beside "FAIL under policy ..." said it twice)
    assert re.search(r'<p class="verdict (pass|fail)">(PASS|FAIL) under policy default: ', page)
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "script-src 'sha256-" in csp and "connect-src 'self'" in csp


def test_a_bad_save_shows_its_error_and_keeps_the_last_good_drawing(client, folder):
    require_dot()
    path = _menu(folder, "line.yaml")
    (folder / "line.yaml").write_text(LINE.replace("goto: help}", "goto: hepl}"))
    client.library.reload()
    view = client.get("/view", params={"menu": path}).json()
    assert "This file is not a valid menu now." in view["view"]
    assert "line.yaml:12:61: error: `goto` names &#x27;hepl&#x27;, which is not a node" in view["view"]
    assert "the last good version" in view["view"] and "<svg" in view["view"]
    assert '<span class="badge fail">broken</span>' in view["menus"]


def test_the_phone_api_drives_a_call(client, folder):
    started = client.post("/call", json={"menu": _menu(folder, "line.yaml")}).json()
    assert started["state"]["node"] == "main" and started["state"]["waits"] == "key"
    number = started["id"]
    moved = client.post(f"/call/{number}/press", json={"keys": "1"}).json()
    assert moved["state"]["outcome"] == "person" and moved["state"]["node"] == "agent"
    refused = client.post(f"/call/{number}/press", json={"keys": "x"})
    assert refused.status_code == 400 and "not a phone key" in refused.json()["error"]
    assert client.post("/call/999/press", json={"keys": "1"}).status_code == 404
    assert client.post("/call", json={"menu": "nowhere.yaml"}).status_code == 404


def test_only_local_host_names_are_answered(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def require_dot() -> None:
    from test_render import require

    require("dot")


# -- the real command in headless Chromium ---------------------------------------------------

@pytest.fixture
def server(folder):
    """`ivraudit serve FOLDER` in a child process on a free port of 127.0.0.1; it stops by
    itself after a minute whatever happens here, and at the end of the test."""
    child = subprocess.Popen(
        [sys.executable, "-m", "ivraudit", "serve", str(folder), "--stop-after", "60"],
        stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stderr],
                     daemon=True).start()
    try:
        first = lines.get(timeout=30)
        address = re.search(r"http://127\.0\.0\.1:\d+/", first)
        assert address, first
        yield address.group(0), lines
    finally:
        child.send_signal(2)
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            child.kill()


def _save(path: Path, text: str) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _not_blank(png: Path) -> None:
    """A screenshot that exists and is not one flat colour."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png


def test_the_preview_in_headless_chromium(server, folder, tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, and CI must run the browser test")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    require_dot()
    playwright = pytest.importorskip("playwright.sync_api")
    address, _ = server
    shots = tmp_path / "shots"
    shots.mkdir()
    menu = folder / "line.yaml"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{address}?menu={menu.as_posix()}")
            page.wait_for_selector("#live.on")  # connected to the reload events
            assert page.locator("main h1").inner_text() == "Preview line"
            assert page.locator("main svg g.node").count() >= 3
            page.screenshot(path=shots / "loaded.png", full_page=True)

            # a save reloads the page within a second
            started = time.monotonic()
            _save(menu, LINE.replace("Welcome.", "Welcome back."))
            page.locator("main svg text", has_text="Welcome back.").wait_for(timeout=5000)
            took = time.monotonic() - started
            assert took < 1.0, f"the page took {took:.2f} s to follow the save"

            # the keypad moves the call, and the drawing outlines where it is
            page.click("#call")
            page.wait_for_selector("body[data-call-node='main']")
            assert page.locator("g.node.here title").text_content() == "main"
            assert "waiting for a key" in page.locator("#status").inner_text()
            page.click(".key[data-key='2']")
            page.wait_for_selector("body[data-call-node='help']")
            assert page.locator("g.node.here title").text_content() == "help"
            transcript = page.locator("#transcript").inner_text()
            assert "main takes key 2 -> help" in transcript
            page.screenshot(path=shots / "call.png", full_page=True)
            page.fill("#phrase", "agent")
            page.click("#say")
            page.wait_for_selector("body[data-call-node='agent']")
            assert "reached a person" in page.locator("#status").inner_text()

            # a broken save shows its error; the last good drawing stays
            _save(menu, LINE.replace("goto: help}", "goto: hepl}"))
            page.wait_for_selector("main .problem", timeout=5000)
            assert "hepl" in page.locator("main .problem").inner_text()
            assert "Welcome back." in page.locator("main svg").text_content()
            page.screenshot(path=shots / "broken.png", full_page=True)
        finally:
            browser.close()
    for name in ("loaded", "call", "broken"):
        _not_blank(shots / f"{name}.png")
