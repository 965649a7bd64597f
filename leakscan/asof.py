"""The scan's reference date: the one "today" every rule that depends on the date reads.

A birth date in the future is not valid (resident IDs), a person is a minor under 14 relative
to some day (cross-border rules): both must read the same day, and a report must say which,
or two runs over the same evidence a day apart could count differently without saying why.
The day comes from ``--as-of DATE``, else ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention, seconds since 1970, read as a UTC date), else the clock (UTC).

SQL reads it as ``{AS_OF_SQL}`` (a DuckDB variable the scanner sets on its connection;
outside a scan, e.g. in a categorizer's own tests, it falls back to ``current_date``). Python
twins read ``reference_date()``, which the scanner sets for the duration of the scan through a
context variable, so both twins agree on the day.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import os

from .errors import UsageError

#: The DuckDB variable that holds the reference date during a scan.
VARIABLE = "leakscan_as_of"
#: What a categorizer's SQL writes where it means "today".
AS_OF_SQL = f"coalesce(getvariable('{VARIABLE}'), current_date)"

_current: contextvars.ContextVar[datetime.date | None] = contextvars.ContextVar(
    "leakscan_as_of", default=None)


def resolve(as_of: str | datetime.date | None) -> tuple[datetime.date, str]:
    """The reference date and where it came from: ``option``, ``SOURCE_DATE_EPOCH`` or
    ``clock``."""
    if isinstance(as_of, datetime.date):
        return as_of, "option"
    if as_of:
        try:
            return datetime.date.fromisoformat(str(as_of).strip()), "option"
        except ValueError:
            raise UsageError(f"--as-of must be a date such as 2025-06-30, not {as_of!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date(),
                "SOURCE_DATE_EPOCH")
    return datetime.datetime.now(datetime.UTC).date(), "clock"


def reference_date() -> datetime.date:
    """The scan's reference date, or today (UTC) outside a scan."""
    day = _current.get()
    return day if day is not None else datetime.datetime.now(datetime.UTC).date()


@contextlib.contextmanager
def using(con, day: datetime.date):
    """Make ``day`` the reference date for the SQL on ``con`` and for Python twins."""
    con.execute(f"SET VARIABLE {VARIABLE} = DATE '{day.isoformat()}'")
    token = _current.set(day)
    try:
        yield day
    finally:
        _current.reset(token)
