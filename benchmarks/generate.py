"""Fill a new kehu book with N synthetic customers, deterministically, through kehu's own code.

    python benchmarks/generate.py --customers 10000 --seed 1 --out /tmp/book.db
    python benchmarks/generate.py --team 20 --customers 200000 --out /tmp/team.db
    python benchmarks/generate.py --team 20 --customers 200000 --out postgresql+psycopg://…

Team books (--team K: N customers over K owners, the first owner being "bench") are written
in bulk instead, for speed (see team.py): the same rows, from the same seed, into SQLite
(executemany) or PostgreSQL (COPY).

Every row is written by kehu.store functions (the same ones the commands use) inside
book.transact(), 1,000 customers per transaction. The book ends at NOW (pass it to kehu as
KEHU_NOW=2026-11-22T10:00+08:00) with three years of history before it:

- tiers A/B/C in proportion 20/30/50; names in Chinese (2/3) and Latin script; one owner;
- about 20 contacts per customer (15% of the attempts unanswered) and 2 purchases;
- birthdays, profile facts, notes, referrals, kept and open promises, planned call-backs,
  recent complaints, a few snoozes, and 2% archived customers;
- last contacts spread so that the daily list is a mix: most customers were reached lately,
  some are cooling or at risk, some deliveries still await a thank-you or a call-back.
"""

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from kehu.book import contacts, customers, engine, opening

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8)))
KEHU_NOW = NOW.isoformat(timespec="minutes")
START = NOW - timedelta(days=3 * 365)
OWNER = "bench"
BATCH = 1000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华文玉兰红梅鹏飞宇浩然子轩欣怡佳琪思雨俊凯晨"
FIRST = (
    "Anna", "Ben", "Chloe", "David", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonas", "Kate",
    "Leo", "Maria", "Noah", "Olga", "Paul", "Rosa", "Sam", "Tina", "Victor", "Wendy", "Yusuf",
)  # fmt: skip
LAST = (
    "Schmidt", "Müller", "Smith", "García", "Rossi", "Novak", "Kowalski", "Dubois", "Silva",
    "Jensen", "Tanaka", "Nguyen", "Okafor", "Larsen", "Costa", "Weber", "Brown", "Ivanova",
)  # fmt: skip
PRODUCTS = (
    ("途观L 330TSI", 229_000), ("凯美瑞 2.5L", 199_800), ("Model Y", 263_900),
    ("雅阁 260TURBO", 179_800), ("BMW 325Li", 289_900), ("卡罗拉 1.5L", 119_800),
    ("CR-V 240TURBO", 189_900), ("保养套餐 (3 years)", 6_800), ("Extended warranty", 9_900),
)  # fmt: skip
CHANNELS = ("call",) * 10 + ("wechat",) * 6 + ("visit", "visit", "sms", "email")
NOTES = (
    "问了保养时间", "想换大一点的车", "对内饰满意", "asked about trade-in", "kids love the car",
    "提到朋友也想买", "service reminder sent", "抱怨等候时间长", "planning a road trip",
    "喜欢钓鱼", "new job in Shenzhen", "儿子考上大学",
)  # fmt: skip
HOBBIES = ("钓鱼", "羽毛球", "摄影", "golf", "hiking", "茶道", "自驾游", "cycling")
FAMILY = ("两个孩子", "女儿在上海读书", "married, one son", "刚结婚", "lives with parents")
JOBS = ("医生", "教师", "engineer", "律师", "小企业主", "accountant", "设计师")


def name_of(rng: random.Random) -> str:
    if rng.random() < 2 / 3:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(SURNAMES) + given
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random instant in [start, end], to the minute."""
    span = max(0, int((end - start).total_seconds() // 60))
    return start + timedelta(minutes=rng.randint(0, span))


def days_since_last_reached(rng: random.Random, tier: str) -> float:
    """How long ago the customer was last reached: what puts them on the list or not."""
    r = rng.random()
    if tier == "A":  # key customers: called about every two weeks
        bands = ((0.86, 0, 14), (0.96, 14, 60), (0.99, 60, 120), (1.0, 120, 400))
    else:
        bands = ((0.93, 0, 60), (0.975, 60, 120), (1.0, 120, 700))
    for limit, low, high in bands:
        if r < limit:
            return rng.uniform(low, high)
    raise AssertionError


def add_one(tx: engine.Tx, rng: random.Random, number: int, stats: dict[str, int]) -> None:
    tier = rng.choices("ABC", weights=(20, 30, 50))[0]
    created = moment(rng, START, NOW - timedelta(days=1))
    sales = (created, moment(rng, created, NOW - timedelta(hours=1)))
    fields: dict[str, object] = {
        "name": name_of(rng),
        "phone": f"1{3 + number % 6}{number:09d}",
        "tier": tier,
        "birthday": date(rng.randint(1955, 2002), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.8
        else None,
        "gender": rng.choice(("female", "male")),
        "source": rng.choice(("walk-in", "phone", "ad", "own")),
    }
    if rng.random() < 0.3:
        fields["wechat"] = f"wx_{number}"
    if rng.random() < 0.2:
        fields["company"] = rng.choice(("华为", "比亚迪", "Acme Trading", "平安保险", "本地医院"))
    if number > 1 and rng.random() < 0.08:
        fields["referred_by"] = rng.randint(max(1, number - 5000), number - 1)
        fields["source"] = "referral"
    cid = customers.add_customer(tx, owner=OWNER, now=created, **fields)
    stats["customers"] += 1
    for key, choices in (("hobbies", HOBBIES), ("family", FAMILY), ("job", JOBS)):
        if rng.random() < 0.4:
            customers.set_profile(tx, customer_id=cid, key=key, value=rng.choice(choices))

    deliveries = []
    for sold in sales:
        product, price = rng.choice(PRODUCTS)
        delivered = sold + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 6))
        pid = customers.add_purchase(
            tx, customer_id=cid, product=product, amount=Decimal(price), sold_at=sold,
            delivered_at=delivered,
        )  # fmt: skip
        deliveries.append((delivered, pid))
        stats["purchases"] += 1

    last = NOW - timedelta(days=days_since_last_reached(rng, tier), minutes=rng.randint(0, 600))
    last = min(max(last, created + timedelta(hours=2)), NOW - timedelta(minutes=30))
    touches = sorted(moment(rng, created, last) for _ in range(rng.randint(7, 15)))
    events: list[tuple[datetime, str, bool, int | None]] = [
        (at, _kind(rng), rng.random() >= 0.15, None) for at in touches
    ]
    events.append((last, "follow-up", True, None))
    for delivered, pid in deliveries:  # most thank-yous and call-backs were done in time
        if rng.random() < 0.92:
            events.append((delivered + timedelta(hours=rng.randint(2, 20)), "thank-you", True, pid))
        for days, months in ((7, 0), (0, 1), (0, 3), (0, 6)):
            due = delivered + timedelta(days=days + 30.4 * months + rng.uniform(-2, 2))
            if rng.random() < 0.9:
                events.append((due, "follow-up", True, None))
    events = [e for e in events if e[0] < NOW - timedelta(minutes=10)]
    if rng.random() < 0.1:  # tried again since, without reaching them
        for _ in range(rng.randint(1, 3)):
            events.append((moment(rng, last, NOW), "follow-up", False, None))
    if rng.random() < 0.01:  # a recent complaint
        events.append((moment(rng, NOW - timedelta(days=25), NOW), "complaint", True, None))
    events.sort(key=lambda e: e[0])

    contact_ids = []
    for at, kind, reached, pid in events:
        note = rng.choice(NOTES) if rng.random() < 0.3 else None
        contact_ids.append(
            contacts.log_contact(
                tx,
                customer_id=cid,
                at=at,
                channel=rng.choice(CHANNELS),
                kind=kind,
                reached=reached,
                note=note,
                made_by=OWNER,
                purchase_id=pid,
            )  # fmt: skip
        )
    stats["contacts"] += len(events)

    for _ in range(rng.choice((0, 0, 1, 1, 2))):  # promises made and kept
        made = moment(rng, created, last)
        due = made + timedelta(days=rng.randint(1, 14))
        promise = contacts.add_promise(
            tx, customer_id=cid, text=rng.choice(("送保养券", "call about the insurance renewal",
            "寄车模", "check the spare-part delivery")), due=due, now=made, made_by=OWNER,
        )  # fmt: skip
        contacts.close_promise(tx, promise_id=promise, column="kept_at", now=min(due, NOW))
        stats["promises"] += 1
    if rng.random() < 0.03:  # an open promise: late, due today, or ahead
        made = moment(rng, max(created, NOW - timedelta(days=20)), NOW - timedelta(hours=1))
        due = moment(rng, made + timedelta(hours=1), NOW + timedelta(days=14))
        contacts.add_promise(
            tx, customer_id=cid, text=rng.choice(("回复贷款方案", "send the brochure")), due=due,
            now=made, made_by=OWNER,
        )  # fmt: skip
        stats["promises"] += 1
        stats["open_promises"] += 1
    if rng.random() < 0.02:  # "call again on …" planned at the last contact
        contacts.add_followup(
            tx, customer_id=cid, due=last + timedelta(days=rng.randint(1, 30)),
            note=rng.choice((None, "问问试驾感受", "check the quote")), now=last,
            made_by=OWNER, contact_id=contact_ids[-1],
        )  # fmt: skip
        stats["followups"] += 1
    if rng.random() < 0.002:
        contacts.snooze(
            tx, key=f"W{cid}", until=NOW + timedelta(days=7), reason="on holiday", now=NOW,
            made_by=OWNER,
        )  # fmt: skip
    if rng.random() < 0.02:
        customers.set_archived(tx, customer_id=cid, when=moment(rng, last, NOW))
        stats["archived"] += 1


def _kind(rng: random.Random) -> str:
    return rng.choices(("follow-up", "greeting", "other", "complaint"), (84, 10, 5, 1))[0]


def generate(customers: int, seed: int, out: Path) -> dict[str, object]:
    rng = random.Random(seed)
    book = opening.open_book(str(out))
    assert isinstance(book, engine.SQLiteBook), "the generator writes SQLite books"
    book.conn.execute("PRAGMA cache_size = -262144")  # 256 MiB: index inserts stay in memory
    stats = dict.fromkeys(
        ("customers", "purchases", "contacts", "promises", "open_promises", "followups",
         "archived"), 0,
    )  # fmt: skip
    started = time.perf_counter()
    for first in range(1, customers + 1, BATCH):
        numbers = range(first, min(first + BATCH, customers + 1))
        book.transact(lambda tx, numbers=numbers: [add_one(tx, rng, n, stats) for n in numbers])
    book.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    book.close()
    seconds = time.perf_counter() - started
    return {
        "seed": seed,
        "now": KEHU_NOW,
        "owner": OWNER,
        **stats,
        "seconds": round(seconds, 1),
        "mib": round(out.stat().st_size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--team", type=int, metavar="K", help="a team book over K owners")
    parser.add_argument("--out", required=True, help="a new SQLite file, or a PostgreSQL URL")
    args = parser.parse_args()
    if args.team:
        import team

        counts = team.split(args.customers, args.team)
        print(json.dumps(team.build(args.out, counts, args.seed), ensure_ascii=False))
        return
    args.out = Path(args.out)
    if args.out.exists():
        sys.exit(f"generate.py: {args.out} exists; give a new path")
    result = generate(args.customers, args.seed, args.out)
    print(json.dumps(result, ensure_ascii=False))
    print(
        f"generated {result['customers']:,} customers, {result['contacts']:,} contacts in "
        f"{result['seconds']} s ({result['mib']} MiB): {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
