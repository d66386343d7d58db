"""The manifest in OUTDIR: what each output was built from, so that an output whose
record still matches is up to date and is not built again.

An output records its input (path, size, mtime and SHA-256) and its build: the
gfmdreport and plugin versions, the writer options, the SHA-256 of file options such as a
reference document, whether validation ran, and a digest of the validation settings
that applied to the input (its ``gfmdreport.toml`` or ``[tool.gfmdreport]``). Builds are
stored once, by key, however many outputs share them.

File names are kept exactly: a name that is not UTF-8 is written with each byte that is
not as a ``\\udcXX`` escape, which :func:`json.loads` reads back as the same name.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any

from gfmdreport import __version__
from gfmdreport import files
from gfmdreport.batch.outdir import OutDir
from gfmdreport.batch.plan import Input
from gfmdreport.batch.plan import Output
from gfmdreport.config import Config
from gfmdreport.config import ConfigError
from gfmdreport.config import find_config
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import describe_exception
from gfmdreport.diagnostics import warning
from gfmdreport.discover import Source
from gfmdreport.discover import read_source
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.registry import Writer

MANIFEST_NAME = ".gfmdreport-manifest.json"
MANIFEST_VERSION = 2
"""2: builds record the validation settings (``config``); a manifest of version 1 is
not used, and every output is rebuilt once."""


def json_bytes(value: Any, **dumps: Any) -> bytes:
    """``value`` as JSON in UTF-8, any name that is not UTF-8 included: the bytes that
    are not (Python's surrogate escapes) are written as ``\\udcXX`` escapes."""
    return json.dumps(value, ensure_ascii=False, **dumps).encode("utf-8", "backslashreplace")


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(functools.partial(fh.read, 1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def config_digest(config: Config) -> str:
    """A digest of the validation settings: the rules turned off, back on, and their
    severities, in the order written (what decides how an input validates)."""
    text = json_bytes([list(config.disable), list(config.enable),
                       [list(kv) for kv in config.severity.items()]])
    return hashlib.sha256(text).hexdigest()[:16]


class Settings:
    """The digest of the validation settings that apply to each input (found upward
    from its folder), one look per folder."""

    UNREADABLE = "unreadable"
    """The digest of settings that cannot be read: matches no build, so the input is
    converted, and fails with the configuration's error."""

    def __init__(self, validate: bool):
        self.validate = validate
        self.by_folder: dict[str, str | None] = {}

    def digest(self, source: Source) -> str | None:
        if not self.validate:
            return None
        folder = os.path.dirname(source.abspath)
        if folder not in self.by_folder:
            try:
                self.by_folder[folder] = config_digest(find_config(folder))
            except (ConfigError, OSError):
                self.by_folder[folder] = self.UNREADABLE
        return self.by_folder[folder]


def _plugin_versions(plugins: Plugins) -> dict[str, str]:
    return {name: (info.dist_label or info.module)
            for name, info in sorted(plugins.registry.plugins.items()) if not info.error}


def build_record(plugins: Plugins, writer: Writer, options: Mapping[str, Any],
                 validate: bool) -> dict[str, Any]:
    """What an output of ``writer`` with these options is built from, besides its
    input and its validation settings."""
    files = {}
    for opt in writer.options:
        value = options.get(opt.key)
        if opt.kind == "path" and value:
            files[opt.key] = sha256_file(value)
    return {
        "gfmdreport": __version__,
        "format": writer.name,
        "plugins": _plugin_versions(plugins),
        "options": {k: (v if isinstance(v, (str, int, float, bool, type(None))) else repr(v))
                    for k, v in sorted(options.items())},
        "files": files,
        "validate": validate,
    }


def build_key(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(json_bytes(record, sort_keys=True)).hexdigest()[:16]


class Manifest:
    """What each output in OUTDIR was built from (``OUTDIR/.gfmdreport-manifest.json``)::

        {"version": 2,
         "builds": {"<key>": {"gfmdreport": ..., "format": ..., "plugins": {...},
                              "options": {...}, "files": {"<option>": "<sha256>"},
                              "validate": true, "config": "<digest>"}},
         "outputs": {"<path in OUTDIR>": {"input": "<absolute path>", "size": ...,
                     "mtime_ns": ..., "sha256": ..., "build": "<key>",
                     "output_size": ..., "output_mtime_ns": ...}}}

    It is read and written through OUTDIR's descriptor, never through a symbolic link.
    """

    def __init__(self, outdir: OutDir, records: Mapping[str, Mapping[str, Any]]):
        self.outdir = outdir
        self.path = os.path.join(outdir.real, MANIFEST_NAME)
        self.records = records
        """The build record of each format, but its validation settings."""
        self.keys: dict[tuple[str, str | None], str] = {}
        self.builds: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.dirty = False

    def key(self, format: str, config: str | None) -> str:
        """The key of the build of ``format`` with these validation settings (a digest,
        or None without validation), the build recorded."""
        found = self.keys.get((format, config))
        if found is None:
            record = {**self.records[format], "config": config}
            found = self.keys[format, config] = build_key(record)
            self.builds.setdefault(found, record)
        return found

    def load(self, notices: list[Diagnostic]) -> None:
        """Read the manifest, if there is one; one that cannot be used is a notice, and
        every output is then rebuilt."""
        where = files.At(self.outdir.fd, MANIFEST_NAME, self.path)
        try:
            os.stat(MANIFEST_NAME, dir_fd=self.outdir.fd, follow_symlinks=False)
        except OSError:
            return
        problem = None
        try:  # a regular file within the input size limit (OUTDIR may be shared)
            data = json.loads(files.read_file(where)[0])
        except InputError as exc:
            problem = f"manifest not read ({'; '.join(d.message for d in exc.diagnostics)})"
        except (ValueError, RecursionError) as exc:
            problem = f"manifest not read ({describe_exception(exc)})"
        else:
            if (not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION
                    or not isinstance(data.get("outputs"), dict)
                    or not isinstance(data.get("builds"), dict)):
                problem = "manifest of another version"
        if problem is not None:
            notices.append(warning("manifest", f"{problem}; every output is rebuilt",
                                   Location(self.path)))
            return
        self.builds.update(data["builds"])
        self.outputs = data["outputs"]

    def save(self) -> None:
        """Write the manifest (durably: its data, then its name in OUTDIR). Raises
        :class:`~gfmdreport.InputError` when it cannot be written (a full disk); the
        manifest on disk is then the one before, which claims no output of this run."""
        used = {e.get("build") for e in self.outputs.values() if isinstance(e, dict)}
        builds = {k: v for k, v in self.builds.items() if k in used}
        data = {"version": MANIFEST_VERSION, "builds": builds,
                "outputs": dict(sorted(self.outputs.items()))}
        files.write_atomic(files.At(self.outdir.fd, MANIFEST_NAME, self.path),
                           json_bytes(data, separators=(",", ":")))
        try:
            os.fsync(self.outdir.fd)
        except OSError as exc:
            raise InputError.single("io", f"cannot write: {exc.strerror or exc}",
                                    Location(self.path)) from None
        self.dirty = False

    def up_to_date(self, item: Input, out: Output, key: str) -> bool:
        entry = self.outputs.get(out.rel)
        if not isinstance(entry, dict) or entry.get("build") != key \
                or entry.get("input") != item.source.abspath:
            return False
        made = self.outdir.status(out.rel)
        if made is None or (made.st_size, made.st_mtime_ns) != (
                entry.get("output_size"), entry.get("output_mtime_ns")):
            return False
        if item.stat is None:
            try:
                st = os.stat(item.source.path)
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns")):
                item.stat = (st.st_size, st.st_mtime_ns, entry.get("sha256", ""))
            else:
                try:  # read as the worker reads it: a regular file, inside its folder
                    data, st = read_source(item.source)
                except InputError:
                    return False
                item.stat = (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
        if item.stat[2] != entry.get("sha256"):
            return False
        if (item.stat[0], item.stat[1]) != (entry.get("size"), entry.get("mtime_ns")):
            entry.update(size=item.stat[0], mtime_ns=item.stat[1])  # touched, not changed
            self.dirty = True
        return True

    def record(self, item: Input, out: Output, key: str, made: tuple[int, int]) -> None:
        assert item.stat is not None
        self.outputs[out.rel] = {
            "input": item.source.abspath, "size": item.stat[0], "mtime_ns": item.stat[1],
            "sha256": item.stat[2], "build": key,
            "output_size": made[0], "output_mtime_ns": made[1],
        }
        self.dirty = True

    def forget(self, out: Output) -> None:
        if self.outputs.pop(out.rel, None) is not None:
            self.dirty = True
