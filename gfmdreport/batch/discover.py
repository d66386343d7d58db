"""Finding the inputs: files named directly, and files under folders whose suffix a
reader accepts (hidden files and folders skipped, ``globs`` to narrow). Symbolic links
are followed only when they point inside the folder being searched."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import warning


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


def inside(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or lies under it (both absolute)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _matches(rel: str, globs: Sequence[str]) -> bool:
    if not globs:
        return True
    name = rel.rpartition("/")[2]
    return any(fnmatch.fnmatchcase(rel if "/" in g else name, g) for g in globs)


def discover(sources: Iterable[str | os.PathLike[str]], suffixes: Iterable[str], *,
             globs: Sequence[str] = (), skip: Iterable[str] = (),
             notices: list[Diagnostic] | None = None) -> list[Source]:
    """Every input under ``sources``: files given directly, and files under folders whose
    suffix is in ``suffixes`` and whose path inside the folder matches one of ``globs``
    (a pattern without ``/`` is matched against the file name). Folders in ``skip``
    (real paths) are not entered. Problems found go to ``notices``."""
    wanted = {s.lower() for s in suffixes}
    skipped = {os.path.realpath(s) for s in skip}
    found: list[Source] = []
    seen: set[tuple[str, str]] = set()
    notes = notices if notices is not None else []
    cwd = os.getcwd()

    def add(path: str, rel: str) -> None:
        full = os.path.normpath(os.path.join(cwd, path))
        if (full, rel) not in seen:
            seen.add((full, rel))
            found.append(Source(path, rel, full))

    for src in sources:
        name = os.fspath(src)
        if not os.path.lexists(name):
            raise UsageError(f"{name}: no such file or folder")
        if not os.path.isdir(name):
            if not os.path.exists(name):
                raise UsageError(f"{name}: a symbolic link to nothing")
            add(name, os.path.basename(os.path.normpath(name)))
            continue
        root = os.path.realpath(name)
        _walk(name, root, "", (root,), wanted, globs, skipped, add, notes)
    return found


def _walk(folder: str, root: str, rel: str, ancestors: tuple[str, ...],
          wanted: set[str], globs: Sequence[str], skipped: set[str],
          add: Callable[[str, str], None], notices: list[Diagnostic]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        notices.append(warning("unreadable-folder", f"folder not read: "
                               f"{exc.strerror or exc}", Location(folder)))
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
            notices.append(warning("unreadable", f"not read: {exc.strerror or exc}",
                                   Location(path)))
            continue
        if is_dir:
            real = real or os.path.realpath(path)
            if real in skipped or real in ancestors:
                continue
            _walk(path, root, child, (*ancestors, real), wanted, globs, skipped, add,
                  notices)
        elif (os.path.splitext(entry.name)[1].lower() in wanted and _matches(child, globs)
              and (not is_link or os.path.isfile(path))):
            add(path, child)

