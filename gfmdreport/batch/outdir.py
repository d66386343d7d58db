"""Guarding OUTDIR: the lock that keeps one run per OUTDIR, output folders that stay
inside it, and the removal of temporary files a killed worker left."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from collections.abc import Iterator

from gfmdreport.batch.discover import inside
from gfmdreport.batch.plan import Output
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import UsageError

LOCK_NAME = ".gfmdreport.lock"


class BatchLocked(GfmdError):
    """Another batch run holds OUTDIR."""


@contextlib.contextmanager
def locked(outdir: str, shown: str) -> Iterator[None]:
    """Hold OUTDIR's lock file for the block; :class:`BatchLocked` when another run
    holds it (``shown``: OUTDIR as given, for messages)."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        yield
        return
    path = os.path.join(outdir, LOCK_NAME)
    if os.path.islink(path):
        raise UsageError(f"{os.path.join(shown, LOCK_NAME)} is a symbolic link, not the lock "
                         "file a batch run leaves: remove it (nothing is written through it)")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot write in the output folder: "
                         f"{exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            raise BatchLocked(
                f"{shown} is in use by another gfmdreport batch run"
                + (f" (process {holder})" if holder else "")
                + "; wait for it to finish, or choose another output folder") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)


_TMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def remove_temporaries(outputs: Iterable[Output]) -> None:
    """Remove what a write interrupted by a killed process left: the temporary files
    :func:`~gfmdreport.files.write_atomic` creates next to these outputs."""
    by_folder: dict[str, set[str]] = {}
    for out in outputs:
        folder, name = os.path.split(out.target)
        by_folder.setdefault(folder, set()).add(name)
    for folder, names in by_folder.items():
        try:
            with os.scandir(folder) as it:
                leftovers = [e.path for e in it
                             if (m := _TMP.match(e.name)) and m["name"] in names]
        except OSError:
            continue
        for path in leftovers:
            with contextlib.suppress(OSError):
                os.unlink(path)



def make_folder(folder: str, outdir_real: str, shown: str, source: str) -> None:
    """Create an output's folder, refusing one that a symbolic link leads outside OUTDIR
    (checked before anything is created, and again after)."""
    existing = folder
    while not os.path.lexists(existing):
        existing = os.path.dirname(existing)
    for check in (existing, folder):
        if check is folder:
            os.makedirs(folder, exist_ok=True)
        if not inside(os.path.realpath(check), outdir_real):
            raise InputError.single(
                "output-escape", f"{shown}: its folder leads outside the output folder "
                "(a symbolic link); not written", Location(source))
