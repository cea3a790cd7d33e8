"""The one clock every part of Loan Desk reads: dates of consent, pack validity, stamps on records.

Nothing else calls ``date.today()`` or ``datetime.now()``, so a test (or a training room) can pin the
calendar in one place. A pinned clock keeps ticking from the pinned instant, so records made one after
another still sort in the order they were made.

``LOANDESK_CLOCK`` (an ISO date or date-time) pins it for a whole process, which is how tests pin the
command-line processes they start.
"""

from __future__ import annotations

import datetime as dt
import os

ENV_VAR = "LOANDESK_CLOCK"

_offset = dt.timedelta(0)


def _real_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse_instant(text: str) -> dt.datetime:
    """An ISO date (taken as noon UTC, the same calendar day across the world's office hours) or date-time."""
    text = text.strip()
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def pin(start: dt.datetime | dt.date | str | None) -> None:
    """Make the clock read ``start`` now and tick on from there; None follows the real clock again."""
    global _offset
    if start is None:
        _offset = dt.timedelta(0)
        return
    if isinstance(start, str):
        start = parse_instant(start)
    elif not isinstance(start, dt.datetime):
        start = dt.datetime(start.year, start.month, start.day, 12, tzinfo=dt.UTC)
    elif start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
    _offset = start - _real_now()


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return _real_now() + _offset


def today() -> dt.date:
    """Today's date where the user is (the machine's local time zone)."""
    return now().astimezone().date()


def stamp() -> str:
    """The current instant as stored on records: ISO 8601, UTC, milliseconds."""
    return now().isoformat(timespec="milliseconds")


if os.environ.get(ENV_VAR):
    pin(os.environ[ENV_VAR])
