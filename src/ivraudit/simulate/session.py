"""What `ivraudit simulate` and `ivraudit call` do, behind their thin click commands."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ..errors import did_you_mean
from ..format.model import Menu
from ..util.cached import record
from .errors import SimulateError
from .personas import Persona, load as load_persona
from .script import SAY, SILENCE, ScriptedCall, parse_keys, run_script, timing_of

DEFAULT_CALLERS = 10_000
# States of a persona's chain (a node and a failure count): a line of 50,000 menus that a caller
# can walk end to end has 300,000; past this many the chain takes many seconds and gigabytes to
# build (`max_failures: 4294967296` would take hours).
MAX_STATES = 500_000


@record
class Line:
    """A menu loaded for simulation, in one scenario."""

    menu: Menu
    graph: object
    scenario: str
    conditions: frozenset[str]


def open_line(path: str, scenario: str | None, options=None, flow: str | None = None) -> Line:
    """Load a menu or a platform flow (MenuError for a bad file; ``options`` and ``flow`` as
    importers.load_one takes them) and pick the scenario (the first by default)."""
    from ..analysis.graph import build_graph
    from ..importers import load_one

    menu = load_one(path, options, flow)
    if scenario is None:
        scenario = next(iter(menu.scenarios))
    elif scenario not in menu.scenarios:
        raise SimulateError(f"{path} has no scenario '{scenario}'"
                            + did_you_mean(scenario, menu.scenarios),
                            "scenarios: " + ", ".join(menu.scenarios))
    return Line(menu, build_graph(menu), scenario, menu.scenarios[scenario])


def persona_named(name: str | None, default: str) -> Persona:
    return load_persona(name or default)


def scripted(line: Line, keys: str, persona: Persona) -> ScriptedCall:
    """One call with the keys of ``--keys``, timed as the persona presses."""
    tokens = parse_keys(keys)
    if not persona.presses_keys and any(token != SILENCE and not token.startswith(SAY)
                                        for token in tokens):
        raise SimulateError(f"the persona '{persona.name}' presses no keys, but --keys has some",
                            "leave out --keys for its statistics, give only '-' and say: "
                            "tokens, or choose another persona")
    if not persona.speaks and persona.knowledge == "none" and any(
            token.startswith(SAY) for token in tokens):
        raise SimulateError(f"the persona '{persona.name}' neither presses keys nor speaks",
                            "choose a persona that speaks (keypad-free) or presses keys")
    patience = None if persona.patience is None else Fraction(repr(persona.patience))
    return run_script(line.menu, line.conditions, tokens, timing_of(persona.knowledge), patience)


@record
class Statistics:
    persona: Persona
    states: int
    montecarlo: object | None  # montecarlo.MonteCarloResult
    exact: object | None  # markov.ExactResult; None for a persona with patience
    note: str = ""


def require_numeric_extra() -> None:
    """numpy and scipy are there (the `simulate` extra), or an error saying how to install them;
    scripted calls with --keys and `ivraudit call` work without them."""
    from ..util.extras import require

    require("simulate", "numpy", "scipy")


def statistics(line: Line, persona: Persona, callers: int, seed: int,
               progress: Callable[[int, int], None] | None = None) -> Statistics:
    """Monte Carlo over ``callers`` callers (0: none) and, without patience, the exact result.
    Raises SimulateError when numpy or scipy is missing."""
    require_numeric_extra()
    from .chain import ChainTooLarge, build_chain
    from .markov import solve
    from .montecarlo import run

    try:
        chain = build_chain(line.menu, line.graph, line.conditions, persona, MAX_STATES)
    except ChainTooLarge:
        raise SimulateError(f"{line.menu.path}: a caller can be in more than {MAX_STATES:,} "
                            "different places (a node and its failure count) here, too many "
                            "to simulate", "check `max_failures` (a real menu allows a few "
                            "failures)") from None
    solved = solve(chain, steps=bool(callers))  # the Monte Carlo plans its rounds with it
    sampled = run(chain, callers, seed, progress, solved) if callers else None
    note = ""
    if persona.patience is not None:
        solved = None
        note = (f"no exact result: '{persona.name}' hangs up after {persona.patience:g} s, which "
                "the Markov chain (no clock in its states) cannot express")
    return Statistics(persona, len(chain), sampled, solved and solved.result, note)


def check_options(keys: str | None, persona: str | None, callers: int | None) -> None:
    """Command-line combinations that make no sense."""
    if keys is None and persona is None:
        raise SimulateError("nothing to simulate",
                            "give --keys \"3 2\" for one scripted call, or --persona NAME for "
                            "the statistics of many callers")
    if keys is not None and callers is not None:
        raise SimulateError("--callers is for statistics over many callers, not for a scripted "
                            "call (--keys)", "leave out one of the two")
