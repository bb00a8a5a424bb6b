"""The menu format's JSON Schema, shipped in the package, and validation against it.

fastjsonschema compiles the schema into Python: on a 2 MB menu file it validates in a fraction
of the time pure-Python ``jsonschema`` takes, which would double an audit's run time. Compiling
takes longer than auditing a small menu, so the compiled code is kept in the user's cache
folder (keyed by the schema, fastjsonschema's version and Python's) and run from there next
time, but only when its signature shows that this user's ivraudit wrote it (util.signed_cache):
a planted or damaged file is never run, it is rebuilt. Where no cache can be kept, the code is
compiled in memory. It reports the first error (the generated code is rewritten to walk a
mapping's keys in the file's order, and to spend nothing on failures it drops: rewrite.py);
``explain`` turns it into a located message.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import sys
from functools import lru_cache
from importlib import resources

from ...errors import MenuError, did_you_mean
from ...util import signed_cache
from ..yamlsource import PosDict, PosList

SCHEMA_FILE = "menu.schema.json"


def schema_text() -> str:
    """The schema as shipped (what `ivraudit schema` prints)."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _validator():
    import fastjsonschema  # loaded on first use: start-up stays quick

    text = schema_text()
    identity = (f"{fastjsonschema.VERSION}\n{_REWRITE_VERSION}\n{sys.version}\n"
                f"{sys.implementation.cache_tag}\n{text}").encode()
    name = f"menu_validator_{hashlib.sha256(identity).hexdigest()[:16]}.signed"
    validate = _from_cache(name, identity)
    if validate is None:
        from .rewrite import rewrite

        module = rewrite(fastjsonschema.compile_to_code(json.loads(text)))
        code = compile(module, "<ivraudit menu validator>", "exec")
        signed_cache.store(name, identity, marshal.dumps(code))
        validate = _run(code)
    return validate


def warm_up() -> None:
    """Load (or compile and store) the validator now: worker processes forked after this
    start with it (audit.stream)."""
    _validator()


def _run(code):
    """The validating function defined by ``code`` (fastjsonschema's, from our own schema,
    rewritten: rewrite.py)."""
    from fastjsonschema import JsonSchemaValueException

    class _Skipped(JsonSchemaValueException):
        """Raised where the rewritten validator drops a failure: made without a message."""

        def __init__(self) -> None:
            pass

    namespace: dict = {"_Skipped": _Skipped}
    exec(code, namespace)
    return namespace[_VALIDATE_FUNCTION]


def _from_cache(name: str, identity: bytes):
    """The validator from the cache, when the cache holds one this user's ivraudit signed."""
    payload = signed_cache.load(name, identity)
    if payload is None:
        return None
    try:
        return _run(marshal.loads(payload))
    except Exception:  # noqa: BLE001 - signed but unusable (e.g. a changed Python): rebuild
        return None


_REWRITE_VERSION = 3  # bump when rewrite.py changes: the cached validator is rebuilt


_VALIDATE_FUNCTION = "validate_urn_ivraudit_menu_1"  # fastjsonschema names it after the $id


def validate(document: object, path: str) -> None:
    """Raise MenuError at the first place where ``document`` breaks the schema."""
    import fastjsonschema

    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise explain(exc, document, path) from None


def _locate(document: object, path: list) -> tuple[list, tuple[int, int]]:
    """Follow a schema error path: its steps (int for a list item, str for a key) and the
    position of the value it leads to."""
    steps, here, position = [], document, getattr(document, "pos", (1, 1))
    for step in path:
        if isinstance(here, PosList):
            step = int(step)
            position = here.item_pos[step]
        else:  # a node id of digits is still a key: "1", not item 1
            step = str(step)
            position = here.value_pos[step]
        steps.append(step)
        here = here[step]
    return steps, position


def _describe(steps: list) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return f"`{text}`" if text else "the top level"


def explain(exc, document: object, path: str) -> MenuError:
    """Turn a fastjsonschema error into a MenuError with position, message and hint."""
    steps, (line, column) = _locate(document, exc.path[1:])
    last = steps[-1] if steps else None
    value, rule, definition = exc.value, exc.rule, exc.rule_definition
    where = _describe(steps)

    allowed = sorted((exc.definition or {}).get("properties", {}))
    if rule in ("additionalProperties", "required") and isinstance(value, PosDict) and allowed:
        # a misspelled field shows up as unknown, or as a required one missing: name the typo
        extra = sorted(set(value) - set(allowed), key=lambda k: value.key_pos[k])
        if extra:
            line, column = value.key_pos[extra[0]]
            comma = _comma_in_braces(value, extra[0])
            if comma:
                return MenuError(path, line, column, f"unknown field '{extra[0]}' in {where}: "
                                 "a comma inside `{...}` ends the value before it", comma)
            if extra[0] in _ONLY_ON:
                return MenuError(path, line, column, f"{where} cannot have `{extra[0]}`: it is "
                                 f"only for {_ONLY_ON[extra[0]]}", "remove it here, or move it there")
            return MenuError(path, line, column,
                             f"unknown field '{extra[0]}' in {where}{did_you_mean(extra[0], allowed)}",
                             "fields allowed here: " + ", ".join(allowed))
    if rule == "required" and isinstance(value, dict):
        missing = [name for name in definition if name not in value]
        return MenuError(path, line, column,
                         f"{where} is missing the required field '{missing[0]}'",
                         _REQUIRED_HINTS.get(missing[0], f"add `{missing[0]}:`"))
    if rule == "enum":
        return MenuError(path, line, column,
                         f"{where} is '{value}', which is not one of: "
                         + ", ".join(str(v) for v in definition) + did_you_mean(value, definition),
                         "use one of the values listed")
    if rule == "const" and last == "format":
        return MenuError(path, line, column, f"unsupported format {value!r}",
                         "this version of ivraudit reads `format: 1`")
    if last == "key" and value is None:
        return MenuError(path, line, column, "the option's key is empty: an unquoted `#` starts a "
                         "YAML comment", 'quote the key: key: "#"')
    if last == "key" and isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value)
        if len(text) > 16 and set(text) <= set("0123456789*#"):
            return MenuError(path, line, column, f"the key '{text}' has {len(text)} characters; a "
                             "key has at most 16", "shorten it: a key is 1 to 16 of 0-9, * and #")
        return MenuError(path, line, column, f"{where} is {_show(value)}, which is not a key",
                         "a key is 1 to 16 of 0-9, * and # (quote * and #), e.g. key: \"101\"")
    if last in ("on_invalid", "on_timeout") and isinstance(value, list) and not value:
        return MenuError(path, line, column, f"`{last}` is an empty list",
                         "list at least one action, e.g. [reprompt, agent], or write one action")
    if last == "when" and isinstance(value, list) and not value and "overflow" in steps:
        return MenuError(path, line, column, "an `overflow` needs at least one condition in "
                         "`when`", "name the condition under which the queue is full, e.g. "
                         "when: queue_full")
    if last == "on_exhausted" and isinstance(value, list):
        return MenuError(path, line, column, "`on_exhausted` takes one action, not a list",
                         "lists are for `on_invalid` and `on_timeout`; when the failures run out "
                         "one thing happens: restart, hangup, a node id or {say, then}")
    if isinstance(value, PosDict) and last in ("nodes", "scenarios"):
        bad = next((k for k in value if not _ID.fullmatch(k)), None)
        if bad is not None:
            line, column = value.key_pos[bad]
            return MenuError(path, line, column, f"'{bad}' is not a valid id",
                             "ids use only letters, digits, `_`, `.` and `-`")
    description = (exc.definition or {}).get("description")
    if rule in ("anyOf", "oneOf") and description:
        return MenuError(path, line, column, f"{where} is {_show(value)}, which is not valid here",
                         "expected " + _clause(description))
    problem = _TYPE_WORDS.sub(lambda m: "must be " + _TYPES[m.group(1)],
                              exc.message.split(" ", 1)[-1])  # fastjsonschema: "data.x must be ..."
    hint = f"expected: {_clause(description)}" if description else \
        "see `ivraudit schema` or docs/format.md for what is allowed here"
    return MenuError(path, line, column, f"{where} is {_show(value)}, but it {problem}", hint)


# fastjsonschema names JSON types ("must be number"); a menu's author reads YAML
_TYPES = {"number": "a number", "integer": "a whole number", "string": "text",
          "boolean": "true or false", "array": "a list", "object": "a mapping", "null": "empty"}
_TYPE_WORDS = re.compile(r"must be (" + "|".join(_TYPES) + r")\b")


def _comma_in_braces(mapping: PosDict, key: str) -> str | None:
    """The hint for `{say: For billing, press 1., goto: x}`, where YAML ends the `say` at the
    comma and reads `press 1.` as a field with no value: on the same line, after a text value."""
    if mapping[key] is not None:
        return None
    line, column = mapping.key_pos[key]
    before = [k for k in mapping if mapping.key_pos[k][0] == line
              and mapping.key_pos[k][1] < column]
    if not before:
        return None
    previous = max(before, key=lambda k: mapping.key_pos[k][1])
    if not isinstance(mapping[previous], str):
        return None
    text = f"{mapping[previous]}, {key}"
    quoted = f'"{text}"' if '"' not in text else "'" + text.replace("'", "''") + "'"
    return f"quote the text: {previous}: {quoted}"


def _clause(description: str) -> str:
    """A schema description as the end of a sentence: 'What a failure does.' -> 'what a ...'."""
    text = description.rstrip(".")
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if value is not None else "empty"


_ID = re.compile(r"[A-Za-z0-9_.-]+")

# Fields that belong to one kind of node only (SPEC 9.4-9.7).
_ONLY_ON = {
    "overflow": "a `human` node or a `transfer` with `person: true`",
    "role": "a `menu` (role: language)",
    "global_options": "a `menu` (global_options: false), or the top level (a list)",
    "to": "a `transfer` node",
    "person": "a `transfer` node",
}


_REQUIRED_HINTS = {
    "ivr": "name the line, e.g. `ivr: Example Telecom customer service`",
    "format": "add `format: 1`",
    "entry": "name the node where calls start, e.g. `entry: main`",
    "nodes": "add `nodes:` with at least one node",
    "type": "give the node a `type:` (message, menu, input, branch, human, callback, hangup, "
            "transfer)",
    "to": "name where the call is transferred, e.g. `to: \"+1 555 0100\"` or `to: sales_flow`",
    "next": "name the node that follows, e.g. `next: main` (or `hangup`)",
    "options": "list the choices under `options:`, each with `key` and `goto`",
    "goto": "name the node this leads to, e.g. `goto: agent`",
    "key": "give the option a key: 0-9, \"*\" or \"#\"",
    "digits": "say how many digits the caller types, e.g. `digits: 8` or `digits: {min: 6, max: 10}`",
    "else": "name where the call goes when no case holds, e.g. `else: main`",
    "when": "name the condition, e.g. `when: after_hours`",
    "reason": "say why the finding is accepted",
    "rule": "name the rule, e.g. `rule: IVR001`",
}
