"""Amazon Connect: facts checked by hand against each corpus file (../shared/corpus/amazon-
connect), each with the line of the source file it comes from, and the containers a flow is
shipped in. Word counts are at 150 words a minute (0.4 s a word, SPEC section 2)."""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction

import pytest
from click.testing import CliRunner

from helpers import assumed
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main

FOLDER = "amazon-connect"


def audited(*relative: str):
    run = audit_paths([corpus(f"{FOLDER}/{r}") for r in relative], today="2026-01-01")
    assert not run.errors, [e.format() for e in run.errors]
    return run.results


@pytest.mark.parametrize("name", [f for f in corpus_files(FOLDER)])
def test_every_corpus_flow_imports_and_audits(name):
    result = CliRunner().invoke(main, ["import", corpus(name), "-o", "/dev/null"])
    assert result.exit_code == 0, result.output
    (line,) = audited(name.split("/", 1)[1])
    assert line.menu.nodes and line.metrics.scenarios


def test_scv_rest_menu_announces_3_but_routes_only_1():
    # Content (line 6): GetParticipantInput 4b332312, SSML "... press 1. Otherwise, press 3.",
    # one condition Equals ["1"] -> 37ceeec2; NoMatchingCondition, InputTimeLimitExceeded and
    # NoMatchingError all -> e798f239 ("Please hold for the next available representative.")
    (result,) = audited("scv-rest-example-dtmf-menu.json")
    menu = result.menu.nodes["menu_4b332312"]
    assert [o.key for o in menu.options] == ["1"] and menu.options[0].goto == "play_37ceeec2"
    assert menu.outro.say == "Otherwise, press 3."
    assert (menu.timeout, menu.max_failures, menu.barge_in) == (5, None, True)
    assert menu.on_invalid[0].target == menu.on_timeout[0].target == "play_e798f239"
    (three,) = assumed(result, "press 3, but no condition routes 3")
    assert (three.line, three.node) == (6, "menu_4b332312")


def test_scv_rest_scenarios_follow_the_lambdas_and_the_compare():
    (result,) = audited("scv-rest-example-dtmf-menu.json")
    scenarios = result.metrics.scenarios
    # default: "Thank you for calling. All calls may be monitored for quality assurance." (12
    # words, 4.8 s) and "Please hold for the next available representative." (7 words, 2.8 s),
    # both MessageParticipant (forced): 7.6 s, no key, to the queue (34b03f4b)
    default = scenarios["default"]
    assert default.forced_seconds_to_human == Fraction(76, 10)
    assert (default.steps_to_human, default.paths["forced"][-1][0]) == (0, "queue_34b03f4b")
    # $.External.Id contains 500 (Compare 1c6803ab): the menu; pressing 1 skips the 2.8 s message
    # for "One moment please" (3 words, 1.2 s) and "Transferring to queue." (1.2 s): 7.2 s
    case = scenarios["External.Id_contains_500"]
    assert (case.steps_to_human, case.forced_seconds_to_human) == (1, Fraction(72, 10))
    # the telephony Lambda fails both turns of Loop 1906df8a (LoopCount "2"): the error message
    # (23 words, 9.2 s) then disconnect: 4.8 + 9.2 = 14 s, no person
    failed = scenarios["lambda_INVOKE_TELEPHONY_FUNCTION_ARN_fails"]
    assert not failed.human_reachable
    assert (failed.silent.end, failed.silent.seconds) == ("hangup", 14)
    nodes = result.menu.nodes
    assert nodes["lambda_6188311e_1"].else_ == "lambda_6188311e_2"  # the loop, unrolled
    assert nodes["lambda_6188311e_2"].else_ == "play_6c71edb3"
    assert scenarios["queue_full"].human_reachable is False  # QueueAtCapacity -> disconnect


def test_scv_queue_transfer_hours_staffing_and_capacity():
    # CheckHoursOfOperation 861b5e68 (True -> CheckMetricData, False -> closed message),
    # CheckMetricData aa2e49ed NumberOfAgentsStaffed > 0 (else "No agents are available..."),
    # TransferContactToQueue 127a3beb: QueueAtCapacity -> 65d255e0, NoMatchingError -> c9e05d1c
    (result,) = audited("scv-queue-transfer.json")
    scenarios = result.metrics.scenarios
    assert list(scenarios) == ["default", "closed", "lambda_INVOKE_TELEPHONY_FUNCTION_ARN_fails",
                               "no_agents_staffed", "queue_full"]
    # "Transferring you to the appropriate queue. One moment please." 9 words: 3.6 s
    assert scenarios["default"].forced_seconds_to_human == Fraction(36, 10)
    # closed: "The department you are trying to reach is not currently open. Please try your
    # call again later." (17 words, 6.8 s) + "Goodbye." (0.4 s), then disconnect
    closed = scenarios["closed"]
    assert (closed.silent.end, closed.silent.seconds) == ("hangup", Fraction(72, 10))
    nodes = result.menu.nodes
    queue = nodes["queue_127a3beb"]  # two failure branches: a branch after the overflow
    failed = nodes[queue.overflow.goto]
    assert queue.overflow.when == ("queue_transfer_fails",)
    assert [(c.when, c.goto) for c in failed.cases] == [(("queue_at_capacity",), "play_65d255e0")]
    assert failed.else_ == "play_c9e05d1c"
    assert not scenarios["queue_full"].human_reachable


def test_scv_inbound_and_agent_transfer_reach_their_queue():
    inbound, agent = audited("scv-inbound.json", "scv-agent-transfer.json")
    assert inbound.metrics.scenarios["default"].human_reachable
    # QueueAtCapacity 5fdb094d -> "higher than normal call volume" -> disconnect
    assert not inbound.metrics.scenarios["queue_full"].human_reachable
    assert agent.metrics.scenarios["default"].paths["forced"][-1][0] == "queue_69cf47be"


def test_a_menu_whose_options_are_in_a_lambda_is_an_input_with_the_assumption():
    # RulesEngineDTMFMenu: GetParticipantInput b2e9b70e, Text "$.External.CurrentRule_offerMessage",
    # StoreInput "True", MaximumLength "1", no Conditions; the digit goes to a Lambda
    (result,) = audited("rules-engine-dtmf-menu.json")
    node = result.menu.nodes["menu_b2e9b70e"]
    assert (node.type, node.digits_min, node.digits_max, node.timeout) == ("input", 1, 1, 5)
    assert assumed(result, "routed at run time")
    assert assumed(result, "'$.External.CurrentRule_offerMessage': its length is not known")


def test_flows_that_transfer_to_each_other_are_one_line(tmp_path):
    # rules-engine-dtmf-menu.json TransferToFlow "{{contactFlows.RulesEngineError.arn}}";
    # rules-engine-error.json is that flow (a bare flow: its name is its file name)
    for name in ("rules-engine-dtmf-menu.json", "rules-engine-error.json"):
        (tmp_path / name).write_bytes(open(corpus(f"{FOLDER}/{name}"), "rb").read())
    run = audit_paths([str(tmp_path)], today="2026-01-01")
    (line,) = run.results
    assert line.menu.path.endswith("rules-engine-dtmf-menu.json")
    joined = [n for n in line.menu.nodes if n.startswith("rules-engine-error.")]
    assert joined and line.menu.nodes[joined[0]].pos.path.endswith("rules-engine-error.json")
    # its findings point there too (IVR011 reads where `barge_in` is written)
    node = line.menu.nodes[joined[0]]
    assert node.field_pos and all(pos.path == node.pos.path for pos in node.field_pos.values())


def test_the_lex_menu_is_spoken_only_and_joins_the_queue_transfer(tmp_path):
    # acme_main_AUTO: ConnectParticipantWithLexBot f713e89c "... Please say sales or finance",
    # intents Sales and Finance; Sales -> queue -> module -> Lambda -> TransferToFlow
    # $.FlowAttributes.acme_queue_transfer_AUTO, which is acme-queue-transfer.json's Name
    for name in ("acme-main-lex-menu.json", "acme-queue-transfer.json"):
        (tmp_path / name).write_bytes(open(corpus(f"{FOLDER}/{name}"), "rb").read())
    (line,) = audit_paths([str(tmp_path)], today="2026-01-01").results
    bot = line.menu.nodes["bot_f713e89c"]
    assert [(o.key, o.speech) for o in bot.options] == [(None, ("Sales",)), (None, ("Finance",))]
    assert bot.barge_in is False
    default = line.metrics.scenarios["default"]
    assert not default.human_reachable  # no key reaches anyone
    assert default.spoken is not None and ("bot_f713e89c", None, "Sales") in default.spoken.path


def test_legacy_exports_are_read():
    feedback, demo = audited("legacy-ivr-feedback-flow.json", "legacy-dynamic-demo-menu.json")
    # StoreUserInput 1a61c6ff (line 124): Timeout "5", MaxDigits "1"
    node = feedback.menu.nodes["menu_1a61c6ff"]
    assert (node.type, node.digits_min, node.timeout, node.pos.line) == ("input", 1, 5, 124)
    assert not feedback.metrics.scenarios["default"].human_reachable
    # CheckAttribute c6fff67f: Evaluate Equals "*" -> back to the menu; NoMatch -> Lambda
    assert "UserDefined.menuOption_eq_x" in demo.metrics.scenarios


def test_queue_flows_wait_for_an_agent():
    (queue,) = audited("acme-customer-queue.json")  # Type CUSTOMER_QUEUE
    assert queue.menu.nodes[queue.menu.entry].type == "human"
    (rules,) = audited("rules-engine-customer-queue.json")  # no Type: inferred, and said so
    assert assumed(rules, "read as one: the caller is waiting in a queue")


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  MainFlow:
    Type: AWS::Connect::ContactFlow
    Properties:
      InstanceArn: !GetAtt Instance.Arn
      Name: !Sub "${Env}-main"
      Type: CONTACT_FLOW
      Content: !Sub |
        {"Version": "2019-10-30", "StartAction": "hello",
         "Actions": [
          {"Identifier": "hello", "Type": "MessageParticipant",
           "Parameters": {"Text": "Welcome to ${Env}."},
           "Transitions": {"NextAction": "queue"}},
          {"Identifier": "queue", "Type": "TransferContactToQueue", "Parameters": {},
           "Transitions": {"Errors": [{"ErrorType": "QueueAtCapacity", "NextAction": "bye"}]}},
          {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {},
           "Transitions": {}}]}
  Other:
    Type: AWS::Connect::ContactFlow
    Properties:
      Name: other
      Content: '{"Version": "2019-10-30", "StartAction": "a", "Actions": [{"Identifier": "a", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}]}'
"""


def test_cloudformation_flows_keep_exact_positions(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(CFN, encoding="utf-8")
    run = audit_paths([str(path)], today="2026-01-01")
    assert not run.errors
    main_flow, other = run.results
    assert main_flow.menu.path == f"{path}#${{Env}}-main" and other.menu.path.endswith("#other")
    hello = main_flow.menu.nodes["hello"]
    # the action's "{" stands on line 12, column 11 of the template (inside the !Sub block)
    assert (hello.pos.line, hello.pos.column) == (12, 11)
    assert hello.intro.say == "Welcome to ${Env}." and hello.barge_in is False
    assert main_flow.menu.nodes["queue"].overflow.goto == "hangup"


def test_a_wrapper_flow_names_the_column_inside_its_content_string(tmp_path):
    inner = {"Version": "2019-10-30", "StartAction": "m", "Actions": [
        {"Identifier": "m", "Type": "MessageParticipant", "Parameters": {"Text": "Hi."},
         "Transitions": {"NextAction": "x"}},
        {"Identifier": "x", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}]}
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"Name": "W", "Type": "CONTACT_FLOW",
                                "Content": json.dumps(inner)}, indent=1), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    (result,) = audit_paths([str(path)], today="2026-01-01").results
    node = result.menu.nodes["m"]
    line = text.splitlines()[node.pos.line - 1]
    assert line[node.pos.column - 1:].startswith('{\\"Identifier\\": \\"m\\"')


@pytest.mark.parametrize("flow, message", [
    ('{"Version": "2019-10-30", "StartAction": "nowhere", "Actions": []}',
     "1:42: error: the flow starts at action 'nowhere', which it does not define"),
    ('{"Version": "2019-10-30", "StartAction": "a", "Actions": [\n {"Identifier": "a", '
     '"Type": "MessageParticipnt", "Parameters": {}}]}',
     "2:2: error: unknown action type 'MessageParticipnt' (did you mean 'MessageParticipant'?)"),
    ('{"Version": "2019-10-30", "StartAction": "a", "Actions": [\n {"Identifier": "a",',
     "error: invalid JSON"),
])
def test_bad_flows_are_exit_2_with_file_line_and_column(tmp_path, flow, message):
    path = tmp_path / "bad.json"
    path.write_text(flow, encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "--from", "connect", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert message in result.stderr


def test_an_unknown_action_type_is_an_assumption_not_an_error(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text(textwrap.dedent("""\
        {"Version": "2019-10-30", "StartAction": "a", "Actions": [
          {"Identifier": "a", "Type": "StartVideoMagic", "Parameters": {},
           "Transitions": {"NextAction": "b"}},
          {"Identifier": "b", "Type": "DisconnectParticipant", "Parameters": {}}]}
        """), encoding="utf-8")
    (result,) = audit_paths([str(path)], today="2026-01-01").results
    (finding,) = assumed(result, "action type 'StartVideoMagic' is not one ivraudit knows")
    assert (finding.line, finding.column) == (2, 3)


def test_another_platforms_file_given_with_from_connect_is_exit_2():
    result = CliRunner().invoke(main, ["audit", "--from", "connect",
                                       corpus("genesys-archy/openhours-flow.yaml")])
    assert result.exit_code == 2 and "not an Amazon Connect flow" in result.stderr


def test_a_transfer_to_a_phone_number_is_taken_to_reach_a_person(tmp_path):
    """As on every platform ivraudit reads (Asterisk Dial, FreeSWITCH bridge, VoiceXML
    <transfer>, NCCO connect to a phone): a call put through to a number reaches a person, an
    assumption the audit lists where the transfer is written."""
    path = tmp_path / "flow.json"
    path.write_text(textwrap.dedent("""\
        {"Version": "2019-10-30", "StartAction": "a", "Actions": [
          {"Identifier": "a", "Type": "TransferParticipantToThirdParty",
           "Parameters": {"ThirdPartyPhoneNumber": "+15550100"},
           "Transitions": {"NextAction": "b", "Errors": []}},
          {"Identifier": "b", "Type": "DisconnectParticipant", "Parameters": {}}]}
        """), encoding="utf-8")
    (result,) = audit_paths([str(path)], today="2026-01-01").results
    assert result.metrics.scenarios["default"].human_reachable
    (finding,) = assumed(result, "the call put through to +15550100 is taken to be answered "
                                 "by a person")
    assert (finding.line, finding.column) == (2, 3)


def test_a_damaged_flow_in_a_folder_is_an_error_not_passed_over(tmp_path):
    """A truncated Connect export among the menus of a folder: exit 2 with its syntax error
    (a CI gate must not pass it unseen); a package.json beside it is still passed over."""
    flow = corpus("amazon-connect/rules-engine-dtmf-menu.json")
    data = open(flow, encoding="utf-8").read()
    (tmp_path / "flow.json").write_text(data[:-50], encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0"}', encoding="utf-8")
    (tmp_path / "bank.yaml").write_text("ivr: Small\nformat: 1\nentry: agent\nnodes:\n"
                                        "  agent: {type: human}\n", encoding="utf-8")
    run = audit_paths([str(tmp_path)], today="2026-01-01")
    assert [r.menu.path.rsplit("/", 1)[-1] for r in run.results] == ["bank.yaml"]
    (error,) = run.errors
    assert error.path.endswith("flow.json") and "invalid JSON" in error.message
