"""A customer handed from one salesperson to another under row-level security: what each can
still take back with `kehu undo`, and the snoozes that end with the items they put off."""

import os
import subprocess
import sys

import pytest
from conftest import SERVER_URL
from test_team import ADMIN_URL, _rls_team

from kehu.base.errors import BadInput, NotAllowed

team = pytest.mark.skipif(
    SERVER_URL is None or ADMIN_URL is None, reason="needs the PostgreSQL server and a superuser"
)


def _zh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kehu", *args], capture_output=True, text=True,
                          env={**os.environ, "KEHU_LANG": "zh"})  # fmt: skip


def test_a_past_contact_imported_ends_the_snooze_of_the_item_it_closes(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--delivered",
            "2026-11-21")  # fmt: skip
    kehu.ok("snooze", "T1", "--until", "2026-11-25", "--reason", "出差")
    sheet = tmp_path / "contacts.csv"
    sheet.write_text("日期,电话,方式,类型\n2026-11-22 09:00,13800138000,微信,感谢\n",
                     encoding="utf-8")  # fmt: skip
    assert kehu.ok("import", "--contacts", str(sheet), "--yes") == "Added 1 past contact.\n"
    assert kehu.rows("SELECT key FROM snooze") == []
    assert "Snooze ends" not in kehu.ok("calendar", "--days", "7")
    kehu.ok("undo")
    assert kehu.rows("SELECT key, reason FROM snooze") == [{"key": "T1", "reason": "出差"}]
    # A contact that closes nothing leaves the snooze running.
    sheet.write_text("日期,电话,方式,类型\n2026-11-22 09:00,13800138000,电话,其他\n",
                     encoding="utf-8")  # fmt: skip
    kehu.ok("import", "--contacts", str(sheet), "--yes")
    assert kehu.rows("SELECT key FROM snooze") == [{"key": "T1"}]


@team
@pytest.mark.parametrize("change", ["import", "snooze", "promise"])
def test_undo_of_a_change_to_a_customer_handed_to_a_colleague_since_is_refused(
    kehu, isolated, monkeypatch, tmp_path, change
):
    """The hand-over changed the customer's row, not the snooze, promise or imported rows: undo
    must not say it took them back while the policy hides them, nor take back half an import."""
    monkeypatch.delenv("KEHU_USER")
    with _rls_team(kehu, isolated) as as_role:
        alice = as_role("alice_rls")
        if change == "import":
            sheet = tmp_path / "in.csv"
            sheet.write_text("name,phone\n甲一,13311112222\n乙二,13311113333\n", encoding="utf-8")
            kehu.ok("--db", alice, "import", str(sheet), "--yes")
        else:
            kehu.ok("--db", alice, "add", "甲一", "--phone", "13311112222")
            kehu.ok("--db", alice, "add", "乙二", "--phone", "13311113333", "--product", "Golf",
                    "--delivered", "2026-11-21")  # fmt: skip
            if change == "snooze":
                kehu.ok("--db", alice, "snooze", "T1", "--until", "2026-11-25")
            else:
                kehu.ok("--db", alice, "promise", "乙二", "秘密的礼物", "--due", "2026-11-30")
        kehu.ok("assign", "乙二", "bob_rls")  # the manager (the tables' owner)
        before = kehu.snapshot()
        refused = kehu("--db", alice, "undo")
        assert refused.code == BadInput.exit_code and refused.out == "", refused
        assert refused.err == (
            f"kehu: cannot undo `{change}`: some of what it changed is no longer yours (its"
            " customer handed to a colleague, or deleted, since); nothing was changed\n"
        )
        assert kehu.snapshot() == before
        chinese = _zh("--db", alice, "undo")
        assert chinese.returncode == BadInput.exit_code
        assert "已不归你" in chinese.stderr and "乙二" not in chinese.stderr
        assert kehu.snapshot() == before
        assert [c["name"] for c in kehu.json("--db", alice, "list")] == ["甲一"]


@team
def test_a_salesperson_closing_an_item_a_colleague_snoozed_can_still_undo(
    kehu, isolated, monkeypatch
):
    """A customer handed over with a snooze the former owner made: closing the item leaves
    that snooze (it puts nothing off now, and one records only in one's own name, so undo
    could not put it back), and undo takes the contact back; putting back a contact the former
    owner recorded is refused in one line that says why."""
    monkeypatch.delenv("KEHU_USER")
    with _rls_team(kehu, isolated) as as_role:
        alice, bob = as_role("alice_rls"), as_role("bob_rls")
        kehu.ok("--db", alice, "add", "张伟", "--phone", "13800138000", "--product", "Golf",
                "--delivered", "2026-11-21")  # fmt: skip
        kehu.ok("--db", alice, "snooze", "T1", "--until", "2026-11-25", "--reason", "出差")
        kehu.ok("--db", alice, "log", "张伟", "--no-answer", "--note", "关机")
        kehu.ok("assign", "张伟", "bob_rls")
        kehu.ok("--db", bob, "done", "T1")
        assert "Snooze ends" not in kehu.ok("--db", bob, "calendar", "--days", "7")
        assert kehu.json("--db", bob, "show", "张伟")["snoozes"] == []
        undone = kehu("--db", bob, "undo")
        assert undone.code == 0 and undone.out.startswith("Undid `done`"), undone
        assert kehu.rows("SELECT made_by FROM contact") == [{"made_by": "alice_rls"}]
        assert [s["key"] for s in kehu.json("--db", bob, "show", "张伟")["snoozes"]] == ["T1"]
        # Alice's try, deleted by Bob: the server would refuse it signed by her.
        kehu.ok("--db", bob, "contact-delete", "1")
        before = kehu.snapshot()
        refused = kehu("--db", bob, "undo")
        assert refused.code == BadInput.exit_code and refused.out == "", refused
        assert refused.err == (
            "kehu: cannot undo `contact-delete`: it would put back what alice_rls recorded, and"
            " under row-level security one records only in one's own name; nothing was changed\n"
        )
        assert kehu.snapshot() == before
        chinese = _zh("--db", bob, "undo")
        assert chinese.returncode == BadInput.exit_code and "alice_rls 记下的" in chinese.stderr


@team
def test_a_salesperson_cannot_copy_a_book_into_the_teams(kehu, isolated, monkeypatch, tmp_path):
    """Bob owns no customer: the team's book looks empty to him, but is not (and COPY is
    refused under the policy): one line, exit 7, not a crash."""
    monkeypatch.delenv("KEHU_USER")
    with _rls_team(kehu, isolated) as as_role:
        alice, bob = as_role("alice_rls"), as_role("bob_rls")
        kehu.ok("--db", alice, "add", "Alice's customer", "--phone", "13800000001")
        local = str(tmp_path / "local" / "kehu.db")
        kehu.ok("--db", local, "add", "本地客户", "--phone", "13999999999")
        before = kehu.snapshot()
        for role, url in (("bob_rls", bob), ("alice_rls", alice)):
            refused = kehu("--db", local, "copy-to", url)
            assert refused.code == NotAllowed.exit_code and refused.out == "", refused
            assert len(refused.err.splitlines()) == 1
            assert f"where {role} sees only their own customers" in refused.err
            assert "Alice's customer" not in refused.err and "-pw" not in refused.err
        assert kehu.snapshot() == before
        chinese = _zh("--db", local, "copy-to", bob)
        assert chinese.returncode == NotAllowed.exit_code and "行级安全" in chinese.stderr
