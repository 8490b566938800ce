"""Processes the reliability tests start: `python tests/workers.py MODE ARGS…`.

Each run of the command line goes through kehu.cli.run, exactly as `kehu …` would (same argv
parsing and code path, its own connection opened and closed per run); only the interpreter
start-up is shared, so that hundreds of runs fit in a test.

Modes:
  writer INDEX COUNT CUSTOMER_ID GO_FILE OUT_JSON   log, promise and done, in turn
  reader STOP_FILE OUT_JSON                         today and overdue until STOP_FILE exists
  adder PREFIX STOP_FILE OUT_JSON                   sales (customer + purchase + profile)
  as-nobody ARGS…                                   the command line, run as the user nobody
"""

import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path


def call(args: list[str]) -> tuple[int, str, str]:
    from kehu.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main.run(args)
    return code, out.getvalue(), err.getvalue()


def wait_for(path: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


def writer(index: int, count: int, customer: int, go: Path, out: Path) -> None:
    import kehu.cli.main  # noqa: F401  (imported before the start, so the writers overlap)

    wait_for(go)
    runs = []
    promise = None
    for i in range(count):
        step = i % 3
        if step == 0:
            args = ["log", str(customer), "--via", "call", "--note", f"w{index}-{i}"]
        elif step == 1:
            args = ["promise", str(customer), f"w{index}-{i}", "--due", "tomorrow"]
        elif (i // 3) % 2 == 0 and promise is not None:
            args = ["done", promise]
        else:
            args = ["done", f"S{customer}", "--again", "--note", f"w{index}-{i}"]
        code, stdout, stderr = call(args)
        if step == 1 and code == 0:
            promise = stdout.split()[1]  # "Promise P12 to …"
        runs.append({"args": args, "code": code, "err": stderr})
    out.write_text(json.dumps(runs, ensure_ascii=False), encoding="utf-8")


def reader(stop: Path, out: Path) -> None:
    runs = []
    while not stop.exists() or not runs:
        for args in (["today"], ["overdue"]):
            code, _, stderr = call(args)
            runs.append({"args": args, "code": code, "err": stderr})
    out.write_text(json.dumps(runs, ensure_ascii=False), encoding="utf-8")


def adder(prefix: str, stop: Path, out: Path) -> None:
    runs = []
    i = 0
    while not stop.exists():
        name = f"{prefix}{i}"
        args = ["add", name, "--phone", f"1{i:010d}", "--product", f"车{i}"]
        args += ["--set", f"a=甲{i}", "--set", f"c=丙{i}"]
        code, _, stderr = call(args)
        runs.append({"name": name, "code": code, "err": stderr})
        i += 1
    out.write_text(json.dumps(runs, ensure_ascii=False), encoding="utf-8")


def as_nobody(args: list[str]) -> None:
    """Root is not stopped by permission bits: drop to nobody, after importing everything
    kehu may import (the interpreter and its packages may live where nobody cannot read)."""
    import importlib
    import pkgutil
    import pwd

    import kehu

    for module in pkgutil.walk_packages(kehu.__path__, "kehu."):
        if module.name != "kehu.__main__":
            importlib.import_module(module.name)
    for name in ("dateutil.tz", "platformdirs", "tomli_w", "rich.console", "rich.table"):
        importlib.import_module(name)
    from kehu.cli import main

    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
    sys.argv = ["kehu", *args]
    main.main()


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "writer":
        writer(int(rest[0]), int(rest[1]), int(rest[2]), Path(rest[3]), Path(rest[4]))
    elif mode == "reader":
        reader(Path(rest[0]), Path(rest[1]))
    elif mode == "adder":
        adder(rest[0], Path(rest[1]), Path(rest[2]))
    elif mode == "as-nobody":
        as_nobody(rest)
    else:
        sys.exit(f"unknown mode {mode}")
