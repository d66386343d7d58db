"""load → validate → render: the pipeline as plain functions (no printing, no exiting).

Each function takes an optional :class:`~gfmdreport.hooks.manager.Plugins`; without one, the
process-wide default (every installed plugin, minus those blocked) is used.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

from gfmdreport import limits
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import RenderError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import collecting
from gfmdreport.diagnostics import describe_exception
from gfmdreport.diagnostics import error
from gfmdreport.files import HEAD_BYTES
from gfmdreport.files import decode
from gfmdreport.files import read_bytes
from gfmdreport.files import write_atomic
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.manager import make_plugin_manager
from gfmdreport.hooks.registry import Reader
from gfmdreport.hooks.registry import Writer
from gfmdreport.model import SessionSummary

if TYPE_CHECKING:  # imported when first needed: commands that validate nothing skip it
    from gfmdreport.config import Config

_default: Plugins | None = None
_active: ContextVar[Plugins | None] = ContextVar("gfmdreport_active_plugins", default=None)


def default_plugins() -> Plugins:
    """The plugins a call without ``plugins=`` uses: inside a reader or writer, the
    plugins that called it (so a writer that renders another format first, such as PDF
    from DOCX, sees the same plugins); elsewhere the process-wide ones, loaded on first
    use."""
    active = _active.get()
    if active is not None:
        return active
    global _default
    if _default is None:
        _default = make_plugin_manager()
    return _default


def set_default_plugins(plugins: Plugins | None) -> None:
    """Replace the process-wide plugins (``None`` reloads them on next use)."""
    global _default
    _default = plugins


@contextlib.contextmanager
def _calling(plugins: Plugins) -> Iterator[None]:
    """While a plugin's reader, rule or writer runs: these plugins are the default ones,
    and the languages they added are known to :mod:`gfmdreport.labels`."""
    token = _active.set(plugins)
    try:
        with plugins.active():
            yield
    finally:
        _active.reset(token)


# ---- reading -----------------------------------------------------------------------------

def detect_reader(path: str | os.PathLike[str], head: bytes, plugins: Plugins) -> Reader:
    """The reader of an input whose format was not given: the first ``detect_format``
    answer of the plugins (the built-in sniffer, by suffix, answers last)."""
    registry = plugins.registry
    p = Path(path)
    name = None
    for plugin, call in plugins.each("detect_format"):
        # a sniffer that raises is a plugin failure, not ours
        with plugins.failing_as(plugin, "detect_format"):
            name = call(path=p, head=head)  # a firstresult hook: one answer or None
        if name is not None:
            break
    if name:
        return registry.reader(name)
    reader = registry.reader_for_name(p.name)
    if reader is None:
        known = sorted({s for r in registry.readers.values() for s in r.suffixes})
        raise UsageError(f"{p}: cannot tell the input format from the suffix "
                         f"'{p.suffix}'; use --from (suffixes known: {', '.join(known)})")
    return reader


def load(path: str | os.PathLike[str], from_: str | None = None, *,
         plugins: Plugins | None = None) -> SessionSummary:
    """Read a session summary from a file, in the format ``from_`` or the one its
    suffix or content says. The file is read once: the ``gfmdreport: disable=``
    comments in it ride along with the summary for :func:`validate`."""
    plugins = plugins or default_plugins()
    data = read_bytes(path)
    if from_:
        reader = plugins.registry.reader(from_)
    else:
        reader = detect_reader(path, data[:HEAD_BYTES], plugins)
    return _read(reader, data, os.fspath(path), plugins)


def loads(text: str | bytes, from_: str | None, *, path: str | None = None,
          plugins: Plugins | None = None) -> SessionSummary:
    """Read a session summary from a string (or bytes already read from ``path``) in
    the format ``from_``; with ``from_`` ``None``, the format ``path`` and the content
    say, as for :func:`load`."""
    plugins = plugins or default_plugins()
    data = text.encode("utf-8") if isinstance(text, str) else text
    if from_:
        reader = plugins.registry.reader(from_)
    elif path is None:
        raise UsageError("give the input format: the text has no file name to tell it by")
    else:
        reader = detect_reader(path, data[:HEAD_BYTES], plugins)
    return _read(reader, data, path, plugins)


def _read(reader: Reader, data: bytes, path: str | None, plugins: Plugins) -> SessionSummary:
    text = None
    if reader.binary:
        payload: str | bytes = data
    else:
        payload = text = decode(data, path)
        if not payload.strip():
            raise InputError.single("empty", "the file is empty", Location(path, 1, 1),
                                    "write the session's notes in it")
    try:
        with _calling(plugins):
            summary = reader.read(payload, path=path)
    except InputError as exc:
        if isinstance(exc.partial, SessionSummary) and text is not None \
                and "gfmdreport:" in text:
            from gfmdreport.config import directives

            exc.partial = replace(exc.partial, directives=tuple(directives(text, path)))
        raise
    except GfmdError:
        raise
    except RecursionError:
        raise InputError.single("too-deep", "the input is nested too deeply to read",
                                Location(path), "nest lists less deeply") from None
    except Exception as exc:
        raise PluginError(reader.plugin, plugins.registry.dist_label(reader.plugin),
                          f"reader '{reader.name}'", describe_exception(exc)) from exc
    if not isinstance(summary, SessionSummary):
        raise PluginError(reader.plugin, plugins.registry.dist_label(reader.plugin),
                          f"reader '{reader.name}'",
                          f"returned {type(summary).__name__}, not a SessionSummary")
    limits.check_summary(summary)
    if text is not None and "gfmdreport:" in text:
        from gfmdreport.config import directives

        summary = replace(summary, directives=tuple(directives(text, path)))
    return prepare(summary, plugins)


def prepare(summary: SessionSummary, plugins: Plugins | None = None) -> SessionSummary:
    """Run every ``prepare_summary`` hook, each on the previous one's result."""
    plugins = plugins or default_plugins()
    for name, call in plugins.each("prepare_summary"):
        with plugins.failing_as(name, "prepare_summary"):
            results = call(summary=summary)
        for result in results or ():
            if result is None:
                continue
            if not isinstance(result, SessionSummary):
                raise PluginError(name, plugins.registry.dist_label(name), "prepare_summary",
                                  f"returned {type(result).__name__}, not a SessionSummary")
            summary = result
    return summary


# ---- validating --------------------------------------------------------------------------

def validate(summary: SessionSummary, *, plugins: Plugins | None = None,
             config: Mapping[str, str] | Config | None = None,
             text: str | None = None) -> list[Diagnostic]:
    """Run every registered rule; return their diagnostics and the reader's, sorted by
    location.

    ``config`` is a :class:`~gfmdreport.config.Config`, or a mapping of rule id or name to
    ``"error"``, ``"warning"``, ``"info"`` or ``"off"``; without one, the configuration
    found upward from the summary's source file applies (none for a summary read from
    memory). The ``gfmdreport: disable=`` comments of a summary's source were collected
    when it was read (:func:`load`, :func:`loads`); ``text`` gives them for a summary
    built otherwise. A rule that crashes is reported as a warning naming its plugin.
    """
    from gfmdreport.config import Config
    from gfmdreport.config import check_selectors
    from gfmdreport.config import directives
    from gfmdreport.config import find_config
    from gfmdreport.config import security_off
    from gfmdreport.config import with_directives

    plugins = plugins or default_plugins()
    rules = list(plugins.registry.rules.values())
    if config is None:
        config = find_config(summary.source) if _is_file(summary.source) else Config()
    elif not isinstance(config, Config):
        config = Config.from_mapping(config)
    found_directives = (summary.directives if text is None
                        else directives(text, summary.source))
    config, found = with_directives(config, found_directives, rules)
    found.extend(summary.diagnostics)
    found.extend(config.problems)
    found.extend(check_selectors(config, rules))
    found.extend(security_off(config, rules))
    where = Location(summary.source)
    for rule in rules:
        severity = config.resolve(rule)
        if severity is None:
            continue
        try:
            with _calling(plugins):
                findings = list(rule.check(summary))
        except Exception as exc:
            found.append(Diagnostic(
                Severity.WARNING, "plugin-error",
                f"{plugins.registry.origin(rule.plugin)} failed in rule {rule.id}: "
                f"{describe_exception(exc)}", where))
            continue
        found.extend(Diagnostic(severity, rule.id, f.message, f.location or where, f.hint)
                     for f in findings)
    return sorted(found, key=lambda d: d.sort_key)


def input_problems(exc: InputError, *, plugins: Plugins | None = None,
                   config: Mapping[str, str] | Config | None = None) -> list[Diagnostic]:
    """Every problem of an input that could not be read: the reader's, and the rules'
    findings on what it read past them (:attr:`InputError.partial`), so that one run
    reports them all. A rule's finding at the very place of a reader's error (the date
    that is no date, then "the summary has no date") is the same problem, told once."""
    partial = exc.partial
    if not isinstance(partial, SessionSummary):
        return list(exc.diagnostics)
    try:
        found = validate(replace(partial, diagnostics=tuple(exc.diagnostics)),
                         plugins=plugins, config=config)
    except GfmdError:
        return list(exc.diagnostics)
    taken = {(d.location.path, d.location.line, d.location.column)
             for d in exc.diagnostics if d.severity is Severity.ERROR}
    return [d for d in found if d in exc.diagnostics or
            (d.location.path, d.location.line, d.location.column) not in taken]


def _is_file(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Checked:
    """One input file checked: its summary (``None`` when it could not be read) and every
    diagnostic found, reading problems included."""

    path: str
    summary: SessionSummary | None
    diagnostics: tuple[Diagnostic, ...]


def check(path: str | os.PathLike[str], from_: str | None = None, *,
          plugins: Plugins | None = None, config: Config | None = None) -> Checked:
    """Read and validate one file, turning every problem into diagnostics instead of
    raising: what ``gfmdreport validate`` does for each file it is given.

    ``config`` applies as it is; without one, the configuration found upward from
    ``path`` does.
    """
    from gfmdreport.config import find_config

    plugins = plugins or default_plugins()
    name = os.fspath(path)
    try:
        if config is None:
            config = find_config(name)
        summary = load(name, from_, plugins=plugins)
        found = validate(summary, plugins=plugins, config=config)
    except InputError as exc:
        return Checked(name, None, tuple(input_problems(exc, plugins=plugins,
                                                        config=config)))
    except GfmdError as exc:
        rule = {UsageError: "usage", PluginError: "plugin-error"}.get(type(exc), "error")
        hint = {"usage": "give --from FORMAT, or a file name ending as its format does",
                "plugin-error": "tell the plugin's authors, or leave the plugin out with "
                                "--block NAME"}.get(rule, "see the message")
        return Checked(name, None, (error(rule, str(exc).removeprefix(f"{name}: "),
                                          Location(name), hint),))
    return Checked(name, summary, tuple(found))


# ---- rendering ---------------------------------------------------------------------------

def writer_options(writer: Writer, options: Mapping[str, Any]) -> dict[str, Any]:
    """The writer's options with defaults filled in; unknown ones are a UsageError."""
    known = {opt.key: opt for opt in writer.options}
    unknown = [k for k, v in options.items() if k not in known and v not in (None, False, ())]
    if unknown:
        names = ", ".join("--" + k.replace("_", "-") for k in unknown)
        offered = ", ".join("--" + o.name for o in writer.options) or "none"
        raise UsageError(f"{names} does not apply to format '{writer.name}' "
                         f"(its options: {offered})")
    result = {key: opt.default for key, opt in known.items()}
    result.update({k: v for k, v in options.items() if k in known and v is not None})
    return result


@dataclass(frozen=True)
class Rendered:
    """A writer's output and what it reported while producing it."""

    data: bytes
    writer: Writer
    diagnostics: tuple[Diagnostic, ...] = ()


def render(summary: SessionSummary, to: str, *, plugins: Plugins | None = None,
           **options: Any) -> bytes:
    """Render a summary to the format ``to``; returns the output's bytes."""
    return render_report(summary, to, plugins=plugins, **options).data


def render_report(summary: SessionSummary, to: str, *, plugins: Plugins | None = None,
                  **options: Any) -> Rendered:
    """Render a summary; return the output with the warnings the writer reported."""
    plugins = plugins or default_plugins()
    writer = plugins.registry.writer(to)
    opts = writer_options(writer, options)
    limits.check_summary(summary)
    rendered = call_writer(writer, plugins, "render", "the summary is",
                           lambda: writer.write(summary, opts))
    where = Location(summary.source)
    diagnostics = tuple(d if d.location.path or not where.path else
                        Diagnostic(d.severity, d.rule, d.message,
                                   d.location.with_path(where.path), d.hint)
                        for d in rendered.diagnostics)
    return Rendered(rendered.data, writer, diagnostics)


def call_writer(writer: Writer, plugins: Plugins, action: str, subject: str,
                call: Callable[[], Any]) -> Rendered:
    """One call of a writer (``render``, ``redline``, ``compile``): what it reports is
    collected; its failure, or output that is not bytes, is a PluginError naming the
    plugin; nesting too deep for it is a RenderError about ``subject`` ("the summary
    is")."""
    try:
        with collecting() as reported, _calling(plugins):
            data = call()
    except GfmdError:
        raise
    except RecursionError:
        raise RenderError(f"{subject} nested too deeply for format '{writer.name}'") from None
    except Exception as exc:
        raise PluginError(writer.plugin, plugins.registry.dist_label(writer.plugin),
                          f"{action} {writer.name}", describe_exception(exc)) from exc
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray)):
        raise PluginError(writer.plugin, plugins.registry.dist_label(writer.plugin),
                          f"{action} {writer.name}",
                          f"returned {type(data).__name__}, not bytes")
    return Rendered(bytes(data), writer, tuple(reported))


def render_redline(old: SessionSummary, new: SessionSummary, to: str, *,
                   plugins: Plugins | None = None, **options: Any) -> Rendered:
    """``new`` with every difference from ``old`` shown, in format ``to`` (a redline:
    Word tracked changes, HTML ``<ins>``/``<del>``, CriticMarkup), with the warnings the
    writer reported. ``options``: ``author`` and ``date`` of the changes, and the
    format's own (``reference_doc``). A format that cannot show changes is a
    UsageError."""
    plugins = plugins or default_plugins()
    writer = plugins.registry.writer(to)
    if writer.redline is None:
        able = sorted(name for name, w in plugins.registry.writers.items() if w.redline)
        raise UsageError(f"format '{to}' cannot show changes; formats that can: "
                         f"{', '.join(able) or 'none'}")
    known = {opt.key for opt in writer.options} | {"author", "date"}
    unknown = [k for k, v in options.items() if k not in known and v not in (None, False)]
    if unknown:
        names = ", ".join("--" + k.replace("_", "-") for k in unknown)
        raise UsageError(f"{names} does not apply to a redline in format '{writer.name}'")
    limits.check_summary(old)
    limits.check_summary(new)
    given = {k: v for k, v in options.items() if v is not None}
    return call_writer(writer, plugins, "redline", "the summaries are",
                       lambda: writer.redline(old, new, given))


__all__ = [
    "Checked",
    "check",
    "decode",
    "default_plugins",
    "input_problems",
    "load",
    "loads",
    "prepare",
    "read_bytes",
    "render",
    "render_redline",
    "render_report",
    "validate",
    "write_atomic",
]
