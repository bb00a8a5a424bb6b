"""ivraudit: audit IVR phone menus for how hard they make it to reach a person.

The command line is ``ivraudit``; the same work from Python (a notebook, a script)::

    import ivraudit

    menu = ivraudit.load_menu("menus/bank.yaml")         # the model: menu.nodes, menu.entry
    result = ivraudit.audit_file("menus/bank.yaml")      # one menu's metrics and findings
    result.scenarios["default"].steps_to_human           # 1 (key presses)
    result.graph                                         # the networkx.MultiDiGraph
    run = ivraudit.audit_paths(["menus/"], policy="gethuman")
    run.counts(), run.exit_code()

Every function raises ``MenuError`` or ``PolicyError`` (both ``IvrauditError``, with ``path``,
``line``, ``column``, ``message`` and ``hint``) for input it cannot use. Heavy modules are
imported on first use.
"""

from __future__ import annotations

from .errors import IvrauditError, MenuError, PolicyError

__version__ = "0.1.0"
__all__ = ["__version__", "load_menu", "audit_file", "audit_paths", "IvrauditError",
           "MenuError", "PolicyError"]


def load_menu(path, platform=None, flow=None):
    """Read and check one menu file or platform flow: a ``Menu`` (ivraudit.format.model).
    ``platform``: force a platform (as ``--from``); ``flow``: which flow of a file that holds
    several. Raises MenuError."""
    from .importers import ImportOptions, load_one

    return load_one(str(path), ImportOptions.from_command_line(platform, None), flow)


def _policy(policy):
    from .audit import policy as policies

    if policy is None:
        return policies.defaults()
    return policies.load(policy) if isinstance(policy, str) else policy


def audit_file(path, policy=None):
    """Audit one menu file: a ``MenuResult`` (``.menu``, ``.graph``, ``.scenarios`` with each
    scenario's metrics, ``.findings``). ``policy``: a built-in name, a policy file, a
    ``Policy`` or None for the default. Raises MenuError or PolicyError."""
    from .audit.auditor import audit_file as audit

    return audit(str(path), _policy(policy))


def audit_paths(paths, policy=None, fail_on="error"):
    """Audit menu files and folders: an ``AuditRun`` (``.results``, ``.errors`` for the files
    that could not be read, ``.counts()``, ``.exit_code()``). Raises PolicyError."""
    from .audit.auditor import audit_paths as audit

    return audit([str(p) for p in paths], _policy(policy), fail_on=fail_on)
