"""Time kehu as a salesperson meets it, whole processes on generated books; write RESULTS.md.

    python benchmarks/run.py                    # 1k, 10k and 100k customers (books cached)
    python benchmarks/run.py --quick            # 1k only, to check that it all works
    python benchmarks/run.py --sizes 10000 --runs 9 --out /tmp/results.md
    python benchmarks/run.py --team [--plans] [--company]   # shared books, SQLite and PostgreSQL

Each command gets one warm-up run and --runs timed runs (wall clock around fork, exec and
wait; peak RSS from wait4), medians reported. Books come from generate.py, cached in
benchmarks/books/ by size and seed; each size runs on a fresh copy, so the writes (`kehu add`,
`kehu log`: one customer or one contact per run) never touch the cached book. The first write
of the day starts kehu's daily backup in the background: it is timed on its own, and the
timed writes wait until that copy is done.
In the same run: the floors (bare Python; the due list through stdlib sqlite3, floor.py) and,
when `task` is installed, Taskwarrior with as many tasks as the book has customers.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BOOKS = HERE / "books"
KEHU_NOW = "2026-11-22T10:00+08:00"  # generate.NOW: where every generated book ends
OWNER = "bench"  # generate.OWNER
TZ = "Asia/Shanghai"
TIME = "/usr/bin/time"  # GNU time, for peak memory
PREFIX = "张"  # completion: `kehu show 张<Tab>`
COMPLETE = f"completion: kehu show {PREFIX}<Tab>"
ADD = "kehu add NAME --phone --product"
LOG = "kehu log NAME --via call --note"
TODAY_FLOOR = "floor: due list via stdlib sqlite3"
TASK_OVERDUE = "Taskwarrior: task overdue"
LIST = "kehu list (every customer)"
HELP_ZH = "kehu --help (中文)"
TODAY_ZH = "kehu today (中文)"
REPORTS = ("day", "week", "health", "tiers", "profile")
IMPORT = "kehu import: a sheet of N rows (GBK, Chinese headers)"


@dataclass
class Timing:
    times: list[float] = field(default_factory=list)  # wall clock, s
    cpu: list[float] = field(default_factory=list)  # user + system of the process, s
    peak_kib: int = 0
    code: int = 0
    out: str = ""
    err: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0 and bool(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    def cell(self) -> str:
        if not self.ok:
            return f"FAILED (exit {self.code}: {first_line(self.err)})"
        return (
            f"{self.median:.3f} s ({min(self.times):.3f}–{max(self.times):.3f})"
            f" · CPU {statistics.median(self.cpu):.3f} s · {self.peak_kib / 1024:.0f} MiB"
        )


def first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "no message")[:100].replace("|", "/")


def wait_for_daily_backup(folder: Path, limit: float = 600.0) -> float:
    """Seconds until the background daily copy is published (its temporary file gone)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        done = any(folder.glob("kehu-*-daily.db")) and not any(folder.glob(".*.tmp"))
        if done:
            break
        time.sleep(0.1)
    return time.perf_counter() - start


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, str, str]:
    """(wall seconds, CPU seconds, exit code, stdout, stderr) of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return seconds, usage.ru_utime + usage.ru_stime, proc.returncode, *text


def peak_kib(argv: list[str], env: dict[str, str]) -> int:
    """Peak RSS of one run, by /usr/bin/time -f %M: a child of this (larger) process would
    report at least this process's RSS, inherited at fork."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(
            [TIME, "-f", "%M", "-o", report.name, *argv], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        return int(report.read().split()[-1])


def measure(argv, env: dict[str, str], runs: int, hyperfine: bool = False) -> Timing:
    """One warm-up, `runs` timed runs, one run for memory; argv may be a function of the
    run's number (writes that must differ)."""
    command = argv if callable(argv) else lambda _n: argv
    timing = Timing()
    for number in range(runs + 1):
        seconds, cpu, code, out, err = run_once(command(number), env)
        timing.code, timing.out, timing.err = code, out, err
        if code != 0:
            timing.times = []
            return timing
        if number:  # run 0 is the warm-up
            timing.times.append(seconds)
            timing.cpu.append(cpu)
    timing.peak_kib = peak_kib(command(runs + 1), env)
    if hyperfine and not callable(argv):
        timing.times = hyperfine_times(argv, env, runs)
    return timing


def measure_together(commands: dict[str, tuple[list[str], dict[str, str]]], runs: int,
                     hyperfine: bool = False) -> dict[str, Timing]:  # fmt: skip
    """Several read commands timed in interleaved rounds (one run of each per round, after a
    warm-up round), so that a machine that slows down or speeds up during the benchmark
    weighs on all of them alike and their ratios stay fair; then one run each for memory."""
    if hyperfine:  # hyperfine times one command at a time
        return {label: measure(argv, env, runs, True) for label, (argv, env) in commands.items()}
    timings = {label: Timing() for label in commands}
    failed: set[str] = set()
    for number in range(runs + 1):
        for label, (argv, env) in commands.items():
            if label in failed:
                continue
            timing = timings[label]
            seconds, cpu, timing.code, timing.out, timing.err = run_once(argv, env)
            if timing.code != 0:
                failed.add(label)
                timing.times = []
            elif number:  # round 0 is the warm-up
                timing.times.append(seconds)
                timing.cpu.append(cpu)
    for label, (argv, env) in commands.items():
        if timings[label].ok:
            timings[label].peak_kib = peak_kib(argv, env)
    return timings


def hyperfine_times(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--style", "none",
             "--export-json", report.name, shlex.join(argv)],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        return json.loads(Path(report.name).read_text())["results"][0]["times"]


# ----------------------------------------------------------------------------- books


def book_for(customers: int, seed: int) -> tuple[Path, dict]:
    """The cached book of this size and seed, generated the first time."""
    from kehu.book.migrations import CURRENT  # a new schema version: a new book

    path = BOOKS / f"book-{customers}-seed{seed}-schema{CURRENT}.db"
    stats = path.with_suffix(".json")
    if not path.exists() or not stats.exists():
        BOOKS.mkdir(exist_ok=True)
        partial = path.with_suffix(".db.partial")
        partial.unlink(missing_ok=True)
        print(f"generating {customers:,} customers (seed {seed}) …", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--customers", str(customers),
             "--seed", str(seed), "--out", str(partial)],
            check=True, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        stats.write_text(done.stdout)
        partial.rename(path)
    return path, json.loads(stats.read_text())


def pick_customer(book: Path, customers: int) -> str:
    """A customer in the middle of the book whose name is unique: for `show` and `log`."""
    conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    row = conn.execute(
        "SELECT c.name FROM customer c WHERE c.id >= :mid AND c.archived_at IS NULL"
        " AND (SELECT COUNT(*) FROM customer d WHERE d.name = c.name) = 1 ORDER BY c.id LIMIT 1",
        {"mid": customers // 2},
    ).fetchone()
    conn.close()
    return row[0]


# ------------------------------------------------------------------------ taskwarrior


@contextlib.contextmanager
def taskwarrior(tasks: int, seed: int) -> Iterator[tuple[dict[str, str], float]]:
    """A throwaway Taskwarrior list of `tasks` tasks: (its environment, seconds to import)."""
    work = Path(tempfile.mkdtemp(prefix="kehu-bench-task-"))
    try:
        (work / "data").mkdir()
        (work / "taskrc").write_text(
            f"data.location={work / 'data'}\nconfirmation=off\nverbose=nothing\ncolor=off\n"
            "hooks=off\nrecurrence=off\ndetection=off\n"
        )
        env = {**os.environ, "TASKRC": str(work / "taskrc"), "TASKDATA": str(work / "data")}
        rng, now = Random(seed), datetime.now(UTC)

        def stamp(days: float) -> str:
            return (now + timedelta(days=days)).strftime("%Y%m%dT%H%M%SZ")

        data = [
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "status": "pending",
                "description": f"Call customer {n}: {rng.choice(('call-back', 'thank-you'))}",
                "entry": stamp(-rng.uniform(1, 1095)),
                "due": stamp(rng.uniform(-30, 335)),  # about 1 in 12 overdue
                "project": rng.choice(("sales", "service", "referrals")),
                "priority": rng.choice(("H", "M", "L")),
                "tags": ["customer"],
            }
            for n in range(tasks)
        ]
        (work / "tasks.json").write_text(json.dumps(data))
        start = time.perf_counter()
        subprocess.run(["task", "import", str(work / "tasks.json")], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        yield env, time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------ kehu


def kehu_env(work: Path, book: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEHU_", "_KEHU_"))}
    # Bytecode is cached, as on any user's machine, but outside the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(BOOKS / "pycache")
    env.update(
        KEHU_DB=str(book), KEHU_CONFIG=str(work / "config.toml"), KEHU_NOW=KEHU_NOW,
        KEHU_TZ=TZ, KEHU_USER=OWNER, HOME=str(work), NO_COLOR="1", TERM="dumb",
        KEHU_LANG="en",
    )  # fmt: skip
    return env


def import_sheet(path: Path, rows: int, seed: int) -> None:
    """A salesperson's sheet as Chinese Excel saves it: GBK, Chinese headers, a purchase and
    a column kehu does not know (kept as a profile fact) on every row."""
    rng = Random(seed)
    surnames, given = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗",
        "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚",
    )
    with path.open("w", encoding="gbk", newline="") as f:
        f.write("姓名,手机,购买车型,交车日期,成交价,爱好\r\n")
        for n in range(rows):
            name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
            day = datetime(2024, 1, 1) + timedelta(days=rng.randrange(1000))
            f.write(f"{name},1{rng.randrange(30, 99)}{n:08d},凯美瑞,{day:%Y/%m/%d},"
                    f"{rng.randrange(100, 400) * 1000},钓鱼\r\n")  # fmt: skip


def timed_with_peak(argv: list[str], env: dict[str, str]) -> Timing:
    """One run: its wall and CPU time, and its peak RSS (/usr/bin/time -f %M)."""
    with tempfile.NamedTemporaryFile("r") as peak:
        seconds, cpu, code, out, err = run_once([TIME, "-f", "%M", "-o", peak.name, *argv], env)
        kib = int(peak.read().split()[-1]) if code == 0 else 0
    return Timing([seconds] if code == 0 else [], [cpu], kib, code, out, err)


def completion_env(env: dict[str, str]) -> dict[str, str]:
    """Click's protocol, as Typer's bash completion script calls it on Tab."""
    return {**env, "_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": f"kehu show {PREFIX}",
            "COMP_CWORD": "2"}  # fmt: skip


def bench_size(customers: int, args: argparse.Namespace, kehu: str) -> dict:
    source, stats = book_for(customers, args.seed)
    work = Path(tempfile.mkdtemp(prefix="kehu-bench-"))
    try:
        with contextlib.ExitStack() as stack:
            book = work / "kehu.db"
            shutil.copyfile(source, book)
            env = kehu_env(work, book)
            name = pick_customer(book, customers)
            runs, hf = args.runs, args.hyperfine
            r: dict = {"book": stats, "customer": name}
            t = r["times"] = {}
            reads = {
                "kehu --help": ([kehu, "--help"], env),
                COMPLETE: ([kehu], completion_env(env)),
                "kehu today": ([kehu, "today"], env),
                "kehu overdue": ([kehu, "overdue"], env),
                "kehu show NAME": ([kehu, "show", name], env),
                "floor: python -c pass": ([sys.executable, "-c", "pass"], env),
                TODAY_FLOOR: ([sys.executable, str(HERE / "floor.py"), str(book)], env),
                HELP_ZH: ([kehu, "--help"], {**env, "KEHU_LANG": "zh"}),
                TODAY_ZH: ([kehu, "today"], {**env, "KEHU_LANG": "zh"}),
                **{f"kehu report {r}": ([kehu, "report", r], env) for r in REPORTS},
                LIST: ([kehu, "list"], env),
            }
            task_env = None
            if shutil.which("task"):
                task_env, r["task import"] = stack.enter_context(taskwarrior(customers, args.seed))
                reads[TASK_OVERDUE] = (["task", "overdue"], task_env)
                reads["Taskwarrior: task next"] = (["task", "next"], task_env)
            print(
                f"{customers:,} customers: timing the reads (show uses {name}) …", file=sys.stderr
            )
            t.update(measure_together(reads, runs, hf))
            # The writes come last: they add a customer, a contact or a task per run.
            print(f"{customers:,} customers: timing the writes …", file=sys.stderr)
            seconds, _peak, code, _out, _err = run_once(
                [kehu, "add", "首单客户", "--phone", "19800000000", "--product", "Model Y"], env
            )
            r["first write"] = seconds if code == 0 else float("nan")
            # kehu takes the daily copy in a background process after the first write: wait
            # for it, so that it neither counts in nor competes with the timed writes.
            r["backup seconds"] = wait_for_daily_backup(work / "backups")
            r["backup made"] = any((work / "backups").glob("kehu-*-daily.db"))
            t[ADD] = measure(
                lambda n: [kehu, "add", f"测试客户{n}", "--phone", f"1990000{n:04d}", "--product",
                           "Model Y", "--amount", "263900"], env, runs,
            )  # fmt: skip
            t[LOG] = measure(
                [kehu, "log", name, "--via", "call", "--note", "问了保养时间"], env, runs
            )
            r["dbwork"] = probe(["dbwork", name, "1970000"], env)
            print(f"{customers:,} customers: importing a sheet of as many rows …", file=sys.stderr)
            sheet, empty = work / "客户.csv", work / "imported.db"
            import_sheet(sheet, customers, args.seed)
            t[IMPORT] = timed_with_peak(
                [kehu, "import", str(sheet), "--yes"], {**env, "KEHU_DB": str(empty)}
            )
            if task_env is not None:
                t["Taskwarrior: task add"] = measure(
                    lambda n: ["task", "add", f"Call customer {n}", "due:tomorrow"], task_env, runs
                )
        if customers == max(args.sizes):
            r["plans"] = plans(kehu, env, name)
            r["imports"] = {
                "kehu --help": imports([kehu, "--help"], env),
                "completion": imports([kehu], completion_env(env)),
                "kehu today": imports([kehu, "today"], env),
            }
            r["profile"] = profile([kehu, "today"], env)
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


def probe(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "probe.py"), *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        return {"error": first_line(done.stderr)}
    return json.loads(done.stdout.strip().splitlines()[-1])


def plans(kehu: str, env: dict[str, str], name: str) -> dict[str, dict]:
    return {
        "completion": probe(["plan"], completion_env(env)),
        "today": probe(["plan", "today"], env),
        "overdue": probe(["plan", "overdue"], env),
        "show": probe(["plan", "show", name], env),
        "add": probe(["plan", "add", "探针客户", "--phone", "19600000000", "--product", "X"], env),
        "log": probe(["plan", "log", name, "--via", "call"], env),
    }


def imports(argv: list[str], env: dict[str, str]) -> dict:
    """What a command imports (python -X importtime): SQLAlchemy or not, and the costliest."""
    _s, _p, _code, _out, err = run_once(argv, {**env, "PYTHONPROFILEIMPORTTIME": "1"})
    rows = []
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    packages: dict[str, int] = {}
    for us, _depth, module in rows:  # a package's first import includes its own imports
        root = module.split(".")[0]
        packages[root] = max(packages.get(root, 0), us)
    top = sorted(((us, root) for root, us in packages.items() if root != "kehu"), reverse=True)
    return {
        "sqlalchemy": "sqlalchemy" in packages,
        "modules": len(rows),
        "total ms": round(sum(r[0] for r in rows if r[1] <= 1) / 1000),
        "top": [f"{root} {us / 1000:.0f} ms" for us, root in top[:6]],
    }


def profile(argv: list[str], env: dict[str, str], top: int = 10) -> list[str]:
    """The functions one run spends most of its own time in (cProfile, tottime)."""
    with tempfile.NamedTemporaryFile(suffix=".prof") as stats:
        code = [sys.executable, "-m", "cProfile", "-o", stats.name, *argv]
        done = subprocess.run(code, env=env, stdin=subprocess.DEVNULL, capture_output=True)
        if done.returncode != 0:
            return [f"failed: {first_line(done.stderr.decode(errors='replace'))}"]
        import pstats

        data = pstats.Stats(stats.name).stats  # type: ignore[attr-defined]
    rows = sorted(data.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    total = sum(v[2] for v in data.values())
    return [
        f"{tottime:.2f} s own, {cumtime:.2f} s cumulative, {calls:,} calls:"
        f" {Path(file).name}:{line} {function}"
        for (file, line, function), (_cc, calls, tottime, cumtime, _callers) in rows
    ] + [f"total {total:.2f} s under the profiler"]


# --------------------------------------------------------------------------- results


def machine(kehu: str) -> dict[str, str]:
    def read(path: str, key: str) -> str:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
        return "?"

    def version(argv: list[str]) -> str:
        if not shutil.which(argv[0]):
            return "not installed"
        done = subprocess.run(argv, capture_output=True, text=True)
        return (done.stdout or done.stderr).strip().splitlines()[0]

    mem = int(read("/proc/meminfo", "MemTotal").split()[0]) / 2**20
    return {
        "CPU": f"{os.cpu_count()} × {read('/proc/cpuinfo', 'model name')}",
        "memory": f"{mem:.1f} GiB",
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "kehu": version([kehu, "--version"]),
        "Taskwarrior": version(["task", "--version"]),
        "hyperfine": version(["hyperfine", "--version"]),
    }


def commit() -> str:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # read only: no index refresh

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, env=env, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain") else "")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else "met" if ok else "NOT met"


def slowest(results: dict[int, dict], label: str) -> tuple[str, bool | None, float]:
    """The slowest median of a command over all sizes (a failed run counts as infinite)."""
    got = [r["times"][label] for r in results.values() if label in r["times"]]
    if not got:
        return "—", None, float("inf")
    worst = max(t.median if t.ok else float("inf") for t in got)
    return f"{worst:.3f} s (slowest median)", True, worst


def ratio(results: dict[int, dict], size: int, label: str, base: str, limit: float) -> tuple:
    if size not in results or base not in results[size]["times"]:
        return "—", None
    ours, theirs = results[size]["times"][label], results[size]["times"][base]
    if not (ours.ok and theirs.ok):
        return "a command failed", False
    value = ours.median / theirs.median
    return f"{ours.median:.3f} s / {theirs.median:.3f} s = {value:.2f}", value <= limit


def targets(results: dict[int, dict]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for each target of the performance issue."""
    rows: list[tuple[str, str, str]] = []
    last = results[max(results)]
    for label, key in (("kehu --help", "kehu --help"), (COMPLETE, "completion")):
        text, measured, worst = slowest(results, label)
        rows.append(
            (f"`{label}` ≤ 0.15 s at every size", text, verdict(measured and worst <= 0.15))
        )
        alchemy = last.get("imports", {}).get(key, {}).get("sqlalchemy")
        said = "—" if alchemy is None else "imports it" if alchemy else "does not"
        ok = None if alchemy is None else not alchemy
        rows.append((f"`{label}` does not import SQLAlchemy", said, verdict(ok)))
    shown = [r["times"][COMPLETE].out.split() for r in results.values()]
    rows.append(
        (
            "completion offers names from the book at every size",
            f"{len(shown[-1])} offered, first {shown[-1][0] if shown[-1] else 'none'}",
            verdict(all(shown)),
        )
    )
    for label in ("kehu today", "kehu overdue"):
        text, ok = ratio(results, 10000, label, TASK_OVERDUE, 0.999)
        rows.append(
            (f"`{label}` at 10k faster than `task overdue` at 10k tasks", text, verdict(ok))
        )
    text, ok = ratio(results, 100000, "kehu today", TODAY_FLOOR, 1.5)
    rows.append(("`kehu today` at 100k ≤ 1.5 × the stdlib floor", text, verdict(ok)))
    today = results.get(100000, {}).get("times", {}).get("kehu today")
    mib = today.peak_kib / 1024 if today and today.ok else None
    rows.append(
        (
            "`kehu today` at 100k ≤ 100 MiB peak memory",
            "—" if mib is None else f"{mib:.0f} MiB",
            verdict(None if today is None else mib is not None and mib <= 100),
        )
    )
    for label in (ADD, LOG):
        text, measured, worst = slowest(results, label)
        rows.append((f"`{label}` ≤ 0.6 s at every size", text, verdict(measured and worst <= 0.6)))
    worst_ms = max(
        r["dbwork"].get(k, float("inf")) for r in results.values() for k in ("add", "log")
    )
    rows.append(
        (
            "database work of add and log < 50 ms at every size (probe.py)",
            f"{worst_ms:.1f} ms (slowest median)",
            verdict(worst_ms < 50),
        )
    )
    rows += language_targets(results)
    lists = [r["times"][LIST] for r in results.values() if LIST in r["times"]]
    if lists:
        worst = max(t.peak_kib if t.ok else float("inf") for t in lists) / 1024
        rows.append(("`kehu list` < 80 MiB peak memory at every size", f"{worst:.0f} MiB",
                     verdict(worst < 80)))  # fmt: skip
    for name in REPORTS:
        text, measured, worst = slowest(results, f"kehu report {name}")
        rows.append(
            (f"`kehu report {name}` < 2 s at every size", text, verdict(measured and worst < 2))
        )
    biggest = results[max(results)]["times"].get(IMPORT)
    if biggest is not None:
        text = (
            f"{biggest.median:.1f} s, {biggest.peak_kib / 1024:.0f} MiB"
            f" at {short(max(results))} rows"
            if biggest.ok
            else biggest.cell()
        )
        fast = biggest.ok and biggest.median < 60 and biggest.peak_kib < 150 * 1024
        rows.append(("import of the largest sheet < 60 s and < 150 MiB", text, verdict(fast)))
    plans = last.get("plans", {})
    scanned = sorted(c for c, p in plans.items() if "contact" in p.get("scans", {}))
    broken = sorted(c for c, p in plans.items() if "error" in p or p.get("code"))
    text = f"full scans of contact in: {', '.join(scanned) or 'none'}"
    text += f"; could not check: {', '.join(broken)}" if broken else ""
    ok = None if not plans else not scanned and not broken
    rows.append(("no command reads every contact: SQL on `contact` is indexed", text, verdict(ok)))
    return rows


def language_targets(results: dict[int, dict]) -> list[tuple[str, str, str]]:
    """The Chinese interface costs at most 10 ms of CPU more than the English one."""
    rows = []
    for zh, en in ((HELP_ZH, "kehu --help"), (TODAY_ZH, "kehu today")):
        extra = [
            statistics.median(r["times"][zh].cpu) - statistics.median(r["times"][en].cpu)
            for r in results.values()
            if r["times"].get(zh) and r["times"][zh].ok and r["times"][en].ok
        ]
        worst = max(extra) if extra else None
        text = "—" if worst is None else f"{worst * 1000:+.0f} ms CPU (largest over the sizes)"
        rows.append(
            (
                f"`{zh}` ≤ 10 ms more than in English",
                text,
                verdict(None if worst is None else worst <= 0.010),
            )
        )
    return rows


def report(
    results: dict[int, dict], args: argparse.Namespace, started: str, loads: list[str]
) -> str:
    sizes = sorted(results)
    timer = (
        "hyperfine -N (read-only commands)"
        if args.hyperfine
        else "built in; the read commands, floors and Taskwarrior in interleaved rounds"
    )
    lines = [
        "# kehu benchmark results",
        "",
        f"Written by `{shlex.join(['python', 'benchmarks/run.py', *sys.argv[1:]])}`"
        " — do not edit by hand; see benchmarks/README.md.",
        "",
        f"- Date: {started}",
        f"- Commit: {commit()}",
        *(f"- {k}: {v}" for k, v in machine(args.kehu).items()),
        f"- Load average (1, 5, 15 min) at start: {loads[0]}; at end: {loads[1]}",
        f"- Method: whole processes, 1 warm-up + {args.runs} timed runs each: median wall time "
        f"(min–max), median CPU time (user + system), then one more run for the peak RSS"
        f" (/usr/bin/time -f %M); timer: {timer}. Books: generate.py seed "
        f"{args.seed}, KEHU_NOW={KEHU_NOW}, KEHU_TZ={TZ}; all customers belong to the user "
        "(the worst case for the daily list).",
        "",
        "## Books",
        "",
        "| customers | contacts | purchases | promises | archived | size | generated in |"
        " `kehu today` lists | floor lists |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        b, t = results[n]["book"], results[n]["times"]
        listed = re.search(r": (\d+) to contact", t["kehu today"].out)
        floor = re.match(r"(\d+) due", t[TODAY_FLOOR].out)
        lines.append(
            f"| {b['customers']:,} | {b['contacts']:,} | {b['purchases']:,} | {b['promises']:,}"
            f" | {b['archived']:,} | {b['mib']} MiB | {b['seconds']} s"
            f" | {listed.group(1) if listed else '?'} items | {floor.group(1) if floor else '?'}"
            " items |"
        )
    lines += [
        "",
        "## Times: median wall (min–max) · median CPU · peak memory",
        "",
        "| command | " + " | ".join(f"{short(n)} customers" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for label in results[sizes[0]]["times"]:
        cells = [results[n]["times"][label].cell() for n in sizes if label in results[n]["times"]]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(
        "| first write of the day (`kehu add`; the daily backup follows in the background) | "
        + " | ".join(
            f"{results[n]['first write']:.3f} s"
            + (
                f" (background copy done {results[n]['backup seconds']:.1f} s later)"
                if results[n]["backup made"]
                else " (no backup seen)"
            )
            for n in sizes
        )
        + " |"
    )
    lines.append(
        "| database work only: add / log (probe.py) | "
        + " | ".join(
            "error: " + w["error"] if "error" in w else f"{w['add']} ms / {w['log']} ms"
            for w in (results[n]["dbwork"] for n in sizes)
        )
        + " |"
    )
    if all("task import" in results[n] for n in sizes):
        lines.append(
            "| Taskwarrior: task import (setup, once) | "
            + " | ".join(f"{results[n]['task import']:.2f} s" for n in sizes)
            + " |"
        )
    lines += ["", "## Ratios", ""]
    for n in sizes:
        t = results[n]["times"]
        parts = []
        for label in ("kehu today", "kehu overdue"):
            for base in (TODAY_FLOOR, TASK_OVERDUE):
                if base in t and t[label].ok and t[base].ok:
                    parts.append(f"`{label}` / {base}: {t[label].median / t[base].median:.2f}")
        lines.append(f"- {short(n)}: " + ("; ".join(parts) or "— (a command failed)"))
    lines += ["", "## Targets", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {a} | {b} | **{c}** |" for a, b, c in targets(results)]
    last = results[sizes[-1]]
    if "imports" in last:
        lines += [
            "",
            f"## Where start-up goes ({short(sizes[-1])} book, `python -X importtime`)",
            "",
        ]
        for label, info in last["imports"].items():
            alchemy = "imports SQLAlchemy" if info["sqlalchemy"] else "no SQLAlchemy"
            lines.append(
                f"- `{label}`: {info['modules']} modules in {info['total ms']} ms, {alchemy};"
                " costliest packages (cumulative): " + ", ".join(info["top"])
            )
    if "profile" in last:
        lines += [
            "",
            f"## Where `kehu today` spends its time ({short(sizes[-1])} book, cProfile, one run)",
            "",
        ]
        lines += [f"- {row}" for row in last["profile"]]
    if "plans" in last:
        lines += [
            "",
            f"## Full table scans per command ({short(sizes[-1])} book, SQLite plans)",
            "",
        ]
        for label, plan in last["plans"].items():
            if "error" in plan or plan.get("code"):
                lines.append(f"- {label}: could not check ({plan.get('error', plan.get('code'))})")
                continue
            scans = ", ".join(f"{table} ×{len(s)}" for table, s in sorted(plan["scans"].items()))
            lines.append(
                f"- {label}: {plan['statements']} statements; full scans: {scans or 'none'}"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1000,10000,100000"],
        help="customers: 1000 10000, or 1000,10000",
    )
    parser.add_argument("--quick", action="store_true", help="1k customers only")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hyperfine", action="store_true", help="time reads with hyperfine")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--team", action="store_true", help="team books (see teamrun.py)")
    parser.add_argument("--plans", action="store_true", help="with --team: PostgreSQL plans")
    parser.add_argument("--company", action="store_true", help="with --team: the 1M book")
    parser.add_argument(
        "--team-scale", type=float, default=1.0, help="with --team: scale every book's size"
    )
    args = parser.parse_args()
    words = [w for given in args.sizes for w in given.split(",") if w.strip()]
    try:
        sizes = [int(w) for w in words]
    except ValueError:
        parser.error(f"--sizes takes whole numbers of customers, like 1000 10000; got {words}")
    args.sizes = [1000] if args.quick else sizes
    if not os.access(TIME, os.X_OK):
        sys.exit(f"run.py: {TIME} is needed for peak memory (Debian: apt-get install time)")
    if args.hyperfine and not shutil.which("hyperfine"):
        sys.exit("run.py: --hyperfine given but hyperfine is not installed")
    kehu = str(Path(sys.executable).with_name("kehu"))
    if not os.access(kehu, os.X_OK):
        kehu = shutil.which("kehu") or sys.exit("run.py: kehu is not installed in this Python")
    args.kehu = kehu
    if args.team:
        import teamrun

        teamrun.main(args, kehu)
        return
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    first_load = load()
    results = {n: bench_size(n, args, kehu) for n in sorted(args.sizes)}
    import teamrun  # the team section, written by --team, stays

    text = report(results, args, started, [first_load, load()])
    team = teamrun.team_section(args.out)
    args.out.write_text(text + ("\n" + team if team else ""), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
