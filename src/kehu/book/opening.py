"""Opening a book for use: connect (engine), then bring its schema up to date (migrations)."""

from kehu.book import engine, migrations


def open_book(
    target: str, *, create: bool = True, statement_timeout: float = engine.STATEMENT_TIMEOUT_S
) -> engine.Book:
    """Open a book, bringing its schema up to date; with `create`, make it the first time
    (otherwise a missing book, or an empty server database, is NoBook). A server book stops
    statements that run longer than `statement_timeout` seconds."""
    book: engine.Book = (
        engine.ServerBook(target, statement_timeout=statement_timeout)
        if engine.is_url(target)
        else engine.SQLiteBook(target, create=create)
    )
    try:
        migrations.ensure_current(book, create=create)
    except BaseException:
        book.close()
        raise
    return book
