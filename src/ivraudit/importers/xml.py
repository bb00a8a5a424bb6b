"""XML platform files (VoiceXML, FreeSWITCH) read safely, every element with its line and column.

The parser is defusedxml's hardened expat parser: an entity declaration (the "billion laughs"
and external-entity attacks) or an external entity reference is refused, and nothing is
fetched: a DOCTYPE that names an external DTD (the W3C's own VoiceXML DOCTYPE) is read past,
never loaded. Elements nested more than ``MAX_DEPTH`` deep are refused too (every walk over
them recurses). Errors name the file, line and column. Elements keep their local name (namespaces dropped: real VoiceXML files are written
with and without ``xmlns``), their attributes, and their content in order: child elements and
text pieces, so that a prompt's words and the ``<break/>`` or ``<value/>`` inside it stay in
place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field

from ..errors import MenuError
from ..util.cached import record

Position = tuple[int, int]
MAX_DEPTH = 64  # elements inside elements; real VoiceXML and FreeSWITCH files nest under 20


@record(frozen=False)
class XmlElement:
    """One element: ``tag`` (local name), ``attrib`` (local names), ``content`` (child
    elements and text, in document order) and ``pos`` (line, column of its start tag)."""

    tag: str
    attrib: dict[str, str]
    pos: Position
    content: list = field(default_factory=list)  # XmlElement | str
    namespace: str = ""
    parent: XmlElement | None = field(default=None, repr=False, compare=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    @property
    def children(self) -> list[XmlElement]:
        return [item for item in self.content if isinstance(item, XmlElement)]

    def find(self, *tags: str) -> XmlElement | None:
        """The first child with one of ``tags``."""
        return next((child for child in self.children if child.tag in tags), None)

    def findall(self, *tags: str) -> list[XmlElement]:
        return [child for child in self.children if child.tag in tags]

    def iter(self, *tags: str) -> Iterator[XmlElement]:
        """This element and every element inside it (document order), of ``tags`` if given."""
        if not tags or self.tag in tags:
            yield self
        for child in self.children:
            yield from child.iter(*tags)

    def text(self) -> str:
        """All the text inside, white space collapsed."""
        parts: list[str] = []
        for item in self.content:
            parts.append(item if isinstance(item, str) else item.text())
        return " ".join(" ".join(parts).split())

    def own_text(self) -> str:
        """The text directly inside (not in child elements), white space collapsed."""
        return " ".join(" ".join(i for i in self.content if isinstance(i, str)).split())


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


class _Builder:
    """An ElementTree parser target that records where each element starts."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.expat = None  # the expat parser, set once it exists
        self.stack: list[XmlElement] = []
        self.root: XmlElement | None = None

    def start(self, tag: str, attrib: dict) -> None:
        pos = (self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1)
        if len(self.stack) >= MAX_DEPTH:  # every walk over the elements recurses
            raise MenuError(self.path, *pos, f"elements are nested more than {MAX_DEPTH} "
                            "levels deep", "a menu never needs this; check for unclosed tags")
        element = XmlElement(_local(tag), {_local(k): v for k, v in attrib.items()}, pos,
                             namespace=_namespace(tag))
        if self.stack:
            element.parent = self.stack[-1]
            self.stack[-1].content.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            content = self.stack[-1].content
            if content and isinstance(content[-1], str):
                content[-1] += text
            else:
                content.append(text)

    def close(self) -> XmlElement | None:
        return self.root


def parse_xml(data: bytes, path: str) -> XmlElement:
    """The root element of an XML file; MenuError (file, line, column) when it is not
    well-formed or declares entities or external references."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    builder = _Builder(path)
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as exc:
        line, column = getattr(exc, "position", (1, 0))
        reason = str(exc).split(":")[0]
        raise MenuError(path, line, column + 1, f"the XML is not well-formed ({reason})",
                        "fix the markup at this place (an unclosed or mismatched tag, a stray "
                        "'&' or '<')") from None
    except LookupError as exc:  # <?xml encoding="..."?> that Python has no codec for
        raise MenuError(path, 1, 1, f"the XML declares an encoding ivraudit cannot read "
                        f"({exc})", "save the file as UTF-8 and declare encoding=\"UTF-8\"") \
            from None
    except DefusedXmlException as exc:
        expat = builder.expat
        raise MenuError(path, expat.CurrentLineNumber, expat.CurrentColumnNumber + 1,
                        f"the XML declares {_what(exc)}, which ivraudit refuses to expand or "
                        "fetch", "remove the DOCTYPE's entity declarations (a menu file needs "
                        "none)") from None
    if root is None:
        raise MenuError(path, 1, 1, "the file holds no XML element", "give a VoiceXML or "
                        "FreeSWITCH XML file")
    return root


def _what(exc) -> str:
    name = type(exc).__name__
    if name == "EntitiesForbidden":
        return f"an entity ('{getattr(exc, 'name', '')}')"
    if name == "DTDForbidden":
        return "a DTD"
    return "an external reference"


def looks_like_xml(data: bytes) -> bool:
    """Whether a file starts like XML (after a byte order mark and white space)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")
