"""Files in and out: every input is read once, as a regular file within the input size
limit, and decoded to text the same way; every output is written atomically.

Nothing here knows a format: readers get bytes or text from :func:`read_bytes` and
:func:`decode`, writers return bytes that :func:`write_atomic` puts in place.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
from pathlib import Path

from gfmdreport import limits
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location

HEAD_BYTES = 4096
"""How much of an input format detection sees."""


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be had."""
    name = os.fspath(path)
    where = Location(name)
    p = Path(name)
    try:
        if p.is_dir():
            raise InputError.single("io", "is a folder, not a file", where,
                                    "give a file, or use 'gfmdreport batch' for folders")
        with open(p, "rb", opener=_open_regular) as fh:
            size = os.fstat(fh.fileno()).st_size
            limits.INPUT_BYTES.check(size, "the file is", where)
            # read at most one byte past the limit: the file may be growing
            data = fh.read(limits.INPUT_BYTES.value() + 1)
        limits.INPUT_BYTES.check(len(data), "the file is at least", where)
        return data
    except _NotRegular:
        raise InputError.single("io", "not a regular file (a pipe, device or socket): "
                                "nothing is read from it", where,
                                "give a file; to read standard input, give - with --from"
                                ) from None
    except FileNotFoundError:
        raise InputError.single("io", "no such file", where) from None
    except PermissionError:
        raise InputError.single("io", "permission denied", where) from None
    except OSError as exc:
        raise InputError.single("io", exc.strerror or str(exc), where) from None


class _NotRegular(Exception):
    pass


def _open_regular(name: str, flags: int) -> int:
    """Open for reading without blocking on a FIFO, and only a regular file."""
    fd = os.open(name, flags | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
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


# ---- writing -----------------------------------------------------------------------------

def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed
    into place: readers of ``path`` see the old file or the new one, never a part."""
    import tempfile  # not at start-up: it costs more than the rest of this module

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError.single("io", f"cannot write in {folder}: {exc.strerror or exc}",
                                Location(os.fspath(path)), _folder_hint(exc, folder)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise InputError.single("io", f"cannot write: {exc.strerror or exc}",
                                Location(os.fspath(path))) from None
    except BaseException:
        _unlink(tmp)
        raise


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


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
