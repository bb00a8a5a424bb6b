"""Fast objects: ``cached_property`` without a lock, and ``record``, a dataclass made and
filled at less cost. The model's values and the rules' findings are made and read hundreds
of thousands of times per large menu."""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from operator import attrgetter
from reprlib import recursive_repr


class cached_property:  # noqa: N801 - named as the functools decorator it stands in for
    """A property computed on first read and kept in the instance's ``__dict__``, where every
    later read finds it before this (non-data) descriptor, as ``functools.cached_property``.

    Python 3.11's functools version takes a lock on every first read (about 2 µs; 3.12
    dropped the lock): 24,000 first reads in the metrics of a 5,000-menu file. Objects here
    are never shared between threads while being computed. It writes the dict directly, so
    frozen dataclasses may use it."""

    def __init__(self, function) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


def record(cls=None, /, *, frozen: bool = True, eq: bool = True):
    """A dataclass made at a third of ``@dataclass``'s cost: ``@record`` for
    ``@dataclass(frozen=True)``, ``@record(frozen=False)`` for ``@dataclass``, ``eq=False`` to
    keep identity's ``==`` and hash.

    The class is a real dataclass (``dataclasses.fields``, ``replace``, ``is_dataclass``, and
    its ``__match_args__``), with the ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and
    frozen ``__setattr__``/``__delattr__`` that dataclass would give it: the same parameters,
    defaults and default factories; ``==`` on the fields with ``compare``; repr of the fields
    with ``repr``; ``FrozenInstanceError`` on assignment. Why: Python 3.11's dataclass compiles
    each of those methods for every class (about 0.7 ms a class; ivraudit's audit makes 50 of
    them at start, a fifth of what it adds to its imports for one small menu). Here only
    ``__init__`` is compiled; the others are shared functions reading the class's field
    names. ``__init__`` writes each field straight into the instance's dict, without
    ``object.__setattr__`` (which frozen dataclasses need to get past their own
    ``__setattr__``): a fifth of the time of building a large menu's model, which makes
    hundreds of thousands of nodes, options, segments and positions. Methods the class body
    defines itself are kept, as dataclass keeps them."""
    if cls is None:
        return lambda cls: _make_record(cls, frozen, eq)
    return _make_record(cls, frozen, eq)


def _make_record(cls, frozen: bool, eq: bool):
    cls = dataclass(init=False, repr=False, eq=False)(cls)  # fields and defaults, no methods
    params = cls.__dataclass_params__  # what a dataclass subclassing it checks (frozen)
    params.init, params.repr, params.eq, params.frozen = True, True, eq, frozen
    specs = fields(cls)
    own = cls.__dict__
    cls.__init__ = _init(cls, specs)
    if "__repr__" not in own:
        cls.__repr__ = _repr_of(tuple(spec.name for spec in specs if spec.repr))
    if eq:
        compared = _getter(tuple(spec.name for spec in specs if spec.compare))
        if "__eq__" not in own:
            cls.__eq__ = _eq_of(compared)
        if "__hash__" not in own or own["__hash__"] is None:
            cls.__hash__ = _hash_of(compared) if frozen else None
    if frozen:
        names = frozenset(spec.name for spec in specs)
        cls.__setattr__ = _refuse_of(cls, names, "assign to")
        cls.__delattr__ = _refuse_of(cls, names, "delete")
    return cls


def _init(cls, specs):
    if any(spec.name in _INIT_NAMES for spec in specs):
        raise TypeError(f"{cls.__qualname__}: a record's field cannot be named "
                        f"{' or '.join(sorted(_INIT_NAMES))}")
    namespace: dict = {"MISSING": MISSING}
    parameters, lines = [], []
    for spec in specs:
        name = spec.name
        if not spec.init:
            if spec.default_factory is not MISSING:  # a plain default stays on the class
                namespace[f"_factory_{name}"] = spec.default_factory
                lines.append(f"    _stored_[{name!r}] = _factory_{name}()")
        elif spec.default is not MISSING:
            namespace[f"_default_{name}"] = spec.default
            parameters.append(f"{name}=_default_{name}")
            lines.append(f"    _stored_[{name!r}] = {name}")
        elif spec.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = spec.default_factory
            parameters.append(f"{name}=MISSING")
            lines.append(f"    _stored_[{name!r}] = "
                         f"_factory_{name}() if {name} is MISSING else {name}")
        else:
            parameters.append(name)
            lines.append(f"    _stored_[{name!r}] = {name}")
    source = f"def __init__(self, {', '.join(parameters)}):\n    _stored_ = self.__dict__\n"
    body = "\n".join(lines or ["    pass"])
    exec(source + body, namespace)  # our own field names, as dataclass does
    namespace["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    return namespace["__init__"]


_INIT_NAMES = frozenset(("self", "MISSING", "_stored_"))  # the names __init__ itself uses


def _getter(names: tuple[str, ...]):
    """The tuple of ``names``' values of an instance (``attrgetter`` gives a bare value for one)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda instance: (one(instance),)
    return lambda instance: ()


def _repr_of(names: tuple[str, ...]):
    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"
    return __repr__


def _eq_of(compared):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented
    return __eq__


def _hash_of(compared):
    def __hash__(self) -> int:
        return hash(compared(self))
    return __hash__


def _refuse_of(cls, names: frozenset[str], doing: str):
    def refuse(self, name, *value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot {doing} field {name!r}")
        setter = super(cls, self).__setattr__ if value else super(cls, self).__delattr__
        setter(name, *value)
    refuse.__name__ = "__setattr__" if doing == "assign to" else "__delattr__"
    return refuse
