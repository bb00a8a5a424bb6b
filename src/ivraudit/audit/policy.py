"""Policies: which rules run, at what severity, with which parameters, and accepted findings.

A policy is a YAML file; the built-in ones live in ``ivraudit/policies/``. A user's policy
names one to build on (``extends: gethuman``) and changes rules by id or name::

    extends: default
    rules:
      one-key-human: {severity: warning, max_forced_seconds: 5}
      menu-breadth: {enabled: false}
    waivers:
      - {rule: IVR006, file: "menus/legacy-*.yaml", reason: Replaced in March., expires: 2027-03-31}

Everything is checked: an unknown rule, parameter, severity or profile is an error naming the
file, line and column and the closest valid name.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from .. import rules as catalogue
from ..errors import MenuError, PolicyError, did_you_mean
from ..format.dates import DATE_HINT, date_problem
from ..format.model import SourcePos, Waiver
from ..format.yamlsource import PosDict, PosList, decode, parse
from ..rules.base import SEVERITIES, Severity
from ..util.cached import record
from ..util.inputs import kind, read_bytes

BUILTIN = ("default", "gethuman", "cn-elderly", "es-2025", "strict")


@record
class RuleSettings:
    enabled: bool
    severity: Severity
    params: dict


@record
class PolicyWaiver:
    """A waiver kept in a policy: it applies to the menu files matching ``file`` (a glob)."""

    waiver: Waiver
    file: str = "*"


@record
class Policy:
    """A policy: ``settings`` per rule id (every rule of the catalogue); ``description`` says
    what it checks (its file's `description`, else its parent's); ``focus`` the rules its files
    name under `rules:`, the policy's own first, in the order written: what it exists for, and
    so what reports rank first among findings of one severity."""

    name: str
    settings: dict[str, RuleSettings]
    waivers: tuple[PolicyWaiver, ...] = ()
    description: str = ""
    focus: tuple[str, ...] = ()

    def enabled(self):
        """(rule, settings) for every enabled rule, in id order."""
        return [(rule, self.settings[rule.id]) for rule in catalogue.RULES
                if self.settings[rule.id].enabled]


def defaults() -> Policy:
    """Every rule enabled at its own default severity and parameters."""
    return Policy("default", {rule.id: RuleSettings(True, Severity(rule.severity),
                                                    dict(rule.params))
                              for rule in catalogue.RULES},
                  description="every rule at its default severity and parameters")


def load(name_or_path: str) -> Policy:
    """A built-in policy by name, or a policy file by path."""
    if name_or_path in BUILTIN:
        text = resources.files(__package__).joinpath(f"policies/{name_or_path}.yaml").read_text(
            encoding="utf-8")
        return _load_text(text, f"<policy {name_or_path}>", name_or_path, Path("."), ())
    path = Path(name_or_path)
    builtins = "built-in policies: " + ", ".join(BUILTIN)
    if kind(path) == "missing" and (path.suffix in (".yaml", ".yml") or len(path.parts) > 1):
        raise PolicyError.without_position(f"no such policy file '{name_or_path}'",
                                           f"check the path; or name one of the {builtins}")
    if kind(path) != "file":  # a name typed on the command line: no file position to point at
        raise PolicyError.without_position(
            f"no policy named '{name_or_path}'" + did_you_mean(name_or_path, BUILTIN),
            builtins + "; or give a policy file")
    return _load_file(path, ())


def _load_file(path: Path, chain: tuple[str, ...]) -> Policy:
    try:
        text = decode(read_bytes(path), str(path))
    except OSError as exc:
        raise PolicyError(str(path), 1, 1, f"cannot read the policy: {exc.strerror}") from None
    except MenuError as exc:  # from the shared reader: same position, policy kind
        raise PolicyError(exc.path, exc.line, exc.column, exc.message, exc.hint) from None
    return _load_text(text, str(path), path.stem, path.parent, chain)


def _load_text(text: str, where: str, name: str, folder: Path, chain: tuple[str, ...]) -> Policy:
    try:
        document = parse(text, where)
    except MenuError as exc:  # from the shared YAML reader: same position, policy kind
        raise PolicyError(exc.path, exc.line, exc.column, exc.message, exc.hint) from None
    if not isinstance(document, PosDict):
        raise PolicyError(where, 1, 1, "a policy must be a mapping",
                          "write `extends:`, `rules:` and `waivers:` keys")
    reader = _Reader(where, document)
    reader.only_keys(document, ("description", "extends", "rules", "waivers"), "a policy")
    base = defaults()
    if "extends" in document:
        base = reader.parent(document, folder, chain + (where,))
    settings = dict(base.settings)
    rules = document.get("rules", PosDict())
    if not isinstance(rules, PosDict):
        raise reader.error(document.value_pos["rules"], "`rules` must be a mapping of rule -> settings")
    named = []
    for key in rules:
        rule = reader.rule(key, rules.key_pos[key])
        settings[rule.id] = reader.rule_settings(rules, key, rule, settings[rule.id])
        named.append(rule.id)
    waivers = base.waivers + tuple(reader.waivers(document.get("waivers", PosList())))
    description = document.get("description", base.description)
    if not isinstance(description, str):
        raise reader.error(document.value_pos["description"], "`description` must be text",
                           "say in a sentence what the policy checks")
    focus = tuple(dict.fromkeys(named + [r for r in base.focus if r not in named]))
    return Policy(name, settings, waivers, description, focus)


class _Reader:
    """Checks one policy document, raising PolicyError at the exact place of a mistake."""

    def __init__(self, path: str, document: PosDict) -> None:
        self.path = path
        self.document = document

    def error(self, position, message: str, hint: str = "") -> PolicyError:
        return PolicyError(self.path, position[0], position[1], message, hint)

    def only_keys(self, mapping, allowed, what: str) -> None:
        if not isinstance(mapping, PosDict):
            raise self.error(getattr(mapping, "pos", (1, 1)), f"{what} must be a mapping")
        for key in mapping:
            if key not in allowed:
                raise self.error(mapping.key_pos[key], f"unknown key '{key}' in {what}"
                                 + did_you_mean(key, allowed), "allowed: " + ", ".join(allowed))

    def parent(self, document: PosDict, folder: Path, chain: tuple[str, ...]) -> Policy:
        name = document["extends"]
        position = document.value_pos["extends"]
        if not isinstance(name, str):
            raise self.error(position, "`extends` must name a policy")
        if name in BUILTIN:
            return load(name)
        path = folder / name
        if kind(path) != "file":
            raise self.error(position, f"`extends` names '{name}', which is no policy"
                             + did_you_mean(name, BUILTIN),
                             "built-in policies: " + ", ".join(BUILTIN) + "; or a policy file")
        if str(path) in chain:
            raise self.error(position, f"policies extend each other in a circle ({name})")
        return _load_file(path, chain)

    def rule(self, name: object, position):
        rule = catalogue.get(str(name))
        if rule is None:
            raise self.error(position, *catalogue.unknown(name))
        return rule

    def rule_settings(self, rules: PosDict, key: str, rule, current: RuleSettings) -> RuleSettings:
        options = rules[key]
        what = f"the settings of {rule.name}"
        self.only_keys(options, ("enabled", "severity", *rule.params), what)
        enabled, severity, params = current.enabled, current.severity, dict(current.params)
        for option, value in options.items():
            position = options.value_pos[option]
            if option == "enabled":
                if not isinstance(value, bool):
                    raise self.error(position, "`enabled` must be true or false")
                enabled = value
            elif option == "severity":
                if value not in SEVERITIES:
                    raise self.error(position, f"unknown severity '{value}'"
                                     + did_you_mean(value, SEVERITIES), "use error, warning or info")
                severity = Severity(value)
            else:
                params[option] = self.parameter(position, rule, option, value)
        return replace(current, enabled=enabled, severity=severity, params=params)

    def parameter(self, position, rule, option: str, value):
        default = rule.params[option]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, (int, float)):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not ok:
            raise self.error(position, f"{rule.name}: `{option}` must be like {default!r}, "
                             f"not {value!r}", rule.param_help.get(option, ""))
        return value

    def waivers(self, raw) -> list[PolicyWaiver]:
        if not isinstance(raw, PosList):
            raise self.error(getattr(raw, "pos", (1, 1)), "`waivers` must be a list")
        found = []
        for index, item in enumerate(raw):
            position = raw.item_pos[index]
            self.only_keys(item, ("rule", "node", "scenario", "reason", "expires", "file"),
                           "a waiver")
            for required in ("rule", "reason"):
                if required not in item:
                    raise self.error(position, f"a waiver needs `{required}`")
            rule = self.rule(item["rule"], item.value_pos["rule"])
            expires = item.get("expires")
            problem = date_problem(expires) if expires is not None else None
            if problem:
                raise self.error(item.value_pos["expires"], f"`expires`: {problem}", DATE_HINT)
            waiver = Waiver(rule=rule.id, reason=str(item["reason"]), node=item.get("node"),
                            scenario=item.get("scenario"),
                            expires=str(expires) if expires is not None else None,
                            pos=SourcePos(self.path, *position))
            found.append(PolicyWaiver(waiver, str(item.get("file", "*"))))
        return found
