"""The rule catalogue: one module per rule, registered here explicitly."""

from __future__ import annotations

from . import (
    ask_once, barge_in_enabled, dtmf_fallback, elder_direct_human, elderly_reach,
    forced_audio_before_human, human_option_announced_early, human_reachable, import_assumption,
    input_timeout, key_conventions, language_default, menu_breadth, menu_depth,
    mistype_no_replay, no_ads_before_human, no_disconnect_on_error, one_key_human,
    menu_structure, person_only_by_failing, person_promised, queue_no_hangup,
    retry_limit_then_human, silent_caller_reaches_human, spoken_request_for_person,
    time_to_human, transfer_out, waiver_expired, wait_announced, zero_for_operator,
)
from ..errors import did_you_mean
from .base import Rule

_MODULES = (
    human_reachable, zero_for_operator, one_key_human, elder_direct_human,
    human_option_announced_early, forced_audio_before_human, time_to_human, menu_breadth,
    menu_depth, barge_in_enabled, no_disconnect_on_error, retry_limit_then_human,
    mistype_no_replay, input_timeout, key_conventions, no_ads_before_human, dtmf_fallback,
    wait_announced, silent_caller_reaches_human, menu_structure, waiver_expired, elderly_reach,
    import_assumption, queue_no_hangup, person_promised, person_only_by_failing,
    spoken_request_for_person, ask_once, transfer_out, language_default,
)
RULES: tuple[Rule, ...] = tuple(sorted((m.RULE for m in _MODULES), key=lambda r: r.id))
_BY_KEY = {key: rule for rule in RULES for key in (rule.id, rule.name)}


def get(name_or_id: str) -> Rule | None:
    """A rule by its id (IVR003) or name (one-key-human); None if there is none."""
    return _BY_KEY.get(name_or_id) or _BY_KEY.get(name_or_id.upper())


def unknown(name_or_id: object) -> tuple[str, str]:
    """The error message and hint for a rule name or id that names no rule."""
    return (f"unknown rule '{name_or_id}'" + did_you_mean(name_or_id, _BY_KEY, cutoff=0.5),
            "`ivraudit rules` lists every rule")
