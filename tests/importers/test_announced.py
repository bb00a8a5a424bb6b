"""A key the menu's prompt tells the caller to press that no option routes is listed at the menu
(IVR038), on every platform: pressing it is a wrong key the caller was told to press. Small
files written here (each with the key it announces and the ones it routes), and the corpus's
own case (the ClueCon submenu announces 1, which it does not have)."""

from __future__ import annotations

import json
import shutil

from importers.corpus import corpus
from importers.written import write
from ivraudit.audit.auditor import audit_paths

PRESS_3 = "the prompt tells the caller to press 3, but the menu has no option 3"


def unrouted(path: str) -> list[tuple[int, int, str]]:
    run = audit_paths([path], today="2026-01-01")
    assert not run.errors, [e.format() for e in run.errors]
    return [(f.line, f.column, f.message) for r in run.results for f in r.findings
            if f.rule == "IVR038" and "the prompt tells the caller to press" in f.message]


def test_studio_gather_announcing_3_routes_1_and_2(tmp_path):
    flow = {"description": "d", "initial_state": "Trigger", "states": [
        {"name": "Trigger", "type": "trigger", "properties": {},
         "transitions": [{"event": "incomingCall", "next": "menu"}]},
        {"name": "menu", "type": "gather-input-on-call",
         "properties": {"say": "For sales press 1. For support press 2. For billing press 3.",
                        "timeout": 5},
         "transitions": [{"event": "keypress", "next": "split"}, {"event": "timeout"}]},
        {"name": "split", "type": "split-based-on",
         "properties": {"input": "{{widgets.menu.Digits}}"},
         "transitions": [{"event": "noMatch"},
                         {"event": "match", "next": "sales",
                          "conditions": [{"type": "equal_to", "value": "1"}]},
                         {"event": "match", "next": "sales",
                          "conditions": [{"type": "equal_to", "value": "2"}]}]},
        {"name": "sales", "type": "enqueue-call", "properties": {"workflow": "sales"},
         "transitions": [{"event": "callComplete"}]}]}
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(flow, indent=1), encoding="utf-8")
    # written with indent=1: "states" opens on line 4, the Trigger state spans lines 5-15, so
    # the gather widget's object opens on line 16, column 3
    (found,) = unrouted(str(path))
    assert found[2].startswith("assumed: " + PRESS_3) and found[:2] == (16, 3)


def test_archy_menu_announcing_3_with_a_global_0(tmp_path):
    path = write(tmp_path, "flow.yaml", """\
        inboundCall:
          name: Announced
          startUpRef: ./menus/menu[main]
          menus:
            - menu:
                name: Main
                refId: main
                audio:
                  tts: For sales press 1. For an operator press 0. For billing press 3.
                choices:
                  - menuDisconnect:
                      name: Sales
                      dtmf: digit_1
            - menu:
                name: Other
                refId: other
                audio:
                  tts: Press 0.
                choices:
                  - menuTransferToAcd:
                      name: Operator
                      dtmf: digit_0
                      globalDtmf: true
                      targetQueue:
                        lit:
                          name: Operators
        """)
    # 0 is a global choice (offered in every menu): only 3 is unrouted; at the Main menu's
    # fields, line 6 column 9
    assert [(line, column) for line, column, m in unrouted(path) if PRESS_3 in m] == [(6, 9)]
    assert not [m for _, _, m in unrouted(path) if "press 0" in m]


def test_voicexml_field_announcing_3_accepts_1_and_2(tmp_path):
    path = write(tmp_path, "menu.vxml", """\
        <vxml version="2.1">
          <form id="main">
            <field name="choice">
              <grammar mode="dtmf" root="r"><rule id="r"><one-of><item>1</item><item>2</item>
              </one-of></rule></grammar>
              <prompt>For sales press 1. For support press 2. For billing press 3.</prompt>
              <filled><goto next="#bye"/></filled>
            </field>
          </form>
          <form id="bye"><block>Goodbye.</block></form>
        </vxml>
        """)
    assert [(line, col) for line, col, m in unrouted(path) if PRESS_3 in m] == [(3, 5)]


def test_voicexml_document_link_keys_count_as_routed(tmp_path):
    path = write(tmp_path, "menu.vxml", """\
        <vxml version="2.1">
          <link dtmf="3" next="#bye"/>
          <menu id="main">
            <prompt>For sales press 1. For billing press 3, in every menu.</prompt>
            <choice dtmf="1" next="#bye"/>
          </menu>
          <form id="bye"><block>Goodbye.</block></form>
        </vxml>
        """)
    assert unrouted(path) == []


def test_asterisk_background_announcing_3(tmp_path):
    # sound files named after their words: "press-3" says "press 3"
    path = write(tmp_path, "extensions.conf", """\
        [main]
        exten => s,1,Background(for-sales&press-1&for-billing&press-3)
         same => n,WaitExten(5)
        exten => 1,1,Queue(sales)
        """)
    # at the Background() step: line 2, column 10, after "exten => " (9 characters)
    assert [(line, col) for line, col, m in unrouted(path) if PRESS_3 in m] == [(2, 10)]


def test_freeswitch_greeting_announcing_3(tmp_path):
    path = write(tmp_path, "ivr.conf.xml", """\
        <configuration name="ivr.conf"><menus>
          <menu name="main" greet-long="say:For sales press 1. For billing press 3."
                timeout="5000">
            <entry action="menu-exec-app" digits="1" param="transfer 100 XML default"/>
          </menu>
        </menus></configuration>
        """)
    assert [(line, col) for line, col, m in unrouted(path) if PRESS_3 in m] == [(2, 3)]


def test_the_cluecon_submenu_announces_1_which_it_does_not_have(tmp_path):
    # vanilla-lang-en-new-demo-ivr-phrases.xml lines 147-150: "register for cluecon", "please",
    # "press", digits/1.wav; the submenu (vanilla-new_demo_ivr.xml line 55) has only 9 and *
    for name in ("vanilla-new_demo_ivr.xml", "vanilla-lang-en-new-demo-ivr-phrases.xml"):
        shutil.copy(corpus(f"freeswitch/{name}"), tmp_path / name)
    found = unrouted(str(tmp_path))
    assert [(line, column) for line, column, m in found if "press 1, but" in m] == [(55, 3)]
