"""Asterisk importer: facts checked by hand against each corpus dialplan (with its line), a retry
counter unrolled statically, `#include` among the inputs, and bad input."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from helpers import assumed
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main

FILES = corpus_files("asterisk")


def audited(*paths: str):
    run = audit_paths(list(paths), today="2026-01-01")
    assert not run.errors, [error.format() for error in run.errors]
    return run.results


def corpus_line(name: str):
    (result,) = audited(corpus("asterisk/" + name))
    return result


@pytest.mark.parametrize("name", FILES)
def test_every_corpus_dialplan_imports_and_audits(name):
    assert audited(corpus(name))


def test_basic_pbx_main_ivr_keys_queues_and_endless_retries():
    result = corpus_line("basic-pbx-extensions.conf")
    nodes = result.menu.nodes
    menu = nodes[result.menu.entry]  # line 162: n(start),Background(basic-pbx-ivr-main)
    assert (menu.type, menu.pos.line, menu.timeout, menu.max_failures) == ("menu", 162, 10, None)
    goto = {option.key: option.goto for option in menu.options}
    assert {"0", "1", "2", "3", "4"} <= set(goto)  # lines 167-176
    sales = nodes[goto["1"]]  # line 43: Queue(sales,,,,300)
    assert (sales.type, sales.queue) == ("human", "sales")
    # line 44: Goto(operator,1) after the queue names no extension: the overflow hangs up
    assert sales.overflow.goto == "hangup"
    assert [f.line for f in assumed(result, "no extension 'operator'")] == [44, 51]
    assert any(f.rule == "IVR031" for f in result.findings)  # queue-no-hangup
    # lines 178-182: i and t play a prompt and go back to `start`, with no counter
    invalid, timeout = nodes[menu.on_invalid[0].target], nodes[menu.on_timeout[0].target]
    assert (invalid.intro.say, invalid.barge_in, invalid.next) == (
        "option is invalid", False, menu.id)  # Playback(): forced
    assert (timeout.intro.say, timeout.next) == ("are you still there", menu.id)
    assert result.scenarios["default"].silent.end == "loop"
    assert result.scenarios["default"].steps_to_human == 1  # 0 or 1: a person with one key


def test_samples_demo_timeouts_and_an_invalid_key_that_ends_the_call():
    result = corpus_line("samples-extensions.conf")
    nodes = result.menu.nodes
    wait = nodes[result.menu.entry]  # line 561: Wait(1): a second of forced silence
    assert (wait.intro.seconds, wait.barge_in) == (1, False)
    congrats = nodes[wait.next]  # line 565: n(restart),BackGround(demo-congrats)
    assert (congrats.type, congrats.barge_in, congrats.pos.line) == ("message", True, 565)
    menu = nodes[congrats.next]  # lines 566-567: BackGround(demo-instruct), WaitExten()
    assert (menu.type, menu.pos.line) == ("menu", 566)
    assert menu.timeout == 10  # line 564: Set(TIMEOUT(response)=10)
    goto = {option.key: option.goto for option in menu.options}
    assert goto["3"] == congrats.id  # lines 572-573: Goto(s,restart)
    assert nodes[goto["2"]].next == menu.id  # lines 569-570: Goto(s,instruct)
    # line 600: i plays "invalid" and has no next priority: autofallthrough ends the call
    invalid = nodes[menu.on_invalid[0].target]
    assert (invalid.intro.say, invalid.next) == ("invalid", "hangup")
    # line 599: t goes to # (line 593-594): thanks, then Hangup
    assert nodes[menu.on_timeout[0].target].next == "hangup"
    # line 582: 1234 Gosubs to stdexten (a pattern with that label), whose Dial rings a person
    playback = nodes[goto["1234"]]
    dial = nodes[playback.next]
    assert (dial.type, dial.person, dial.pos.line) == ("transfer", True, 487)


def test_samples_1_4_syntax_without_parentheses():
    result = corpus_line("samples-extensions-1.4.0.conf")
    menu = next(node for node in result.menu.nodes.values() if node.type == "menu")
    assert menu.pos.line == 407  # exten => s,n(instruct),BackGround(demo-instruct)
    assert menu.timeout == 10  # line 405: Set(TIMEOUT(response)=10); line 408: WaitExten


def test_minivm_background_without_waitexten_and_no_t_extension():
    result = corpus_line("samples-extensions-minivm.conf")
    menu = next(node for node in result.menu.nodes.values() if node.type == "menu")
    assert menu.pos.line == 95  # n(menu),background(vm-options), nothing after it
    assert assumed(result, "Background() with no WaitExten()")
    assert [o.key for o in menu.options] == ["1", "2", "3", "4", "*"]  # lines 96-110
    assert menu.on_timeout[0].kind == "hangup"  # no t extension: silence ends the call
    assert assumed(result, "no 't' extension")
    invalid = result.menu.nodes[menu.on_invalid[0].target]  # line 112-113: i loops back
    assert invalid.next == menu.id


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def test_a_retry_counter_is_unrolled_and_no_i_extension_ends_the_call(tmp_path):
    path = write(tmp_path, "extensions.conf", """\
        [ivr]
        exten => s,1,Set(TRIES=0)
         same => n(menu),Background(press-1&for-sales)
         same => n,WaitExten(5)
        exten => 1,1,Queue(sales)
        exten => t,1,Set(TRIES=$[${TRIES} + 1])
         same => n,GotoIf($[${TRIES} < 3]?s,menu:operator,1)
        exten => operator,1,Dial(PJSIP/100)
        """)
    (result,) = audited(path)
    nodes = result.menu.nodes
    menus = [node for node in nodes.values() if node.type == "menu"]
    assert len(menus) == 3  # TRIES 0, 1, 2: three visits, the third silence goes on
    first = nodes[result.menu.entry]
    assert (first.timeout, first.options[0].key) == (5, "1")
    assert first.on_invalid[0].kind == "hangup"  # no i extension: a wrong key ends the call
    second = nodes[first.on_timeout[0].target]
    third = nodes[second.on_timeout[0].target]
    operator = nodes[third.on_timeout[0].target]
    assert (operator.type, operator.to) == ("transfer", "PJSIP/100")
    assert result.scenarios["default"].silent.end == operator.id
    assert first.options[0].segment.say == "press 1 for sales"  # announced by its sound name


def test_include_followed_when_the_file_is_among_the_inputs(tmp_path):
    main_file = write(tmp_path, "extensions.conf", """\
        #include "menus.conf"
        [from-trunk]
        exten => s,1,Goto(menu,s,1)
        """)
    menus = write(tmp_path, "menus.conf", """\
        [menu]
        exten => s,1,Background(welcome)
         same => n,WaitExten(5)
        exten => 0,1,Dial(PJSIP/operator)
        """)
    (alone,) = audited(main_file)
    assert assumed(alone, "#include menus.conf is not among the inputs")
    (line,) = audited(main_file, menus)  # menus.conf is read through the file including it
    entry = line.menu.nodes[line.menu.entry]
    assert entry.type == "menu" and entry.pos.path == menus
    assert line.scenarios["default"].steps_to_human == 1


MENU_CONTEXT = """\
    [{name}]
    exten => s,1,Background(welcome)
     same => n,WaitExten(5)
    exten => 0,1,Dial(PJSIP/operator)
    """


def test_dialplans_that_include_each_other_are_read_through_the_first_given(tmp_path):
    """a.conf includes b.conf and b.conf a.conf: each used to hide the other, and the folder
    had "no menu files"; now a.conf leads and b.conf is read through it, once."""
    first = write(tmp_path, "a.conf", '#include "b.conf"\n' + MENU_CONTEXT.format(name="ivr"))
    write(tmp_path, "b.conf", "#include <a.conf>\n" + MENU_CONTEXT.format(name="ivr2"))
    lines = audited(str(tmp_path))  # a line per menu context: ivr (a.conf), ivr2 (b.conf)
    assert [line.menu.path for line in lines] == [first + "#ivr", first + "#ivr2"]
    assert [{node.pos.path.rsplit("/", 1)[1] for node in line.menu.nodes.values()}
            for line in lines] == [{"a.conf"}, {"b.conf"}]


def test_a_dialplan_that_cannot_be_read_leaves_the_others_alone(tmp_path):
    """A dialplan that is not UTF-8 is an error of its own; it made every other dialplan of
    the run an error too, under its name."""
    write(tmp_path, "main.conf", MENU_CONTEXT.format(name="ivr"))
    (tmp_path / "latin.conf").write_bytes(b"[other]\n; caf\xe9\n"
                                          + MENU_CONTEXT.format(name="x").encode())
    run = audit_paths([str(tmp_path)], today="2026-01-01")
    assert [error.format().split(": error:")[0] for error in run.errors] == \
        [f"{tmp_path}/latin.conf:2:6"]
    (line,) = run.results
    assert line.menu.pos.path == f"{tmp_path}/main.conf"


def test_a_menu_file_never_takes_a_dialplan_in(tmp_path):
    """A menu whose text looks like a dialplan too (a `#include` comment, `exten =>` in a
    prompt, a line starting with `[`) is a menu: it includes nothing, and the dialplan it
    names is audited (it vanished, without a word)."""
    write(tmp_path, "extra.conf", MENU_CONTEXT.format(name="ivr"))
    write(tmp_path, "menu.yaml", """\
        #include extra.conf
        ivr: Test
        format: 1
        entry: main
        nodes:
          main:
            type: menu
            say: |
              For an operator press 0.
              exten => s,1,
            options:
              [{key: "0", say: operator, goto: op}]
          op: {type: human}
        """)
    assert sorted(r.menu.pos.path.rsplit("/", 1)[1] for r in audited(str(tmp_path))) == \
        ["extra.conf", "menu.yaml"]


def test_an_unterminated_context_is_exit_2_at_its_place(tmp_path):
    path = write(tmp_path, "extensions.conf", """\
        [ivr]
        exten => s,1,Background(hello)
         same => n,WaitExten()

        [broken
        exten => 1,1,Hangup()
        """)
    result = CliRunner().invoke(main, ["audit", path])
    assert result.exit_code == 2 and f"{path}:5:1: error: this context header is not closed" \
        in result.stderr
    assert "Traceback" not in result.output
