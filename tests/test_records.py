"""``util.cached.record`` stands in for ``@dataclass``: every model value, finding and result is
one, so it must behave as the dataclass it replaces (compared field by field with a real one
here) while costing less to define."""

from __future__ import annotations

import dataclasses
import pickle
import time
from dataclasses import field

import pytest

from ivraudit.util.cached import record


def _declare(decorate):
    @decorate
    class Call:
        number: str
        seconds: float = 0.0
        keys: tuple = ()
        notes: list = field(default_factory=list, compare=False, repr=False)
        seen: tuple = field(default=(), init=False, compare=False)

    return Call


RECORD = _declare(record)
DATACLASS = _declare(dataclasses.dataclass(frozen=True))


@record
class Found:  # at module level, so that pickle finds it
    rule: str
    nodes: tuple = ()


def test_made_and_shown_as_the_dataclass_would_be():
    for cls in (RECORD, DATACLASS):
        call = cls("12345", 2.5, ("1", "0"))
        assert repr(call).endswith("Call(number='12345', seconds=2.5, keys=('1', '0'), seen=())")
        assert call.notes == [] and call.seen == ()
        assert [spec.name for spec in dataclasses.fields(call)] == \
            ["number", "seconds", "keys", "notes", "seen"]
        assert cls.__match_args__ == ("number", "seconds", "keys", "notes")
        with pytest.raises(TypeError):
            cls("12345", seen=(1,))  # a field outside __init__ is not a parameter


def test_equal_and_hashed_on_the_compared_fields_only():
    first, second = RECORD("110", 1.0, notes=["a"]), RECORD("110", 1.0, notes=["b"])
    assert first == second and hash(first) == hash(second)
    assert first != RECORD("119", 1.0)
    assert first != DATACLASS("110", 1.0)  # another class is never equal, as dataclass says
    assert len({first, second, RECORD("119")}) == 2
    assert RECORD("110").notes is not RECORD("110").notes  # a fresh default each time


def test_frozen_unless_asked_otherwise():
    call = RECORD("110")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'number'"):
        call.number = "119"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del call.keys
    loose = _declare(record(frozen=False))("110")
    loose.number = "119"
    assert loose.number == "119"
    with pytest.raises(TypeError):  # a mutable dataclass with == is unhashable
        hash(loose)
    identity = _declare(record(eq=False))("110")
    assert identity != _declare(record(eq=False))("110") and hash(identity)


def test_replace_and_pickle_keep_the_values():
    call = RECORD("12345", 3.0, ("0",))
    changed = dataclasses.replace(call, seconds=4.0)
    assert (changed.number, changed.seconds, call.seconds) == ("12345", 4.0, 3.0)
    found = Found("IVR003", ("menu0",))
    assert pickle.loads(pickle.dumps(found)) == found  # results cross processes (--jobs)


def test_own_methods_are_kept():
    @record
    class Shown:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Shown("menu")) == "<menu>"


def test_cheaper_to_define_than_a_dataclass():
    """The reason it exists: defining classes is most of what ivraudit's imports cost."""
    def cost(decorate) -> float:
        started = time.process_time()
        for _ in range(60):
            _declare(decorate)
        return time.process_time() - started

    cost(record), cost(dataclasses.dataclass(frozen=True))  # warm both
    ratios = sorted(cost(record) / cost(dataclasses.dataclass(frozen=True)) for _ in range(3))
    assert ratios[1] < 0.7


def test_a_frozen_dataclass_may_extend_one():
    @dataclasses.dataclass(frozen=True)
    class Placed(Found):
        line: int = 0

    placed = Placed("IVR003", ("menu0",), 7)
    assert (placed.rule, placed.line) == ("IVR003", 7)
    with pytest.raises(TypeError):  # as for a frozen dataclass: a mutable one may not
        @dataclasses.dataclass
        class Loose(Found):
            line: int = 0


def test_any_field_name_but_the_few_init_itself_uses():
    @record
    class Stored:
        stored: int
        self_check: str = ""

    assert Stored(5).stored == 5
    with pytest.raises(TypeError, match="cannot be named"):
        @record
        class Clashing:
            MISSING: int
