"""Errors a user can act on. Each has one line of text and an exit code; cli.py prints them."""

OUTPUT_LOST = 74  # the change was saved, but what the command printed could not be written


class KehuError(Exception):
    exit_code = 1


class BadInput(KehuError):
    """What the user typed cannot be used: the message says what is accepted."""

    exit_code = 2


class NotFound(KehuError):
    exit_code = 3


class Ambiguous(KehuError):
    """More than one customer matches; the message lists the candidates."""

    exit_code = 4


class BookLocked(KehuError):
    exit_code = 5


class BookUnusable(KehuError):
    """The database file is missing, damaged, of another program, or not accessible."""

    exit_code = 6


class NotAllowed(KehuError):
    """The server refused: the role lacks a privilege, or row-level security forbids it."""

    exit_code = 7


class NoBook(BookUnusable):
    """A command that only reads found no book where it looked (it never creates one)."""

    def __init__(self, location: str):
        super().__init__(f"no kehu book at {location}")
        self.location = location


def error_name(error: Exception) -> str:
    """What went wrong, without the error's text: a driver's message may quote the data."""
    return getattr(error, "sqlite_errorname", None) or type(error).__name__
