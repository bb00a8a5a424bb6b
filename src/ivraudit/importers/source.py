"""One input file, read once: its bytes, its text, and (for YAML and JSON) its parsed tree.

Identifying a file and importing it both read from the same ``Source``, so a menu file is
parsed once, as before importers existed.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

from ..errors import MenuError
from ..format.yamlsource import decode, parse
from ..util.inputs import read_bytes

# JSON is read by the YAML parser (a JSON document is a YAML flow document), which gives every
# value its line and column.
TREE_SUFFIXES = (".yaml", ".yml", ".json")


class Source:
    """A file named on the command line or found in a folder. ``path`` as given (posix)."""

    def __init__(self, path: str, data: bytes | None = None, keep: list | None = None) -> None:
        self.path = path
        self._data = data
        self._keep = keep  # given the composed YAML nodes of ``tree`` (yamlsource.parse)
        # identified as a menu in ivraudit's format (set by importers._read_all, from
        # importers.identify): never searched for includes or phrase macros by a platform
        # looking across the inputs
        self.is_menu_file = False

    @cached_property
    def data(self) -> bytes:
        if self._data is not None:
            return self._data
        try:  # named by the user (a pipe is read too), never more than a menu could be
            return read_bytes(self.path, regular_only=False)
        except OSError as exc:
            raise MenuError(self.path, 1, 1, f"cannot read the file: {exc.strerror or exc}",
                            "check the path and its permissions") from None

    @cached_property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes as read (hex): what reports say was audited."""
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def text(self) -> str:
        """The file as UTF-8 text (a MenuError names the first bad byte)."""
        return decode(self.data, self.path)

    @cached_property
    def tree(self) -> object:
        """The YAML or JSON document with positions (PosDict/PosList/scalars); MenuError if it
        does not parse."""
        return parse(self.text, self.path, keep=self._keep)

    @cached_property
    def lenient_tree(self) -> object:
        """The tree as platform templates need it: CloudFormation's YAML tags (``!Sub``,
        ``!Ref``...) read as text, Terraform template syntax in JSON kept as opaque strings,
        a flow file's positions unchanged (importers.templates); MenuError if even so the
        file does not parse."""
        if self.has_tree():
            return self.tree
        from .templates import parse_lenient
        return parse_lenient(self.text, self.path)

    def has_lenient_tree(self) -> bool:
        """Whether the file parses leniently (its tree is then cached)."""
        try:
            self.lenient_tree
        except MenuError:
            return False
        return True

    @cached_property
    def xml(self):
        """The XML root element with positions (importers.xml.XmlElement); MenuError if the
        file is not well-formed XML or declares entities."""
        from .xml import parse_xml

        return parse_xml(self.data, self.path)

    def has_xml(self) -> bool:
        """Whether the file is well-formed XML (its root is then cached)."""
        from .xml import looks_like_xml

        try:
            return looks_like_xml(self.data) and self.xml is not None
        except MenuError:
            return False

    def forget(self) -> None:
        """Let go of what was read (bytes, text, tree); it is read again when asked for."""
        for cached in ("data", "text", "tree", "lenient_tree", "xml"):
            self.__dict__.pop(cached, None)

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower()

    @property
    def folder(self) -> Path:
        return Path(self.path).parent

    def has_tree(self) -> bool:
        """Whether the file parses as YAML or JSON (its tree is then cached)."""
        try:
            self.tree
        except MenuError:
            return False
        return True
