"""load → validate → render: the pipeline as plain functions (no printing, no exiting).

Each function takes an optional :class:`~gfmdreport.hooks.manager.Plugins`; without one, the
process-wide default (every installed plugin, minus those blocked) is used.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gfmdreport import limits
from gfmdreport.diagnostics import (
    Diagnostic,
    GfmdError,
    InputError,
    Location,
    PluginError,
    RenderError,
    Severity,
    UsageError,
    collecting,
    describe_exception,
    error,
)
from gfmdreport.hooks.manager import Plugins, make_plugin_manager
from gfmdreport.hooks.registry import Reader, Writer
from gfmdreport.model import SessionSummary

if TYPE_CHECKING:
    from gfmdreport.config import Config

MAX_INPUT_BYTES = limits.INPUT_BYTES.default
"""Inputs larger than this are refused; ``GFMDREPORT_MAX_INPUT_BYTES`` changes it (see
:mod:`gfmdreport.limits`)."""
HEAD_BYTES = 4096

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


def max_input_bytes() -> int:
    return limits.INPUT_BYTES.value()


# ---- reading -----------------------------------------------------------------------------

def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be had."""
    name = os.fspath(path)
    where = Location(name)
    p = Path(name)
    try:
        if p.is_dir():
            raise InputError.single("io", "is a folder, not a file", where,
                                    "give a file, or use 'gfmdreport batch' for folders")
        with open(p, "rb", opener=_open_regular) as fh:
            size = os.fstat(fh.fileno()).st_size
            limits.INPUT_BYTES.check(size, "the file is", where)
            # read at most one byte past the limit: the file may be growing
            data = fh.read(limits.INPUT_BYTES.value() + 1)
        limits.INPUT_BYTES.check(len(data), "the file is at least", where)
        return data
    except _NotRegular:
        raise InputError.single("io", "not a regular file (a pipe, device or socket): "
                                "nothing is read from it", where,
                                "give a file; to read standard input, give - with --from"
                                ) from None
    except FileNotFoundError:
        raise InputError.single("io", "no such file", where) from None
    except PermissionError:
        raise InputError.single("io", "permission denied", where) from None
    except OSError as exc:
        raise InputError.single("io", exc.strerror or str(exc), where) from None


class _NotRegular(Exception):
    pass


def _open_regular(name: str, flags: int) -> int:
    """Open for reading without blocking on a FIFO, and only a regular file."""
    fd = os.open(name, flags | getattr(os, "O_NONBLOCK", 0))
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def decode(data: bytes, path: str | None = None) -> str:
    """UTF-8 text with BOM removed and line endings made ``\\n``. UTF-16 with a BOM is
    accepted; any other undecodable byte is an error at its line and column."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError.single("encoding", "the file starts like UTF-16 but is not "
                                    "valid UTF-16", Location(path)) from None
    else:
        _refuse_utf16_without_bom(data, path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            start = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
            before = data[:start]
            line = before.count(b"\n") + 1
            column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
            raise InputError.single(
                "encoding", f"byte 0x{data[start]:02x} is not valid UTF-8",
                Location(path, line, column), "save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_utf16_without_bom(data: bytes, path: str | None) -> None:
    """UTF-16 without a byte-order mark reads as UTF-8 with a NUL after every letter:
    say what the file is instead of reporting the first NUL."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head[:2]:
        return
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        kind = "UTF-16 (little-endian)"
    elif even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        kind = "UTF-16 (big-endian)"
    else:
        return
    raise InputError.single("encoding", f"the file is {kind} without a byte-order mark",
                            Location(path, 1, 1), "save it as UTF-8")


def detect_reader(path: str | os.PathLike[str], head: bytes, plugins: Plugins) -> Reader:
    registry = plugins.registry
    p = Path(path)
    name = None
    for impl in reversed(plugins.hook.detect_format.get_hookimpls()):
        args = {"path": p, "head": head}
        try:
            name = impl.function(**{k: v for k, v in args.items() if k in impl.argnames})
        except GfmdError:
            raise
        except Exception as exc:  # a sniffer that raises is a plugin failure, not ours
            raise PluginError(impl.plugin_name, registry.dist_label(impl.plugin_name),
                              "detect_format", describe_exception(exc)) from exc
        if name is not None:
            break
    if name:
        return registry.reader(name)
    reader = registry.reader_for_suffix(p.suffix)
    if reader is None:
        known = sorted({s for r in registry.readers.values() for s in r.suffixes})
        raise UsageError(f"{p}: cannot tell the input format from the suffix "
                         f"'{p.suffix}'; use --from (suffixes known: {', '.join(known)})")
    return reader


def load(path: str | os.PathLike[str], from_: str | None = None, *,
         plugins: Plugins | None = None) -> SessionSummary:
    """Read a session summary from a file, in the format ``from_`` or the one its
    suffix or content says."""
    plugins = plugins or default_plugins()
    data = read_bytes(path)
    if from_:
        reader = plugins.registry.reader(from_)
    else:
        reader = detect_reader(path, data[:HEAD_BYTES], plugins)
    return _read(reader, data, os.fspath(path), plugins)


def loads(text: str | bytes, from_: str, *, path: str | None = None,
          plugins: Plugins | None = None) -> SessionSummary:
    """Read a session summary from a string (or bytes) in the format ``from_``."""
    plugins = plugins or default_plugins()
    reader = plugins.registry.reader(from_)
    data = text.encode("utf-8") if isinstance(text, str) else text
    return _read(reader, data, path, plugins)


def _read(reader: Reader, data: bytes, path: str | None, plugins: Plugins) -> SessionSummary:
    if reader.binary:
        payload: str | bytes = data
    else:
        payload = decode(data, path)
        if not payload.strip():
            raise InputError.single("empty", "the file is empty", Location(path, 1, 1),
                                    "write the session's notes in it")
    try:
        with _calling(plugins):
            summary = reader.read(payload, path=path)
    except GfmdError:
        raise
    except RecursionError:
        raise InputError.single("too-deep", "the input is nested too deeply to read",
                                Location(path)) from None
    except Exception as exc:
        raise PluginError(reader.plugin, plugins.registry.dist_label(reader.plugin),
                          f"reader '{reader.name}'", describe_exception(exc)) from exc
    if not isinstance(summary, SessionSummary):
        raise PluginError(reader.plugin, plugins.registry.dist_label(reader.plugin),
                          f"reader '{reader.name}'",
                          f"returned {type(summary).__name__}, not a SessionSummary")
    limits.check_summary(summary)
    return prepare(summary, plugins)


def prepare(summary: SessionSummary, plugins: Plugins | None = None) -> SessionSummary:
    """Run every ``prepare_summary`` hook, each on the previous one's result."""
    plugins = plugins or default_plugins()
    for impl in reversed(plugins.hook.prepare_summary.get_hookimpls()):
        name = impl.plugin_name
        try:
            result = impl.function(summary=summary)
        except GfmdError:
            raise
        except Exception as exc:
            raise PluginError(name, plugins.registry.dist_label(name), "prepare_summary",
                              describe_exception(exc)) from exc
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
    memory). ``text`` is the source text, searched for ``gfmdreport: disable=``
    comments; without it the source file is read again when it is a text file. A rule
    that crashes is reported as a warning naming its plugin.
    """
    from gfmdreport.config import Config, check_selectors, find_config, with_directives

    plugins = plugins or default_plugins()
    rules = list(plugins.registry.rules.values())
    if config is None:
        config = find_config(summary.source) if _is_file(summary.source) else Config()
    elif not isinstance(config, Config):
        config = Config.from_mapping(config)
    if text is None and _is_file(summary.source):
        text = _source_text(summary.source)
    config, found = with_directives(config, text, summary.source, rules)
    found.extend(summary.diagnostics)
    found.extend(config.problems)
    found.extend(check_selectors(config, rules))
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


def _is_file(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path)  # type: ignore[arg-type]


def _source_text(path: str) -> str | None:
    """The text of a source file, for its ``disable`` comments; ``None`` for a binary or
    unreadable file."""
    try:
        if os.path.getsize(path) > max_input_bytes():
            return None
        return decode(Path(path).read_bytes(), path)
    except (OSError, InputError):
        return None


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
        data = read_bytes(name)
        reader = (plugins.registry.reader(from_) if from_ else
                  detect_reader(name, data[:HEAD_BYTES], plugins))
        summary = _read(reader, data, name, plugins)
        text = None if reader.binary else decode(data, name)
        found = validate(summary, plugins=plugins, config=config, text=text)
    except InputError as exc:
        return Checked(name, None, tuple(exc.diagnostics))
    except GfmdError as exc:
        rule = {UsageError: "usage", PluginError: "plugin-error"}.get(type(exc), "error")
        return Checked(name, None, (error(rule, str(exc).removeprefix(f"{name}: "),
                                          Location(name)),))
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
    try:
        with collecting() as reported, _calling(plugins):
            data = writer.write(summary, opts)
    except GfmdError:
        raise
    except RecursionError:
        raise RenderError(f"the summary is nested too deeply for format '{to}'") from None
    except Exception as exc:
        raise PluginError(writer.plugin, plugins.registry.dist_label(writer.plugin),
                          f"render {writer.name}", describe_exception(exc)) from exc
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray)):
        raise PluginError(writer.plugin, plugins.registry.dist_label(writer.plugin),
                          f"render {writer.name}", f"returned {type(data).__name__}, not bytes")
    where = Location(summary.source)
    diagnostics = tuple(d if d.location.path or not where.path else
                        Diagnostic(d.severity, d.rule, d.message,
                                   d.location.with_path(where.path), d.hint)
                        for d in reported)
    return Rendered(bytes(data), writer, diagnostics)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed
    into place: readers of ``path`` see the old file or the new one, never a part."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError.single("io", f"cannot write in {folder}: {exc.strerror or exc}",
                                Location(os.fspath(path))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise InputError.single("io", f"cannot write: {exc.strerror or exc}",
                                Location(os.fspath(path))) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def check_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


__all__ = [
    "Checked",
    "check",
    "decode",
    "default_plugins",
    "error",
    "load",
    "loads",
    "prepare",
    "read_bytes",
    "render",
    "render_report",
    "validate",
    "write_atomic",
]
