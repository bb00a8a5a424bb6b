"""Platform flows -> the same menu model: one module per platform (SPEC section 10).

A platform module has ``NAME`` (the ``--from`` value), ``TITLE``, ``SUFFIXES`` (the file
endings a folder is searched for), ``detect(source) -> bool`` and ``read(source, options) ->
list[ImportedFlow]``; optionally ``helps(source, options) -> bool``: the file only serves
another input (FreeSWITCH phrase macros, an Asterisk file another one `#include`s) and is read
through it, not on its own; optionally ``SIGNS``: words its files hold whatever their shape,
so that such a file in a folder that does not parse is reported, not passed over.
``options.inputs`` holds every input file being read.

Which format a file is in is decided from its content: a menu file (a mapping with `ivr` or
`nodes`), or exactly one platform whose ``detect`` says yes; never a guess between two. ``--from`` forces a platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IvrauditError, MenuError, did_you_mean
from ..format.detect import MENU_SUFFIXES, is_menu_text
from ..format.loader import load_document
from ..format.model import Menu, SourcePos
from ..util.cached import record
from ..util.inputs import kind as source_kind
from .prompts import PromptLengths
from .source import Source

if TYPE_CHECKING:  # platform flows only: an audit of menu files never imports them
    from .base import ImportedFlow

MENU = "menu"  # what `identify` says of ivraudit's own menu files
_PLATFORMS: dict[str, object] = {}  # NAME -> platform module, in the order registered
_built_in = False


def platforms() -> dict[str, object]:
    """NAME -> platform module, in the order registered (`--from` lists them so). The built-in
    platforms are imported when first asked for: an audit of menu files needs none of them.
    (``importers.PLATFORMS`` is the same registry.)"""
    global _built_in
    if not _built_in:
        _built_in = True
        _register_platforms()
    return _PLATFORMS


def __getattr__(name: str):
    if name == "PLATFORMS":
        return platforms()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register(platform) -> None:
    """Add a platform module (see the package docstring for what it provides), after the
    built-in ones."""
    platforms()[platform.NAME] = platform


def suffixes() -> tuple[str, ...]:
    """File endings searched for in folders: menu files and every platform's."""
    found = list(MENU_SUFFIXES)
    for platform in platforms().values():
        found += [s for s in platform.SUFFIXES if s not in found]
    return tuple(found)


@record(frozen=False)
class ImportOptions:
    """What the command line says about imports: ``platform`` (--from, None: detect) and the
    prompt lengths table (--prompts)."""

    platform: str | None = None
    prompts: PromptLengths = field(default_factory=PromptLengths)
    # path -> every file being read; set once, when the options are made (replace): what is
    # worked out across them is kept
    inputs: dict[str, Source] = field(default_factory=dict)
    # what importers work out about all the inputs at once, by name (not copied by replace:
    # a new set of inputs starts with none)
    _across: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def across_inputs(self, name: str, make):
        """``make(inputs)``: what an importer works out about all the inputs at once (which
        file includes which, where phrase macros are), made once per set of inputs and kept
        under ``name``. Looking across the inputs anew for each platform file it reads grows
        with the square of a fleet: 1,440 flows took 20 s to plan that way. Menu files
        among the inputs (``Source.is_menu_file``) are never searched for includes or phrase
        macros: they are let go until audited."""
        found = self._across.get(name)
        if found is None:
            found = self._across[name] = make(self.inputs)
        return found

    @classmethod
    def from_command_line(cls, platform: str | None, prompts: str | None) -> ImportOptions:
        """Options from ``--from`` (a registered platform's NAME, or None) and ``--prompts``
        (a file; MenuError at its mistakes). ValueError for an unknown platform."""
        if platform is not None and platform not in platforms():
            raise ValueError(f"unknown platform '{platform}'" + did_you_mean(platform, platforms()))
        return cls(platform, PromptLengths.read(prompts))


def is_menu(source: Source) -> bool:
    """Whether a file is ivraudit's own menu format, by its text (format.detect): a menu with a
    YAML mistake is still a menu, whose mistake the loader reports. An empty file, or one that
    is not UTF-8, is taken for a menu too, so that the loader says what is wrong with it."""
    if source.suffix not in MENU_SUFFIXES:
        if source.suffix:
            return False
        try:  # no suffix (a pipe: `ivraudit audit <(cat menu.yaml)`): a menu by its text
            return is_menu_text(source.text)
        except MenuError:
            return False
    try:
        text = source.text
    except MenuError:
        return True
    return not text.strip() or is_menu_text(text)


def identify(source: Source, options: ImportOptions) -> str | None:
    """``MENU``, a platform name, or None when nothing recognises the file (a CI workflow, a
    package.json: passed over when found in a folder, an error when named)."""
    if options.platform is not None:
        return options.platform
    if is_menu(source):
        return MENU
    found = [name for name, platform in platforms().items() if platform.detect(source)]
    if len(found) > 1:
        raise MenuError(source.path, 1, 1, "the file looks like a flow of several platforms: "
                        + ", ".join(found), "name its platform with --from")
    return found[0] if found else None


def _damaged_flow(source: Source) -> MenuError | None:
    """The syntax error of a file found in a folder that no format recognises because it does
    not parse, when its text holds a platform's ``SIGNS`` (a truncated export must not pass a CI
    gate unseen); None for any other file."""
    try:
        text = source.text
    except MenuError:
        return None
    signs = [sign for platform in platforms().values()
             for sign in getattr(platform, "SIGNS", ()) if sign in text]
    if not signs:
        return None
    try:
        source.xml if signs[0].startswith("<") else source.lenient_tree
    except MenuError as error:
        return error
    return None


def unrecognised(source: Source) -> MenuError:
    if source.suffix not in MENU_SUFFIXES:
        try:  # a JSON flow with a syntax error: say where, not that nothing recognises it
            source.lenient_tree
        except MenuError as error:
            return error
    known = ", ".join(f"{p.TITLE} (--from {name})" for name, p in platforms().items())
    return MenuError(source.path, 1, 1, "this is not an ivraudit menu: it has no top-level "
                     "`ivr:` or `nodes:` key" + (", and no platform ivraudit reads recognises it"
                                                 if known else ""),
                     "name menu files" + (f" or flows exported from {known}" if known else "")
                     + "; `ivraudit audit --skip-non-menus` passes over other files")


def read_flows(source: Source, platform: str, options: ImportOptions) -> list[ImportedFlow]:
    """The flows in one platform file; MenuError at the first thing that cannot be read.

    An importer says where a flow is wrong (MenuError); anything else it trips over (a file of
    another shape given with --from, a value of an unexpected type) is still a clean error."""
    title = platforms()[platform].TITLE
    if options.platform is not None:
        _check_forced(source, platform)
    try:
        flows = platforms()[platform].read(source, options)
    except IvrauditError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise MenuError(source.path, 1, 1, f"cannot read this file as a {title} flow "
                        f"({type(exc).__name__}: {exc})",
                        "check that the file is a flow export of that platform, or drop "
                        "--from to let ivraudit detect the format") from None
    if not flows:
        raise MenuError(source.path, 1, 1, f"no call flow found in this {title} file",
                        "check that the file is a flow export")
    return flows


def _detects(platform, source: Source) -> bool:
    try:
        return bool(platform.detect(source))
    except IvrauditError:  # a file that cannot be read is reported when it is read
        return False


def _a(title: str) -> str:
    return ("an " if title[:1] in "AEIOU" else "a ") + title


def _check_forced(source: Source, platform: str) -> None:
    """A file given with ``--from`` that is plainly something else (a menu file, a flow another
    platform recognises and this one does not) is an error that says what it is."""
    known = platforms()
    title = known[platform].TITLE
    if is_menu(source):
        raise MenuError(source.path, 1, 1, f"this is an ivraudit menu file, not {_a(title)} flow",
                        f"drop --from {platform}: menu files are audited as they are")
    if _detects(known[platform], source):
        return
    others = [name for name, other in known.items()
              if name != platform and _detects(other, source)]
    if others:
        raise MenuError(source.path, 1, 1, f"this looks like {_a(known[others[0]].TITLE)} "
                        f"file, not {_a(title)} flow", f"drop --from {platform} to let ivraudit "
                        f"detect the format, or give --from {others[0]}")


def menu_of(flow: ImportedFlow, several: bool) -> Menu:
    """Check an imported flow's document like a menu file; its path names the flow when the
    file holds several (``file.json#Flow name``). A line joined from flows of several files
    has each flow checked on its own first (an error then names its own file), and each node
    keeps the file it came from."""
    for joined in flow.joined:
        load_document(joined.document(), joined.path, Path(joined.path).parent)
    menu = load_document(flow.document(), flow.path, Path(flow.path).parent, flow.assumptions)
    if flow.node_files:
        nodes = {node_id: _in_file(node, flow.node_files[node_id])
                 if node_id in flow.node_files else node for node_id, node in menu.nodes.items()}
        menu = replace(menu, nodes=nodes)
    if several:
        menu = replace(menu, path=f"{flow.path}#{flow.name}")
    return menu


def _in_file(value, path: str):
    """``value`` (a node, or any part of one) with every source position in file ``path``."""
    if isinstance(value, SourcePos):
        return replace(value, path=path)
    if isinstance(value, tuple):
        return tuple(_in_file(item, path) for item in value)
    if isinstance(value, dict):
        return {key: _in_file(item, path) for key, item in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _in_file(getattr(value, f.name), path) for f in fields(value)
                   if f.init}
        return replace(value, **changes)
    return value


def _read_all(files: list[str], options: ImportOptions, skip_unknown: frozenset[str],
              progress=None):
    """Identify every file, read every platform file's flows and link them into lines.
    Returns (file -> kind or error, file -> its lines, file -> Source). ``progress(done,
    total)``: called once before the first file, then as each file is done (a menu file once
    identified, a platform file once its flows are read)."""
    sources = {path: Source(path) for path in files}
    options = replace(options, inputs=sources)
    kinds: dict[str, str | IvrauditError | None] = {}
    flows: dict[str, list[ImportedFlow]] = {}
    done, total = 0, len(sources)
    if progress:
        progress(done, total)
    for path, source in sources.items():
        try:
            kinds[path] = identify(source, options)
        except IvrauditError as error:
            kinds[path] = error
        source.is_menu_file = kinds[path] == MENU
        if source.is_menu_file and source_kind(path) == "file":
            source.forget()  # read again when audited: thousands of menus never all in memory
        if progress and not _is_platform(kinds[path]):
            done += 1
            progress(done, total)
    for path, source in sources.items():
        kind = kinds[path]
        if not _is_platform(kind):
            continue
        helps = getattr(platforms()[kind], "helps", None)
        try:
            if helps is None or not helps(source, options):
                flows[path] = read_flows(source, kind, options)
        except IvrauditError as error:
            kinds[path] = error
        if progress:
            done += 1
            progress(done, total)
    lines: dict[str, list[ImportedFlow]] = {}
    if flows:
        from .link import link

        for line in link([flow for found in flows.values() for flow in found]):
            lines.setdefault(line.path, []).append(line)
    return kinds, lines, sources


def _is_platform(kind) -> bool:
    """Whether ``identify`` found a platform's file (not a menu, an error or nothing)."""
    return not isinstance(kind, IvrauditError) and kind not in (None, MENU)


@record
class MenuFile:
    """A file in ivraudit's own menu format, read where it is audited (``read_menu_file``): a
    folder of thousands of menus is never all in memory at once."""

    path: str


def plan_sources(files: list[str], options: ImportOptions | None = None,
                 skip_unknown: frozenset[str] = frozenset(), progress=None
                 ) -> Iterator[MenuFile | Menu | IvrauditError]:
    """What ``load_sources`` yields, with each menu file left to be read (a MenuFile). Platform
    flows are read first, all of them, so that flows handing calls to each other become one
    line (importers.link); a menu file's text is let go once it is recognised.
    ``progress(done, total)``: the files read so far (``_read_all``)."""
    kinds, lines, sources = _read_all(files, options or ImportOptions(), skip_unknown,
                                      progress)
    for path, source in sources.items():
        kind = kinds[path]
        if isinstance(kind, IvrauditError):
            yield kind
        elif kind is None:
            damaged = _damaged_flow(source) if path in skip_unknown else None
            if path not in skip_unknown:
                yield unrecognised(source)
            elif damaged is not None:
                yield damaged
        elif kind == MENU and source_kind(path) != "file":  # a pipe is read once: now
            try:
                menu = load_document(source.tree, path, source.folder, text=source.text)
                yield replace(menu, digests=((path, source.sha256),))
            except IvrauditError as error:
                yield error
        elif kind == MENU:
            yield MenuFile(path)
        else:
            own = lines.get(path, [])
            for flow in own:
                try:
                    menu = menu_of(flow, len(own) > 1)
                except IvrauditError as error:
                    yield error
                    continue
                yield replace(menu, digests=_digests(flow, sources))


def _digests(flow: ImportedFlow, sources: dict) -> tuple[tuple[str, str], ...]:
    """(file, sha256) of every input file a line was read from: its own and its linked
    flows' files, in that order, then the files it took words from (phrase files)."""
    files = dict.fromkeys([flow.path] + [joined.path for joined in flow.joined]
                          + sorted(set(flow.node_files.values()))
                          + sorted({path for line in [flow, *flow.joined]
                                    for path in line.read_files}))
    return tuple((path, sources[path].sha256) for path in files if path in sources)


def read_menu_file(path: str, keep: list | None = None) -> Menu:
    """Read and check one file in ivraudit's menu format; raises MenuError.

    ``keep``: a list given what the file was parsed into (its composed YAML nodes, and its
    ``Source`` with the document tree), which is otherwise freed once the menu is built: a
    command about to end keeps the last file's (audit.stream, ``hold``)."""
    source = Source(path, keep=keep)
    if keep is not None:
        keep.append(source)
    menu = load_document(source.tree, path, source.folder, text=source.text)
    return replace(menu, digests=((path, source.sha256),))


def load_sources(files: list[str], options: ImportOptions | None = None,
                 skip_unknown: frozenset[str] = frozenset()) -> Iterator[Menu | IvrauditError]:
    """Each menu in ``files`` (menu files and platform flows), or the error that stops it, in
    the files' order (``plan_sources``). Files in ``skip_unknown`` (found in a folder, not
    named) are passed over when no format recognises them."""
    for found in plan_sources(files, options, skip_unknown):
        if isinstance(found, MenuFile):
            try:
                found = read_menu_file(found.path)
            except IvrauditError as error:
                found = error
        yield found


def import_lines(files: list[str], options: ImportOptions | None = None,
                 skip_unknown: frozenset[str] = frozenset()
                 ) -> tuple[list[ImportedFlow], list[IvrauditError]]:
    """For `ivraudit import`: the lines in the platform files among ``files``, each checked
    like a menu file, and the errors (a menu file given, a file no format recognises, a flow
    that cannot be read)."""
    kinds, lines, sources = _read_all(files, options or ImportOptions(), skip_unknown)
    found, errors = [], []
    for path, source in sources.items():
        kind = kinds[path]
        if isinstance(kind, IvrauditError):
            errors.append(kind)
        elif kind is None:
            if path not in skip_unknown:
                errors.append(unrecognised(source))
        elif kind == MENU:
            errors.append(MenuError(path, 1, 1, "this is already an ivraudit menu file",
                                    "audit it directly: ivraudit audit " + path))
        else:
            for line in lines.get(path, []):
                try:
                    menu_of(line, False)
                except IvrauditError as error:
                    errors.append(error)
                    continue
                found.append(line)
    return found, errors


def load_one(path: str, options: ImportOptions | None = None, flow: str | None = None) -> Menu:
    """The one menu in a file (for render, simulate, call); a file with several flows needs
    ``flow`` (its name). Raises MenuError."""
    menus = []
    for found in load_sources([path], options):
        if isinstance(found, IvrauditError):
            raise found
        menus.append(found)
    if flow is not None:
        chosen = [m for m in menus if m.path.endswith(f"#{flow}")]
        if not chosen:
            names = [m.path.split("#", 1)[-1] for m in menus]
            raise MenuError(path, 1, 1, f"the file has no flow '{flow}'"
                            + did_you_mean(flow, names), "flows: " + ", ".join(names))
        return chosen[0]
    if len(menus) > 1:
        raise MenuError(path, 1, 1, f"the file holds {len(menus)} flows",
                        "name one with --flow: " + ", ".join(m.path.split("#", 1)[-1]
                                                            for m in menus))
    return menus[0]


def _register_platforms() -> None:
    """The platforms ivraudit reads, in the order `--from` lists them."""
    from . import archy, asterisk, connect, freeswitch, ncco, studio, vxml

    for platform in (connect, studio, archy, vxml, freeswitch, asterisk, ncco):
        _PLATFORMS[platform.NAME] = platform
