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
