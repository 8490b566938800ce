"""The "bad inputs" figure: a catalogue of what a clumsy week or a careful adversary types,
run through the command line against a book with data in it. Counted: tracebacks and
"unexpected" crashes (0 wanted), refusals that wrote something (0 wanted: every table dumped
before and after), and answers that are not one line on stderr."""

from pathlib import Path
from typing import Any

import pytest

LONG = "x" * 60_000
CATALOGUE: list[tuple[str, ...]] = [
    ("promise", "1", "call", "--due", "9999-12-31"),
    ("promise", "1", "call", "--due", "0001-01-01"),
    ("promise", "1", "call", "--due", "2026-02-30"),
    ("promise", "1", "call", "--due", "３０００年１月１日"),
    ("log", "1", "--at", "-99999999d"),
    ("log", "1", "--at", "+99999999999999999999d"),
    ("log", "1", "--next", "2200-01-01"),
    ("edit", "1", "--birthday", "0001-01-01"),
    ("edit", "1", "--birthday", "13-45"),
    ("sale", "1", "--product", "车", "--amount", "999999999999.999"),
    ("sale", "1", "--product", "车", "--amount", "1e999999999"),
    ("sale", "1", "--product", "车", "--amount", "NaN"),
    ("sale", "1", "--product", "车", "--amount", "-5"),
    ("config", "rules.cooling_months", "30000"),
    ("config", "rules.thank_you_late_hours", "10000000000"),
    ("config", "rules.daily_target", "1.5"),
    ("config", "rules.daily_target", "true"),
    ("config", "rules.callback_months", "0,3"),
    ("config", "timezone", "Mars/Base"),
    ("config", "no.such.key", "1"),
    ("list", "--search", LONG),
    ("add", LONG),
    ("add", "a\x00b"),
    ("add", ""),
    ("show", "999999999999999999999"),
    ("show", "#²"),
    ("show", "not anyone"),
    ("done", "Z99"),
    ("snooze", "P1", "--until", "9999-12-31"),
    ("--db", "mysql://u@h/db", "list"),
    ("--db", "foo://x", "list"),
    ("--db", "sqlite:///{tmp}/s.db", "list"),
    ("--db", "postgresql+psycopg://u:p@h:port/db", "list"),
    ("--db", "{tmp}", "list"),
    ("--db", "/dev/null", "add", "王五"),
    ("import", "{tmp}/unterminated.csv"),
    ("import", "{tmp}/duplicate.csv"),
    ("import", "{tmp}/extra.csv"),
    ("import", "{tmp}/missing.csv"),
    ("export", "{tmp}/no/such/folder/out.csv"),
    ("log", "1", "--via", "pigeon"),
    ("today", "--no-such-option"),
    ("no-such-command",),
]
ENVIRONMENTS: list[dict[str, str]] = [
    {"KEHU_NOW": "9999-12-31T23:00"},
    {"KEHU_NOW": "0001-01-01T00:00"},
    {"KEHU_NOW": "not a time"},
    {"KEHU_USER": "u" * 150},
    {"KEHU_CONFIG": "{tmp}"},
]


def test_bad_inputs_give_one_line_no_traceback_and_write_nothing(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kehu.ok("add", "王芳", "--phone", "13800138000", "--product", "车", "--amount", "158000")
    kehu.ok("promise", "1", "send the quote", "--due", "tomorrow")
    (tmp_path / "unterminated.csv").write_text('name,phone\n"李娜,1\n王,2\n', encoding="utf-8")
    (tmp_path / "duplicate.csv").write_text("name,name\n李娜,王\n", encoding="utf-8")
    (tmp_path / "extra.csv").write_text("name\n李娜,x\n", encoding="utf-8")
    runs = [(args, {}) for args in CATALOGUE] + [(("log", "1"), env) for env in ENVIRONMENTS]
    tracebacks = unexpected = writes = not_one_line = accepted = 0
    for args, env in runs:
        args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
        with monkeypatch.context() as m:
            for name, value in env.items():
                m.setenv(name, value.replace("{tmp}", str(tmp_path)))
            before = kehu.snapshot()
            result = kehu(*args)
            after = kehu.snapshot()
        if result.code == 0:
            accepted += 1  # taken as valid input (counted, not a failure by itself)
            continue
        tracebacks += "Traceback" in result.err
        unexpected += "unexpected" in result.err or result.code == 70
        writes += before != after
        not_one_line += not (result.err.startswith("kehu: ") and result.err.count("\n") == 1)
    print(
        f"\nbad inputs: {len(runs)} tried, {accepted} accepted, tracebacks {tracebacks}, "
        f"unexpected errors {unexpected}, unwanted writes {writes}, not one line {not_one_line}"
    )
    assert (tracebacks, unexpected, writes, not_one_line) == (0, 0, 0, 0)
    assert not (tmp_path / "s.db").exists()
