"""Files in and out: every input is read once, as a regular file within the input size
limit, and decoded to text the same way; every output is written atomically.

Nothing here knows a format: readers get bytes or text from :func:`read_bytes` and
:func:`decode`, writers return bytes that :func:`write_atomic` puts in place.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import os
import re
import signal
import stat
import sys
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gfmdreport import limits
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location

HEAD_BYTES = 4096
"""How much of an input format detection sees."""


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be had."""
    return read_file(path)[0]


def read_file(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its status as it was read (one open file, so that the size
    and time belong to these bytes), or an InputError saying why they cannot be had.

    ``path`` may be an :class:`At`: the file is then opened through its folder's
    descriptor, never through a symbolic link."""
    if isinstance(path, At):
        return _read(lambda: _open_regular(path.name, os.O_RDONLY | _NOFOLLOW, path.folder),
                     path.path, lambda: is_link(path.name, path.folder))
    name = os.fspath(path)

    def opener() -> int:
        if Path(name).is_dir():
            raise _IsFolder(name)
        return _open_regular(name, os.O_RDONLY)

    return _read(opener, name)


def read_beneath(root: int, rel: str, shown: str, *,
                 root_path: str | None = None) -> tuple[bytes, os.stat_result]:
    """As :func:`read_file`, for the file ``rel`` beneath the open folder ``root``,
    reached as :func:`open_beneath` reaches it (symbolic links followed only while they
    stay beneath ``root``); ``shown`` names it in messages."""
    def opener() -> int:
        fd = open_beneath(root, rel, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0),
                          root_path=root_path)
        return _regular(fd, rel)

    return _read(opener, shown)


def _read(opener: Callable[[], int], name: str,
          is_link: Callable[[], bool] | None = None) -> tuple[bytes, os.stat_result]:
    where = Location(name)
    try:
        with open(opener(), "rb") as fh:
            status = os.fstat(fh.fileno())
            limits.INPUT_BYTES.check(status.st_size, "the file is", where)
            # read at most one byte past the limit: the file may be growing
            data = fh.read(limits.INPUT_BYTES.value() + 1)
        limits.INPUT_BYTES.check(len(data), "the file is at least", where)
        return data, status
    except _IsFolder:
        raise InputError.single("io", "is a folder, not a file", where,
                                "give a file, or use 'gfmdreport batch' for folders") from None
    except _NotRegular:
        raise InputError.single("io", "not a regular file (a pipe, device or socket): "
                                "nothing is read from it", where,
                                "give a file; to read standard input, give - with --from"
                                ) from None
    except LeadsOutside as exc:
        raise InputError.single("symlink-outside", f"not read: the symbolic link "
                                f"{exc.link} leads outside its source folder", where,
                                "copy the file into the folder, or give it as a source of "
                                "its own") from None
    except FileNotFoundError:
        raise InputError.single("io", "no such file", where) from None
    except PermissionError:
        raise InputError.single("io", "permission denied", where) from None
    except OSError as exc:
        if is_link is not None and is_link():
            raise InputError.single("io", "a symbolic link, not read", where) from None
        raise InputError.single("io", exc.strerror or str(exc), where) from None


class _NotRegular(Exception):
    pass


class _IsFolder(Exception):
    pass


def _open_regular(name: str, flags: int, dir_fd: int | None = None) -> int:
    """Open for reading without blocking on a FIFO, and only a regular file."""
    return _regular(os.open(name, flags | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC,
                            dir_fd=dir_fd), name)


def _regular(fd: int, name: str) -> int:
    """``fd`` made blocking if it is a regular file; closed, and an error, if not."""
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise _IsFolder(name)
        if not stat.S_ISREG(mode):
            raise _NotRegular(name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def decode(data: bytes, path: str | None = None) -> str:
    """UTF-8 text with BOM removed and line endings made ``\\n``. UTF-16 with a BOM is
    accepted; any other undecodable byte is an error at its line and column."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError.single("encoding", "the file starts like UTF-16 but is not "
                                    "valid UTF-16", Location(path)) from None
    else:
        _refuse_utf16_without_bom(data, path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            start = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
            before = data[:start]
            line = before.count(b"\n") + 1
            column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
            raise InputError.single(
                "encoding", f"byte 0x{data[start]:02x} is not valid UTF-8",
                Location(path, line, column), "save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_utf16_without_bom(data: bytes, path: str | None) -> None:
    """UTF-16 without a byte-order mark reads as UTF-8 with a NUL after every letter:
    say what the file is instead of reporting the first NUL."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head[:2]:
        return
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        kind = "UTF-16 (little-endian)"
    elif even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        kind = "UTF-16 (big-endian)"
    else:
        return
    raise InputError.single("encoding", f"the file is {kind} without a byte-order mark",
                            Location(path, 1, 1), "save it as UTF-8")


# ---- files reached through their folder -------------------------------------------------

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
MAX_LINKS = 40
"""Symbolic links followed while reaching one file beneath a folder (as the system's
own limit, ``ELOOP``)."""


@dataclass(frozen=True)
class At(os.PathLike[str]):
    """A file named in a folder held open (``openat``): read and written through the
    folder's descriptor, its name never followed if it is a symbolic link, so that no
    component of its path can be swapped while it is in use.

    ``path`` is how the file is shown in messages. ``durable=False`` writes it without
    waiting for the disk (``fsync``); the caller then makes it durable in bulk (see
    :func:`sync_file_system`)."""

    folder: int
    name: str
    path: str
    durable: bool = True

    def __fspath__(self) -> str:
        return self.path


class LeadsOutside(OSError):
    """A symbolic link met on the way to a file leads outside the folder it must stay
    in; ``link`` is its path inside that folder."""

    def __init__(self, link: str):
        super().__init__(errno.EXDEV, "a symbolic link leads outside the folder", link)
        self.link = link


def open_folder(root: int, rel: str, *, create: bool = False,
                root_path: str | None = None) -> int:
    """A descriptor of the folder ``rel`` (``/``-separated, relative) beneath the open
    folder ``root``, reached without ever leaving it.

    Each component is opened relative to the one before with ``O_NOFOLLOW``, so none can
    be swapped for a symbolic link on the way. A symbolic link met is followed only by
    name: its target is walked the same way, from the folder it is in (or, absolute,
    from ``root`` when it names a path under ``root_path``, the real path of ``root``);
    ``..`` never climbs above ``root``. A link leading anywhere else raises
    :class:`LeadsOutside`; a component that is a file, ``NotADirectoryError``. With
    ``create``, missing folders are made (mode 0o777 less the umask).
    """
    return _walk(root, _parts(rel), create, root_path, None)


def open_beneath(root: int, rel: str, flags: int = os.O_RDONLY, *,
                 root_path: str | None = None) -> int:
    """A descriptor of the file ``rel`` beneath the open folder ``root``, opened with
    ``flags``: every component reached as :func:`open_folder` reaches folders,
    symbolic links followed only while they stay beneath ``root``."""
    return _walk(root, _parts(rel), False, root_path, flags)


def _parts(rel: str) -> list[str]:
    return [p for p in rel.replace(os.sep, "/").split("/") if p not in ("", ".")]


def is_link(name: str, folder: int) -> bool:
    """Whether ``name`` in the open folder ``folder`` is a symbolic link."""
    return _link_target(name, folder) is not None


def _link_target(name: str, folder: int) -> str | None:
    try:
        return os.readlink(name, dir_fd=folder)
    except OSError:
        return None


def _walk(root: int, todo: list[str], create: bool, root_path: str | None,
          last: int | None) -> int:
    held = [os.dup(root)]  # the folders walked: root first, each a real folder in the last
    walked: list[str] = []  # their names, for messages
    links = made = 0
    link = None  # the last symbolic link followed
    try:
        while todo:
            name = todo.pop(0)
            if name in ("", "."):
                continue
            if name == "..":
                if len(held) == 1:
                    raise LeadsOutside(link or "..")
                os.close(held.pop())
                walked.pop()
                continue
            final = last is not None and not todo
            flags = (last | _NOFOLLOW | _CLOEXEC) if final else _FOLDER_FLAGS
            try:
                fd = os.open(name, flags, dir_fd=held[-1])
            except FileNotFoundError:
                made += 1
                if not create or final or made > 100:  # (removed as fast as it is made)
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o777, dir_fd=held[-1])
                todo.insert(0, name)
                continue
            except OSError:
                target = _link_target(name, held[-1])
                if target is None:
                    raise  # not a link: the error stands
                links += 1
                here = link = "/".join([*walked, name])
                if links > MAX_LINKS:
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), here) from None
                if target.startswith(("/", os.sep)):
                    real = os.path.normpath(target)
                    if root_path is None or not (real == root_path or real.startswith(
                            root_path.rstrip(os.sep) + os.sep)):
                        raise LeadsOutside(here) from None
                    while len(held) > 1:
                        os.close(held.pop())
                        walked.pop()
                    target = os.path.relpath(real, root_path)
                todo[:0] = _parts(target)
                continue
            if final:
                return fd
            held.append(fd)
            walked.append(name)
        if last is not None:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), "/".join(walked))
        return held.pop()
    finally:
        for fd in held:
            os.close(fd)


# ---- writing -----------------------------------------------------------------------------

HELD_SIGNALS = frozenset(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP")
                         if hasattr(signal, n))
"""What :func:`signals_held` holds: Ctrl-C, ``kill`` and a closed terminal."""


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C, ``kill`` and a closed terminal wait until the block is done (they are
    delivered as it ends): a temporary file is then never left behind by them."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
"""The temporary files :func:`write_atomic` makes: ``.NAME.XXXXXXXX.tmp`` beside NAME."""
_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def temporary_of(name: str) -> str | None:
    """The file a temporary file of :func:`write_atomic` was to become, or None."""
    match = _TEMPORARY.match(name)
    return match["name"] if match else None


def write_atomic(path: str | os.PathLike[str], data: bytes) -> os.stat_result:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed
    into place: readers of ``path`` see the old file or the new one, never a part. The
    file's data is on disk before it is renamed (``fsync``), unless ``path`` is an
    :class:`At` with ``durable=False``. Signals wait until the file is in place or the
    temporary file removed. Returns the status of the file written.

    An existing file keeps its permissions; a symbolic link at ``path`` is replaced,
    never written through. With an :class:`At`, the folder is the open one it names."""
    if isinstance(path, At):
        return _write_in(path.folder, path.name, data, path.durable, path.path)
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd = os.open(folder, getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0)
                     | _CLOEXEC)
    except OSError as exc:
        raise InputError.single("io", f"cannot write in {folder}: {exc.strerror or exc}",
                                Location(os.fspath(path)), _folder_hint(exc, folder)) from None
    try:
        return _write_in(fd, target.name, data, True, os.fspath(path))
    finally:
        os.close(fd)


def _write_in(folder: int, name: str, data: bytes, durable: bool, shown: str) -> os.stat_result:
    where = Location(shown)
    with signals_held():
        fd = tmp = None
        import random  # imported when an output is written, not at start-up

        try:
            for _ in range(100):
                tmp = f".{name}.{''.join(random.choices(_LETTERS, k=8))}.tmp"
                try:
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
                                 | _CLOEXEC, 0o600, dir_fd=folder)
                    break
                except FileExistsError:
                    continue
            else:
                raise FileExistsError(errno.EEXIST, "no free temporary name", shown)
        except OSError as exc:
            hint = _folder_hint(exc, Path(os.path.dirname(shown) or "."))
            raise InputError.single("io", f"cannot write in {os.path.dirname(shown) or '.'}: "
                                    f"{exc.strerror or exc}", where, hint) from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
            os.fchmod(fd, _mode_for(folder, name))
            status = os.fstat(fd)
            os.close(fd)
            fd = None
            os.rename(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            return status
        except OSError as exc:
            _discard(fd, tmp, folder)
            raise InputError.single("io", f"cannot write: {exc.strerror or exc}",
                                    where, _WRITE_HINTS.get(exc.errno or 0)) from None
        except BaseException:
            _discard(fd, tmp, folder)
            raise


_WRITE_HINTS = {
    errno.ENOSPC: "free some space on the disk, then write again",
    errno.EDQUOT: "free some space (your disk quota is used up), then write again",
    errno.EFBIG: "the file is larger than this system lets a file be (ulimit -f)",
}


def _mode_for(folder: int, name: str) -> int:
    """The permissions of the file being replaced, or those a new file gets."""
    try:
        existing = os.stat(name, dir_fd=folder, follow_symlinks=False)
        if stat.S_ISREG(existing.st_mode):
            return existing.st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _discard(fd: int | None, tmp: str, folder: int) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp, dir_fd=folder)


def sync_file_system(fd: int) -> bool:
    """Put on disk everything written to the file system holding the open file ``fd``
    (``syncfs``): one call for the data and names of every file written so far, instead
    of one ``fsync`` per file. False where the system has no such call."""
    call = _syncfs()
    if call is None:
        return False
    if call(fd) != 0:
        import ctypes

        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return True


@functools.lru_cache(maxsize=1)
def _syncfs() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (ImportError, OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int]
    call.restype = ctypes.c_int
    return call


def _folder_hint(exc: OSError, folder: Path) -> str | None:
    """How to put right a folder that cannot take the output."""
    if exc.errno == errno.ENOENT:
        import shlex

        return f"create the folder first: mkdir -p {shlex.quote(str(folder))}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "write the output in a folder you may write in (-o)"
    if exc.errno == errno.ENOTDIR:
        return f"{folder} is not a folder: give another output path"
    return None

