"""The command line: parse options, call the library, choose the exit code."""

from __future__ import annotations

import sys

import click

from . import __version__
from .reporters import FORMATS

EXIT_BAD_INPUT = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ivraudit")
def main() -> None:
    """Audit IVR phone menus: how hard is it to reach a person?"""


def _fail(error) -> None:
    click.echo(error.format(), err=True)
    sys.exit(EXIT_BAD_INPUT)


def _policy(choice: str | None):
    """The policy named on the command line, else in pyproject.toml, else the default."""
    from pathlib import Path

    from . import policy

    choice = choice or policy.from_pyproject(Path.cwd())
    return policy.load(choice) if choice else policy.defaults()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--policy", "policy_name", metavar="NAME|FILE",
              help="Built-in policy (default, gethuman, cn-elderly, es-2025, strict) or a "
                   "policy file. Default: [tool.ivraudit] policy in pyproject.toml, else default.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
def audit(paths: tuple[str, ...], policy_name: str | None, fmt: str, output: str | None,
          fail_on: str) -> None:
    """Audit menu files (or folders of *.yaml / *.yml menus)."""
    from .auditor import audit_paths
    from .errors import IvrauditError
    from .reporters import render

    try:
        chosen = _policy(policy_name)
    except IvrauditError as error:
        _fail(error)
    run = audit_paths(list(paths), chosen)
    for error in run.errors:
        click.echo(error.format(), err=True)
    text = render(run, fmt, color=not output and _color_wanted())
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
    sys.exit(run.exit_code(fail_on))


def _color_wanted() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@main.command(name="rules")
@click.argument("rule", required=False)
def rules_command(rule: str | None) -> None:
    """List the rules, or show one rule's documentation (by id or name)."""
    from . import rules
    from .rules.docs import describe, catalogue_table

    if rule is None:
        click.echo(catalogue_table(), nl=False)
        return
    found = rules.get(rule)
    if found is None:
        suggestion = rules.closest(rule)
        click.echo(f"error: no rule '{rule}'"
                   + (f" (did you mean '{suggestion}'?)" if suggestion else ""), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(describe(found), nl=False)


@main.command()
def schema() -> None:
    """Print the menu format's JSON Schema (for editors and validators)."""
    from .schema import schema_text

    click.echo(schema_text(), nl=False)
