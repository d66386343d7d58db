"""The built-in page templates, compiled once per user instead of at every run.

Jinja2 turns a template into Python code before it can render it, which is most of the
HTML writer's start-up. The code of the built-in templates is kept in a per-user cache,
``$XDG_CACHE_HOME/gfmdreport/templates`` (``~/.cache/…`` by default;
``GFMDREPORT_CACHE_DIR`` names another folder, and an empty value turns the cache off).

A cached file is code that will run, so it is used only when nobody else could have put
it there and it is exactly what was written:

- its key (the file name) is a SHA-256 of the template's source and name, the Jinja2
  version, the Python implementation and version, and the environment's settings, so a
  changed template, another Jinja2 or another Python never meets an old file;
- the folder is the user's own, created ``0700``, reached without a symbolic link, and
  not writable by group or others; a file is a regular one, opened without following a
  link, owned by the user and not writable by group or others;
- a file holds a SHA-256 of its content, checked before the code is loaded, so a torn
  or damaged file is compiled again (and written anew) rather than run.

Anything else (no home folder, a folder that fails a check, a full disk) means the
template is compiled as before: the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import types
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

CACHE_ENV = "GFMDREPORT_CACHE_DIR"
"""The environment variable naming the cache folder (empty: no cache)."""
MAGIC = b"gfmdreport-template-code 1\n"
_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string",
             "variable_end_string", "comment_start_string", "comment_end_string",
             "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
             "newline_sequence", "keep_trailing_newline", "optimized", "autoescape",
             "is_async")


def cache_root() -> Path | None:
    """The folder the cache lives in, or ``None`` when it is turned off (or there is no
    way to tell whose a file is: no POSIX user ids)."""
    if not hasattr(os, "getuid"):
        return None
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "gfmdreport"


def _own(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_folder(root: Path) -> Path | None:
    """``root/templates``, created owner-only if need be, or ``None`` when it is not
    this user's alone (or cannot be made)."""
    folder = root / "templates"
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        for path in (root, folder):
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode) or not _own(st):
                return None
        if os.lstat(folder).st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return None
    return folder


def environment_key(environment: Any) -> bytes:
    """What the compiled code depends on besides the template: Jinja2, Python and the
    environment's settings."""
    import jinja2

    settings = [(name, repr(getattr(environment, name, None))) for name in _SETTINGS]
    return repr((jinja2.__version__, sys.implementation.cache_tag, sys.version_info[:3],
                 sys.hexversion, settings)).encode("utf-8")


class PrivateBytecodeCache(BytecodeCache):
    """Jinja2's bytecode cache, kept in a folder only this user can write, each entry
    keyed by everything its code depends on and checked before it is loaded."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_bucket(self, environment: Any, name: str, filename: str | None,
                   source: str) -> Bucket:
        digest = hashlib.sha256()
        for part in (environment_key(environment), name.encode("utf-8"),
                     source.encode("utf-8")):
            digest.update(len(part).to_bytes(8, "big") + part)
        bucket = Bucket(environment, digest.hexdigest(), "")
        self.load_bytecode(bucket)
        return bucket

    def path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.code"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.read(self.path(bucket))
        if data is None or not data.startswith(MAGIC):
            return
        digest, payload = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
        if hashlib.sha256(payload).digest() != digest:
            return
        try:
            code = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    @staticmethod
    def read(path: Path) -> bytes | None:
        """The file's bytes, if it is a regular file of this user's that nobody else can
        write (checked on the open file, so it cannot be swapped between check and
        read)."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _own(st) or st.st_size > 16 << 20:
                return None
            with os.fdopen(fd, "rb", closefd=False) as f:
                return f.read()
        except OSError:
            return None
        finally:
            os.close(fd)

    def dump_bytecode(self, bucket: Bucket) -> None:
        import tempfile

        payload = marshal.dumps(bucket.code)
        data = MAGIC + hashlib.sha256(payload).digest() + payload
        try:
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".code")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:  # mkstemp makes it 0600
                f.write(data)
            os.replace(temporary, self.path(bucket))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def bytecode_cache() -> PrivateBytecodeCache | None:
    """The cache for the built-in templates, or ``None`` when there is none to use."""
    root = cache_root()
    folder = private_folder(root) if root is not None else None
    return PrivateBytecodeCache(folder) if folder is not None else None
