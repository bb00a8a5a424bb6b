"""The command line: parse options, call the library, choose the exit code."""

from __future__ import annotations

import functools
import os
import sys

import click

from . import __version__
from .reporters import FORMATS
from .util import signals

EXIT_BAD_INPUT = 2
_ENDS_AFTER = False  # run() sets it: the process ends with the command (os._exit)
_FAIL_ON = click.Choice(["error", "warning", "info", "never"])
_FAIL_ON_HELP = "Exit 1 when an unsuppressed finding is at or above this severity. " \
                "[default: [tool.ivraudit] fail-on, else error]"
_POLICY_HELP = "Built-in policy or a policy file, as for `audit`."
_LANG_HELP = ("The report's language: en or zh-CN. [default: from the locale (LC_ALL, "
              "LC_MESSAGES, LANG): zh-CN for a Chinese one, else en]")
_DATE_HINT = ("The audit's date, YYYY-MM-DD, printed in the report and used to expire waivers. "
              "[default: the UTC day of SOURCE_DATE_EPOCH, else today]")
_EXIT_CODES = """\b
Exit codes:
  0  nothing at or above --fail-on
  1  an unsuppressed finding at or above --fail-on
  2  a file could not be read or is not a valid menu, an option is wrong, or the
     output cannot be written
  130  interrupted (Ctrl-C); 141  the reader of the output went away (| head);
  143  stopped (SIGTERM)"""


class _Program(click.Group):
    """The command group, which also says how a failure to write the output ends the run:
    click would end it with 1, the code for findings (``_output_failed``)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OSError as error:
            raise SystemExit(_output_failed(error)) from None


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ivraudit")
def main() -> None:
    """Audit IVR phone menus: how hard is it to reach a person?"""


# How the program ends besides 0, 1 and 2 (shell conventions: 128 + the signal's number), so
# that CI never reads an interrupted or cut-off run as "findings" (1) or as a pass.
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT)
EXIT_OUTPUT_CLOSED = 141  # the reader of standard output went away (SIGPIPE: `| head`)
# SIGTERM, acted on by a pool of workers (audit.stream), or while diff --base's copy exists
EXIT_STOPPED = 143


def run() -> None:
    """The `ivraudit` program (``python -m ivraudit`` too): ``main``, then the process ends
    without freeing what it made one object at a time (an audit of thousands of menus makes
    millions; the operating system takes the memory back at once), after flushing standard
    output and error. Ctrl-C exits 130; a closed pipe 141, quietly; standard output that
    cannot be written (a full disk) is an error, exit 2."""
    global _ENDS_AFTER
    _ENDS_AFTER = True
    _whole_writes()
    try:
        code = main(standalone_mode=False)
        code = code if isinstance(code, int) else 0
    except SystemExit as done:  # the frames it holds keep every object alive until os._exit
        code = done.code
        if code == EXIT_STOPPED:
            signals.ignore_further()
        if code is not None and not isinstance(code, int):
            click.echo(code, err=True)
            code = 1
    except click.Abort:
        signals.ignore_further()
        click.echo("ivraudit: interrupted (a file or folder named with -o is left as it was)",
                   err=True)
        code = EXIT_INTERRUPTED
    except click.ClickException as error:  # a wrong command line, said as every error is
        context = getattr(error, "ctx", None)
        command = context.command_path if context is not None else "ivraudit"
        click.echo(f"error: {error.format_message()}\n  hint: `{command} --help` lists what "
                   "it takes", err=True)
        code = error.exit_code
    except OSError as error:
        code = _output_failed(error)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError as error:
        code = _output_failed(error)
    except ValueError:
        pass
    except KeyboardInterrupt:  # Ctrl-C while the last of the report was being written
        code = EXIT_INTERRUPTED
    os._exit(code or 0)


def _whole_writes() -> None:
    """Standard output written whole or not at all. Under PYTHONUNBUFFERED (set in many CI
    images) it is a raw file, and a write to a pipe whose reader goes away (`| head`) returns
    short: Python drops the rest without an error, and a report written in one piece
    (markdown, html) ended 0 or 1, read as a pass or as findings. A buffered writer
    over it writes everything or raises (EPIPE: exit 141); lines still go out as written."""
    import io

    stdout = sys.stdout
    raw = getattr(stdout, "buffer", None)
    if isinstance(raw, io.FileIO):  # sys.__stdout__ keeps the old wrapper, and the file, open
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=stdout.encoding,
                                      errors=stdout.errors, line_buffering=True)


def _output_failed(error: OSError) -> int:
    """The exit code for a failure to write standard output (after saying why, if stderr can
    still be written); another OSError is a bug, raised."""
    import errno

    if error.errno == errno.EPIPE:
        return EXIT_OUTPUT_CLOSED
    if error.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG):
        raise error
    try:
        sys.stderr.write(f"error: cannot write the output: {error.strerror}\n"
                         "  hint: free space where the output goes, or write the report to a "
                         "file with -o FILE\n")
        sys.stderr.flush()
    except OSError:
        pass
    return EXIT_BAD_INPUT


def without_cycle_collection(command):
    """Run a one-shot command with the cyclic GC off: it makes millions of objects and no
    cycles worth collecting (util.gcpause)."""
    @functools.wraps(command)
    def run_command(*args, **kwargs):
        if _ENDS_AFTER:
            # The process ends with the command (os._exit): the collector is never needed
            # again, and turning it back on would make its next run scan every object made
            # meanwhile (0.3 s after auditing a 5,000-menu file).
            import gc

            gc.disable()
            return command(*args, **kwargs)
        from .util.gcpause import without_cycle_collection as paused

        with paused():
            return command(*args, **kwargs)
    return run_command


def _jobs(ctx, param, value: int | None) -> int:
    """``--jobs``, by default the cores this process may use. Nothing is imported here: the
    command imports what it needs with the cyclic GC off (without_cycle_collection)."""
    if value is not None:
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def jobs_option(command):
    return click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
                        callback=_jobs,
                        help="Audit N files at once, each in its own process; the results "
                             "keep the input order. [default: the number of cores]")(command)


def progress_option(command):
    return click.option("--progress/--no-progress", default=None,
                        help="A progress bar on standard error (default: when it is a "
                             "terminal).")(command)


def _progress_bar(wanted: bool | None, unit: str, transient: bool = False):
    """The progress bar ``--progress`` asks for (by default: when standard error is a
    terminal), as a context manager; one that draws nothing otherwise."""
    from contextlib import nullcontext

    if sys.stderr is None:  # started with standard error closed (2>&-)
        return nullcontext()
    if not (sys.stderr.isatty() if wanted is None else wanted):
        return nullcontext()
    from .util.progress import ProgressBar  # only when drawn: it costs start-up 2.5 ms

    return ProgressBar(unit, transient)


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
    if value is None:
        return value
    from .errors import did_you_mean
    from .importers import platforms

    if value not in platforms():
        raise click.BadParameter(f"'{value}' is not a platform ivraudit reads"
                                 + did_you_mean(value, platforms()) + "; one of: "
                                 + ", ".join(platforms()), param=param)
    return value


def _settings():
    """`[tool.ivraudit]` of the nearest pyproject.toml (a mistake in it exits 2)."""
    from . import config
    from .errors import IvrauditError

    try:
        return config.load(formats=FORMATS)
    except IvrauditError as error:
        _fail(error)


def _paths(paths: tuple[str, ...], settings) -> list[str]:
    """The paths given, else the `paths` of [tool.ivraudit]."""
    if paths:
        return list(paths)
    if settings.paths:
        return list(settings.paths)
    raise click.UsageError("give menu files or folders, or set `paths` in [tool.ivraudit] "
                           "of pyproject.toml")


def _audit(paths, chosen, fail_on: str, skip_non_menus: bool = False, imports=None,
           jobs: int = 1, keep=None, collect=None, today: str | None = None,
           progress: bool | None = False):
    """Audit under the ``chosen`` policy (auditor.audit_paths: ``jobs``, ``keep``,
    ``collect``), with progress bars as ``progress`` asks (``--progress``): the files read
    (platform flows are all imported first), then the menus audited, each wiped when done;
    bad files are reported on stderr."""
    from .audit.auditor import audit_paths
    from .errors import IvrauditError

    try:
        with _progress_bar(progress, "files read", transient=True) as reading, \
                _progress_bar(progress, "menus", transient=True) as bar:
            run = audit_paths(list(paths), chosen, today, fail_on=fail_on,
                              skip_non_menus=skip_non_menus, options=imports, keep=keep,
                              jobs=jobs, collect=collect, hold=_ENDS_AFTER, progress=bar,
                              reading=reading)
    except IvrauditError as error:  # the audit could not be finished (a worker was killed)
        _fail(error)
    for error in run.errors:
        click.echo(error.format(), err=True)
    return run


def _audit_date(ctx, param, value: str | None) -> str:
    """--date, else SOURCE_DATE_EPOCH's day, else today; a bad one is a usage error."""
    from .format.dates import audit_date

    try:
        return audit_date(value)
    except ValueError as error:
        if value is None:  # the environment's, not an option the user gave
            raise click.UsageError(f"{error}: set it to a whole number of seconds or unset it, "
                                   "or give --date YYYY-MM-DD", ctx=ctx) from None
        raise click.BadParameter(f"{error}; write YYYY-MM-DD", ctx=ctx, param=param) from None


def _language(ctx, param, value: str | None) -> str:
    """--lang, else the locale's language."""
    from .i18n import language_from_environment

    return value or language_from_environment()


def report_options(command):
    """--lang and --date, for commands that write reports."""
    command = click.option("--date", "today", metavar="YYYY-MM-DD", callback=_audit_date,
                           help=_DATE_HINT)(command)
    return click.option("--lang", type=click.Choice(["en", "zh-CN"]), callback=_language,
                        help=_LANG_HELP)(command)


def _chosen_policy(policy_name: str | None, settings=None):
    from .errors import IvrauditError

    try:
        return _policy(policy_name, settings)
    except IvrauditError as error:
        _fail(error)


def _policy(choice: str | None, settings=None):
    """The policy named on the command line, else in pyproject.toml, else the default."""
    from .audit import policy

    choice = choice or (settings or _settings()).policy
    return policy.load(choice) if choice else policy.defaults()


@main.command(short_help="Audit menus: metrics and findings.", epilog=_EXIT_CODES)
@click.argument("paths", nargs=-1)
@click.option("--policy", "policy_name", metavar="NAME|FILE",
              help="Built-in policy (default, gethuman, cn-elderly, es-2025, strict) or a "
                   "policy file. Default: [tool.ivraudit] policy in pyproject.toml, else default.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: [tool.ivraudit] format, else the -o file's "
                   "suffix (.json, .sarif, .xml for junit, .md, .html), else text]")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file (replaced atomically; - is standard "
                   "output).")
@click.option("--fail-on", type=_FAIL_ON, help=_FAIL_ON_HELP)
@click.option("--quiet", "-q", is_flag=True,
              help="Text format: print only the findings that fail the run, one line each, "
                   "and a summary line; nothing when none fails (for pre-commit hooks).")
@click.option("--skip-non-menus", is_flag=True,
              help="Pass over named files that are not menus (no top-level `ivr:` or `nodes:` "
                   "key, and no platform flow) instead of failing on them.")
@report_options
@jobs_option
@progress_option
@import_options(single=False)
@without_cycle_collection
def audit(paths: tuple[str, ...], policy_name: str | None, fmt: str | None, output: str | None,
          fail_on: str | None, quiet: bool, skip_non_menus: bool, jobs: int,
          progress: bool | None, imports, lang: str, today: str) -> None:
    """Audit menu files and platform flows, or folders of them (searched for menus: *.yaml and
    *.yml files with a top-level `ivr:` or `nodes:`, and for flows of the platforms ivraudit
    reads).
    Without PATHS: the `paths` of [tool.ivraudit] in pyproject.toml.

    With --format github under GitHub Actions, the Markdown report is also added to the job
    summary ($GITHUB_STEP_SUMMARY).
    """
    from .reporters import chunks, keeper, render
    from .reporters.text import failing_lines

    settings = _settings()
    fmt = fmt or settings.format or _format_of(output or settings.output) or "text"
    if quiet and fmt != "text":
        raise click.UsageError("--quiet is for the text format")
    color = not (output or settings.output) and _color_wanted()
    summary = fmt == "github" and bool(os.environ.get("GITHUB_STEP_SUMMARY"))
    formats = ("quiet",) if quiet else (fmt, "markdown") if summary else (fmt,)
    _check_output(output or settings.output)
    run = _audit(_paths(paths, settings), _chosen_policy(policy_name, settings),
                 fail_on or settings.fail_on or "error", skip_non_menus, imports, jobs,
                 keeper(formats, color, lang), today=today, progress=progress)
    if quiet:
        from .i18n import Translator

        text = [failing_lines(run, color, Translator(lang))]
    else:
        text = chunks(run, fmt, color=color, lang=lang)
    _emit(text, output or settings.output)
    if summary:
        _job_summary(render(run, "markdown", lang=lang))
    sys.exit(run.exit_code())


_SUFFIX_FORMATS = {".json": "json", ".sarif": "sarif", ".xml": "junit", ".md": "markdown",
                   ".html": "html", ".htm": "html", ".txt": "text"}


def _format_of(output: str | None) -> str | None:
    """The report format an output file's suffix names (``-o audit.sarif``), if any."""
    from pathlib import Path

    return _SUFFIX_FORMATS.get(Path(output).suffix.lower()) if output else None


def _check_output(output: str | None) -> None:
    """Fail at once (exit 2) when ``output`` cannot be written: a folder that does not exist,
    a device... (util.atomic.check_writable), not after auditing thousands of files."""
    from .errors import IvrauditError
    from .util.atomic import check_writable

    if output and output != "-":
        try:
            check_writable(output)
        except IvrauditError as error:
            _fail(error)


def _emit(text, output: str | None) -> None:
    """The report (text, or its pieces) to ``output`` (atomically) or to standard output."""
    from .errors import IvrauditError
    from .util.atomic import write_file

    output = None if output == "-" else output
    pieces = [text] if isinstance(text, str) else text
    if output:
        try:
            write_file(output, pieces)
        except IvrauditError as error:
            _fail(error)
    else:
        for piece in pieces:
            click.echo(piece, nl=False)


def _job_summary(markdown: str) -> None:
    """Append to the GitHub Actions job summary, when running under Actions."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return
    try:
        with open(summary, "a", encoding="utf-8") as file:
            file.write(markdown + "\n")
    except OSError as exc:
        click.echo(f"warning: cannot write the job summary {summary}: {exc.strerror}", err=True)


def _color_wanted() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_DIFF_EXIT_CODES = """\b
Exit codes:
  0  no regression, or --fail-on-regression not given
  1  a regression, with --fail-on-regression
  2  a file on the new side could not be read or is not a valid menu, an option is wrong,
     or a path is on neither side
  130  interrupted (Ctrl-C); 141  the reader of the output went away (| head);
  143  stopped (SIGTERM)"""


def _allowance(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    from .diff.allow import names_hint, parse_allowance

    for value in values:
        try:
            parse_allowance(value)
        except ValueError as exc:
            raise click.BadParameter(f"{exc}; {names_hint()}", ctx=ctx, param=param) from None
    return values


@main.command(name="diff", short_help="Compare two audits: what got worse for callers.",
              epilog=_DIFF_EXIT_CODES)
@click.argument("paths", nargs=-1)
@click.option("--base", metavar="REV",
              help="Compare the working tree with this git revision (a branch, tag or commit). "
                   "PATHS are then the menus to compare [default: [tool.ivraudit] paths, else "
                   "the whole repository]. Without --base, PATHS are OLD NEW: two files or two "
                   "folders.")
@click.option("--policy", "policy_name", metavar="NAME|FILE", help=_POLICY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "github"]),
              default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the diff to this file instead of standard output.")
@click.option("--fail-on", type=_FAIL_ON,
              help="A new finding at or above this severity is a regression. "
                   "[default: [tool.ivraudit] fail-on, else error]")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 when something got worse (see docs/diff.md for what counts).")
@click.option("--allow", "allow", multiple=True, metavar="METRIC=+N", callback=_allowance,
              help="Let a metric grow by N before it regresses (repeatable): steps, "
                   "forced_seconds, listen_seconds, silent_seconds, depth, mistype_seconds, "
                   "mistype_steps. Also [tool.ivraudit] allow.")
@click.option("--date", "today", metavar="YYYY-MM-DD", callback=_audit_date,
              help="The day both sides are audited on, which expires waivers. [default: the "
                   "UTC day of SOURCE_DATE_EPOCH, else today]")
@jobs_option
def diff_command(paths: tuple[str, ...], base: str | None, policy_name: str | None, fmt: str,
                 output: str | None, fail_on: str | None, fail_on_regression: bool,
                 allow: tuple[str, ...], today: str, jobs: int) -> None:
    """Compare two audits: per menu and scenario every metric before and after, findings
    added and fixed, menus and scenarios added or removed. `ivraudit diff OLD NEW` (files or
    folders) or `ivraudit diff --base REV [PATHS]` (the working tree against a git revision).

    With --format github under GitHub Actions, the Markdown diff is also added to the job
    summary ($GITHUB_STEP_SUMMARY).
    """
    from . import diff as diffs
    from .diff.allow import allowances
    from .diff.compare import compare
    from .diff.sources import path_sides, revision_sides
    from .errors import IvrauditError

    settings = _settings()
    if base is None and len(paths) != 2:
        raise click.UsageError("give OLD and NEW (two files or two folders), or --base REV")
    chosen = _chosen_policy(policy_name, settings)
    fail_on = fail_on or settings.fail_on or "error"
    try:
        if base is None:
            old, new = path_sides(paths[0], paths[1], chosen, fail_on, today, jobs)
        else:
            old, new = revision_sides(base, list(paths or settings.paths or ["."]), chosen,
                                      fail_on, today, jobs)
    except IvrauditError as error:
        _fail(error)
    for error in old.run.errors:
        click.echo(f"warning: in {old.label}: {error.format()}", err=True)
    for error in new.run.errors:
        click.echo(error.format(), err=True)
    found = compare(old, new, fail_on, allowances(settings.allow + allow), fail_on_regression)
    _emit(diffs.render(found, fmt, color=not output and _color_wanted()), output)
    if fmt == "github":
        _job_summary(diffs.render(found, "markdown"))
    sys.exit(found.exit_code())


@main.command(name="rules", short_help="List the rules, or show one rule.")
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
        from .util.safe_text import terminal

        message, hint = rules.unknown(rule)
        click.echo(terminal(f"error: {message}") + "\n  hint: " + terminal(hint), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(describe(found), nl=False)


@main.command(short_help="Print the menu format's JSON Schema.")
def schema() -> None:
    """Print the menu format's JSON Schema (for editors and validators)."""
    from .format.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command(name="render", short_help="Draw a menu's graph (svg, png, pdf, dot).")
@click.argument("menu", type=click.Path(dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the drawing to this file (replaced atomically; default or -: "
                   "standard output).")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf", "dot"]),
              help="Output format (default: from the -o file's suffix, else svg).")
@click.option("--scenario", help="The scenario to draw (default: the menu's first).")
@click.option("--highlight", type=click.Choice(["forced", "steps", "listen", "none"]),
              default="forced", show_default=True,
              help="The best path drawn bold: fewest forced seconds, fewest keys, least listening.")
@click.option("--layout", type=click.Choice(["auto", "down", "right", "plain"]),
              default="auto", show_default=True,
              help="auto: top to bottom or left to right, whichever is nearer a page; a "
                   "large wide menu wraps its sub-menus into boxes in rows. down, right: that "
                   "direction. plain: every edge drawn to its node, no stubs or wrapping "
                   "(docs/drawing.md).")
@click.option("--legend/--no-legend", default=True, show_default=True,
              help="Draw the legend (what the colours and lines mean).")
@click.option("--policy", "policy_name", metavar="NAME|FILE", help=_POLICY_HELP)
@click.option("--watch", is_flag=True, help="Draw again whenever the menu file changes "
              "(needs -o; stop with Ctrl-C).")
@click.option("--lang", type=click.Choice(["en", "zh-CN"]), callback=_language,
              help="The language of the drawing's own words (legend, labels). [default: the "
                   "locale's]")
@import_options(single=True)
def render_command(menu: str, output: str | None, fmt: str | None, scenario: str | None,
                   highlight: str, layout: str, legend: bool, policy_name: str | None,
                   watch: bool, imports, flow: str | None, lang: str) -> None:
    """Draw a menu's graph (Graphviz): node shapes by type, forced prompts, keys, failure
    edges, the best path to a person in bold, nodes with findings outlined."""
    from pathlib import Path

    from .errors import IvrauditError
    from .render.drawing import FORMATS

    output = None if output == "-" else output
    suffix = Path(output).suffix.lstrip(".").lower() if output else ""
    if not fmt and suffix and suffix not in FORMATS:  # never svg inside a file named .gif
        raise click.UsageError(f"cannot tell the drawing's format from '.{suffix}': name the "
                               f"file .{', .'.join(FORMATS[:-1])} or .{FORMATS[-1]}, or "
                               "give --format")
    fmt = fmt or (suffix if suffix in FORMATS else "svg")
    if watch and not output:
        raise click.UsageError("--watch needs -o FILE")
    if not output and fmt in ("png", "pdf") and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary: name a file with -o")
    style = {"highlight": highlight, "layout": layout, "legend": legend, "lang": lang}
    try:
        chosen = _policy(policy_name)
        if watch:
            _watch_render(menu, output, fmt, scenario, style, chosen, policy_name, imports,
                          flow)
            return
        data = _draw(menu, fmt, scenario, style, chosen, imports, flow)
        _write_drawing(output, data)
    except IvrauditError as error:
        _fail(error)


def _draw(menu: str, fmt: str, scenario, style: dict, chosen, imports=None,
          flow=None) -> bytes:
    from .audit.auditor import audit_file
    from .render.drawing import dot_bytes, menu_dot

    return dot_bytes(menu_dot(audit_file(menu, chosen, options=imports, flow=flow), scenario,
                              **style), fmt, menu)


def _write_drawing(output: str | None, data: bytes) -> None:
    from .util.atomic import write_file

    if output:
        write_file(output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _watch_render(menu, output, fmt, scenario, style, chosen, policy_name, imports=None,
                  flow=None) -> None:
    from pathlib import Path

    from .util.extras import require
    from .util.safe_text import terminal
    from .util.watch import watch

    def draw() -> str:
        _write_drawing(output, _draw(menu, fmt, scenario, style, chosen, imports, flow))
        return terminal(f"drew {output} from {menu}")

    require("serve", "watchfiles")
    watched = [menu] + ([policy_name] if policy_name and Path(policy_name).is_file() else [])
    click.echo(terminal(f"watching {', '.join(watched)} (Ctrl-C to stop)"), err=True)
    try:
        watch(watched, draw, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command(name="report", short_help="Write the HTML report: index and a page per menu.",
              epilog=_EXIT_CODES)
@click.argument("paths", nargs=-1)
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False),
              help="The report folder (created or updated; pages are replaced atomically).")
@click.option("--policy", "policy_name", metavar="NAME|FILE", help=_POLICY_HELP)
@click.option("--fail-on", type=_FAIL_ON,
              help="A menu fails, and the exit code is 1, at this severity. "
                   "[default: [tool.ivraudit] fail-on, else error]")
@click.option("--highlight", type=click.Choice(["forced", "steps", "listen", "none"]),
              default="forced", show_default=True, help="The best path drawn bold.")
@click.option("--pdf", is_flag=True,
              help="Also write report.pdf (and print.html, what it is printed from): the whole "
                   "report for paper, through a headless Chromium.")
@click.option("--compare", is_flag=True,
              help="Also write compare.html: the menus (vendors) side by side, per scenario.")
@report_options
@jobs_option
@progress_option
@import_options(single=False)
@without_cycle_collection
def report_command(paths: tuple[str, ...], output: str, policy_name: str | None,
                   fail_on: str | None, highlight: str, pdf: bool, compare: bool, jobs: int,
                   progress: bool | None, imports, lang: str, today: str) -> None:
    """Write a static HTML report: an index of the menus and a page per menu (its verdict
    first), with --compare the menus side by side, with --pdf a PDF of it all. Without PATHS:
    the `paths` of [tool.ivraudit] in pyproject.toml."""
    from .errors import IvrauditError
    from .reporters.folder import ReportWriter
    from .util.safe_text import terminal

    settings = _settings()
    paths, chosen = _paths(paths, settings), _chosen_policy(policy_name, settings)
    fail_on = fail_on or settings.fail_on or "error"
    try:
        with ReportWriter(output, highlight, lang, compare, pdf) as writer:
            run = _audit(paths, chosen, fail_on, False, imports, jobs, writer.keeper,
                         writer.collect, today, progress)
            writer.finish(run)
    except IvrauditError as error:
        _fail(error)
    for problem in writer.problems:
        click.echo(problem.format().replace(": error: ", ": warning: ", 1)
                   + "\n  (the report is written without drawings)", err=True)
    count = len(run.results)
    written = ["index.html"] + (["compare.html"] if compare else []) + (
        ["report.pdf"] if pdf else [])
    click.echo(terminal(f"wrote {', '.join(output.rstrip('/') + '/' + w for w in written)} "
                        f"({count} menu{'s' if count != 1 else ''})"), err=True)
    sys.exit(run.exit_code())


@main.command(name="serve", short_help="Preview menus in the browser as you edit them.")
@click.argument("paths", nargs=-1)
@click.option("--policy", "policy_name", metavar="NAME|FILE", help=_POLICY_HELP)
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The port on 127.0.0.1 (0: a free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.option("--stop-after", type=click.FloatRange(min=0, min_open=True), hidden=True)
@import_options(single=False)
def serve_command(paths: tuple[str, ...], policy_name: str | None, port: int,
                  open_browser: bool, stop_after: float | None, imports) -> None:
    """Preview menus in the browser as you edit them: the drawing, metrics per scenario,
    findings and a phone to call them; the page reloads on every save. PATHS: menu files
    and folders (default: this folder). Listens on 127.0.0.1 only; Ctrl-C stops."""
    from .errors import IvrauditError, MenuError
    from .util.inputs import kind
    from .util.extras import require

    try:
        require("serve", "starlette", "uvicorn", "sse_starlette", "watchfiles")
    except IvrauditError as error:
        _fail(error)
    from .serve import listen, run, url
    from .serve.library import Library

    for path in paths:
        if kind(path) in ("missing", "unreadable"):
            _fail(MenuError(path, 1, 1, "no such file or folder",
                            "name menu files or folders that hold them"))
    try:
        chosen = _policy(policy_name)
        sock = listen(port)
    except IvrauditError as error:
        _fail(error)
    except OSError as error:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}") from None
    library = Library(list(paths) or ["."], chosen, imports)
    for error in library.reload():
        click.echo(error.format(), err=True)
    count = len(library.entries)
    click.echo(f"serving {count} menu{'s' if count != 1 else ''} at {url(sock)} "
               "(Ctrl-C to stop)", err=True)
    run(library, sock, lambda line: click.echo(line, err=True), open_browser, stop_after)
    click.echo("stopped", err=True)


@main.command(name="import", short_help="Turn platform flows into menu files.")
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


@main.command(name="export", short_help="Write a menu in a platform format (VoiceXML).")
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


@main.command(short_help="Simulate calls: scripted, or many callers.")
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
@progress_option
@import_options(single=True)
def simulate(menu: str, keys: str | None, persona: str | None, scenario: str | None,
             callers: int | None, seed: int, fmt: str, progress: bool | None, imports=None,
             flow: str | None = None) -> None:
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
        with _progress_bar(progress, "callers") as bar:
            stats = session.statistics(line, caller, count, seed, bar if count else None)
    except IvrauditError as error:
        _fail(error)
    render = report.statistics_json if fmt == "json" else report.statistics_text
    click.echo(render(line, stats), nl=False)


@main.command(name="call", short_help="Call a menu on this terminal.")
@click.argument("menu", metavar="MENU")
@click.option("--speed", type=click.FloatRange(min=0, min_open=True, max=1e6), default=1.0,
              show_default=True, callback=lambda ctx, param, value: _finite(param, value),
              help="Play N times faster than real time (at most 1,000,000).")
@click.option("--scenario", help="The scenario (default: the menu's first).")
@import_options(single=True)
def call_command(menu: str, speed: float, scenario: str | None, imports=None,
                 flow: str | None = None) -> None:
    """Call a menu on this terminal: press keys as it plays, type words and Enter to say them;
    Ctrl-C hangs up."""
    from .errors import IvrauditError
    from .simulate.phone import Phone
    from .simulate.session import open_line

    try:
        Phone(open_line(menu, scenario, imports, flow), speed).run()
    except IvrauditError as error:
        _fail(error)
