"""The JUnit XML report, for CI test dashboards (Jenkins, GitLab, Azure DevOps ...).

A <testsuite> per menu, with the audit's date, the tool's version, the policy and the file's
SHA-256 as its <properties>; in it a <testcase> per enabled rule and scenario, so the set of
test cases depends only on the menus and the policy, never on what was found. A test case fails
when the rule has an unsuppressed finding at or above the run's ``--fail-on`` that concerns that
scenario (a finding lists every scenario it concerns; a property of the file, such as a dead
end, concerns them all). A finding with several occurrences lists its nodes after its message. Dashboards show one <failure> per test case, so a case with several
findings has one <failure> naming the first and listing them all in its text. A case whose
findings are all below ``--fail-on`` passes, listing them in its <system-out>; one whose
findings are all waived is <skipped> with the waivers' reasons. Files that could not be read form the suite "ivraudit load errors".
No timestamps, durations or host names: the same input gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .. import __version__
from ..i18n import ENGLISH, N_, Np_, Translator, msg, msgn
from ..util.safe_text import terminal, xml as xml_text
from .words import occurrences_text, parts


def _where(finding) -> str:
    return f"{finding.file}:{finding.line}:{finding.column}"


def _finding_line(finding, tr: Translator = ENGLISH) -> str:
    """One line of a failure's text, whatever the message holds."""
    node = f" (node {finding.node})" if finding.node else ""
    where = occurrences_text(finding, finding.scenarios, tr)
    more = f" ({where})" if where else ""
    return terminal(f"{_where(finding)}: {finding.severity}: {finding.rule} {finding.name}: "
                    f"{tr.text(finding)}{node}{more}")


def _waived_line(finding, tr: Translator) -> str:
    return _finding_line(finding, tr) + terminal(tr.render(msg(N_(" [waived: {reason}]"),
                                                               reason=finding.reason or "")))


def _element(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(str(v)) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _testcase(suite, rule, scenario: str, file: str, found: list, fail_on: str,
              tr: Translator = ENGLISH) -> str:
    """Write one test case; return its outcome: 'passed', 'failure' or 'skipped'."""
    # the file in classname keeps cases of different menus apart in Jenkins' grouping
    case = _element(suite, "testcase", classname=f"{file} {rule.id} {rule.name}",
                    name=f"{rule.id} {rule.name} [{scenario}]", file=file)
    failing = [f for f in found if f.counts_at(fail_on)]
    below = [f for f in found if not f.suppressed and not f.counts_at(fail_on)]
    waived = [f for f in found if f.suppressed]
    lines = [_finding_line(f, tr) for f in failing]
    lines += [_finding_line(f, tr) + tr.render(msg(N_(" [below --fail-on {fail_on}]"),
                                                   fail_on=fail_on)) for f in below]
    lines += [_waived_line(f, tr) for f in waived]
    if failing:
        first = failing[0]
        message = tr.text(first) if len(failing) == 1 else tr.render(msgn(
            Np_("{n} finding; the first: {first}", "{n} findings; the first: {first}"),
            len(failing), first=tr.text(first)))
        worst = min(failing, key=lambda f: ("error", "warning", "info").index(f.severity))
        _element(case, "failure", "\n".join(lines), message=message, type=worst.severity)
        return "failure"
    if below:
        _element(case, "system-out", "\n".join(lines))
        return "passed"
    if waived:
        reasons = list(dict.fromkeys(f.reason or "" for f in waived))
        message = tr.render(msg(N_("waived: {reasons}"), reasons="; ".join(reasons)))
        _element(case, "skipped", "\n".join(_waived_line(f, tr) for f in waived),
                 message=message)
        return "skipped"
    return "passed"


def _suite(root, name: str, file: str | None = None) -> ET.Element:
    attrs = {"name": name}
    if file is not None:
        attrs["file"] = file
    return _element(root, "testsuite", **attrs)


def _count(element, outcomes: list[str]) -> None:
    element.set("tests", str(len(outcomes)))
    element.set("failures", str(outcomes.count("failure")))
    element.set("errors", "0")
    element.set("skipped", str(outcomes.count("skipped")))


def _properties(suite, run, menu) -> None:
    """What was audited, when, by what and under which policy."""
    properties = _element(suite, "properties")
    facts = [("ivraudit.version", __version__), ("ivraudit.date", run.date or ""),
             ("ivraudit.policy", run.policy.name)]
    facts += [(f"sha256:{path}", digest) for path, digest in menu.digests]
    for name, value in facts:
        _element(properties, "property", name=name, value=value)


def menu_suite(root, result, enabled, fail_on: str = "error", run=None,
               tr: Translator = ENGLISH) -> list[str]:
    """The suite of one audited menu; returns its test cases' outcomes."""
    menu = result.menu
    suite = _suite(root, menu.ivr, menu.path)
    if run is not None:
        _properties(suite, run, menu)
    outcomes = []
    for rule, _settings in enabled:
        mine = [f for f in result.findings if f.rule == rule.id]
        for scenario in menu.scenarios:
            found = [f for f in mine if f.concerns(scenario)]
            outcomes.append(_testcase(suite, rule, scenario, menu.path, found, fail_on, tr))
    _count(suite, outcomes)
    return outcomes


def errors_suite(root, errors) -> list[str]:
    """One failing test case per file that could not be read."""
    suite = _suite(root, "ivraudit load errors")
    for error in errors:
        case = _element(suite, "testcase", classname="ivraudit load", name=error.path,
                        file=error.path)
        _element(case, "failure", error.format(), message=error.message, type="error")
    outcomes = ["failure"] * len(errors)
    _count(suite, outcomes)
    return outcomes


def _written(suite: ET.Element) -> str:
    """A suite as XML, indented as it stands in the document (under <testsuites>)."""
    _indent(suite, 1)
    return ET.tostring(suite, encoding="unicode")


def _indent(element: ET.Element, level: int) -> None:
    """ElementTree.indent(element, "  ", level) for an element with children, written out:
    the standard one makes a reference cycle at each call (a closure that calls itself),
    which the streaming audit, with the cyclic GC off, would keep."""
    inside = "\n" + "  " * (level + 1)
    if not element.text or not element.text.strip():
        element.text = inside
    child = None
    for child in element:
        if len(child):
            _indent(child, level + 1)
        if not child.tail or not child.tail.strip():
            child.tail = inside
    if child is not None and not child.tail.strip():
        child.tail = "\n" + "  " * level


def menu_part(result, run, color: bool = False, lang: str = "en") -> tuple[str, list[str]]:
    """A menu's suite, written, and its test cases' outcomes."""
    holder = ET.Element("testsuites")
    outcomes = menu_suite(holder, result, run.policy.enabled(), run.fail_on, run,
                          Translator(lang))
    return _written(holder[0]), outcomes


def render(run, color: bool = False, lang: str = "en") -> str:
    menus = list(parts(run, "junit", menu_part, color, lang))
    outcomes = [outcome for _, found in menus for outcome in found]
    return "".join(_document(run, outcomes, (written for written, _ in menus)))


def chunks(run, color: bool = False, lang: str = "en"):
    """The report in pieces, a suite at a time (what ``render`` joins). The totals come first:
    a first pass over the menus' parts keeps only their outcomes, a second writes the suites,
    so that a fleet's report never stands whole in memory (5,000 menus took 516 MB). Each
    part is unpacked twice, or made twice for whole results (the library's; the CLI keeps
    parts)."""
    outcomes = [outcome for _, found in parts(run, "junit", menu_part, color, lang)
                for outcome in found]
    return _document(run, outcomes,
                     (written for written, _ in parts(run, "junit", menu_part, color, lang)))


def _document(run, outcomes: list[str], suites):
    """The document in pieces: <testsuites> with the totals of ``outcomes`` (the menus'),
    each written suite, the suite of the files that could not be read."""
    errors = None
    if run.errors:
        holder = ET.Element("testsuites")
        outcomes = outcomes + errors_suite(holder, run.errors)
        errors = _written(holder[0])
    root = ET.Element("testsuites", {"name": "ivraudit"})
    _count(root, outcomes)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
    if not run.results and errors is None:
        yield text + "\n"  # <testsuites ... />
        return
    yield text.removesuffix(" />") + ">"  # the suites go inside
    for written in suites:
        yield f"\n  {written}"
    if errors is not None:
        yield f"\n  {errors}"
    yield "\n</testsuites>\n"
