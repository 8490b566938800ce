"""`run.py --team`: one salesperson's commands on a company's shared book, SQLite and PostgreSQL.

Starts a throwaway PostgreSQL (.ci/postgres.sh, in a bash process that lives as long as this
one), builds the team books (team.py; SQLite ones cached in benchmarks/books/, PostgreSQL ones
loaded by COPY on every run), times the owner "bench"'s commands in interleaved rounds, and
writes the "Team books" section of RESULTS.md with every target of the team issue.
"""

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import run
import team

PLANS = run.HERE / "plans"  # kept in the repository: from full-size runs only
SCALED_PLANS = run.BOOKS / "plans"
MARK = "<!-- team books: written by run.py --team -->"
# A company's server is sized for its books: PostgreSQL's guidance for a dedicated server is a
# quarter of its memory for shared_buffers; its default, 128 MB, is made to start on any
# machine, and the team book is 1.5 GB.
SERVER_SETTINGS = "shared_buffers = 1GB"
GROWING = ("customer", "purchase", "contact", "promise", "followup", "snooze", "profile_field")
TODAY, OVERDUE = "kehu today", "kehu overdue"


@dataclass
class Server:
    folder: Path  # the socket and server.log are here
    port: int

    def url(self, database: str, role: str = "kehu") -> str:
        return f"postgresql+psycopg://{role}@/{database}?host={self.folder}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg

        dsn = f"postgresql://postgres@/postgres?host={self.folder}&port={self.port}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)

    def version(self) -> str:
        import psycopg

        dsn = f"postgresql://postgres@/postgres?host={self.folder}&port={self.port}"
        with psycopg.connect(dsn) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]

    def new_database(self, name: str) -> str:
        self.admin(f"DROP DATABASE IF EXISTS {name}")
        self.admin(f"CREATE DATABASE {name} OWNER kehu")
        return self.url(name)

    @property
    def log(self) -> Path:
        return self.folder / "server.log"


@contextlib.contextmanager
def postgres() -> Iterator[Server]:
    """The CI's throwaway server: stopped and removed when the bash holding it ends, which it
    does when its stdin closes (or within a second of this process dying, by its watcher)."""
    script = 'source .ci/postgres.sh >&2 || exit 1; echo "$KEHU_PG_DIR $KEHU_PG_PORT"; read -r _'
    shell = subprocess.Popen(
        ["bash", "-c", script], cwd=run.REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env={**os.environ, "KEHU_PG_SETTINGS": SERVER_SETTINGS},
    )  # fmt: skip
    assert shell.stdin and shell.stdout
    try:
        words = shell.stdout.readline().split()
        if len(words) != 2:
            sys.exit("run.py: could not start PostgreSQL (see .ci/postgres.sh's message above)")
        yield Server(Path(words[0]), int(words[1]))
    finally:
        shell.stdin.close()
        shell.wait()


# ----------------------------------------------------------------------------- books


def sizes(scale: float, company: bool) -> dict[str, list[tuple[str, int]]]:
    """Each book's owners and their customer counts, scaled (1 = the issue's sizes)."""

    def n(count: int) -> int:
        return max(1, round(count * scale))

    books = {
        "own": team.split(n(10_000), 1),
        "team": team.split(n(200_000), 20),  # bench: 10,000 of 200,000
        # the same bench with the other owners' share 10 times smaller: 19 × 1,000
        "small team": [(team.owner_name(0), n(10_000))]
        + [(team.owner_name(k), n(1_000)) for k in range(1, 20)],
        "doctor": team.split(n(100_000), 10),
    }
    if company:  # bench keeps 10,000; 199 colleagues share the other 990,000
        others = team.split(n(990_000), 199)
        books["company"] = [(team.owner_name(0), n(10_000))] + [
            (team.owner_name(k + 1), count) for k, (_name, count) in enumerate(others)
        ]
    return books


def sqlite_book(label: str, counts: list[tuple[str, int]], seed: int) -> tuple[Path, dict]:
    """The cached SQLite team book (generated the first time), and what it holds."""
    from kehu.book.migrations import CURRENT

    total = sum(c for _, c in counts)
    shape = "-".join(str(c) for c in sorted({c for _, c in counts}))
    path = run.BOOKS / f"team-{total}-{len(counts)}owners-{shape}-seed{seed}-schema{CURRENT}.db"
    stats = path.with_suffix(".json")
    if not path.exists() or not stats.exists():
        run.BOOKS.mkdir(exist_ok=True)
        partial = path.with_suffix(".db.partial")
        for leftover in partial.parent.glob(partial.name + "*"):
            leftover.unlink()
        print(f"generating the {label} book ({total:,} customers, SQLite) …", file=sys.stderr)
        stats.write_text(json.dumps(team.build(str(partial), counts, seed)))
        partial.rename(path)
    return path, json.loads(stats.read_text())


def pg_book(server: Server, label: str, counts: list[tuple[str, int]], seed: int) -> tuple:
    name = "bench_" + re.sub(r"\W", "_", label)
    url = server.new_database(name)
    total = sum(c for _, c in counts)
    print(f"loading the {label} book ({total:,} customers) into PostgreSQL …", file=sys.stderr)
    return url, team.build(url, counts, seed)


def bench_customer(book: Path) -> str:
    """A customer of bench's with a name no one else in the book has: for show and log."""
    conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    row = conn.execute(
        "SELECT c.name FROM customer c WHERE c.owner = :o AND c.archived_at IS NULL"
        " AND (SELECT COUNT(*) FROM customer d WHERE d.name = c.name) = 1 ORDER BY c.id LIMIT 1",
        {"o": team.g.OWNER},
    ).fetchone()
    conn.close()
    return row[0]


# ---------------------------------------------------------------------------- timing


def once(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak KiB, exit code) of one run of a heavy command, under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        done = subprocess.run(
            [run.TIME, "-f", "%M", "-o", report.name, *argv], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        words = report.read().split()
    return seconds, int(words[-1]) if words else 0, done.returncode


def has_option(kehu: str, command: str, option: str) -> bool:
    done = subprocess.run([kehu, command, "--help"], capture_output=True, text=True)
    return option in done.stdout


def captured_plans(
    server: Server, database: str, label: str, argv, env, folder: Path
) -> dict[str, object]:
    """Run a command with auto_explain on for its database; save the plans it logged under
    benchmarks/plans/; return the growing tables each statement scanned in full."""
    for setting in (
        "session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 0",
        "auto_explain.log_analyze = on", "auto_explain.log_nested_statements = on",
    ):  # fmt: skip
        server.admin(f"ALTER DATABASE {database} SET {setting}")
    start = server.log.stat().st_size
    code = run.run_once(argv, env)[2]
    time.sleep(0.5)  # the server writes its log asynchronously
    with server.log.open("rb") as log:
        log.seek(start)
        text = log.read().decode(errors="replace")
    server.admin(f"ALTER DATABASE {database} RESET ALL")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.txt").write_text(text)
    scans: dict[str, list[str]] = {}
    for table in re.findall(r"Seq Scan on (\w+)", text):
        if table in GROWING:
            scans.setdefault(table, []).append(label)
    return {
        "code": code,
        "scans": {t: len(v) for t, v in scans.items()},
        "plans": text.count("plan:"),
    }


def team_bench(args, kehu: str) -> dict:
    books = sizes(args.team_scale, args.company)
    r: dict = {"books": {}, "times": {}, "single": {}}
    work = Path(tempfile.mkdtemp(prefix="kehu-bench-team-"))
    try:
        with postgres() as server:
            lite: dict[str, Path] = {}
            for label in ("own", "team", "small team", "doctor"):
                source, stats = sqlite_book(label, books[label], args.seed)
                lite[label] = work / f"{label.replace(' ', '-')}-lite" / "kehu.db"
                lite[label].parent.mkdir(mode=0o700)
                shutil.copyfile(source, lite[label])
                lite[label].chmod(0o600)  # as kehu makes its books: doctor checks it
                r["books"][f"{label} (SQLite)"] = stats
            pg: dict[str, str] = {}
            for label in ("own", "team", "small team", *(("company",) if args.company else ())):
                pg[label], r["books"][f"{label} (PostgreSQL)"] = pg_book(
                    server, label, books[label], args.seed
                )
            name = bench_customer(lite["team"])
            r["customer"] = name

            def env(book: str, home: str) -> dict[str, str]:
                """A SQLite book's folder is its home too: its backups go there."""
                folder = work / home
                folder.mkdir(mode=0o700, exist_ok=True)
                return run.kehu_env(folder, Path(book)) | {"KEHU_DB": book}

            envs = {f"{k} SQLite": env(str(v), v.parent.name) for k, v in lite.items()}
            envs |= {f"{k} PG": env(v, f"{k.replace(' ', '-')}-pg") for k, v in pg.items()}

            reads: dict[str, tuple[list[str], dict[str, str]]] = {}
            for command in (TODAY, OVERDUE):
                for book in ("own", "team", "small team"):
                    for engine in ("SQLite", "PG"):
                        reads[f"{command} · {book} · {engine}"] = (
                            [kehu, *command.split()[1:]],
                            envs[f"{book} {engine}"],
                        )
            for engine in ("SQLite", "PG"):
                reads[f"kehu show NAME · team · {engine}"] = (
                    [kehu, "show", name],
                    envs[f"team {engine}"],
                )
                reads[f"kehu today --limit 10 · team · {engine}"] = (
                    [kehu, "today", "--limit", "10"],
                    envs[f"team {engine}"],
                )
            reads["kehu show NAME · own · SQLite"] = ([kehu, "show", name], envs["own SQLite"])
            reads["kehu doctor · doctor · SQLite"] = ([kehu, "doctor"], envs["doctor SQLite"])
            if args.company:
                reads[f"{TODAY} · company · PG"] = ([kehu, "today"], envs["company PG"])
                if has_option(kehu, "today", "--summary"):
                    reads["kehu today --all --summary · company · PG"] = (
                        [kehu, "today", "--all", "--summary"],
                        envs["company PG"],
                    )
            print(f"team: timing {len(reads)} reads in interleaved rounds …", file=sys.stderr)
            r["times"].update(run.measure_together(reads, args.runs))

            print("team: timing the writes …", file=sys.stderr)
            for engine in ("SQLite", "PG"):
                e = envs[f"team {engine}"]
                run.run_once(
                    [kehu, "add", "首单客户", "--phone", "19800000000", "--product", "X"], e
                )
                if engine == "SQLite":  # kehu's daily copy, made in the background
                    run.wait_for_daily_backup(Path(e["HOME"]) / "backups", limit=600)
                r["times"][f"{run.ADD} · team · {engine}"] = run.measure(
                    lambda n: [kehu, "add", f"测试客户{n}", "--phone", f"1990000{n:04d}",
                               "--product", "Model Y", "--amount", "263900"], e, args.runs,
                )  # fmt: skip
                r["times"][f"{run.LOG} · team · {engine}"] = run.measure(
                    [kehu, "log", name, "--via", "call", "--note", "问了保养时间"], e, args.runs
                )

            print("team: memory of list, export, copy-to; copy-to time …", file=sys.stderr)
            e = envs["team SQLite"]
            for label, argv in (
                ("kehu list", [kehu, "list"]), ("kehu export", [kehu, "export"]),
                ("kehu copy-to URL", [kehu, "copy-to", server.new_database("bench_copy")]),
            ):  # fmt: skip
                r["single"][label] = once(argv, e)

            r["plans"] = {}
            if args.plans:
                print("team: plans of the daily list on PostgreSQL …", file=sys.stderr)
                for command in ("today", "overdue"):
                    for book in ("team", "own"):
                        r["plans"][f"{command} · {book}"] = captured_plans(
                            server, "bench_" + book, f"{command} {book} pg", [kehu, command],
                            envs[f"{book} PG"], PLANS if args.team_scale == 1 else SCALED_PLANS,
                        )  # fmt: skip
            r["server"] = server.version()
        r["summary option"] = has_option(kehu, "today", "--summary")
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- results


def median(r: dict, label: str) -> float | None:
    t = r["times"].get(label)
    return t.median if t is not None and t.ok else None


def compare(r: dict, ours: str, base: str, limit: float, what: str) -> tuple[str, str, str]:
    a, b = median(r, ours), median(r, base)
    if a is None or b is None:
        return what, f"{ours} or {base}: not measured or failed", run.verdict(False)
    value = a / b
    return what, f"{a:.3f} s / {b:.3f} s = {value:.2f}", run.verdict(value <= limit)


def targets(r: dict, args) -> list[tuple[str, str, str]]:
    rows = []
    for command in (TODAY, OVERDUE):
        for engine in ("SQLite", "PG"):
            rows.append(compare(
                r, f"{command} · team · {engine}", f"{command} · own · {engine}", 1.3,
                f"1. `{command}` on the 200k/20-owner book ≤ 1.3 × own 10k book ({engine})",
            ))  # fmt: skip
            rows.append(compare(
                r, f"{command} · team · {engine}", f"{command} · small team · {engine}", 1.2,
                f"1. `{command}`: other owners' share ×10 changes it by ≤ 1.2× ({engine})",
            ))  # fmt: skip
    for command in ("kehu show NAME", run.ADD, run.LOG, TODAY):
        rows.append(compare(
            r, f"{command} · team · PG", f"{command} · team · SQLite", 1.5,
            f"2. `{command}` on PostgreSQL ≤ 1.5 × SQLite (200k book)",
        ))  # fmt: skip
    rows.append(compare(
        r, "kehu show NAME · team · SQLite", "kehu show NAME · own · SQLite", 1.2,
        "3. `show` independent of the book's size (200k vs 10k, ≤ 1.2×)",
    ))  # fmt: skip
    doctor = median(r, "kehu doctor · doctor · SQLite")
    rows.append((
        "3. `kehu doctor` at 100k < 1.5 s",
        "failed" if doctor is None else f"{doctor:.3f} s",
        run.verdict(doctor is not None and doctor < 1.5),
    ))  # fmt: skip
    for label, (_seconds, kib, code) in r["single"].items():
        mib = kib / 1024
        rows.append((
            f"3. `{label}` peak memory < 80 MiB (200k book)",
            f"{mib:.0f} MiB" + (f" (exit {code})" if code else ""),
            run.verdict(code == 0 and mib < 80),
        ))  # fmt: skip
    seconds, _kib, code = r["single"]["kehu copy-to URL"]
    rows.append((
        "3. `copy-to` moves the 200k book in < 2 min",
        f"{seconds:.1f} s" + (f" (exit {code})" if code else ""),
        run.verdict(code == 0 and seconds < 120),
    ))  # fmt: skip
    for engine in ("SQLite", "PG"):
        rows.append(compare(
            r, f"kehu today --limit 10 · team · {engine}", f"{TODAY} · team · {engine}", 0.999,
            f"3. `today --limit 10` does less work than the full list ({engine})",
        ))  # fmt: skip
    if args.company:
        rows.append(compare(
            r, f"{TODAY} · company · PG", f"{TODAY} · team · PG", 1.5,
            "4. one owner's `today` on the 1M/200-owner book ≤ 1.5 × the 200k book's (PG)",
        ))  # fmt: skip
        summary = median(r, "kehu today --all --summary · company · PG")
        rows.append((
            "4. `today --all --summary` on the 1M book < 3 s",
            "not available (no such option)" if not r["summary option"]
            else "failed" if summary is None else f"{summary:.3f} s",
            run.verdict(summary is not None and summary < 3),
        ))  # fmt: skip
    else:
        rows.append(("4. the 1M-customer company book", "not run (give --company)", "not measured"))
    if r["plans"]:
        # Judged on the team book, where the owner holds 5% of each table: on a book of one's
        # own, a sequential scan of customer can be the right plan (they are all the owner's).
        team_plans = {k: p for k, p in r["plans"].items() if k.endswith("· team")}
        scans = sorted({t for p in team_plans.values() for t in p["scans"]})
        failed = [label for label, p in r["plans"].items() if p["code"]]
        text = f"Seq Scan on: {', '.join(scans) or 'none'}"
        text += f"; failed: {', '.join(failed)}" if failed else ""
        rows.append(("daily list's plans on PostgreSQL (team book): no sequential scan of a"
                     " growing table", text, run.verdict(not scans and not failed)))  # fmt: skip
    return rows


def report(r: dict, args, started: str, loads: list[str], commit: str) -> str:
    scale = "" if args.team_scale == 1 else f" — scaled by {args.team_scale:g}, not the targets'"
    lines = [
        MARK,
        "## Team books",
        "",
        f"Written by `{' '.join(['python', 'benchmarks/run.py', *sys.argv[1:]])}` on {started},"
        f" commit {commit}{scale}.",
        f"Load average (1, 5, 15 min) at start: {loads[0]}; at end: {loads[1]}.",
        f"All commands as the owner `{team.g.OWNER}` (KEHU_USER); `show` and `log` use"
        f" {r['customer']}. PostgreSQL {r['server']}, local socket, throwaway server"
        f" (fsync off, {SERVER_SETTINGS}). Reads in interleaved rounds (1 warm-up + "
        f"{args.runs}); writes one command at a time.",
        "",
        "| book | owners | customers (bench's) | contacts | built in |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, b in r["books"].items():
        lines.append(
            f"| {label} | {b['owners']} | {b['customers']:,} ({b['bench customers']:,})"
            f" | {b['contacts']:,} | {b['seconds']} s |"
        )
    lines += ["", "| command · book · engine | median wall (min–max) · CPU · peak |", "|---|---|"]
    lines += [f"| {label} | {t.cell()} |" for label, t in r["times"].items()]
    for label, (seconds, kib, code) in r["single"].items():
        lines.append(f"| {label} · team · SQLite (one run) | {seconds:.2f} s · {kib / 1024:.0f}"
                     f" MiB peak{f' · exit {code}' if code else ''} |")  # fmt: skip
    lines += ["", "### Team targets", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {a} | {b} | **{c}** |" for a, b, c in targets(r, args)]
    if r["plans"]:
        lines += ["", "### Sequential scans in the daily list's plans (PostgreSQL, auto_explain)",
                  "", "The target is judged on the team book's plans (bench holds 5% of each"
                  " table); on the own book every row is bench's, and a sequential scan can be"
                  " the right plan.", ""]  # fmt: skip
        for label, p in r["plans"].items():
            scans = ", ".join(f"{t} ×{n}" for t, n in sorted(p["scans"].items())) or "none"
            lines.append(f"- {label}: {p['plans']} plans; Seq Scan on growing tables: {scans}")
        lines.append("")
        where = "benchmarks/plans/" if args.team_scale == 1 else "benchmarks/books/plans/"
        lines.append(f"The plans themselves (auto_explain's log of each command): {where}.")
    return "\n".join(lines) + "\n"


def write(out: Path, section: str) -> None:
    """Replace the team section of RESULTS.md, keeping the single-book results before it."""
    old = out.read_text(encoding="utf-8") if out.exists() else "# kehu benchmark results\n"
    kept = old.split(MARK)[0].rstrip("\n")
    out.write_text(kept + "\n\n" + section, encoding="utf-8")


def team_section(out: Path) -> str:
    """The team section of an existing RESULTS.md (run.py's single-book report keeps it)."""
    if not out.exists():
        return ""
    _, mark, section = out.read_text(encoding="utf-8").partition(MARK)
    return mark + section if mark else ""


def main(args, kehu: str) -> None:
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    commit = run.commit()  # before the run writes its plans into benchmarks/plans/
    first = run.load()
    results = team_bench(args, kehu)
    write(args.out, report(results, args, started, [first, run.load()], commit))
    print(f"wrote the team section of {args.out}", file=sys.stderr)
