"""Writing a new file whole: under a hidden temporary name in the same folder, private (0600),
synced to disk, and only then given its name. A kehu killed halfway leaves no half a file."""

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kehu.base.errors import BadInput, system_reason
from kehu.base.i18n import _


class AlreadyThere(BadInput):
    """The target exists and kehu does not overwrite it."""


class CannotWrite(BadInput):
    """The folder cannot take the file (missing, read-only, full…)."""

    def __init__(self, target: Path, reason: str):
        super().__init__(_("cannot write {path}: {reason}").format(path=target, reason=reason))
        self.reason = reason


def already_there(target: Path) -> AlreadyThere:
    return AlreadyThere(
        _("{path} already exists; kehu never overwrites a file").format(path=target)
    )


@contextmanager
def new_file(target: Path, *, replace: bool = False, make_folder: bool = False) -> Iterator[Path]:
    """Yield a private temporary path beside `target`; write it in the block. When the block ends
    without an error the file is synced and appears as `target`: never over an existing file
    unless `replace`. On an error the temporary file is removed and `target` is untouched."""
    if target.is_dir():  # with replace too: a folder is never written over
        raise BadInput(
            _("{path} is a folder; give the name of a file to write in it").format(path=target)
        )
    if not replace and target.exists():
        raise already_there(target)
    try:
        if make_folder:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        sweep_leftovers(target)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise CannotWrite(target, system_reason(e)) from None
    os.close(fd)  # mkstemp makes it 0600
    temp = Path(name)
    try:
        yield temp
        _sync(temp)
        if replace:
            os.replace(temp, target)
        elif not _publish(temp, target):
            raise already_there(target)
        _sync_folder(target.parent)
    finally:
        temp.unlink(missing_ok=True)


def sweep_leftovers(target: Path) -> None:
    """Remove what a kehu killed over an hour ago while writing `target` left: its temporary
    file (mkstemp's name) and the journal SQLite kept beside it. Only those names, only this
    user's files."""
    import re
    from datetime import UTC

    from kehu.base import clock

    own = re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]+\.tmp(-journal|-wal|-shm)?")
    an_hour_ago = clock.now(UTC).timestamp() - 3600
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if not own.fullmatch(name):
            continue
        stale = target.parent / name
        try:
            info = stale.lstat()
            mine = info.st_uid == os.getuid() and stat.S_ISREG(info.st_mode)
            if mine and info.st_mtime < an_hour_ago:
                stale.unlink()
        except OSError:
            pass  # another kehu's, or gone already


def _publish(new: Path, target: Path) -> bool:
    """Give the finished file `new` the name `target`, unless that exists: then False."""
    try:
        os.link(new, target)  # unlike a rename, never replaces a file
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links (FAT): check, then rename
        if target.exists():
            return False
        os.rename(new, target)
    return True


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The new name is on disk too (POSIX); not every system can open a folder (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def nearly_full(folder: Path) -> bool:
    """Is (next to) nothing left on the disk holding `folder`? SQLite needs room for its
    journal and shared memory; less than 1 MiB is full for it."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False
