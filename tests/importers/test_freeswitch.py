"""FreeSWITCH importer: facts checked by hand against each corpus file (with its line), phrase
macros given beside the menus, a fragment included by an ivr.conf, and bad input."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from click.testing import CliRunner

from helpers import assumed
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main

FILES = corpus_files("freeswitch")


def audited(*names: str):
    run = audit_paths([corpus("freeswitch/" + name) for name in names], today="2026-01-01")
    assert not run.errors, [error.format() for error in run.errors]
    return run.results


def labels(actions) -> list[str]:
    return [action.label for action in actions]


@pytest.mark.parametrize("name", FILES)
def test_every_corpus_file_imports_and_audits(name):
    assert audited(name.split("/", 1)[1])


def test_vanilla_demo_10s_three_failures_three_timeouts_and_its_entries():
    (result,) = audited("vanilla-demo_ivr.xml")
    menu = result.menu.nodes["demo_ivr"]
    assert (menu.pos.line, menu.timeout, menu.max_failures) == (4, 10, None)  # line 14
    # lines 16-17: max-failures 3, max-timeouts 3: two tries again, the third gives up
    assert labels(menu.on_invalid) == ["reprompt", "reprompt", "hangup"]
    assert labels(menu.on_timeout) == ["reprompt", "reprompt", "hangup"]
    assert menu.on_invalid[0].message.say == "that was an invalid entry"  # line 7
    assert menu.on_invalid[2].message.say == "that was an invalid entry goodbye"  # line 8
    nodes = result.menu.nodes
    goto = {option.key: option.goto for option in menu.options}
    assert nodes[goto["1"]].person and nodes[goto["1"]].to.startswith("sofia/")  # line 22
    assert (nodes[goto["2"]].to, nodes[goto["2"]].person) == ("9196 XML default", False)  # 23
    assert goto["6"] == "demo_ivr_submenu" and goto["9"] == "demo_ivr"  # lines 27, 31
    assert nodes[goto["1000"]].to == "$1 XML features"  # line 30: /^(10[01][0-9])$/
    assert [f.line for f in assumed(result, "matches 20 key sequences")] == [30]
    submenu = nodes["demo_ivr_submenu"]
    assert submenu.timeout == 15 and [(o.key, o.goto) for o in submenu.options] == [
        ("*", "demo_ivr")]  # lines 40, 45
    # a person through key 1: one key, nothing forced (the greeting can be interrupted)
    default = result.scenarios["default"]
    assert (default.steps_to_human, default.forced_seconds_to_human) == (1, 0)


def test_phrase_macros_give_the_greeting_and_reveal_the_stale_short_greeting():
    (result,) = audited("vanilla-demo_ivr.xml", "vanilla-lang-en-demo-ivr-phrases.xml")
    menu = result.menu.nodes["demo_ivr"]
    # phrases file lines 17-19: the intro, then one announcement per key named by digits/N.wav
    assert menu.intro.say.startswith("welcome to freeswitch this ivr will let you test features")
    said = {option.key: option.segment.say if option.segment else None for option in menu.options}
    assert said["1"] == "to call the freeswitch conference please press 1"  # lines 25-28
    assert said["4"] == "register for cluecon 4"  # lines 43-44: no "please press"
    assert said["1000"] is None  # the extension pattern is never announced
    # lines 92-96 of the phrases: the short greeting still says "sample submenu ... 4"
    (stale,) = [o.message for f in assumed(result, "greet-short (played after a failure) announces")
                for o in f.where if o.node == "demo_ivr"
                and "greet-short (played after a failure) announces" in o.message]
    assert "key 4" in stale and "to hear sample submenu please press 4" in stale
    assert menu.outro.seconds == 2  # line 63: silence_stream://2000 after the options
    # the report's files and checksums name the phrase file too: its words are in the audit
    assert [path.rsplit("/", 1)[-1] for path, _ in result.menu.digests] == [
        "vanilla-demo_ivr.xml", "vanilla-lang-en-demo-ivr-phrases.xml"]


def test_new_demo_entry_without_an_application_keeps_the_caller_in_the_menu():
    (result,) = audited("vanilla-new_demo_ivr.xml")
    menu = result.menu.nodes["new_demo_ivr"]
    goto = {option.key: option.goto for option in menu.options}
    assert goto["4"] == "new_demo_ivr"  # line 22: param="5000 XML default", no application
    assert [f.line for f in assumed(result, "names no application")] == [22]
    assert {goto["1"], goto["2"], goto["3"]} == {"freeswitch_ivr_submenu",
                                                 "freeswitch_solutions_ivr_submenu",
                                                 "cluecon_ivr_submenu"}
    sub = result.menu.nodes["cluecon_ivr_submenu"]  # lines 64-65: 9 itself, * the top
    assert [(o.key, o.goto) for o in sub.options] == [("9", "cluecon_ivr_submenu"),
                                                      ("*", "new_demo_ivr")]
    # the same phrase for greet-long and greet-short: a failure plays it all again
    assert labels(sub.on_timeout) == ["replay", "replay", "hangup"]
    assert result.scenarios["default"].human_reachable is False


def test_curl_conf_older_layout_submenu_on_4():
    (result,) = audited("curl-ivr.conf.xml")
    menu = result.menu.nodes["demo_ivr"]
    goto = {option.key: option.goto for option in menu.options}
    assert goto["4"] == "demo_ivr_submenu" and "6" not in goto  # line 18
    assert menu.timeout == 10  # line 10: timeout ="10000" (a space before =)


def test_files_with_no_menu_say_so_as_a_finding():
    (wrapper,) = audited("vanilla-ivr.conf.xml")  # line 3: the include names no input
    (flag,) = assumed(wrapper, "holds no IVR menu")
    assert "'../ivr_menus/*.xml' names no file among the inputs" in flag.message
    (phrases,) = audited("vanilla-lang-en-demo-ivr-phrases.xml")
    assert assumed(phrases, "phrase macros only")


def test_an_ivr_conf_reads_the_fragments_it_includes(tmp_path):
    (tmp_path / "autoload_configs").mkdir()
    (tmp_path / "ivr_menus").mkdir()
    shutil.copy(corpus("freeswitch/vanilla-ivr.conf.xml"),
                tmp_path / "autoload_configs" / "ivr.conf.xml")
    shutil.copy(corpus("freeswitch/vanilla-demo_ivr.xml"), tmp_path / "ivr_menus" / "demo_ivr.xml")
    run = audit_paths([str(tmp_path)], today="2026-01-01")
    assert not run.errors
    (line,) = run.results  # the fragment is read through the ivr.conf that includes it
    assert line.menu.ivr == "demo_ivr"
    assert line.menu.nodes["demo_ivr"].pos.path.endswith("demo_ivr.xml")


def test_malformed_menu_file_is_exit_2_at_its_line(tmp_path):
    bad = tmp_path / "ivr.conf.xml"
    bad.write_text(textwrap.dedent("""\
        <configuration name="ivr.conf">
          <menus>
            <menu name="main" greet-long="say:Hello">
              <entry action="menu-top" digits="9">
            </menu>
          </menus>
        </configuration>
        """), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(bad)])
    assert result.exit_code == 2 and f"{bad}:5:" in result.stderr
    assert "Traceback" not in result.output


def _site(folder, greeting: str | None) -> None:
    """One FreeSWITCH site: a menu greeting with `phrase:welcome`, and its phrase file (none
    for ``greeting`` None)."""
    (folder / "ivr_menus").mkdir(parents=True)
    (folder / "ivr_menus" / "main.xml").write_text(textwrap.dedent(f"""\
        <include>
          <menu name="main_{folder.name}" greet-long="phrase:welcome" timeout="10000">
            <entry action="menu-exec-app" digits="0" param="transfer 100 XML default"/>
          </menu>
        </include>
        """), encoding="utf-8")
    if greeting is not None:
        _phrases(folder / "lang", greeting)


def _phrases(folder, greeting: str) -> None:
    folder.mkdir(parents=True)
    (folder / "phrases.xml").write_text(textwrap.dedent(f"""\
        <include>
          <macro name="welcome">
            <input pattern="(.*)">
              <match>
                <action function="play-file" data="say:{greeting}"/>
              </match>
            </input>
          </macro>
        </include>
        """), encoding="utf-8")


def test_a_fleet_of_sites_each_menu_takes_its_own_sites_phrase_macro(tmp_path):
    """Two sites, each with a macro `welcome` of its own words: each menu is greeted by the
    macro of its own site (the phrase file nearest to it: the longest shared folder), not by
    the first site's (as before), whichever order the sites are given in."""
    _site(tmp_path / "east", "Welcome to the east office")
    _site(tmp_path / "west", "Welcome to the west office our opening hours have changed")
    for order in (["east", "west"], ["west", "east"]):
        run = audit_paths([str(tmp_path / name) for name in order], today="2026-01-01")
        assert not run.errors
        said = {result.menu.ivr: result.menu.nodes[result.menu.entry].intro.say
                for result in run.results}
        assert said == {"main_east": "Welcome to the east office",
                        "main_west": "Welcome to the west office our opening hours have changed"}
        # each line's files and checksums name its own phrase file
        files = {result.menu.ivr: [path.split(str(tmp_path) + "/")[-1]
                                   for path, _ in result.menu.digests] for result in run.results}
        assert files == {"main_east": ["east/ivr_menus/main.xml", "east/lang/phrases.xml"],
                         "main_west": ["west/ivr_menus/main.xml", "west/lang/phrases.xml"]}


def _greetings(*paths) -> dict[str, str]:
    run = audit_paths([str(path) for path in paths], today="2026-01-01")
    assert not run.errors
    return {result.menu.ivr: result.menu.nodes[result.menu.entry].intro.say
            for result in run.results}


def test_a_menu_in_an_included_file_takes_the_macro_nearest_its_own_file(tmp_path):
    """One ivr.conf includes every site's menus (`../sites/*/ivr_menus/*.xml`): each menu
    still takes its own site's macro, nearest the file it is written in, not the one
    nearest the ivr.conf (west took east's before)."""
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "ivr.conf.xml").write_text(
        '<configuration name="ivr.conf">\n  <menus>\n    <X-PRE-PROCESS cmd="include" '
        'data="../sites/*/ivr_menus/*.xml"/>\n  </menus>\n</configuration>\n',
        encoding="utf-8")
    _site(tmp_path / "sites" / "east", "Welcome east")
    _site(tmp_path / "sites" / "west", "Welcome west")
    for order in (["east", "west"], ["west", "east"]):
        assert _greetings(tmp_path / "conf", *[tmp_path / "sites" / n for n in order]) == {
            "main_east": "Welcome east", "main_west": "Welcome west"}


def test_a_site_without_phrases_takes_the_shared_file_beside_the_sites(tmp_path):
    """Sites east and north have their own macro `welcome`; west has none, and a phrase file
    shared by all sits beside them (common/): west takes the shared one, as near as
    east's and north's by shared folders but fewer folders down, whatever the order."""
    _site(tmp_path / "east", "Welcome east")
    _site(tmp_path / "north", "Welcome north")
    _site(tmp_path / "west", None)
    _phrases(tmp_path / "common", "Welcome everyone")
    for order in (["east", "north", "west", "common"], ["common", "west", "north", "east"]):
        assert _greetings(*[tmp_path / n for n in order]) == {
            "main_east": "Welcome east", "main_north": "Welcome north",
            "main_west": "Welcome everyone"}
