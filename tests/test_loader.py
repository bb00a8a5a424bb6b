"""The loader: one test per kind of bad input, each asserting file, line, column and message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ivraudit.errors import MenuError
from ivraudit.format.loader import load_file, load_text

GOOD = """\
ivr: Example line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    options:
      - key: 1
        say: For billing, press 1.
        goto: agent
  agent:
    type: human
"""


def error_of(text: str, path: str = "m.yaml") -> MenuError:
    with pytest.raises(MenuError) as caught:
        load_text(text, path)
    return caught.value


def error_at(text: str, line: int, column: int, *words: str) -> MenuError:
    error = error_of(text)
    assert (error.path, error.line, error.column) == ("m.yaml", line, column), error.format()
    for word in words:
        assert word in error.message + " " + error.hint, error.format()
    return error


def test_a_good_menu_keeps_the_position_of_every_node_option_and_field():
    menu = load_text(GOOD, "m.yaml")
    main = menu.nodes["main"]
    assert (main.pos.line, main.pos.column) == (5, 3)
    assert (main.options[0].pos.line, main.options[0].pos.column) == (9, 9)
    assert (main.field_pos["options"].line, menu.nodes["agent"].pos.line) == (9, 12)
    assert str(main.pos) == "m.yaml:5:3"
    assert dict(main.field_pos) == {name: main.field_pos[name] for name in main.field_pos}
    assert "bogus" not in main.field_pos and main.field_pos.get("bogus") is None


def test_an_unquoted_star_key_is_explained():
    error_at(GOOD.replace("key: 1", "key: *"), 9, 14, "unquoted `*`", 'key: "*"')


def test_an_unquoted_hash_key_is_explained():
    error_at(GOOD.replace("key: 1", "key: #"), 9, 13, "unquoted `#`", 'key: "#"')


def test_a_misspelled_target_suggests_the_node():
    error_at(GOOD.replace("goto: agent", "goto: agnet"), 11, 15, "'agnet'", "did you mean 'agent'")


def test_a_misspelled_entry_suggests_the_node():
    error_at(GOOD.replace("entry: main", "entry: mian"), 3, 8, "did you mean 'main'")


def test_a_misspelled_type_suggests_the_type():
    error_at(GOOD.replace("type: menu", "type: manu"), 6, 11, "'manu'", "did you mean 'menu'")


def test_a_misspelled_field_suggests_the_field():
    error_at(GOOD.replace("    options:", "    optoins:"), 8, 5, "unknown field 'optoins'",
             "did you mean 'options'")


def test_an_unknown_field_on_an_option_is_named():
    error_at(GOOD.replace("        goto: agent", "        goto: agent\n        sya: x"),
             12, 9, "unknown field 'sya'", "did you mean 'say'")


def test_a_comma_that_ends_a_value_inside_braces_says_to_quote_it():
    # `{key: 1, say: For billing, press 1., goto: agent}`: YAML ends the `say` at the comma and
    # reads "press 1." as a field with no value
    flow = GOOD.replace("      - key: 1\n        say: For billing, press 1.\n        goto: agent",
                        "      - {key: 1, say: For billing, press 1., goto: agent}")
    error = error_at(flow, 9, 36, "unknown field 'press 1.'", "a comma inside `{...}` ends")
    assert error.hint == 'quote the text: say: "For billing, press 1."'
    quoting = flow.replace("say: For billing,", 'say: Say "bills",')
    assert error_of(quoting).hint == """quote the text: say: 'Say "bills", press 1.'"""


def test_a_field_left_empty_on_its_own_line_is_only_unknown():
    error = error_at(GOOD.replace("        goto: agent", "        goto: agent\n        sya:"),
                     12, 9, "unknown field 'sya'", "did you mean 'say'")
    assert "comma" not in error.message + error.hint


def test_a_value_of_the_wrong_type_is_named_in_words():
    error_at(GOOD.replace("    say: Welcome.", "    say: Welcome.\n    timeout: ten"), 8, 14,
             "`nodes.main.timeout` is 'ten', but it must be a number")


def test_a_tab_that_indents_says_yaml_indents_with_spaces():
    error_at(GOOD.replace("    say: Welcome.", "\tsay: Welcome."), 7, 1, "tab",
             "indent with spaces")


def test_an_empty_file():
    error_at("", 1, 1, "empty")
    error_at("# only a comment\n", 1, 1, "only comments")


def test_a_file_that_is_not_utf8(tmp_path: Path):
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("ivr: 客服\n".encode("utf-8") + "format: 1 # 你好\n".encode("gb18030"))
    with pytest.raises(MenuError) as caught:
        load_file(bad)
    error = caught.value
    assert (error.path, error.line, error.column) == (str(bad), 2, 13)
    assert "not UTF-8" in error.message and "UTF-8" in error.hint


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_bad_byte_is_placed_as_an_editor_shows_it(tmp_path: Path, newline: str):
    """Old Mac files end their lines with \\r alone: the bad byte is still on line 3."""
    bad = tmp_path / "old.yaml"
    gbk = ["ivr: 客服", "format: 1", "entry: m # 你好", ""]
    bad.write_bytes(newline.join(gbk).encode("gb18030"))
    with pytest.raises(MenuError) as caught:
        load_file(bad)
    assert (caught.value.line, caught.value.column) == (1, 6)
    bad.write_bytes(newline.join(["ivr: Bank"] + gbk[1:]).encode("gb18030"))
    with pytest.raises(MenuError) as caught:
        load_file(bad)
    assert (caught.value.line, caught.value.column) == (3, 12)


def test_a_top_level_that_is_not_a_mapping():
    error_at("- main\n- agent\n", 1, 1, "must be a mapping")


def test_a_missing_required_key():
    error_at(GOOD.replace("entry: main\n", ""), 1, 1, "missing the required field 'entry'",
             "entry: main")


def test_a_missing_next_on_a_message():
    error_at(GOOD + "  note:\n    type: message\n", 15, 5, "'next'")


def test_duplicate_keys_in_a_menu():
    text = GOOD.replace("        goto: agent", "        goto: agent\n      - key: '1'\n        goto: agent")
    error_at(text, 12, 14, "key '1' is used twice", "first at line 9")


def test_a_negative_duration():
    error_at(GOOD.replace("say: Welcome.", "say: Welcome.\n    duration: -1"), 8, 15, "-1",
             "bigger than or equal to 0")


def test_reserved_words_are_not_node_ids():
    error_at(GOOD.replace("  agent:", "  hangup:").replace("goto: agent", "goto: main"), 12, 3,
             "reserved word")


def test_the_format_must_be_1():
    error_at(GOOD.replace("format: 1", "format: 2"), 2, 9, "unsupported format 2", "format: 1")


def test_a_hidden_option_cannot_have_a_duration():
    text = GOOD.replace("        say: For billing, press 1.\n", "        duration: 3\n")
    error_at(text, 10, 19, "hidden option")


def test_on_exhausted_cannot_replay():
    text = GOOD.replace("    say: Welcome.", "    say: Welcome.\n    on_exhausted: replay")
    error_at(text, 8, 19, "on_exhausted", "retries are used up")


def test_a_failure_action_must_be_valid():
    error_at(GOOD.replace("    say: Welcome.", "    say: Welcome.\n    on_invalid: 3"), 8, 17,
             "on_invalid", "a node id")


def test_duplicate_mapping_keys_are_an_error():
    error_at(GOOD.replace("format: 1\n", "format: 1\nformat: 1\n"), 3, 1, "duplicate key 'format'")


def test_python_tags_are_refused_and_never_run():
    text = GOOD + "  evil: !!python/object/apply:os.system ['touch /tmp/ivraudit-pwned']\n"
    error_at(text, 14, 9, "tag", "not allowed")
    assert not Path("/tmp/ivraudit-pwned").exists()


def test_an_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    assert len(text.encode()) < 1024
    started = time.perf_counter()
    error = error_of(text)
    assert time.perf_counter() - started < 1.0
    assert "alias bomb" in error.message


def test_aliases_that_reuse_a_block_are_fine():
    text = GOOD.replace("    say: Welcome.", "    say: Welcome.\n    on_invalid: &err {say: Sorry., then: reprompt}\n    on_timeout: *err")
    menu = load_text(text, "m.yaml")
    assert menu.nodes["main"].on_timeout[0].kind == "reprompt"


def test_integer_keys_mean_their_digit():
    assert load_text(GOOD, "m.yaml").nodes["main"].options[0].key == "1"


def test_a_missing_audio_file_is_named(tmp_path: Path):
    text = GOOD.replace("say: Welcome.", "audio: welcome.wav")
    with pytest.raises(MenuError) as caught:
        load_text(text, "m.yaml", base_dir=tmp_path)
    assert (caught.value.line, caught.value.column) == (7, 12)
    assert "welcome.wav" in caught.value.message


@pytest.mark.parametrize("field, value", [("duration", ".inf"), ("timeout", ".nan"), ("duration", "-.inf")])
def test_infinite_numbers_are_refused(field, value):
    error_at(GOOD.replace("say: Welcome.", f"say: Welcome.\n    {field}: {value}"), 8, 5 + len(field) + 2,
             "not a number")


@pytest.mark.parametrize("old, new, line, column", [
    ("key: 1", "key: 1.0", 9, 14),
    ("say: Welcome.", "say: Welcome.\n    max_failures: 2.0", 8, 19),
])
def test_whole_numbers_must_be_written_whole(old, new, line, column):
    error_at(GOOD.replace(old, new), line, column, "whole number")


def test_digits_must_be_whole():
    text = GOOD.replace("goto: agent", "goto: account") + "  account:\n    type: input\n    digits: 2.0\n    next: agent\n"
    error_at(text, 16, 13, "whole number")


def test_an_unquoted_hash_in_a_flow_mapping_is_explained():
    error_at(GOOD.replace("      - key: 1\n        say: For billing, press 1.\n        goto: agent",
                          "      - {key: #, goto: agent}"), 9, 15, "unquoted `#`", 'key: "#"')


def test_ids_that_look_like_numbers_keep_their_text():
    text = GOOD.replace("goto: agent", 'goto: "007"') + "  007: {type: human}\n"
    assert "007" in load_text(text, "m.yaml").nodes


def test_the_model_builds_and_stays_frozen_as_a_dataclass_does():
    """model._stored writes each node's __init__: same parameters, defaults and a fresh dict
    per default factory; setting a field still fails."""
    import dataclasses

    from ivraudit.format.model import Node, Segment, SourcePos

    where = SourcePos("m.yaml", 3, 5)
    one, two = Node(id="a", type="menu", pos=where), Node("b", "menu", where)
    assert one.field_pos == {} and one.field_pos is not two.field_pos
    assert (one.timeout, one.max_failures, one.on_invalid[0].kind) == (5, 3, "replay")
    assert Segment(1, say="hi") == Segment(seconds=1, say="hi", tags=())
    assert dataclasses.replace(where, line=9) == SourcePos("m.yaml", 9, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        where.line = 4
    with pytest.raises(TypeError):
        SourcePos("m.yaml", 3)


def test_lines_are_split_as_an_editor_shows_them():
    """editor_lines takes str.splitlines' quick way only where it gives the same lines as
    splitting at \\n, \\r\\n and \\r: every text of up to four characters from these
    (14,641 of four)."""
    import itertools
    import re

    from ivraudit.format.yamlsource import editor_lines

    alphabet = ["a", *"\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"]  # all splitlines splits at
    for size in range(5):
        for letters in itertools.product(alphabet, repeat=size):
            text = "".join(letters)
            assert editor_lines(text) == re.split(r"\r\n|\r|\n", text), repr(text)
