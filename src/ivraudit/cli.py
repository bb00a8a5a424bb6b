"""The command line: parse options, call the library, choose the exit code."""

from __future__ import annotations

import sys

import click

from . import __version__
from .reporters import FORMATS

EXIT_BAD_INPUT = 2
_FAIL_ON = click.Choice(["error", "warning", "never"])
_POLICY_HELP = "Built-in policy or a policy file, as for `audit`."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ivraudit")
def main() -> None:
    """Audit IVR phone menus: how hard is it to reach a person?"""


def _fail(error) -> None:
    click.echo(error.format(), err=True)
    sys.exit(EXIT_BAD_INPUT)


def _finite(param, value: float) -> float:
    """Refuse nan, which passes click's range checks (every comparison with it is false)."""
    if value != value:
        raise click.BadParameter("must be a number", param=param)
    return value


def _audit(paths, policy_name: str | None, fail_on: str):
    """Audit under the chosen policy; bad files are reported on stderr, a bad policy exits 2."""
    from .audit.auditor import audit_paths
    from .errors import IvrauditError

    try:
        chosen = _policy(policy_name)
    except IvrauditError as error:
        _fail(error)
    run = audit_paths(list(paths), chosen, fail_on=fail_on)
    for error in run.errors:
        click.echo(error.format(), err=True)
    return run


def _policy(choice: str | None):
    """The policy named on the command line, else in pyproject.toml, else the default."""
    from pathlib import Path

    from .audit import policy

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
@click.option("--fail-on", type=_FAIL_ON, default="error",
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
def audit(paths: tuple[str, ...], policy_name: str | None, fmt: str, output: str | None,
          fail_on: str) -> None:
    """Audit menu files (or folders of *.yaml / *.yml menus)."""
    from .errors import IvrauditError
    from .reporters import render
    from .util.atomic import write_file

    run = _audit(paths, policy_name, fail_on)
    text = render(run, fmt, color=not output and _color_wanted())
    if output:
        try:
            write_file(output, text.encode("utf-8"))
        except IvrauditError as error:
            _fail(error)
    else:
        click.echo(text, nl=False)
    sys.exit(run.exit_code())


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
        message, hint = rules.unknown(rule)
        click.echo(f"error: {message}\n  hint: {hint}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(describe(found), nl=False)


@main.command()
def schema() -> None:
    """Print the menu format's JSON Schema (for editors and validators)."""
    from .format.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command(name="render")
@click.argument("menu", type=click.Path(dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the drawing to this file (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf", "dot"]),
              help="Output format (default: from the -o file's suffix, else svg).")
@click.option("--scenario", help="The scenario to draw (default: the menu's first).")
@click.option("--highlight", type=click.Choice(["forced", "steps", "listen", "none"]),
              default="forced", show_default=True,
              help="The best path drawn bold: fewest forced seconds, fewest keys, least listening.")
@click.option("--policy", "policy_name", metavar="NAME|FILE", help=_POLICY_HELP)
@click.option("--watch", is_flag=True, help="Draw again whenever the menu file changes "
              "(needs -o; stop with Ctrl-C).")
@click.option("--poll-interval", type=float, default=0.5, hidden=True)
def render_command(menu: str, output: str | None, fmt: str | None, scenario: str | None,
                   highlight: str, policy_name: str | None, watch: bool,
                   poll_interval: float) -> None:
    """Draw a menu's graph (Graphviz): node shapes by type, forced prompts, keys, failure
    edges, the best path to a person in bold, nodes with findings outlined."""
    from pathlib import Path

    from .errors import IvrauditError
    from .render.drawing import FORMATS

    suffix = Path(output).suffix.lstrip(".").lower() if output else ""
    fmt = fmt or (suffix if suffix in FORMATS else "svg")
    if watch and not output:
        raise click.UsageError("--watch needs -o FILE")
    if not output and fmt in ("png", "pdf") and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary: name a file with -o")
    try:
        chosen = _policy(policy_name)
        if watch:
            _watch_render(menu, output, fmt, scenario, highlight, chosen, policy_name,
                          poll_interval)
            return
        data = _draw(menu, fmt, scenario, highlight, chosen)
        _write_drawing(output, data)
    except IvrauditError as error:
        _fail(error)


def _draw(menu: str, fmt: str, scenario, highlight: str, chosen) -> bytes:
    from .audit.auditor import audit_file
    from .render.drawing import dot_bytes, menu_dot

    return dot_bytes(menu_dot(audit_file(menu, chosen), scenario, highlight), fmt, menu)


def _write_drawing(output: str | None, data: bytes) -> None:
    from .util.atomic import write_file

    if output:
        write_file(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _watch_render(menu, output, fmt, scenario, highlight, chosen, policy_name,
                  interval: float) -> None:
    from pathlib import Path

    from .util.watch import watch

    def draw() -> str:
        _write_drawing(output, _draw(menu, fmt, scenario, highlight, chosen))
        return f"drew {output} from {menu}"

    watched = [menu] + ([policy_name] if policy_name and Path(policy_name).is_file() else [])
    click.echo(f"watching {', '.join(watched)} (Ctrl-C to stop)", err=True)
    try:
        watch(watched, draw, lambda line: click.echo(line, err=True), interval=interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command(name="report")
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False),
              help="The report folder (created or updated; pages are replaced atomically).")
@click.option("--policy", "policy_name", metavar="NAME|FILE", help=_POLICY_HELP)
@click.option("--fail-on", type=_FAIL_ON, default="error", show_default=True,
              help="A menu fails, and the exit code is 1, at this severity.")
@click.option("--highlight", type=click.Choice(["forced", "steps", "listen", "none"]),
              default="forced", show_default=True, help="The best path drawn bold.")
def report_command(paths: tuple[str, ...], output: str, policy_name: str | None, fail_on: str,
                   highlight: str) -> None:
    """Write a static HTML report: an index of the menus and a page per menu."""
    from .errors import IvrauditError
    from .reporters.folder import write_report

    run = _audit(paths, policy_name, fail_on)
    try:
        problems = write_report(run, output, highlight)
    except IvrauditError as error:
        _fail(error)
    for problem in problems:
        click.echo(problem.format().replace(": error: ", ": warning: ", 1)
                   + "\n  (the report is written without drawings)", err=True)
    click.echo(f"wrote {output.rstrip('/')}/index.html ({len(run.results)} menus)", err=True)
    sys.exit(run.exit_code())


@main.command()
@click.argument("menu", metavar="MENU")
@click.option("--keys", metavar="KEYS",
              help='A scripted call: keys pressed one token at a time, e.g. "3 2", '
                   '"2 12345678#" or "101 say:agent -"; "-" waits out a timeout, '
                   '"say:PHRASE" speaks.')
@click.option("--persona", metavar="NAME|FILE",
              help="expert, first-time, elderly, keypad-free, impatient, or a persona file. "
                   "Without --keys: statistics over many callers.")
@click.option("--scenario", help="The scenario (default: the menu's first).")
@click.option("--callers", type=click.IntRange(min=0, max=100_000_000), default=None,
              help="Monte Carlo callers (default 10,000; 0: the exact result only; at most "
                   "100,000,000).")
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
              help="Random seed: the same seed gives the same result.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--progress/--no-progress", default=None,
              help="A progress bar on standard error (default: when it is a terminal).")
def simulate(menu: str, keys: str | None, persona: str | None, scenario: str | None,
             callers: int | None, seed: int, fmt: str, progress: bool | None) -> None:
    """Simulate calls: one scripted call (--keys), or a persona's statistics (--persona)."""
    from .errors import IvrauditError
    from .simulate import output as report, session

    try:
        session.check_options(keys, persona, callers)
        line = session.open_line(menu, scenario)
        if keys is not None:
            caller = session.persona_named(persona, "expert")
            call = session.scripted(line, keys, caller)
            render = report.transcript_json if fmt == "json" else report.transcript_text
            click.echo(render(line, call, caller.name, keys), nl=False)
            return
        caller = session.persona_named(persona, "first-time")
        count = session.DEFAULT_CALLERS if callers is None else callers
        show = sys.stderr.isatty() if progress is None else progress
        stats = session.statistics(line, caller, count, seed,
                                   report.ProgressBar() if show and count else None)
    except IvrauditError as error:
        _fail(error)
    render = report.statistics_json if fmt == "json" else report.statistics_text
    click.echo(render(line, stats), nl=False)


@main.command(name="call")
@click.argument("menu", metavar="MENU")
@click.option("--speed", type=click.FloatRange(min=0, min_open=True, max=1e6), default=1.0,
              show_default=True, callback=lambda ctx, param, value: _finite(param, value),
              help="Play N times faster than real time (at most 1,000,000).")
@click.option("--scenario", help="The scenario (default: the menu's first).")
def call_command(menu: str, speed: float, scenario: str | None) -> None:
    """Call a menu on this terminal: press keys as it plays, type words and Enter to say them;
    Ctrl-C hangs up."""
    from .errors import IvrauditError
    from .simulate.phone import Phone
    from .simulate.session import open_line

    try:
        Phone(open_line(menu, scenario), speed).run()
    except IvrauditError as error:
        _fail(error)
