"""Errors a user can act on. Each has one line of text and an exit code; cli.py prints them."""

import errno

from kehu.base.i18n import N_, _, language

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


# The system's own words for the failures a user meets, as msgids so that they are translated.
_SYSTEM_WORDS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EIO: N_("Input/output error"),
    errno.EPIPE: N_("Broken pipe"),
    errno.EBADF: N_("Bad file descriptor"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
}


def system_reason(error: BaseException) -> str:
    """Why the system refused, in the chosen language: the system's words for the usual
    failures; any other one by its errno code outside English."""
    number = getattr(error, "errno", None)
    words = _SYSTEM_WORDS.get(number) if isinstance(number, int) else None
    if words is not None:
        return _(words)
    text = getattr(error, "strerror", None)
    if text and language() == "en":
        return str(text)
    code = errno.errorcode.get(number, "") if isinstance(number, int) else ""
    return _("system error {code}").format(code=code or type(error).__name__)
