"""Fast frozen objects: ``cached_property`` without a lock, and ``stored_fields``, a frozen
dataclass's ``__init__`` without ``object.__setattr__``. The model's values and the rules'
findings are made and read hundreds of thousands of times per large menu."""

from __future__ import annotations

from dataclasses import MISSING, fields


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


def stored_fields(cls):
    """A frozen dataclass declared with ``init=False``, given the ``__init__`` dataclass would
    write, except that each field goes straight into the instance's dict instead of through
    ``object.__setattr__`` (which frozen classes need to get past their own ``__setattr__``):
    a fifth of the time of building a large menu's model, which makes hundreds of thousands
    of nodes, options, segments and positions, and of the findings and messages of its rules.
    Same parameters, defaults and default factories; instances stay frozen. Put it above
    ``@dataclass(frozen=True, init=False)``."""
    namespace: dict = {"MISSING": MISSING}
    parameters, lines = [], []
    for spec in fields(cls):
        name = spec.name
        if spec.default is not MISSING:
            namespace[f"_default_{name}"] = spec.default
            parameters.append(f"{name}=_default_{name}")
            lines.append(f"    stored[{name!r}] = {name}")
        elif spec.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = spec.default_factory
            parameters.append(f"{name}=MISSING")
            lines.append(f"    stored[{name!r}] = _factory_{name}() if {name} is MISSING else {name}")
        else:
            parameters.append(name)
            lines.append(f"    stored[{name!r}] = {name}")
    source = f"def __init__(self, {', '.join(parameters)}):\n    stored = self.__dict__\n"
    exec(source + "\n".join(lines), namespace)  # our own field names, as dataclass does
    namespace["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = namespace["__init__"]
    return cls
