"""The built-in page templates, shipped compiled: a run loads their Python code instead of
compiling them with Jinja2, which was most of the HTML writer's start-up.

``gfmdreport/formats/html/compiled/`` holds one module per built-in template: the code
Jinja2 generates for it, and the key it was generated for, a SHA-256 of

- the template's name and source,
- the Jinja2 version,
- the environment's class and settings (delimiters, whitespace control, autoescaping).

The loader uses a module only when its key is the one the template and the installed
Jinja2 give now, so a changed template (an edit not yet compiled) or another Jinja2 is
compiled from source as before. The modules are part of the package, installed and
byte-compiled with it: nothing is written at run time, and nothing is read from anywhere
but the package itself. ``python tools/precompile_html.py`` writes them
again; the test suite fails while they are out of date.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader

HERE = Path(__file__).resolve().parent
PACKAGE = "gfmdreport.formats.html.compiled"
FOLDER = HERE / "compiled"
TEMPLATES = ("page.html.j2", "summary.html.j2")
"""The built-in templates, by the names their loader knows them by."""
_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string",
             "variable_end_string", "comment_start_string", "comment_end_string",
             "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
             "newline_sequence", "keep_trailing_newline", "optimized", "autoescape",
             "is_async")


def module_name(name: str) -> str:
    """``page.html.j2`` → ``page_html_j2``."""
    return name.replace(".", "_").replace("-", "_")


def template_key(environment: Any, name: str, source: str) -> str:
    """What the compiled code of template ``name`` depends on, as a SHA-256."""
    import jinja2

    settings = [(s, repr(getattr(environment, s, None))) for s in _SETTINGS]
    kind = f"{type(environment).__module__}.{type(environment).__qualname__}"
    digest = hashlib.sha256()
    for part in (jinja2.__version__, kind, repr(settings), name, source):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class PrecompiledLoader(FileSystemLoader):
    """The built-in templates from their folder, each loaded from its compiled module in
    ``package`` when that was compiled from this source by this Jinja2 with these
    settings, and compiled from source otherwise."""

    def __init__(self, searchpath: str | Path, package: str = PACKAGE):
        super().__init__(searchpath)
        self.package = package

    def load(self, environment: Any, name: str, globals: Any = None) -> Any:
        source, _, _ = self.get_source(environment, name)
        namespace = self.compiled(environment, name)
        if namespace is not None and namespace.get("KEY") == template_key(environment, name,
                                                                          source):
            return environment.template_class.from_module_dict(environment, namespace,
                                                               globals)
        return super().load(environment, name, globals)

    def compiled(self, environment: Any, name: str) -> dict[str, Any] | None:
        """The namespace of the template's compiled module, run afresh for
        ``environment`` (as Jinja2 runs code it compiled), or ``None`` when there is
        none."""
        fullname = f"{self.package}.{module_name(name)}"
        try:
            spec = importlib.util.find_spec(fullname)
        except ImportError:
            return None
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        # read as an import reads it: from its byte-compiled file when that is current
        code = importlib.machinery.SourceFileLoader(fullname, spec.origin).get_code(fullname)
        namespace: dict[str, Any] = {"environment": environment, "__name__": fullname,
                                     "__file__": spec.origin}
        exec(code, namespace)
        return namespace


def generate(environment: Any, folder: Path = FOLDER) -> list[Path]:
    """Write the compiled module of each built-in template into ``folder``."""
    written = []
    for name in TEMPLATES:
        source, _, _ = environment.loader.get_source(environment, name)
        code = environment.compile(source, name, None, raw=True)
        path = folder / f"{module_name(name)}.py"
        path.write_text(
            f"{code.rstrip()}\n\n\n"
            f"# {name} compiled by Jinja2: written by gfmdreport.formats.html.precompiled,\n"
            f"# do not edit (python tools/precompile_html.py writes it again).\n"
            f"# ruff: noqa\n"
            f"KEY = {template_key(environment, name, source)!r}\n", encoding="utf-8")
        written.append(path)
    return written

