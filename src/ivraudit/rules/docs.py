"""Rule documentation, drawn from each rule module's docstring and declarations.

A rule's docstring is its title line, its rationale, then three literal blocks: ``Passes::``
(a menu it passes), ``Fails::`` (a menu it fails) and ``Finds::``, every finding the failing
menu gets, in report order, each with its whole message (a long one goes on over lines
indented two more spaces)::

    line 5, node main, scenario default: no key in the first menu 'main' reaches a person
    line 7, node main: the prompt of menu 'main' cannot be interrupted (barge_in: false)
      and is not a legal notice

``node`` and ``scenario`` are left out where the finding has none. Tests run both menus and
compare what the rule finds with these lines, exactly.

`ivraudit rules` prints the catalogue and one rule's page; docs/rules.md is `rules_markdown()`
(a test keeps the file in sync).
"""

from __future__ import annotations

import re
import textwrap
from typing import NamedTuple

from . import RULES
from .base import Rule

_FINDING = re.compile(r"line (\d+)(?:, node ([^,:]+))?(?:, scenario ([^,:]+))?: (.+)")


class DocumentedFinding(NamedTuple):
    """One entry of a rule's ``Finds::`` block."""

    line: int
    node: str | None
    scenario: str | None
    message: str


def _sections(rule: Rule) -> dict[str, str]:
    """The docstring's parts: 'title', 'text', 'passes', 'fails', 'finds'."""
    title, _, body = rule.doc.strip().partition("\n")
    text, _, rest = body.partition("Passes::")
    passes, _, rest = rest.partition("Fails::")
    fails, _, finds = rest.partition("Finds::")
    return {"title": title.strip(), "text": text.strip(),
            "passes": textwrap.dedent(passes).strip("\n") + "\n",
            "fails": textwrap.dedent(fails).strip("\n") + "\n",
            "finds": textwrap.dedent(finds).strip("\n") + "\n"}


def documented_findings(rule: Rule) -> list[DocumentedFinding]:
    """The findings the rule's failing example gets, as its ``Finds::`` block lists them.

    Raises ValueError for an entry that is not ``line N[, node ID][, scenario NAME]: message``.
    """
    entries: list[str] = []
    for text in _sections(rule)["finds"].splitlines():
        if text.startswith(" ") and entries:
            entries[-1] += " " + text.strip()  # a long message goes on
        elif text.strip():
            entries.append(text.strip())
    found = []
    for entry in entries:
        parts = _FINDING.fullmatch(entry)
        if parts is None:
            raise ValueError(f"{rule.name}: a Finds:: entry must read 'line N, node ID, "
                             f"scenario NAME: message', not {entry!r}")
        line, node, scenario, message = parts.groups()
        found.append(DocumentedFinding(int(line), node, scenario, message))
    return found


def paragraphs(rule: Rule) -> list[str]:
    """The rule's rationale, one line per paragraph."""
    return [" ".join(p.split()) for p in _sections(rule)["text"].split("\n\n") if p.strip()]


def details_text(rule: Rule) -> list[str]:
    """Parameters and sources, as plain text lines."""
    lines = []
    if rule.params:
        lines += ["Parameters (set them in a policy):"]
        lines += [f"  {name} = {value!r}: {rule.param_help.get(name, '')}"
                  for name, value in rule.params.items()]
        lines.append("")
    if rule.sources:
        lines.append("Sources:")
        lines += [f"  {source.title}: {source.url}" for source in rule.sources]
        lines.append("")
    return lines


def details_markdown(rule: Rule) -> list[str]:
    """Parameters (a table) and sources (links), as Markdown lines."""
    lines = []
    if rule.params:
        lines += ["", "| parameter | default | meaning |", "| --- | --- | --- |"]
        lines += [f"| `{name}` | `{value!r}` | {rule.param_help.get(name, '')} |"
                  for name, value in rule.params.items()]
    if rule.sources:
        lines += ["", "Sources:", ""]
        lines += [f"- [{source.title}]({source.url})" for source in rule.sources]
    return lines


def examples(rule: Rule) -> tuple[str, str]:
    """The passing and the failing example menu of a rule's documentation."""
    parts = _sections(rule)
    return parts["passes"], parts["fails"]


def catalogue_table() -> str:
    """One line per rule: id, name, default severity, summary."""
    width = max(len(rule.name) for rule in RULES)
    return "".join(f"{rule.id}  {rule.name.ljust(width)}  {rule.severity.ljust(7)}  "
                   f"{rule.summary}\n" for rule in RULES)


def describe(rule: Rule) -> str:
    """A rule's page for the terminal: documentation, parameters, sources, examples."""
    parts = _sections(rule)
    lines = [f"{rule.id} {rule.name} (default severity: {rule.severity})", ""]
    for paragraph in paragraphs(rule):
        lines += [textwrap.fill(paragraph, 88), ""]
    lines += details_text(rule)
    lines += ["Passes:", textwrap.indent(parts["passes"], "  ").rstrip(), "",
              "Fails:", textwrap.indent(parts["fails"], "  ").rstrip(), "",
              "Finds:", textwrap.indent(parts["finds"], "  ").rstrip(), ""]
    return "\n".join(lines)


def rules_markdown() -> str:
    """docs/rules.md: the whole catalogue as Markdown."""
    out = ["# Rules", "",
           "Generated from the code by `python -m ivraudit.rules.docs > docs/rules.md`; "
           "a test keeps it in sync. Parameters are set in a policy (see the README).", "",
           "| id | name | default severity | what it checks |", "| --- | --- | --- | --- |"]
    out += [f"| {r.id} | [{r.name}](#{r.id.lower()}-{r.name}) | {r.severity} | {r.summary} |"
            for r in RULES]
    for rule in RULES:
        parts = _sections(rule)
        out += ["", f"## {rule.id} {rule.name}", "", f"Default severity: **{rule.severity}**."]
        for paragraph in paragraphs(rule):
            out += ["", paragraph]
        out += details_markdown(rule)
        out += ["", "Passes:", "", "```yaml", parts["passes"].rstrip(), "```", "",
                "Fails:", "", "```yaml", parts["fails"].rstrip(), "```", "",
                "Finds:", "", "```text", parts["finds"].rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
