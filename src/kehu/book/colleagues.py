"""What row-level security (examples/team-rls.sql) hides from a salesperson but a few commands
still need to know about a colleague's customers, asked of the setup's functions, each of which
tells that and nothing more: whether a phone is taken (kehu_colleague_phones), and whom one's own
customers referred (kehu_referred: id, name and when added). Without row-level security, or on
a team set up before these functions, the tables say it all, as they always did."""

from kehu.book import engine


def _usable(tx: engine.Tx, function: str) -> bool:
    """Whether the server hides colleagues' customers from the session and the setup's
    `function` (its signature) is there for it to call."""
    if tx.dialect != "postgresql":
        return False
    return bool(
        engine.scalar(
            tx,
            "SELECT COALESCE(row_security_active(to_regclass('customer')), FALSE)"
            " AND CASE WHEN to_regprocedure(:f) IS NULL THEN FALSE"
            " ELSE has_function_privilege(to_regprocedure(:f), 'EXECUTE') END AS usable",
            f=function,
        )
    )


def phones_taken(tx: engine.Tx, digits: set[str]) -> set[str]:
    """Which of these phones (as digits) a colleague's customer, hidden from the session, has."""
    wanted = sorted(d for d in digits if d)
    if not wanted or not _usable(tx, "kehu_colleague_phones(text[])"):
        return set()
    return {
        str(r["p"])
        for r in tx.all(
            "SELECT p FROM kehu_colleague_phones(string_to_array(:ps, ',')) AS p",
            ps=",".join(wanted),
        )
    }


def referred(tx: engine.Tx) -> str:
    """The customers referred by the session's customers, as a table to read `id, name,
    referred_by, created_at` from: under row-level security the setup's kehu_referred(), which
    shows those that belong to colleagues too, else `customer`."""
    return "kehu_referred()" if _usable(tx, "kehu_referred()") else "customer"
