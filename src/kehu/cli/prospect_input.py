"""What `add --prospect` and `log --level` read: a level typed in any width or case, and the
prospect card's options."""

import unicodedata
from datetime import datetime
from typing import Any

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.rules import choices, vocab


def level(value: str) -> str:
    """A level as typed: H A B C N O in any width or case (ｈ is H), or a Chinese word."""
    typed_level = unicodedata.normalize("NFKC", value).strip().upper()
    if typed_level in ("战败", "LOST"):
        raise BadInput(_("a lost prospect is closed with `kehu lost CUSTOMER --reason …`"))
    return choices.choice(typed_level, vocab.LEVELS, "--level", synonyms=vocab.LEVEL_WORDS)


def card(
    *,
    interest: str | None,
    budget: str | None,
    expected: str | None,
    payment: str | None,
    current_car: str | None,
    usage: str | None,
    cares: str | None,
    competitors: list[str] | None,
    best_time: str | None,
    now: datetime,
) -> Any:
    from kehu.book.prospects import MAX_COMPETITORS, Card

    rivals = [typed.text(c, "--competitor", longest=120) or "" for c in competitors or []]
    rivals = [c for c in rivals if c]
    if len(rivals) > MAX_COMPETITORS:
        raise BadInput(
            _("at most {n} competing products (--competitor); nothing was added").format(
                n=MAX_COMPETITORS
            )
        )
    expected_on = typed.when(expected, now, "start").date() if expected else None
    if expected_on is not None and expected_on < now.date():
        raise BadInput(
            _("--expected {day} is before today; the expected purchase time is today or later "
              "(12/15, 下个月, in 3 days); nothing was written").format(day=expected_on)
        )  # fmt: skip
    return Card(
        interest=typed.text(interest, "--interest", longest=typed.LONGEST["product"]),
        budget=typed.text(  # a sum: ３０万 is 30万
            unicodedata.normalize("NFKC", budget) if budget else budget, "--budget", longest=100
        ),
        expected_on=expected_on,
        payment=choices.maybe_choice(
            payment, vocab.PAYMENTS, "--payment", synonyms=vocab.PAYMENT_WORDS
        ),  # fmt: skip
        current_car=typed.text(current_car, "--current-car", longest=200),
        usage=typed.text(usage, "--usage", longest=200),
        cares=typed.text(cares, "--cares", longest=200),
        competitors=tuple(rivals),
        best_time=typed.text(best_time, "--best-time", longest=100),
    )
