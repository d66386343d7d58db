"""``gfmdreport plugin new``: a plugin distribution that installs and passes its own
tests at once, for a writer, a reader or a rule.

The files come from the templates in ``gfmdreport/templates/plugin/`` (package data),
filled in with :class:`string.Template` (``${name}``, ``${module}``, …). The package is
assembled in a temporary folder beside the target and renamed into place, so a failure
never leaves half a package behind, and an existing folder is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from gfmdreport.diagnostics import UsageError

KINDS = ("writer", "reader", "rule")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# template file (in the kind's folder, or "common") -> path in the new package
_LAYOUT = {
    "writer": {
        "common/pyproject.toml.tmpl": "pyproject.toml",
        "common/gitignore.tmpl": ".gitignore",
        "common/README.md.tmpl": "README.md",
        "writer/module.py.tmpl": "${module}/__init__.py",
        "writer/test.py.tmpl": "tests/test_${module}.py",
    },
    "reader": {
        "common/pyproject.toml.tmpl": "pyproject.toml",
        "common/gitignore.tmpl": ".gitignore",
        "common/README.md.tmpl": "README.md",
        "reader/module.py.tmpl": "${module}/__init__.py",
        "reader/test.py.tmpl": "tests/test_${module}.py",
        "reader/sample.csv.tmpl": "tests/sample.csv",
    },
    "rule": {
        "common/pyproject.toml.tmpl": "pyproject.toml",
        "common/gitignore.tmpl": ".gitignore",
        "common/README.md.tmpl": "README.md",
        "rule/module.py.tmpl": "${module}/__init__.py",
        "rule/test.py.tmpl": "tests/test_${module}.py",
    },
}

_SUMMARY = {
    "writer": "the '${name}' output format: the session summary as plain text",
    "reader": "the '${name}' input format: session notes as a CSV table",
    "rule": "the '${name}' validation rule: every question has a takeaway",
}


@dataclass(frozen=True)
class PluginNames:
    """The names a plugin called ``name`` goes by."""

    name: str
    """Entry point, format or rule name: ``demo``."""
    dist: str
    """Distribution: ``gfmdreport-demo``."""
    module: str
    """Python package: ``gfmdreport_demo``."""
    kind: str

    def substitutions(self) -> dict[str, str]:
        from gfmdreport import __version__

        values = {
            "name": self.name,
            "dist": self.dist,
            "module": self.module,
            "kind": self.kind,
            "title": self.name.replace("-", " ").title(),
            "gfmdreport_version": __version__,
        }
        values["summary"] = Template(_SUMMARY[self.kind]).substitute(values)
        return values


def names_for(name: str, kind: str) -> PluginNames:
    """Check a plugin name and derive the others; a bad one is a UsageError saying why."""
    if kind not in KINDS:
        raise UsageError(f"unknown plugin kind '{kind}'; choose one of: {', '.join(KINDS)}")
    bare = name.removeprefix("gfmdreport-")
    if not _NAME.match(bare) or len(bare) > 40:
        raise UsageError(f"invalid plugin name {name!r}: use lower-case letters, digits and "
                         f"single dashes, starting with a letter, at most 40 characters "
                         f"(e.g. 'plain-text')")
    return PluginNames(bare, f"gfmdreport-{bare}", "gfmdreport_" + bare.replace("-", "_"),
                       kind)


def render_files(names: PluginNames) -> dict[str, str]:
    """The new package's files (relative path -> text)."""
    root = resources.files("gfmdreport") / "templates" / "plugin"
    values = names.substitutions()
    files = {}
    for template, target in _LAYOUT[names.kind].items():
        source = root.joinpath(*template.split("/")).read_text(encoding="utf-8")
        if template == "common/README.md.tmpl":
            usage = root.joinpath(names.kind, "usage.md.tmpl").read_text(encoding="utf-8")
            values = {**values, "usage": Template(usage).substitute(values).rstrip("\n")}
        files[Template(target).substitute(values)] = Template(source).substitute(values)
    return files


def create(name: str, kind: str = "writer", parent: str | os.PathLike[str] = ".") -> Path:
    """Create the plugin distribution ``gfmdreport-NAME`` in ``parent``; return its
    folder. Refuses to touch an existing path."""
    names = names_for(name, kind)
    parent_path = Path(parent)
    if not parent_path.is_dir():
        raise UsageError(f"{parent_path}: no such folder")
    target = parent_path / names.dist
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target} already exists; choose another name or folder")
    files = render_files(names)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{names.dist}.", dir=parent_path))
    except OSError as exc:
        raise UsageError(f"cannot write in {parent_path}: {exc.strerror or exc}") from None
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot create {target}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
