"""A small, repeatable shift of a relationship call's date, so care does not feel like a timetable.

The shift depends only on the customer and the period (the how-many-th keep-in-touch interval), so
the same morning always gives the same list. blake2b, not hash(): Python salts hash() per process.
"""

import hashlib

DEFAULT_SPREAD = 3  # days either way


def jitter_days(customer_id: int | str, period: int, *, spread: int = DEFAULT_SPREAD) -> int:
    """A whole number of days in [-spread, spread], the same for the same customer and period."""
    if spread < 0:
        raise ValueError(f"spread {spread} is negative")
    digest = hashlib.blake2b(f"{customer_id}:{period}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % (2 * spread + 1) - spread
