"""Dates in menus and policies: a waiver's `expires`, written YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: \d takes any script's
DATE_HINT = "write a real date as YYYY-MM-DD in ASCII digits, e.g. 2027-03-31"


def date_problem(value: object) -> str | None:
    """Why ``value`` is not a calendar date written YYYY-MM-DD, or None when it is one.

    Waivers compare these strings with today's to expire, so only one spelling is allowed.

    >>> date_problem("2027-03-31") is None
    True
    >>> date_problem("2027-02-30"), date_problem("２０２７-０１-０１")
    ('2027-02-30 is not a day of the calendar', '２０２７-０１-０１ is not written YYYY-MM-DD')
    """
    text = str(value)
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(text):
        return f"{text} is not written YYYY-MM-DD"
    try:
        date.fromisoformat(text)
    except ValueError:
        return f"{text} is not a day of the calendar"
    return None


def audit_date(given: str | None = None, environ=None) -> str:
    """The date an audit is of (YYYY-MM-DD): ``given`` (``--date``), else the UTC day of
    SOURCE_DATE_EPOCH (reproducible-builds.org: a build that must give the same bytes sets it),
    else today. Raises ValueError for a date or an epoch that is not one.

    >>> audit_date("2026-05-01"), audit_date(None, {"SOURCE_DATE_EPOCH": "1777593600"})
    ('2026-05-01', '2026-05-01')
    """
    import os
    from datetime import datetime, timezone

    if given is not None:
        problem = date_problem(given)
        if problem:
            raise ValueError(problem)
        return given
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isascii() or not epoch.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH is {epoch!r}, not a number of seconds since "
                             "1970-01-01")
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"SOURCE_DATE_EPOCH is {epoch}, past any date") from None
    return date.today().isoformat()
