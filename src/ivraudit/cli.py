"""The command line: parse options, call the library, choose the exit code."""

from __future__ import annotations

import functools
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


def import_options(single: bool):
    """The options that say how platform flows are read (SPEC section 10): ``--from``,
    ``--prompts`` and, for commands that take one menu, ``--flow``. The command receives them
    as ``imports`` (an ImportOptions) and ``flow``."""
    def decorate(command):
        @functools.wraps(command)
        def run(*args, platform, prompts, **kwargs):
            from .errors import IvrauditError
            from .importers import ImportOptions

            try:
                kwargs["imports"] = ImportOptions.from_command_line(platform, prompts)
            except IvrauditError as error:
                _fail(error)
            return command(*args, **kwargs)

        run = click.option("--prompts", metavar="FILE",
                           help="Lengths of recorded prompts in platform flows: a YAML map "
                                "from prompt name, id or URL to seconds or a WAV file.")(run)
        run = click.option("--from", "platform", metavar="PLATFORM", callback=_platform,
                           help="Read the input as a flow of this platform (default: "
                                "detected from the content).")(run)
        if single:
            run = click.option("--flow", metavar="NAME",
                               help="The flow to use when the file holds several.")(run)
        return run
    return decorate


def _platform(ctx, param, value: str | None) -> str | None:
    """--from: a platform ivraudit reads."""
    from .errors import did_you_mean
    from .importers import PLATFORMS

    if value is not None and value not in PLATFORMS:
        raise click.BadParameter(f"'{value}' is not a platform ivraudit reads"
                                 + did_you_mean(value, PLATFORMS) + "; one of: "
                                 + ", ".join(PLATFORMS), param=param)
    return value


def _audit(paths, policy_name: str | None, fail_on: str, imports=None):
    """Audit under the chosen policy; bad files are reported on stderr, a bad policy exits 2."""
    from .audit.auditor import audit_paths
    from .errors import IvrauditError

    try:
        chosen = _policy(policy_name)
    except IvrauditError as error:
        _fail(error)
    run = audit_paths(list(paths), chosen, fail_on=fail_on, options=imports)
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
@import_options(single=False)
def audit(paths: tuple[str, ...], policy_name: str | None, fmt: str, output: str | None,
          fail_on: str, imports) -> None:
    """Audit menu files and platform flows (or folders of them)."""
    from .errors import IvrauditError
    from .reporters import render
    from .util.atomic import write_file

    run = _audit(paths, policy_name, fail_on, imports)
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
@import_options(single=True)
def render_command(menu: str, output: str | None, fmt: str | None, scenario: str | None,
                   highlight: str, policy_name: str | None, watch: bool,
                   poll_interval: float, imports, flow: str | None) -> None:
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
                          poll_interval, imports, flow)
            return
        data = _draw(menu, fmt, scenario, highlight, chosen, imports, flow)
        _write_drawing(output, data)
    except IvrauditError as error:
        _fail(error)


def _draw(menu: str, fmt: str, scenario, highlight: str, chosen, imports=None,
          flow=None) -> bytes:
    from .audit.auditor import audit_file
    from .render.drawing import dot_bytes, menu_dot

    return dot_bytes(menu_dot(audit_file(menu, chosen, options=imports, flow=flow), scenario,
                              highlight), fmt, menu)


def _write_drawing(output: str | None, data: bytes) -> None:
    from .util.atomic import write_file

    if output:
        write_file(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _watch_render(menu, output, fmt, scenario, highlight, chosen, policy_name,
                  interval: float, imports=None, flow=None) -> None:
    from pathlib import Path

    from .util.watch import watch

    def draw() -> str:
        _write_drawing(output, _draw(menu, fmt, scenario, highlight, chosen, imports, flow))
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
@import_options(single=False)
def report_command(paths: tuple[str, ...], output: str, policy_name: str | None, fail_on: str,
                   highlight: str, imports) -> None:
    """Write a static HTML report: an index of the menus and a page per menu."""
    from .errors import IvrauditError
    from .reporters.folder import write_report

    run = _audit(paths, policy_name, fail_on, imports)
    try:
        problems = write_report(run, output, highlight)
    except IvrauditError as error:
        _fail(error)
    for problem in problems:
        click.echo(problem.format().replace(": error: ", ": warning: ", 1)
                   + "\n  (the report is written without drawings)", err=True)
    click.echo(f"wrote {output.rstrip('/')}/index.html ({len(run.results)} menus)", err=True)
    sys.exit(run.exit_code())


@main.command(name="import")
@click.argument("files", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the menu to this file (the input must hold one flow).")
@click.option("--output-dir", type=click.Path(file_okay=False),
              help="Write one menu file per line into this folder (created if needed).")
@import_options(single=False)
def import_command(files: tuple[str, ...], output: str | None, output_dir: str | None,
                   imports) -> None:
    """Turn platform flows (Amazon Connect, Twilio Studio, Genesys Architect, VoiceXML,
    FreeSWITCH, Asterisk, Vonage NCCO) into ivraudit menu files, listing what was assumed."""
    from .audit.auditor import discover
    from .errors import IvrauditError
    from .importers import import_lines
    from .importers.writer import assumptions_table, file_names, to_yaml
    from .util.atomic import write_file

    if output and output_dir:
        raise click.UsageError("give -o FILE or --output-dir DIR, not both")
    found, errors, in_folders = discover(list(files))
    lines, problems = import_lines(found, imports, skip_unknown=in_folders)
    errors += problems
    if output and len(lines) > 1:
        errors.append(IvrauditError(output, 1, 1, f"the input holds {len(lines)} lines, and -o "
                                    "names one file", "use --output-dir DIR"))
        lines = []
    for error in errors:
        click.echo(error.format(), err=True)
    texts = [to_yaml(line) for line in lines]
    try:
        if output_dir:
            from pathlib import Path

            Path(output_dir).mkdir(parents=True, exist_ok=True)
            for name, text in zip(file_names(lines), texts):
                write_file(Path(output_dir) / name, text.encode("utf-8"))
                click.echo(f"wrote {Path(output_dir) / name}", err=True)
        elif output and texts:
            write_file(output, texts[0].encode("utf-8"))
            click.echo(f"wrote {output}", err=True)
        elif texts:
            click.echo("---\n".join(texts), nl=False)
    except IvrauditError as error:
        _fail(error)
    table = assumptions_table(lines)
    if table:
        click.echo(table, err=True, nl=False)
    sys.exit(EXIT_BAD_INPUT if errors else 0)


@main.command(name="export")
@click.argument("menu", metavar="MENU")
@click.option("--to", "fmt", type=click.Choice(["vxml"]), required=True,
              help="The platform format to write: vxml (VoiceXML 2.1).")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file (default: standard output).")
@import_options(single=True)
def export_command(menu: str, fmt: str, output: str | None, imports, flow) -> None:
    """Write a menu in a platform's format (it re-imports to the same metrics)."""
    from pathlib import Path

    from .errors import IvrauditError
    from .exporters import EXPORTERS
    from .importers import load_one
    from .util.atomic import write_file

    exporter = EXPORTERS[fmt]
    try:
        model = load_one(menu, imports, flow)
        name = Path(output).name if output else Path(menu).stem + exporter.SUFFIX
        text = exporter.export(model, name)
        if output:
            write_file(output, text.encode("utf-8"))
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(text, nl=False)
    except IvrauditError as error:
        _fail(error)


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
@import_options(single=True)
def simulate(menu: str, keys: str | None, persona: str | None, scenario: str | None,
             callers: int | None, seed: int, fmt: str, progress: bool | None, imports,
             flow: str | None) -> None:
    """Simulate calls: one scripted call (--keys), or a persona's statistics (--persona)."""
    from .errors import IvrauditError
    from .simulate import output as report, session

    try:
        session.check_options(keys, persona, callers)
        line = session.open_line(menu, scenario, imports, flow)
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
@import_options(single=True)
def call_command(menu: str, speed: float, scenario: str | None, imports,
                 flow: str | None) -> None:
    """Call a menu on this terminal: press keys as it plays, type words and Enter to say them;
    Ctrl-C hangs up."""
    from .errors import IvrauditError
    from .simulate.phone import Phone
    from .simulate.session import open_line

    try:
        Phone(open_line(menu, scenario, imports, flow), speed).run()
    except IvrauditError as error:
        _fail(error)
