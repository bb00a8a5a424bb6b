"""What the Connect, Studio and Archy importers share: run-time decisions as named conditions
with their scenarios, prompts (text, recordings, run-time values) as segments with their
lengths, and a menu cut out of one prompt (SPEC section 10).

Scenarios: a decision the file leaves to run time (a Lambda's result, the hours of operation,
a queue at capacity, an attribute compare) becomes a condition. Each condition either holds in
the `default` scenario (the platform working as meant: hours open, functions answering,
agents staffed) or not (a value compare: none of its cases holds, so the file's own fallback
is taken); each documented case that differs from `default` is a scenario of its own in which
only that decision is turned (`closed`, `lambda_CheckVIP_fails`, `queue_full`). The number of
scenarios grows with the number of decisions, never with their product.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from ..i18n import N_, Message, msg
from ..util.cached import record
from .announce import named_keys, split_prompt
from .base import ImportedFlow, Position
from .prompts import UNKNOWN_PROMPT_SECONDS, recording_beside

_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
UNKNOWN_PROMPT_SOURCE = "docs/importers.md (recordings and run-time prompts)"


def name_part(text: object, limit: int = 48) -> str:
    """``text`` as part of a condition, scenario or node name: [A-Za-z0-9_.-] only."""
    cleaned = _NOT_NAME.sub("_", str(text)).strip("_.-")
    return cleaned[:limit].rstrip("_.-") or "x"


def node_name(kind: str, identifier: str) -> str:
    """A readable node id for a platform action: ``play_95250467`` for a UUID identifier, the
    identifier itself (made safe) for a friendly one."""
    if _UUID.match(identifier):
        return f"{kind}_{identifier[:8]}"
    return name_part(identifier)


def reserve_id(flow: ImportedFlow, taken: set[str], wanted: str) -> str:
    """A new node id for ``wanted`` (ImportedFlow.new_id), also unlike the ids in ``taken``
    (nodes named before they are added); it joins ``taken``."""
    node_id = flow.new_id(wanted)
    base, n = node_id, 1
    while node_id in taken:
        n += 1
        node_id = f"{base}_{n}"
    taken.add(node_id)
    return node_id


@record(frozen=False)
class Decisions:
    """The conditions of one flow and the scenarios that cover their documented cases."""

    baseline: set[str] = field(default_factory=set)
    flips: dict[str, set[str]] = field(default_factory=dict)  # scenario -> conditions turned

    def condition(self, name: str, holds: bool, scenario: str | None) -> str:
        """Declare condition ``name`` (made safe); ``holds``: whether it holds in `default`;
        ``scenario``: the scenario in which it is turned (None: no scenario takes the other
        case, e.g. a platform error branch). Returns the condition's name."""
        name = name_part(name, 80)
        if holds:
            self.baseline.add(name)
        if scenario is not None:
            self.flips.setdefault(name_part(scenario, 80), set()).add(name)
        return name

    def apply(self, flow: ImportedFlow, pos: Position) -> None:
        """Write the scenarios into the flow (none when the flow decides nothing at run time)."""
        if not self.flips and not self.baseline:
            return
        scenarios = {"default": sorted(self.baseline)}
        for name in sorted(self.flips):
            scenarios.setdefault(name, sorted(self.baseline ^ self.flips[name]))
        flow.set("scenarios", scenarios, pos)


@record(frozen=False)
class Prompt:
    """A prompt as an importer found it: ``fields`` are the segment fields to write (`say`,
    `audio` or `duration`); ``words`` the text when its words are known (announcements can
    then be found in it)."""

    fields: dict
    words: str | None = None

    @property
    def silent(self) -> bool:
        return not self.fields


def text_prompt(text: str) -> Prompt:
    return Prompt({"say": text}, text) if text.strip() else Prompt({})


def recorded_prompt(flow: ImportedFlow, options, pos: Position, node: str | None,
                    what: Message, *references: str | None, source: str = "") -> Prompt:
    """A recording or a run-time prompt named by ``references`` (a prompt name, ARN, URL or
    expression): measured when its WAV file is beside the input, else its length from
    ``--prompts``, else the documented default (an assumption)."""
    folder = Path(flow.path).parent
    for reference in references:
        found = recording_beside(folder, reference) if reference else None
        if found:
            return Prompt({"audio": found})
    seconds = options.prompts.lookup(*references)
    shown = next((r for r in references if r), "?")
    if seconds is not None:
        flow.assume(msg(N_("{what} '{shown}' plays {seconds} s (from --prompts); its words are "
                           "not in the file"),
                        what=what, shown=shown, seconds=f"{float(seconds):g}"),
                    pos, options.prompts.path, node)
        return Prompt({"duration": float(seconds)})
    flow.assume(msg(N_("{what} '{shown}': its length is not known and counts as "
                       "{unknown_prompt_seconds} s, and its words are not in the file (give its "
                       "length with --prompts)"),
                    what=what, shown=shown, unknown_prompt_seconds=UNKNOWN_PROMPT_SECONDS),
                pos, source or UNKNOWN_PROMPT_SOURCE, node)
    return Prompt({"duration": UNKNOWN_PROMPT_SECONDS})


def joined(prompts: list[Prompt], folder: Path) -> Prompt:
    """Several prompts played one after the other, as one segment: the words are known only
    when every part's are; lengths of recordings (found in ``folder``) add to the estimate of
    the text."""
    parts = [p for p in prompts if not p.silent]
    if not parts:
        return Prompt({})
    if len(parts) == 1:
        return parts[0]
    if all(p.words is not None for p in parts):
        return text_prompt(" ".join(p.words for p in parts))
    from ..format.durations import SpeechRate, estimate
    total = 0.0
    for part in parts:
        if "duration" in part.fields:
            total += part.fields["duration"]
        elif "say" in part.fields:
            total += float(estimate(part.fields["say"], SpeechRate()))
        else:  # a recording found beside the input: measured here, as the loader would
            from ..format.durations import wav_seconds
            total += float(wav_seconds(folder / part.fields["audio"]))
    return Prompt({"duration": total})


def menu_fields(prompt: Prompt, keys: list[str]) -> tuple[dict, dict[str, str | None]]:
    """A menu's own fields (intro `say`, `outro`) and each key's announcement (None: hidden)
    from the one prompt that plays for the whole menu (SPEC section 10)."""
    if prompt.words is None:
        return dict(prompt.fields), {key: None for key in keys}
    cut = split_prompt(prompt.words, keys)
    fields = {"say": cut.intro} if cut.intro else {}
    if cut.outro:
        fields["outro"] = cut.outro
    return fields, {key: cut.options.get(key) for key in keys}


def unrouted_keys(prompt: Prompt, keys) -> list[str]:
    """Keys the prompt tells the caller to press that no option routes."""
    if prompt.words is None:
        return []
    return [key for key in named_keys(prompt.words) if key not in set(keys)]


def strip_ssml(text: str) -> str:
    """The words of an SSML prompt (tags removed, entities decoded)."""
    import html
    return html.unescape(re.sub(r"<[^>]*>", " ", text)).strip()
