"""`kehu report …`: how the work is going, for the salesperson and the manager."""

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperCommand

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import JsonOpt, app, ctx, echo_json, say, words
from kehu.rules import choices

Opt = typer.Option
report = typer.Typer(
    help=_("Reports: the day, week or month, relationship health, tiers, referrals, profiles."),
    no_args_is_help=True,
)
app.add_typer(report, name="report", rich_help_panel=_("Reports"))

OwnerOpt = Annotated[str | None, Opt(help=_("This salesperson's customers."))]
AllOpt = Annotated[bool, Opt("--all", help=_("Everyone's customers."))]
HtmlOpt = Annotated[
    Path | None, Opt("--html", help=_("Also write the report as one HTML page (a new file)."))
]


def _who(owner: str | None, everyone: bool) -> str | None:
    from kehu.cli import daily

    who = ctx.who(owner, everyone)
    daily.hint_none_owned(who)
    return who


def _day(text: str | None, what: str) -> date:
    """A report's day: a day named without its week, month or year is the latest one, today
    included (`friday`, `11/27`), as for anything that happened."""
    if text is None:
        return ctx.now().date()
    return typed.when(text, ctx.now(), "day-event").date()


def _out(data: dict[str, Any], json_: bool, html: Path | None, page: Any) -> None:
    from kehu.ui import reports

    if html is not None and json_:
        raise BadInput(
            _("{one} and {other} exclude each other; give one of them").format(
                one="--html", other="--json"
            )
        )
    if not json_:
        _head_as_shown(data)
    if html is not None:
        from kehu.ui import html_report

        write_new_file(html, html_report.render(page()))
        say(_("Wrote {path}.").format(path=html))
    elif json_:
        echo_json(reports.to_json(data, ctx.tz))
    else:
        reports.print_page(page())


def _head_as_shown(data: dict[str, Any]) -> None:
    """Everyone's customers (`--all`) as a salesperson's role under row-level security sees
    them are their own: the page is headed so (its JSON keeps the owner asked for, none)."""
    from kehu.book import customers

    if data.get("owner", "") is None and ctx.target.startswith("postgresql"):
        data["owner"] = ctx.read(customers.row_security_role)


def write_new_file(path: Path, text: str) -> None:
    """The whole file appears at once, private (0600), and never replaces another one."""
    from kehu.base import files

    path = path.expanduser()
    exists = BadInput(
        _("{path} exists; kehu does not write over a file — give a new name").format(path=path)
    )
    if path.exists():
        raise exists
    if not path.parent.is_dir():
        raise BadInput(_("there is no folder {folder}; create it first").format(folder=path.parent))
    try:
        with files.new_file(path) as temp:
            temp.write_text(text, encoding="utf-8")
    except files.AlreadyThere:
        raise exists from None


_DAYS_BACK = re.compile(r"-\d+[dwmyDWMY]")
# More rows than any book holds, and a number SQL still takes: a larger --limit lists them all.
_MOST_ROWS = 2**31 - 1


class _DayCommand(TyperCommand):
    """A command whose one argument is a day: a day back, `-2d`, is that day, not an option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        offsets = [arg for arg in args if _DAYS_BACK.fullmatch(arg)]
        if offsets and "--" not in args:
            args = [arg for arg in args if arg not in offsets] + ["--", *offsets]
        return super().parse_args(ctx, args)


@report.command(
    "day",
    cls=_DayCommand,
    help=_("The daily sales activity report (销售活动日报表): each contact, then the totals."),
)
def day_(
    day: Annotated[str | None, typer.Argument(help=_("The day; default today."))] = None,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    from kehu.book import reports as book_reports
    from kehu.ui import reports

    who, chosen = _who(owner, all_), _day(day, "DAY")
    data = ctx.read(lambda tx: book_reports.day(tx, day=chosen, tz=ctx.tz, who=who))
    _out(data, json_, html, lambda: reports.day_page(data, ctx.tz))


def _activity(first: date, last: date, who: str | None, json_: bool, html: Path | None) -> None:
    from kehu.book import reports as book_reports
    from kehu.ui import reports

    if last < first:
        raise BadInput(_("--to is before --from; give the first day, then the last"))
    if (last - first).days > 366:
        raise BadInput(_("a period of at most 367 days, please; narrow --from/--to"))
    now, rules = ctx.now(), ctx.rules
    data = ctx.read(
        lambda tx: book_reports.activity(tx, first=first, last=last, now=now, rules=rules, who=who)
    )
    _out(data, json_, html, lambda: reports.activity_page(data))


FromOpt = Annotated[str | None, Opt("--from", help=_("The first day."))]
ToOpt = Annotated[str | None, Opt("--to", help=_("The last day."))]


@report.command(
    help=_("Activity per day of this week (Monday to Sunday) and the measures of discipline.")
)
def week(
    from_: FromOpt = None,
    to: ToOpt = None,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    # --to alone: from the Monday of its week
    anchor = _day(to, "--to") if to and not from_ else ctx.now().date()
    first = _day(from_, "--from") if from_ else anchor - timedelta(days=anchor.weekday())
    last = _day(to, "--to") if to else first + timedelta(days=6)
    _activity(first, last, _who(owner, all_), json_, html)


@report.command(help=_("Activity per day of this calendar month and the measures of discipline."))
def month(
    from_: FromOpt = None,
    to: ToOpt = None,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    # --to alone: from the first of its month
    anchor = _day(to, "--to") if to and not from_ else ctx.now().date()
    first = _day(from_, "--from") if from_ else anchor.replace(day=1)
    if to:
        last = _day(to, "--to")
    else:
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = following - timedelta(days=1)
    _activity(first, last, _who(owner, all_), json_, html)


@report.command(
    help=_("Customers by state (healthy, cooling, at risk, lost) and tier, and the last 12 weeks.")
)
def health(
    show: Annotated[
        str | None,
        Opt(
            help=_("List the customers in this state: cooling, at-risk or lost."),
            click_type=words(("cooling", "at-risk", "lost")),
        ),
    ] = None,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    from kehu.book import reports as book_reports
    from kehu.ui import reports

    state = choices.maybe_choice(show, ("cooling", "at-risk", "lost"), "--show")
    who, now, rules = _who(owner, all_), ctx.now(), ctx.rules
    lost = ctx.settings.number("reports.lost_months")
    data = ctx.read(
        lambda tx: book_reports.health(tx, now=now, rules=rules, who=who, lost_months=lost)
    )
    _out(data, json_, html, lambda: reports.health_page(data, ctx.tz, state))


@report.command(
    help=_("Customers ranked by purchase value (80/20), their referrals, suggested tier changes.")
)
def tiers(
    limit: Annotated[int, Opt(min=1, help=_("Show the first N customers and changes."))] = 20,
    apply: Annotated[
        bool,
        Opt("--apply", help=_("Give every customer the suggested tier (`kehu undo` reverts).")),
    ] = False,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    from kehu.book import reports as book_reports
    from kehu.ui import reports

    who, (cuts, influence) = _who(owner, all_), _tier_cut_offs()
    if apply:
        if html is not None:  # the page would be of the tiers before or after: neither is asked
            raise BadInput(
                _("{one} and {other} exclude each other; give one of them").format(
                    one="--apply", other="--html"
                )
            )
        changed = ctx.write(
            lambda tx: book_reports.apply_tiers(tx, who=who, cuts=cuts, influence=influence)
        )
        if json_:
            echo_json(reports.to_json({"changes": changed}, ctx.tz))
        else:
            say(reports.tiers_applied(changed))
        return
    limit = min(limit, _MOST_ROWS)
    shown = None if json_ else limit  # --json lists every customer
    data = ctx.read(
        lambda tx: book_reports.ranking(tx, who=who, cuts=cuts, influence=influence, limit=shown)
    )
    _out(data, json_, html, lambda: reports.tiers_page(data, limit))


def _tier_cut_offs() -> tuple[tuple[float, float], int]:
    a, b = (
        ctx.settings.number("reports.tier_a_percent"),
        ctx.settings.number("reports.tier_b_percent"),
    )
    if not 0 < a < b <= 100:
        raise BadInput(
            _(
                "the tier cut-offs must rise within 100%: reports.tier_a_percent {a} and "
                "reports.tier_b_percent {b}; accepted: 0 < A < B <= 100 (kehu config)"
            ).format(a=a, b=b)
        )
    return (float(a), float(b)), ctx.settings.number("reports.influence_referrals")


@report.command(help=_("Who brought whom: the referral trees."))
def referrals(
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    from kehu.book import reports as book_reports
    from kehu.ui import reports

    who = _who(owner, all_)
    data = ctx.read(lambda tx: book_reports.referrals(tx, who=who))
    _out(data, json_, html, lambda: reports.referrals_page(data))


@report.command(
    help=_("How complete the customer records are, and who misses the most basic facts.")
)
def profile(
    limit: Annotated[int, Opt(min=1, help=_("List the N customers missing the most."))] = 20,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    json_: JsonOpt = False,
    html: HtmlOpt = None,
) -> None:
    from kehu.book import reports as book_reports
    from kehu.ui import reports

    who = _who(owner, all_)
    data = ctx.read(lambda tx: book_reports.profile(tx, who=who, limit=min(limit, _MOST_ROWS)))
    _out(data, json_, html, lambda: reports.profile_page(data))
