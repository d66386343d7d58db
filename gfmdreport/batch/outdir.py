"""Guarding OUTDIR: the folder held open for the whole run, every output folder reached
from it without leaving it, the lock that keeps one run per OUTDIR, the removal of
temporary files a killed process left, and making a step's outputs durable.

Nothing in OUTDIR is reached by path. OUTDIR is opened once (and checked to be the same
folder, by device and inode, wherever it is opened again: in each worker); every folder
below it is opened from its parent with ``O_NOFOLLOW`` (:func:`gfmdreport.files.open_folder`),
so that swapping a folder of OUTDIR for a symbolic link while the run goes on cannot
lead a write, a removal or a check outside: a link leading out is refused
(``output-escape``), one leading to another folder of OUTDIR is followed by name.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from collections.abc import Iterator

from gfmdreport import files
from gfmdreport.batch.plan import Output
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import UsageError

LOCK_NAME = ".gfmdreport.lock"
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class BatchLocked(GfmdError):
    """Another batch run holds OUTDIR."""


class OutDir:
    """OUTDIR, open for a run: ``fd`` the folder, ``real`` its real path, ``identity``
    its (device, inode), ``shown`` as the user gave it."""

    def __init__(self, shown: str):
        self.shown = shown
        try:
            self.fd = os.open(shown, _DIRECTORY)
        except OSError as exc:
            raise UsageError(f"{shown}: cannot open the output folder: "
                             f"{exc.strerror or exc}") from None
        status = os.fstat(self.fd)
        self.identity = (status.st_dev, status.st_ino)
        self.real = os.path.realpath(shown)
        self._folders: dict[str, int] | None = None

    def close(self) -> None:
        self.end_checks()
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> OutDir:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- folders ------------------------------------------------------------------------

    def folder(self, rel: str, create: bool = False) -> int:
        """A descriptor of the folder ``rel`` of OUTDIR (the caller closes it); see
        :func:`gfmdreport.files.open_folder`."""
        return files.open_folder(self.fd, rel, create=create, root_path=self.real)

    def status(self, rel: str) -> os.stat_result | None:
        """The status of the file ``rel`` in OUTDIR, itself not followed if it is a
        symbolic link (None when it cannot be had). The folders looked in are kept open
        until :meth:`end_checks`: this is for the up-to-date checks before a run."""
        folder, _, name = rel.rpartition("/")
        if self._folders is None:
            self._folders = {}
        fd = self._folders.get(folder)
        try:
            if fd is None:
                fd = self._folders[folder] = self.folder(folder)
            return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            return None

    def end_checks(self) -> None:
        for fd in (self._folders or {}).values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._folders = None

    # ---- temporary files, durability ----------------------------------------------------

    def remove_temporaries(self, outputs: Iterable[Output], *extra: str) -> None:
        """Remove what a write interrupted by a killed process left: the temporary files
        :func:`~gfmdreport.files.write_atomic` makes beside these outputs (and beside
        the files ``extra`` of OUTDIR itself)."""
        by_folder: dict[str, set[str]] = {"": set(extra)} if extra else {}
        for out in outputs:
            folder, _, name = out.rel.rpartition("/")
            by_folder.setdefault(folder, set()).add(name)
        for folder, names in by_folder.items():
            try:
                fd = self.folder(folder)
            except OSError:
                continue  # not there (nothing left in it), or not ours to touch
            try:
                with os.scandir(fd) as it:
                    leftovers = [e.name for e in it if files.temporary_of(e.name) in names]
                for name in leftovers:
                    with contextlib.suppress(OSError):
                        os.unlink(name, dir_fd=fd)
            except OSError:
                pass
            finally:
                os.close(fd)

    def make_durable(self, written: Iterable[tuple[str, int]]) -> None:
        """Put the outputs ``written`` (their paths in OUTDIR, and the device each is
        on) on disk, data and names: one ``syncfs`` of OUTDIR's file system, where the
        system has it, for those on OUTDIR's device; otherwise an ``fsync`` of each file
        and then of each folder, once. Raises OSError."""
        rest = list(written)
        if rest and any(device == self.identity[0] for _, device in rest) and \
                files.sync_file_system(self.fd):
            rest = [(rel, device) for rel, device in rest if device != self.identity[0]]
        by_folder: dict[str, list[str]] = {}
        for rel, _ in rest:
            folder, _, name = rel.rpartition("/")
            by_folder.setdefault(folder, []).append(name)
        for folder, names in by_folder.items():
            fd = self.folder(folder)
            try:
                for name in names:
                    with contextlib.suppress(FileNotFoundError):
                        one = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0),
                                      dir_fd=fd)
                        try:
                            os.fsync(one)
                        finally:
                            os.close(one)
                os.fsync(fd)
            finally:
                os.close(fd)


def reopen(real: str, identity: tuple[int, int]) -> int:
    """OUTDIR opened again (in a worker) by its real path: a descriptor, or OSError when
    the folder there is no longer the one the run started with."""
    fd = os.open(real, _DIRECTORY)
    status = os.fstat(fd)
    if (status.st_dev, status.st_ino) != identity:
        os.close(fd)
        raise FileNotFoundError(0, "the output folder was replaced or moved during the run",
                                real)
    return fd


@contextlib.contextmanager
def locked(outdir: OutDir) -> Iterator[None]:
    """Hold OUTDIR's lock file for the block; :class:`BatchLocked` when another run
    holds it."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this platform
        yield
        return
    shown = os.path.join(outdir.shown, LOCK_NAME)
    if files.is_link(LOCK_NAME, outdir.fd):
        raise UsageError(f"{shown} is a symbolic link, not the lock file a batch run leaves: "
                         "remove it (nothing is written through it)")
    try:
        fd = os.open(LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0), 0o644, dir_fd=outdir.fd)
    except OSError as exc:
        raise UsageError(f"{outdir.shown}: cannot write in the output folder: "
                         f"{exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            raise BatchLocked(
                f"{outdir.shown} is in use by another gfmdreport batch run"
                + (f" (process {holder})" if holder else "")
                + "; wait for it to finish, or choose another output folder") from None
        with contextlib.suppress(OSError):  # the process id is a courtesy (a full disk)
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)
