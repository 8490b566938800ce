"""A text sent with `kehu done --sent/--draft` is kept as the contact's note, marked as sent: the
card and the day's report show it as sent, and the daily list's talking point never quotes it
back (it says something about the customer: the last note that is not a sent text)."""

import subprocess

from conftest import in_chinese

SENT = "王先生，您好！感谢您选择车险！"
SAID = "想换大一点的车"
NEXT_DAY = "2026-11-23T09:00"


def zh(*args: str, now: str = NEXT_DAY) -> subprocess.CompletedProcess[str]:
    return in_chinese(*args, now=now)


def _customer(kehu):
    """王强, bought today (T1 item), said something on an earlier call; a promise due tomorrow
    keeps him on tomorrow's list."""
    kehu.ok("add", "王强", "--phone", "13800000004", "--gender", "male", "--product", "雅阁",
            now="2026-11-22T09:00")  # fmt: skip
    kehu.ok("log", "王强", "--via", "call", "--at", "2026-11-22 09:30", "--note", SAID)
    kehu.ok("promise", "王强", "送保养券", "--due", "2026-11-23")


def _talk(kehu, now: str = NEXT_DAY) -> str | None:
    [item] = [i for i in kehu.json("today", now=now)["items"] if i["customer_name"] == "王强"]
    return item["talking_point"]


def test_done_sent_marks_the_note_as_sent_and_the_talking_point_keeps_the_last_note(kehu):
    _customer(kehu)
    assert kehu.ok("done", "T1", "--sent", SENT).startswith("Done T1")
    rows = kehu.rows("SELECT note, sent FROM contact ORDER BY id")
    assert [(r["note"], bool(r["sent"])) for r in rows] == [(SAID, False), (SENT, True)]
    talk = _talk(kehu)
    assert talk == f"last note: {SAID}"
    assert "感谢您选择车险" not in kehu.ok("today", now=NEXT_DAY)


def test_done_draft_marks_the_draft_as_sent(kehu):
    _customer(kehu)
    draft = kehu("draft", "T1").out.rstrip("\n")
    kehu.ok("done", "T1", "--draft")
    [row] = kehu.rows("SELECT note, sent FROM contact WHERE note <> :said", said=SAID)
    assert (row["note"], bool(row["sent"])) == (draft, True)
    assert _talk(kehu) == f"last note: {SAID}"


def test_only_sent_texts_give_no_last_note(kehu):
    kehu.ok("add", "王强", "--phone", "13800000004", "--set", "hobbies=钓鱼", "--product", "雅阁",
            now="2026-11-22T09:00")  # fmt: skip
    kehu.ok("promise", "王强", "送保养券", "--due", "2026-11-23")
    kehu.ok("done", "T1", "--sent", SENT)
    assert _talk(kehu) == "hobbies: 钓鱼"


def test_a_note_written_after_a_sent_text_is_the_talking_point(kehu):
    _customer(kehu)
    kehu.ok("done", "T1", "--sent", SENT)
    kehu.ok("log", "王强", "--via", "wechat", "--note", "回复说周末来店", now="2026-11-22T11:00")
    assert _talk(kehu) == "last note: 回复说周末来店"


def test_done_note_is_still_a_note(kehu):
    _customer(kehu)
    kehu.ok("done", "T1", "--note", "很满意")
    assert [bool(r["sent"]) for r in kehu.rows("SELECT sent FROM contact")] == [False, False]
    assert _talk(kehu) == "last note: 很满意"


def test_the_card_and_the_day_report_show_the_text_as_sent(kehu):
    _customer(kehu)
    kehu.ok("done", "T1", "--sent", SENT)
    card = kehu.json("show", "王强")
    assert [(k["note"], k["sent"]) for k in card["contacts"]] == [(SENT, True), (SAID, False)]
    shown = kehu.ok("show", "王强")
    assert f"sent: {SENT}" in shown
    assert f"sent: {SAID}" not in shown and SAID in shown
    report = kehu.json("report", "day")
    assert [(c["note"], c["sent"]) for c in report["contacts"]] == [(SAID, False), (SENT, True)]
    assert f"sent: {SENT}" in kehu.ok("report", "day")


def test_in_chinese_the_list_quotes_the_note_and_the_card_marks_the_sent_text(kehu):
    _customer(kehu)
    kehu.ok("done", "T1", "--sent", SENT)
    listed = zh("today")
    assert listed.returncode == 0, listed.stderr
    assert f"上次记录：{SAID}" in listed.stdout
    assert "感谢您选择车险" not in listed.stdout
    card = zh("show", "王强")
    assert card.returncode == 0, card.stderr
    assert f"已发：{SENT}" in card.stdout
    assert f"已发：{SAID}" not in card.stdout
    data = zh("today", "--json")
    assert '"talking_point"' in data.stdout and "已发" not in data.stdout


def test_the_sent_mark_survives_a_json_export_and_import(kehu, tmp_path):
    _customer(kehu)
    kehu.ok("done", "T1", "--sent", SENT)
    path = tmp_path / "book.json"
    assert kehu("export", "--format", "json", str(path)).code == 0
    assert '"sent": true' in path.read_text(encoding="utf-8")
    other = str(tmp_path / "other.db")
    assert kehu("--db", other, "import", str(path)).code == 0
    back = kehu.json("--db", other, "show", "王强")
    assert [(k["note"], k["sent"]) for k in back["contacts"]] == [(SENT, True), (SAID, False)]
    assert kehu.json("--db", other, "today", now=NEXT_DAY)["items"][0]["talking_point"] == (
        f"last note: {SAID}"
    )


def test_a_greeting_sent_to_a_group_is_marked_sent(kehu):
    for name, phone in (("李娜", "13800000002"), ("刘洋", "13800000003")):
        kehu.ok("add", name, "--phone", phone, now="2026-09-01T10:00")
    kehu.ok("log", "李娜", "--note", "女儿九月上大学", now="2026-09-01T11:00")
    kehu.ok("done", "G20260925", "--sent", "中秋快乐！", now="2026-09-22T10:00")
    rows = kehu.rows("SELECT customer_id, note, sent FROM contact WHERE kind = 'greeting'")
    assert sorted((r["customer_id"], r["note"], bool(r["sent"])) for r in rows) == [
        (1, "中秋快乐！", True), (2, "中秋快乐！", True),
    ]  # fmt: skip
    greet = kehu.json("greet", "中秋", now="2026-09-22T10:00")
    talk = {c["customer_name"]: c["talking_point"] for c in greet["customers"]}
    assert talk == {"李娜": "last note: 女儿九月上大学", "刘洋": None}


def test_contact_edit_note_makes_a_sent_text_a_note_and_sent_makes_it_sent_again(kehu):
    _customer(kehu)
    kehu.ok("done", "T1", "--sent", SENT)
    [sent_id] = [r["id"] for r in kehu.rows("SELECT id FROM contact WHERE sent")]
    assert kehu.ok("contact-edit", f"#{sent_id}", "--note", "他说下周来保养").startswith("Changed")
    row = kehu.rows("SELECT note, sent FROM contact WHERE id = :i", i=sent_id)[0]
    assert (row["note"], bool(row["sent"])) == ("他说下周来保养", False)
    assert _talk(kehu) == "last note: 他说下周来保养"
    kehu.ok("contact-edit", str(sent_id), "--sent", SENT)
    row = kehu.rows("SELECT note, sent FROM contact WHERE id = :i", i=sent_id)[0]
    assert (row["note"], bool(row["sent"])) == (SENT, True)
    assert _talk(kehu) == f"last note: {SAID}"


def test_contact_edit_refuses_note_and_sent_together_and_changes_nothing(kehu):
    _customer(kehu)
    kehu.ok("done", "T1", "--sent", SENT)
    before = kehu.rows("SELECT id, note, sent FROM contact ORDER BY id")
    result = kehu("contact-edit", "2", "--note", "a", "--sent", "b")
    assert result.code != 0
    assert result.err.strip() == "kehu: --note and --sent each give the note; give one of them"
    assert kehu.rows("SELECT id, note, sent FROM contact ORDER BY id") == before
