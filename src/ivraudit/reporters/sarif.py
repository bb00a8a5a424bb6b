"""The SARIF 2.1.0 report, for code-scanning tools (GitHub code scanning, IDE viewers).

One run: the driver lists every rule of the catalogue (whatever the policy enables), each finding
(one cause) is a result pointing at its file, line and column, with a related location for each
node it concerns (its occurrences), a waived finding carries a suppression with the waiver's
reason, and files that could not be read are tool execution notifications. The files audited
are the run's artifacts, each with its SHA-256; the run's properties name the policy and the
audit's date (``--date`` or SOURCE_DATE_EPOCH keeps it reproducible). Nothing else in it
depends on the clock or the machine.

Each result has a ``partialFingerprints`` entry ``ivraudit/v2``: a hash of the rule, the file
and the nodes the cause concerns (sorted), not of the line, the message or the scenarios, so
code scanning keeps one alert open while lines move, measured values change or the cause turns
up in another scenario too, and closes it when the finding goes. (``ivraudit/v1`` hashed one
node and one scenario per finding, before findings were grouped by cause.) Findings with the
same hash are told apart by their order (``HASH:2``), as GitHub's own
``primaryLocationLineHash`` does.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import PurePath
from urllib.parse import quote

from .. import __version__
from .. import rules as catalogue
from ..rules.docs import details_markdown, details_text, paragraphs
from ..util.safe_text import JSON_PARTS, json_chunks, json_part
from .words import parts, plain

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A menu's path as a SARIF URI reference: relative paths stay relative, with forward slashes.

    >>> artifact_uri("menus/my line.yaml")
    'menus/my%20line.yaml'
    >>> artifact_uri("/srv/menus/a.yaml")
    'file:///srv/menus/a.yaml'
    >>> artifact_uri("menus/b\\udcffx.yaml")  # a file name that is not UTF-8: its bytes
    'menus/b%FFx.yaml'
    """
    posix = path.replace("\\", "/")
    raw = posix.encode("utf-8", "surrogateescape")  # how Python holds undecodable names
    if PurePath(path).is_absolute() or posix.startswith("/"):
        if not posix.startswith("/"):  # a Windows drive path: file:///C:/...
            raw = b"/" + raw
        return "file://" + quote(raw, safe="/:")
    return quote(raw, safe="/")


def _help_text(rule) -> str:
    return "\n".join(["\n\n".join(paragraphs(rule)), ""] + details_text(rule)).rstrip()


def _help_markdown(rule) -> str:
    return "\n".join(["\n\n".join(paragraphs(rule))] + details_markdown(rule))


def rule_descriptor(rule) -> dict:
    """A catalogue rule as a SARIF reportingDescriptor."""
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(paragraphs(rule))},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
    }
    if rule.sources:
        descriptor["helpUri"] = rule.sources[0].url
    descriptor["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    descriptor["properties"] = {"tags": ["ivr", "accessibility"], "parameters": dict(rule.params)}
    return descriptor


def _location(path: str, line: int, column: int) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)},
                                 "region": {"startLine": max(line, 1),
                                            "startColumn": max(column, 1)}}}


def _suppression(finding) -> dict:
    """A waived finding: 'inSource' when waived in the menu file itself, else 'external'."""
    at = finding.waived_at
    in_menu = at is not None and at.path == finding.file
    suppression = {"kind": "inSource" if in_menu else "external", "status": "accepted",
                   "justification": finding.reason or ""}
    if at is not None:
        suppression["location"] = _location(at.path, at.line, at.column)
    return suppression


def fingerprint(finding) -> str:
    """The hash of what identifies a finding across runs: rule, file and the nodes of its
    occurrences (not its line, message or scenarios).

    >>> from ivraudit.rules.base import Finding
    >>> fingerprint(Finding("IVR003", "one-key-human", "error", "...", "menus/a.yaml", 8, 3,
    ...                     node="main", scenario="default"))
    '6be9c299d82a2a39'
    """
    identity = "\0".join([finding.rule, finding.file.replace("\\", "/"),
                           ",".join(sorted(finding.nodes))])
    return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _related(menu, finding) -> list[dict]:
    """A location per node the finding concerns: where the node is written, with its
    scenarios."""
    related, scenarios = [], {}
    for o in finding.where:
        if o.node is not None:
            scenarios.setdefault(o.node, []).append(o.scenario)
    for n, (node_id, names) in enumerate(scenarios.items()):
        node = menu.nodes.get(node_id) if menu is not None else None
        pos = node.pos if node is not None else None
        location = _location(pos.path, pos.line, pos.column) if pos else \
            _location(finding.file, finding.line, finding.column)
        location["id"] = n
        location["message"] = {"text": f"{node_id} ("
                                       + ", ".join(s for s in names if s) + ")"}
        location["logicalLocations"] = [{"name": node_id}]
        related.append(location)
    return related


def result(menu, finding, index: dict[str, int], occurrence: int = 1) -> dict:
    """One finding as a SARIF result; ``occurrence``: how many findings before it, this one
    included, share its fingerprint."""
    location = _location(finding.file, finding.line, finding.column)
    if finding.node is not None:
        location["logicalLocations"] = [{"name": finding.node}]
    out = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"ivraudit/v2": f"{fingerprint(finding)}:{occurrence}"},
        "properties": {"scenario": finding.scenario, "scenarios": finding.scenarios,
                       "occurrences": finding.count, "value": plain(finding.value),
                       "limit": plain(finding.limit)},
    }
    related = _related(menu, finding)
    if related:
        out["relatedLocations"] = related
    if finding.suppressed:
        out["suppressions"] = [_suppression(finding)]
    return out


def _notification(error) -> dict:
    text = error.message + (f" (hint: {error.hint})" if error.hint else "")
    return {"level": "error", "message": {"text": text},
            "locations": [_location(error.path, error.line, error.column)]}


def _rule_index() -> dict[str, int]:
    return {rule.id: i for i, rule in enumerate(catalogue.RULES)}


def report(run, results: list | str | None = None) -> dict:
    """The whole SARIF log as plain data (of whole results); ``results``: what stands for the
    results instead (``render`` writes them apart: util.safe_text.json_joined)."""
    if results is None:
        index, seen, results = _rule_index(), Counter(), []
        for r in run.results:
            for finding in r.findings:
                seen[fingerprint(finding)] += 1
                results.append(result(r.menu, finding, index, seen[fingerprint(finding)]))
    invocation = {"executionSuccessful": not run.errors}
    if run.errors:
        invocation["toolExecutionNotifications"] = [_notification(e) for e in run.errors]
    digests = {path: digest for r in run.results for path, digest in r.digests}
    artifacts = [{"location": {"uri": artifact_uri(path)}, "hashes": {"sha-256": digest}}
                 for path, digest in digests.items()]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ivraudit",
                "version": __version__,
                "rules": [rule_descriptor(rule) for rule in catalogue.RULES],
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            **({"artifacts": artifacts} if artifacts else {}),
            "results": results,
            "properties": {"policy": run.policy.name,
                           "policyDescription": run.policy.description,
                           "date": run.date or None},
        }],
    }


def menu_part(result_, run, color: bool = False,
              lang: str = "en") -> list[tuple[str, str, str]]:
    """A menu's results, written as JSON but for the number of their fingerprint's
    occurrence, which counts over the whole run: (fingerprint, the text before the number,
    the text after it) per finding."""
    index, found = _rule_index(), []
    for finding in result_.findings:
        written = json_part(result(result_.menu, finding, index, JSON_PARTS))
        found.append((fingerprint(finding), *written.split(JSON_PARTS)))
    return found


def render(run, color: bool = False, lang: str = "en") -> str:
    return "".join(chunks(run, color, lang))


def chunks(run, color: bool = False, lang: str = "en"):
    """The log in pieces, a result at a time (what ``render`` joins)."""
    return json_chunks(report(run, JSON_PARTS), _results(run))


def _results(run):
    """Each result written, its occurrence counted over the run."""
    seen: Counter[str] = Counter()
    for menu in parts(run, "sarif", menu_part):
        for identity, before, after in menu:
            seen[identity] += 1
            yield f"{before}{seen[identity]}{after}"
