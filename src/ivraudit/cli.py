"""The command line: parse options, call the library, choose the exit code."""

from __future__ import annotations

import sys

import click

from . import __version__

EXIT_BAD_INPUT = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ivraudit")
def main() -> None:
    """Audit IVR phone menus: how hard is it to reach a person?"""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
def audit(paths: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Audit menu files (or folders of *.yaml / *.yml menus)."""
    from .audit import audit_paths
    from .reporters import render

    run = audit_paths(list(paths))
    for error in run.errors:
        click.echo(error.format(), err=True)
    text = render(run, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_BAD_INPUT if run.errors else 0)


@main.command()
def schema() -> None:
    """Print the menu format's JSON Schema (for editors and validators)."""
    from .schema import schema_text

    click.echo(schema_text(), nl=False)
