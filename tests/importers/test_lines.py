"""Flows handing calls to each other (importers.link), files given with the wrong --from, and
the names `import` writes: cases the review of the importers found wrong, each built here."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from importers.corpus import corpus
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main


def connect_flow(folder, file: str, name: str, text: str, hands_to: str | None = None):
    """A Connect flow export: a message, then a hand-off to flow ``hands_to`` (by its ARN's
    last part) or the queue."""
    actions = [{"Identifier": "a", "Type": "MessageParticipant", "Parameters": {"Text": text},
                "Transitions": {"NextAction": "b" if hands_to else "q"}},
               {"Identifier": "q", "Type": "TransferContactToQueue", "Transitions": {}}]
    if hands_to:
        actions.append({"Identifier": "b", "Type": "TransferToFlow", "Parameters": {
            "ContactFlowId": f"arn:aws:connect:eu-west-2:1:instance/i/contact-flow/{hands_to}"},
            "Transitions": {}})
    content = {"Version": "2019-10-30", "StartAction": "a", "Actions": actions}
    path = folder / file
    path.write_text(json.dumps({"Name": name, "Type": "CONTACT_FLOW",
                                "Content": json.dumps(content)}), encoding="utf-8")
    return str(path)


def lines(*paths: str) -> dict:
    run = audit_paths(list(paths), today="2026-01-01")
    assert not run.errors, [e.format() for e in run.errors]
    return {(r.menu.path, r.menu.ivr): r for r in run.results}


def test_two_exports_of_the_same_name_are_two_lines_each_with_its_own_hand_offs(tmp_path):
    dev = connect_flow(tmp_path, "dev.json", "Main", "dev main", hands_to="Sales")
    prod = connect_flow(tmp_path, "prod.json", "Main", "prod main")
    connect_flow(tmp_path, "sales.json", "Sales", "sales")
    found = lines(dev, prod, str(tmp_path / "sales.json"))
    assert set(found) == {(dev, "Main"), (prod, "Main")}  # Sales is reached from dev's Main
    # dev's hand-off goes on into Sales (it stayed a transfer when prod's Main hid it)
    silent = found[(dev, "Main")].scenarios["default"]
    assert silent.silent.end == "Sales.q"
    assert found[(prod, "Main")].scenarios["default"].silent.end == "q"


def test_a_hand_off_to_a_name_two_inputs_share_follows_the_first_and_says_so(tmp_path):
    first = connect_flow(tmp_path, "a.json", "Entry", "hello", hands_to="Main")
    one = connect_flow(tmp_path, "b.json", "Main", "one")
    connect_flow(tmp_path, "c.json", "Main", "two")
    found = lines(first, one, str(tmp_path / "c.json"))
    entry = found[(first, "Entry")]
    assert entry.scenarios["default"].silent.end == "Main.q"
    assert any("matches 2 inputs: the first, " + one in f.message for f in entry.findings)


def test_a_circle_of_hand_offs_beside_another_flow_is_audited_too(tmp_path):
    a = connect_flow(tmp_path, "a.json", "A", "a", hands_to="B")
    b = connect_flow(tmp_path, "b.json", "B", "b", hands_to="A")
    other = connect_flow(tmp_path, "other.json", "Other", "other")
    found = lines(a, b, other)
    # each flow of the circle starts a line, as when the circle is alone; Other is its own
    assert set(found) == {(a, "A"), (b, "B"), (other, "Other")}
    assert found[(a, "A")].scenarios["default"].silent.end == "loop"


def test_a_flow_that_hands_calls_to_itself_starts_again(tmp_path):
    again = connect_flow(tmp_path, "again.json", "Again", "hello again", hands_to="Again")
    result = lines(again)[(again, "Again")]
    # the message (2 words, 0.8 s), then the flow again, for ever: not a transfer out
    assert result.scenarios["default"].silent.end == "loop"
    assert not [f for f in result.findings if f.rule == "IVR036"]


def test_voicexml_documents_are_written_under_their_file_name(tmp_path):
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "main.vxml").write_text(
        '<vxml version="2.1"><menu id="start"><prompt>For sales, press 1.</prompt>'
        '<choice dtmf="1" next="sales.vxml"/></menu></vxml>', encoding="utf-8")
    (folder / "sales.vxml").write_text(
        '<vxml version="2.1"><form id="s"><block><prompt>Connecting you.</prompt>'
        '<transfer dest="tel:+15551234"/></block></form></vxml>', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", str(folder / "main.vxml"),
                                       str(folder / "sales.vxml"), "--output-dir", str(out)])
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["main-vxml.yaml"]  # not the folders' names
    text = (out / "main-vxml.yaml").read_text(encoding="utf-8")
    assert "(VoiceXML flow 'main.vxml')" in text and "sales.vxml.s:" in text


C = "amazon-connect/scv-inbound.json"
S = "twilio-studio/webinar-demo-ivr.json"
A = "genesys-archy/openhours-flow.yaml"
V = "voicexml/opal-ivr-test-menu.vxml"
F = "freeswitch/curl-ivr.conf.xml"
K = "asterisk/basic-pbx-extensions.conf"
N = "vonage-ncco/sdk-input-dtmf-speech.json"


@pytest.mark.parametrize("platform, file, what", [
    ("connect", A, "a Genesys Cloud Architect file, not an Amazon Connect flow"),
    ("studio", K, "an Asterisk file, not a Twilio Studio flow"),
    ("archy", N, "a Vonage NCCO file, not a Genesys Cloud Architect flow"),
    ("vxml", F, "a FreeSWITCH file, not a VoiceXML flow"),
    ("freeswitch", V, "a VoiceXML file, not a FreeSWITCH flow"),
    ("asterisk", C, "an Amazon Connect file, not an Asterisk flow"),
    ("ncco", S, "a Twilio Studio file, not a Vonage NCCO flow")])
def test_a_file_of_another_platform_given_with_from_says_what_it_is(platform, file, what):
    result = CliRunner().invoke(main, ["audit", "--from", platform, corpus(file)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{corpus(file)}:1:1: error: this looks like {what}\n")
    assert "drop --from" in result.stderr


def test_a_menu_file_given_with_from_is_exit_2(tmp_path):
    menu = tmp_path / "menu.yaml"
    menu.write_text("ivr: Plain\nformat: 1\nentry: agent\nnodes:\n  agent: {type: human}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "--from", "asterisk", str(menu)])
    assert result.exit_code == 2
    assert "this is an ivraudit menu file, not an Asterisk flow" in result.stderr


def test_text_no_platform_knows_given_with_from_asterisk_or_freeswitch_is_exit_2(tmp_path):
    # before, both read such a file as "a configuration without a menu": a transfer, exit 1
    text = tmp_path / "notes.conf"
    text.write_text("hello\nworld\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "--from", "asterisk", str(text)])
    assert result.exit_code == 2 and "has no [context] section" in result.stderr
    dialplan = tmp_path / "dialplan.xml"  # a FreeSWITCH dialplan, no IVR menu in it
    dialplan.write_text('<include><context name="x"/></include>', encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "--from", "freeswitch", str(dialplan)])
    assert result.exit_code == 2 and "not a FreeSWITCH IVR file" in result.stderr


def test_a_freeswitch_include_is_matched_against_the_inputs_part_by_part(tmp_path):
    # `*` matches within one folder name, as the shell's glob does, and nothing is looked up
    # on disk: a fragment two folders down is not included by "menus/*.xml"
    (tmp_path / "menus" / "old").mkdir(parents=True)
    conf = tmp_path / "ivr.conf.xml"
    conf.write_text('<configuration name="ivr.conf"><menus>'
                    '<X-PRE-PROCESS cmd="include" data="menus/*.xml"/></menus></configuration>',
                    encoding="utf-8")
    fragment = ('<include><menu name="{}" greet-long="say:For sales press 1.">'
                '<entry action="menu-exec-app" digits="1" param="transfer 100 XML default"/>'
                '</menu></include>')
    (tmp_path / "menus" / "main.xml").write_text(fragment.format("main"), encoding="utf-8")
    (tmp_path / "menus" / "old" / "old.xml").write_text(fragment.format("old"),
                                                        encoding="utf-8")
    found = lines(str(conf), str(tmp_path / "menus" / "main.xml"),
                  str(tmp_path / "menus" / "old" / "old.xml"))
    assert sorted(ivr for _, ivr in found) == ["main", "old"]  # old is read on its own
    assert found[(str(conf), "main")]
