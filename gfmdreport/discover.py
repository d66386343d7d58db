"""Finding the inputs, the one way every command finds them (``batch``, ``validate``,
and whatever else searches a folder): files named directly, and files under folders
that a reader takes (hidden files and folders skipped, ``globs`` to narrow).

In a folder:

- a file is taken when a reader's suffix ends its name (``registry.reader_for_name``:
  the longest suffix wins, letter case aside), and, with ``globs``, when one of them
  matches it;
- names starting with ``.`` are skipped, files and folders;
- a symbolic link is followed only when it points inside the folder being searched
  (one leading out is skipped with a ``symlink-outside`` warning, one to nothing with
  ``broken-symlink``; a folder already being searched is not searched again);
- a folder that cannot be read is an **error** (``unreadable-folder``), never a silent
  gap: the files in it would be missing from the run.

Names are kept as the file system gives them (bytes that are not UTF-8 ride along as
Python's surrogate escapes, and come back as the same bytes with :func:`os.fsencode`).

What was found is read with :func:`read_source`, which stays inside the searched folder
at read time too: a file swapped for a symbolic link leading out after it was found is
refused, not read.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gfmdreport import files
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import warning

Accepts = Callable[[str], bool]
"""Whether a file of this name, met in a folder, is an input."""


@dataclass(frozen=True, slots=True)
class Source:
    """An input found: the path to open and where its outputs go inside OUTDIR."""

    path: str
    """As found: the source argument joined with the path inside it."""
    rel: str
    """Path inside the source folder, with ``/`` (just the name for a file given
    directly)."""
    abspath: str
    """Absolute path of ``path`` (symbolic links not resolved)."""
    root: str | None = None
    """The real path of the source folder it was found in (``None`` for a file named
    directly): it is read from beneath this folder, without leaving it."""


def inside(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or lies under it (both absolute)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def reader_names(registry: Any, *, every_reader: bool = False) -> Accepts:
    """The inputs of a folder search: files a reader that wants its files found in
    folders takes by name (the longest suffix wins); with ``every_reader``, files any
    reader takes (legacy ``.txt`` included, as when ``--glob`` asks for them)."""
    def accepts(name: str) -> bool:
        return registry.reader_for_name(name, in_folder=not every_reader) is not None

    return accepts


def _by_suffix(suffixes: Iterable[str]) -> Accepts:
    wanted = [s.lower() for s in suffixes]
    return lambda name: any(name.lower().endswith(s) and len(name) > len(s) for s in wanted)


def _matches(rel: str, globs: Sequence[str]) -> bool:
    if not globs:
        return True
    name = rel.rpartition("/")[2]
    return any(fnmatch.fnmatchcase(rel if "/" in g else name, g) for g in globs)


def discover(sources: Iterable[str | os.PathLike[str]], accepts: Accepts | Iterable[str], *,
             globs: Sequence[str] = (), skip: Iterable[str] = (),
             notices: list[Diagnostic] | None = None) -> list[Source]:
    """Every input under ``sources``: files given directly, and files under folders
    that ``accepts`` (a function of the file name, or suffixes such as ``.yaml``) and
    whose path inside the folder matches one of ``globs`` (a pattern without ``/`` is
    matched against the file name). Folders in ``skip`` (real paths) are not entered.
    Problems found go to ``notices``: an unreadable folder is an error there, links not
    followed are warnings. A source that does not exist is a UsageError."""
    accept = accepts if callable(accepts) else _by_suffix(accepts)
    skipped = {os.path.realpath(s) for s in skip}
    found: list[Source] = []
    seen: set[tuple[str, str]] = set()
    notes = notices if notices is not None else []
    cwd = os.getcwd()

    def add(path: str, rel: str, root: str | None) -> None:
        full = os.path.normpath(os.path.join(cwd, path))
        if (full, rel) not in seen:
            seen.add((full, rel))
            found.append(Source(path, rel, full, root))

    for src in sources:
        name = os.fspath(src)
        if not os.path.lexists(name):
            raise UsageError(f"{name}: no such file or folder")
        if not os.path.isdir(name):
            if not os.path.exists(name):
                raise UsageError(f"{name}: a symbolic link to nothing")
            add(name, os.path.basename(os.path.normpath(name)), None)
            continue
        root = os.path.realpath(name)
        _walk(name, root, "", (root,), accept, globs, skipped, add, notes)
    return found


def _walk(folder: str, root: str, rel: str, ancestors: tuple[str, ...], accept: Accepts,
          globs: Sequence[str], skipped: set[str],
          add: Callable[[str, str, str | None], None], notices: list[Diagnostic]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        notices.append(error(
            "unreadable-folder", f"folder not searched: {exc.strerror or exc}; the files "
            "in it are left out", Location(folder),
            "give yourself read and search permission on it with chmod u+rx, or move it out "
            "of the source folder"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        child = f"{rel}/{entry.name}" if rel else entry.name
        try:
            is_link = entry.is_symlink()
            real = os.path.realpath(path) if is_link else None
            if is_link and not os.path.exists(path):
                notices.append(warning("broken-symlink", "symbolic link to nothing; skipped",
                                       Location(path)))
                continue
            if is_link and not inside(real, root):
                notices.append(warning(
                    "symlink-outside", "symbolic link not followed: it points outside "
                    "the source folder", Location(path),
                    "copy the file into the folder, or give it as a source of its own"))
                continue
            is_dir = entry.is_dir()  # follows a link
        except OSError as exc:
            notices.append(error("unreadable", f"not searched: {exc.strerror or exc}",
                                 Location(path), "give yourself permission to read it"))
            continue
        if is_dir:
            real = real or os.path.realpath(path)
            if real in skipped or real in ancestors:
                continue
            _walk(path, root, child, (*ancestors, real), accept, globs, skipped, add,
                  notices)
        elif accept(entry.name) and _matches(child, globs) and \
                (not is_link or os.path.isfile(path)):
            add(path, child, root)


def read_source(source: Source) -> tuple[bytes, os.stat_result]:
    """The bytes of an input found, and its status as read. A file found in a folder is
    opened from beneath that folder (every component with ``O_NOFOLLOW``, links followed
    only while they stay inside), so that a file or folder swapped for a symbolic link
    leading out after the search is refused (``symlink-outside``), never read. Raises
    :class:`~gfmdreport.InputError`."""
    if source.root is None:
        return files.read_file(source.path)
    try:
        root = os.open(source.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
                       | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError.single("io", f"its source folder {source.root} cannot be opened: "
                                f"{exc.strerror or exc}", Location(source.path)) from None
    try:
        return files.read_beneath(root, source.rel, source.path, root_path=source.root)
    finally:
        os.close(root)
