"""`kehu export PATH` writes the format PATH's extension names, as `import` reads it; an
extension kehu does not write, or one that contradicts --format, is refused."""

import csv
import io
import os
import select
import subprocess
import sys

import icalendar
import openpyxl
import pytest


def test_the_extension_chooses_the_format(kehu, tmp_path):
    kehu.ok("add", "张三", "--phone", "13800138000")
    kehu.ok("promise", "1", "回电", "--due", "2026-11-25")
    for name in ("c.xlsx", "e.ics", "v.vcf", "b.json", "t.csv"):
        assert kehu("export", str(tmp_path / name)).code == 0
    rows = list(openpyxl.load_workbook(tmp_path / "c.xlsx").active.iter_rows(values_only=True))
    assert rows[1][1:3] == ("张三", "13800138000")
    calendar = icalendar.Calendar.from_ical((tmp_path / "e.ics").read_bytes())
    assert any("回电" in str(e.get("summary")) for e in calendar.walk("VEVENT"))
    assert (tmp_path / "v.vcf").read_text(encoding="utf-8").startswith("BEGIN:VCARD")
    assert (tmp_path / "b.json").read_text(encoding="utf-8").startswith("{")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert next(csv.DictReader(io.StringIO(text)))["name"] == "张三"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("y.pdf",), "y.pdf: kehu cannot write .pdf files; accepted: .csv, .txt, .xlsx, .xlsm, "
                     ".vcf, .vcard, .json, .ics, .ical\n"),
        (("--format", "csv", "y.pdf"), "kehu cannot write .pdf files"),
        (("--format", "csv", "c.xlsx"), "--format csv does not match the extension of "),
        (("--format", "vcf", "e.ics"), "(ics); drop --format or change the extension\n"),
    ],
)  # fmt: skip
def test_an_unknown_or_contradicting_extension_is_refused_and_nothing_written(
    kehu, tmp_path, args, error
):
    kehu.ok("add", "张三")
    *options, name = args
    (tmp_path / "out").mkdir()
    result = kehu("export", *options, str(tmp_path / "out" / name))
    assert result.code == 2 and error in result.err and result.err.count("\n") == 1, result
    assert result.out == "" and list((tmp_path / "out").iterdir()) == []


def test_without_an_extension_format_decides_and_csv_is_the_default(kehu, tmp_path):
    kehu.ok("add", "张三")
    kehu("export", str(tmp_path / "plain"))
    kehu("export", "--format", "vcf", str(tmp_path / "cards"))
    assert (tmp_path / "plain").read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    assert (tmp_path / "cards").read_bytes().startswith(b"BEGIN:VCARD")


def test_in_chinese_the_refusal_is_worded_in_chinese(isolated, tmp_path):
    done = subprocess.run([sys.executable, "-m", "kehu", "export", str(tmp_path / "y.pdf")],
                          env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 2 and not (tmp_path / "y.pdf").exists()
    assert done.stderr == (
        f"kehu: {tmp_path / 'y.pdf'}：kehu 不能导出 .pdf 文件；可以用：.csv, .txt, .xlsx, .xlsm, "
        ".vcf, .vcard, .json, .ics, .ical\n"
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "vcf", "ics"])
def test_a_dash_is_stdout_in_every_text_format(kehu, tmp_path, monkeypatch, fmt):
    kehu.ok("add", "张三", "--phone", "13800138000")
    kehu.ok("promise", "1", "回电", "--due", "2026-11-25")
    monkeypatch.chdir(tmp_path)
    printed = kehu.ok("export", "--format", fmt, "-")
    assert printed == kehu.ok("export", "--format", fmt) and "张三" in printed
    assert kehu.ok("export", "--format", fmt, "－") == printed  # typed in full width
    assert not (tmp_path / "-").exists() and not (tmp_path / "－").exists()


def _export(args, tmp_path, stdout, **environ):
    return subprocess.run([sys.executable, "-m", "kehu", "export", *args], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=tmp_path, env={**os.environ, **environ},
                          timeout=120)  # fmt: skip


def test_a_workbook_goes_to_stdout_when_it_is_not_a_terminal(kehu, tmp_path):
    kehu.ok("add", "张三", "--phone", "13800138000")
    for args in (["--format", "xlsx", "-"], ["--format", "xlsx"]):
        with open(tmp_path / "sent.xlsx", "wb") as out:
            done = _export(args, tmp_path, out)
        assert done.returncode == 0 and done.stderr == b""
        rows = list(openpyxl.load_workbook(tmp_path / "sent.xlsx").active.values)
        assert rows[1][1:3] == ("张三", "13800138000")
    piped = _export(["--format", "xlsx", "-"], tmp_path, subprocess.PIPE)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")
    assert not (tmp_path / "-").exists()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_workbook_is_not_written_to_a_terminal(kehu, tmp_path):
    kehu.ok("add", "张三", "--phone", "13800138000")
    main, terminal = os.openpty()
    try:
        for lang, said in (
            ("en", "kehu: an xlsx workbook is not written to a terminal; give a PATH, or send "
                   "stdout to a file or a program (> customers.xlsx)\n"),
            ("zh", "kehu: xlsx 工作簿不写到终端上；请给出 PATH，或把标准输出导到文件或程序"
                   "（> customers.xlsx）\n"),
        ):  # fmt: skip
            done = _export(["--format", "xlsx", "-"], tmp_path, terminal, KEHU_LANG=lang)
            assert done.returncode == 2 and done.stderr.decode() == said
        assert select.select([main], [], [], 0)[0] == []  # nothing was written to the terminal
    finally:
        os.close(main)
        os.close(terminal)
    assert not (tmp_path / "-").exists()
