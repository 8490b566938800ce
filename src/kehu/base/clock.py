"""The one place that reads the time. KEHU_NOW freezes it (ISO 8601, local time)."""

import os
from datetime import datetime, tzinfo

from kehu.base.errors import BadInput
from kehu.base.i18n import _

# The years a date kehu reads may fall in (typed, in a file, or KEHU_NOW): wide enough for any
# customer's story, narrow enough that every instant converts to every time zone (the stdlib
# stops at year 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def now(tz: tzinfo) -> datetime:
    """Now, aware, in the user's time zone, to the second."""
    frozen = os.environ.get("KEHU_NOW")
    if not frozen:
        return datetime.now(tz).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(frozen)
    except ValueError:
        raise BadInput(
            _(
                "KEHU_NOW={value!r} is not an ISO 8601 time; accepted: 2026-11-22T09:00 (local "
                "time) or with an offset, 2026-11-22T09:00+08:00"
            ).format(value=frozen)
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadInput(
            _("KEHU_NOW={value!r} is out of range; accepted: a time in the years {first} to "
              "{last}").format(value=frozen, first=FIRST_YEAR, last=LAST_YEAR)
        )  # fmt: skip
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)
