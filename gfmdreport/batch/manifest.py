"""The manifest in OUTDIR: what each output was built from, so that an output whose
record still matches is up to date and is not built again.

An output records its input (path, size, mtime and SHA-256) and its build: the
gfmdreport and plugin versions, the writer options, the SHA-256 of file options such as a
reference document, and whether validation ran. Builds are stored once, by key, however
many outputs share them.
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
from gfmdreport.batch.plan import Input
from gfmdreport.batch.plan import Output
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import describe_exception
from gfmdreport.diagnostics import warning
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.registry import Writer

MANIFEST_NAME = ".gfmdreport-manifest.json"
MANIFEST_VERSION = 1


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(functools.partial(fh.read, 1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _plugin_versions(plugins: Plugins) -> dict[str, str]:
    return {name: (info.dist_label or info.module)
            for name, info in sorted(plugins.registry.plugins.items()) if not info.error}


def build_record(plugins: Plugins, writer: Writer, options: Mapping[str, Any],
                 validate: bool) -> dict[str, Any]:
    """What an output of ``writer`` with these options is built from, besides its
    input."""
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
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Manifest:
    """What each output in OUTDIR was built from (``OUTDIR/.gfmdreport-manifest.json``)::

        {"version": 1,
         "builds": {"<key>": {"gfmdreport": ..., "format": ..., "plugins": {...},
                              "options": {...}, "files": {"<option>": "<sha256>"},
                              "validate": true}},
         "outputs": {"<path in OUTDIR>": {"input": "<absolute path>", "size": ...,
                     "mtime_ns": ..., "sha256": ..., "build": "<key>",
                     "output_size": ..., "output_mtime_ns": ...}}}
    """

    def __init__(self, outdir: str):
        self.path = os.path.join(outdir, MANIFEST_NAME)
        self.builds: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.dirty = False

    def load(self, notices: list[Diagnostic]) -> None:
        """Read the manifest, if there is one; one that cannot be used is a notice, and
        every output is then rebuilt."""
        if not os.path.lexists(self.path):
            return
        problem = None
        try:  # a regular file within the input size limit (OUTDIR may be shared)
            data = json.loads(files.read_bytes(self.path))
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
        self.builds = data["builds"]
        self.outputs = data["outputs"]

    def save(self) -> None:
        used = {e.get("build") for e in self.outputs.values()}
        builds = {k: v for k, v in self.builds.items() if k in used}
        data = {"version": MANIFEST_VERSION, "builds": builds,
                "outputs": dict(sorted(self.outputs.items()))}
        files.write_atomic(self.path, json.dumps(data, separators=(",", ":"),
                                                    ensure_ascii=False).encode())
        self.dirty = False

    def up_to_date(self, item: Input, out: Output, key: str) -> bool:
        entry = self.outputs.get(out.rel)
        if not isinstance(entry, dict) or entry.get("build") != key \
                or entry.get("input") != item.source.abspath:
            return False
        try:
            made = os.stat(out.target)
            if (made.st_size, made.st_mtime_ns) != (entry.get("output_size"),
                                                    entry.get("output_mtime_ns")):
                return False
            if item.stat is None:
                st = os.stat(item.source.path)
                if (st.st_size, st.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns")):
                    item.stat = (st.st_size, st.st_mtime_ns, entry.get("sha256", ""))
                else:
                    item.stat = (st.st_size, st.st_mtime_ns, sha256_file(item.source.path))
        except OSError:
            return False
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

