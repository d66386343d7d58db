"""The notes files of the folder served: found as ``batch`` and ``validate`` find them
(:mod:`gfmdreport.discover`: hidden files skipped, symbolic links followed only inside),
read from beneath the folder and saved atomically through its descriptor, so that no path
a request names, and no link swapped in meanwhile, leads outside it.

Every name a request gives is checked first (:meth:`Folder.name`): relative, no ``..``,
no hidden component, a suffix a folder search takes. A save carries the version it was
based on (:func:`.jobs.etag` of the bytes it was read as): a file changed since is not
overwritten, and the caller gets both versions (:class:`Conflict`).
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from typing import Any

from gfmdreport import files
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import warning
from gfmdreport.discover import Source
from gfmdreport.discover import discover
from gfmdreport.discover import reader_names
from gfmdreport.serve.jobs import TEXT_FORMATS
from gfmdreport.serve.jobs import etag

MAX_NAME_BYTES = 1024
"""The longest relative path a request may name."""


class Refused(Exception):
    """A request for a file that is not to be had: ``status`` is the HTTP status
    (400 a name that is not a notes file's, 403 a path leading outside, 404 missing,
    422 a file that is not text)."""

    def __init__(self, status: int, rule: str, message: str):
        super().__init__(message)
        self.status = status
        self.rule = rule


class Conflict(Exception):
    """A save refused because the file is not the version it was based on: ``current``
    is the file as it is now (``None`` when it is gone), ``version`` its ETag."""

    def __init__(self, current: bytes | None, version: str | None):
        super().__init__("the file was changed since it was opened")
        self.current = current
        self.version = version


@dataclass(frozen=True)
class Entry:
    """A notes file of the folder: ``rel`` its path inside, with ``/``."""

    rel: str
    size: int
    mtime_ns: int
    ino: int

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.rel, self.size, self.mtime_ns, self.ino)


class Folder:
    """The folder served, held open from start to end."""

    def __init__(self, path: str, registry: Any):
        if not os.path.isdir(path):
            raise UsageError(f"{path}: not a folder (give the folder of the notes files)")
        self.shown = path
        self.real = os.path.realpath(path)
        self.registry = registry
        self.accepts = reader_names(registry)
        self.fd = os.open(self.real, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
                          | getattr(os, "O_CLOEXEC", 0))

    def close(self) -> None:
        os.close(self.fd)

    # ---- names ---------------------------------------------------------------------------
    def name(self, rel: str) -> str:
        """``rel`` checked: a path inside the folder to a file a folder search takes.
        Raises :class:`Refused`."""
        if not rel or len(rel.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES or \
                "\x00" in rel or "\\" in rel:
            raise Refused(400, "bad-path", "not a file name inside the folder")
        if rel.startswith("/"):
            raise Refused(403, "outside", "an absolute path: only files inside the "
                          "folder are served")
        parts = rel.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise Refused(403, "outside", "the path leaves the folder or is not plain "
                          "(no '.', '..' or empty parts)")
        if any(p.startswith(".") for p in parts):
            raise Refused(403, "hidden", "hidden files and folders are not served "
                          "(as batch skips them)")
        if not self.accepts(parts[-1]):
            raise Refused(400, "not-notes", "not a notes file: its name does not end in "
                          f"{', '.join(self.registry.folder_suffixes())}")
        return rel

    def format_of(self, rel: str) -> str:
        reader = self.registry.reader_for_name(rel, in_folder=True)
        return reader.name if reader is not None else "md"

    # ---- listing -------------------------------------------------------------------------
    def listing(self) -> tuple[list[Entry], list[Diagnostic]]:
        """The notes files as a folder search finds them, and what the search noticed
        (links not followed, folders that cannot be read, names that are not UTF-8)."""
        notices: list[Diagnostic] = []
        found = discover([self.real], self.accepts, notices=notices)
        entries = []
        for source in found:
            try:
                source.rel.encode("utf-8")
            except UnicodeEncodeError:
                notices.append(warning("name-not-utf8", "a file name that is not UTF-8 "
                                       "cannot be opened here", None,
                                       "rename the file"))
                continue
            try:
                st = os.stat(source.path)
            except OSError:
                continue  # gone since it was found
            entries.append(Entry(source.rel, st.st_size, st.st_mtime_ns, st.st_ino))
        return entries, notices

    def relative(self, path: str | None) -> str | None:
        """A path the search reported, as a path inside the folder."""
        if not path:
            return None
        rel = os.path.relpath(path, self.real)
        return rel.replace(os.sep, "/") if not rel.startswith("..") else path

    def source(self, rel: str) -> Source:
        path = os.path.join(self.real, rel)
        return Source(path, rel, path, self.real)

    # ---- reading and writing -------------------------------------------------------------
    def read(self, rel: str) -> bytes:
        """The bytes of the notes file ``rel``, read from beneath the folder (never
        through a link leading out). Raises :class:`Refused`."""
        rel = self.name(rel)
        try:
            data, _ = files.read_beneath(self.fd, rel, rel, root_path=self.real)
        except InputError as exc:
            raise _refusal(exc) from None
        return data

    def text(self, rel: str) -> tuple[str, str, str]:
        """The notes file ``rel`` as text to edit, its ETag and its format."""
        data = self.read(rel)
        try:
            text = files.decode(data, rel)
        except InputError as exc:
            raise _refusal(exc, 422) from None
        return text, etag(data), self.format_of(rel)

    def save(self, rel: str, text: str, version: str | None) -> str:
        """Write ``text`` to ``rel`` atomically, if the file is still ``version`` (an
        ETag), or, with ``version`` ``None``, only if there is no such file yet. The
        file's line endings and byte-order mark are kept. Returns the new ETag. Raises
        :class:`Conflict` or :class:`Refused`."""
        rel = self._resolved(self.name(rel))
        if self.format_of(rel) not in TEXT_FORMATS:
            raise Refused(400, "not-notes", "only Markdown, YAML and JSON notes are saved")
        current: bytes | None
        try:
            current, _ = files.read_beneath(self.fd, rel, rel, root_path=self.real)
        except InputError as exc:
            if not any(d.message == "no such file" for d in exc.diagnostics):
                raise _refusal(exc) from None
            current = None
        now = etag(current) if current is not None else None
        if now != version:
            raise Conflict(current, now)
        data = _encode_like(text, current)
        parent, _, name = rel.rpartition("/")
        try:
            folder = files.open_folder(self.fd, parent, root_path=self.real)
        except files.LeadsOutside:
            raise Refused(403, "symlink-outside", "its folder is a link leading outside "
                          "the folder served") from None
        except FileNotFoundError:
            raise Refused(404, "no-folder", f"no folder {parent} inside the folder served "
                          "(files are saved in existing folders)") from None
        except OSError as exc:
            raise Refused(409, "io", f"cannot open its folder: {exc.strerror}") from None
        try:
            files.write_atomic(files.At(folder, name, os.path.join(self.shown, rel)), data)
        except InputError as exc:
            raise Refused(507 if "space" in str(exc) else 500, "io",
                          "; ".join(d.message for d in exc.diagnostics)) from None
        finally:
            os.close(folder)
        return etag(data)

    def _resolved(self, rel: str) -> str:
        """A name that is a symbolic link inside the folder is saved where it leads, so
        that saving never turns the link into a file of its own."""
        path = os.path.join(self.real, rel)
        if not os.path.islink(path):
            return rel
        target = os.path.realpath(path)
        if not (target.startswith(self.real.rstrip(os.sep) + os.sep)):
            raise Refused(403, "symlink-outside", "a symbolic link leading outside the "
                          "folder served: not written")
        return self.name(os.path.relpath(target, self.real).replace(os.sep, "/"))


def _encode_like(text: str, current: bytes | None) -> bytes:
    """``text`` (with ``\\n`` line endings) as the bytes of a file like ``current``:
    its CRLF line endings and UTF-8 byte-order mark kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if current is not None and b"\r\n" in current[:65536]:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if current is not None and current.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data
    return data


def _refusal(exc: InputError, default: int = 409) -> Refused:
    first = exc.diagnostics[0]
    status = {"symlink-outside": 403, "too-large": 413, "encoding": 422}.get(first.rule)
    if first.message == "no such file":
        status = 404
    elif "not a regular file" in first.message or first.message.startswith("is a folder"):
        status = 400
    message = first.message + (f" ({first.hint})" if first.hint else "")
    return Refused(status or default, first.rule, message)
