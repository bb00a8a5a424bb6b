"""Rule documentation, drawn from each rule module's docstring and declarations.

`ivraudit rules` prints the catalogue and one rule's page; docs/rules.md is `rules_markdown()`
(a test keeps the file in sync).
"""

from __future__ import annotations

import textwrap

from . import RULES
from .base import Rule


def _sections(rule: Rule) -> dict[str, str]:
    """The docstring's parts: 'title', 'text', 'passes', 'fails'."""
    title, _, body = rule.doc.strip().partition("\n")
    text, _, rest = body.partition("Passes::")
    passes, _, fails = rest.partition("Fails::")
    return {"title": title.strip(), "text": text.strip(),
            "passes": textwrap.dedent(passes).strip("\n") + "\n",
            "fails": textwrap.dedent(fails).strip("\n") + "\n"}


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
              "Fails:", textwrap.indent(parts["fails"], "  ").rstrip(), ""]
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
                "Fails:", "", "```yaml", parts["fails"].rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
