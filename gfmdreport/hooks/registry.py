"""What plugins register: readers, writers and rules, and the registry that holds them.

Plugins build these objects and hand them to the ``register`` callback of the
``register_*`` hooks; the core checks them and records which plugin provided each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal

from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import RegistryError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError

if TYPE_CHECKING:
    from gfmdreport.model import SessionSummary

BLOCK_ENV = "GFMDREPORT_BLOCK"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_RULE_ID = re.compile(r"^([A-Z]+[0-9]{3}|[a-z][a-z0-9-]*)$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Option:
    """A writer option, offered on the command line as ``--NAME`` of ``render``."""

    name: str
    """Option name with dashes, e.g. ``reference-doc``; the writer receives it with
    underscores (``reference_doc``)."""
    help: str
    kind: Literal["flag", "text", "path", "choice"] = "text"
    default: Any = None
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.name.replace("-", "_")


@dataclass(frozen=True)
class Reader:
    """An input format."""

    name: str
    """Format name used with ``--from``, e.g. ``yaml``."""
    read: Callable[..., SessionSummary]
    """``read(data, path=None)``: ``data`` is ``str`` (decoded UTF-8, BOM removed), or
    ``bytes`` when ``binary`` is true; ``path`` is the file name for diagnostics. Raises
    :class:`~gfmdreport.InputError` with located diagnostics for bad input."""
    suffixes: tuple[str, ...] = ()
    """File suffixes it reads, with the dot: ``(".yaml", ".yml")``."""
    description: str = ""
    binary: bool = False
    in_folders: bool = True
    """Whether files with these suffixes are picked up when a folder is searched for
    notes (``validate DIR``, ``batch DIR``). A reader of a suffix that is common for
    other files too (``.txt``) says False: its files are read when named."""
    plugin: str = field(default="", compare=False)
    """Filled in by the registry: the plugin that registered it."""


@dataclass(frozen=True)
class Writer:
    """An output format."""

    name: str
    """Format name used with ``--to``, e.g. ``docx``."""
    write: Callable[..., bytes]
    """``write(summary, options) -> bytes``; ``options`` maps option keys to values."""
    suffix: str = ""
    """Suffix of the files it writes, with the dot."""
    media_type: str = "application/octet-stream"
    description: str = ""
    binary: bool = False
    """True when the output is not text (never printed to a terminal)."""
    options: tuple[Option, ...] = ()
    write_proceedings: Callable[..., bytes] | None = None
    """``write_proceedings(proceedings, options) -> bytes``, for a writer that can write
    a whole event's proceedings (``gfmdreport compile``); ``None`` when it cannot."""
    plugin: str = field(default="", compare=False)
    redline: Callable[..., bytes] | None = None
    """``redline(old, new, options) -> bytes``: the new summary with every difference
    from the old one shown (``gfmdreport diff OLD NEW -t NAME``), when the format can
    show them; ``None`` otherwise."""


@dataclass(frozen=True)
class Finding:
    """One problem a rule found: what, and where."""

    message: str
    location: Location | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Rule:
    """A validation rule."""

    id: str
    """``GFMD101`` style, or a short slug."""
    check: Callable[[SessionSummary], Iterable[Finding]]
    description: str
    severity: Severity = Severity.ERROR
    name: str = ""
    """A short slug naming the rule (``no-chair``), usable in configuration."""
    security: bool = False
    """A rule that guards the reader of the report against hidden text (bidirectional
    overrides, invisible characters): a file's own ``disable`` comment cannot turn it
    off; configuration can, and validation then says so."""
    plugin: str = field(default="", compare=False)


@dataclass(frozen=True)
class Language:
    """The labels of a language, for summaries whose ``language`` is ``code``."""

    code: str
    """Primary language subtag: ``de``, ``pt``, ``ar`` …"""
    labels: Mapping[str, str]
    plugin: str = field(default="", compare=False)


@dataclass
class PluginInfo:
    """What one plugin is and what it provides."""

    name: str
    module: str = ""
    dist: str | None = None
    version: str | None = None
    readers: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    error: str | None = None
    """Why the plugin failed to load or register, if it did."""

    @property
    def dist_label(self) -> str | None:
        """``"dist-name 1.2"``, or ``None`` for a plugin registered without a dist."""
        if not self.dist:
            return None
        return f"{self.dist} {self.version}" if self.version else self.dist

    @property
    def origin(self) -> str:
        label = self.dist_label
        return f"plugin '{self.name}'" + (f" (dist {label})" if label else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "module": self.module,
            "dist": self.dist,
            "version": self.version,
            "readers": self.readers,
            "writers": self.writers,
            "rules": self.rules,
            "languages": self.languages,
            "hooks": self.hooks,
            "error": self.error,
        }


class Registry:
    """Every format and rule the loaded plugins provide, by name."""

    def __init__(self) -> None:
        self.readers: dict[str, Reader] = {}
        self.writers: dict[str, Writer] = {}
        self.rules: dict[str, Rule] = {}
        self.languages: dict[str, Language] = {}
        self.plugins: dict[str, PluginInfo] = {}
        self.blocked: dict[str, str | None] = {}
        """Plugins installed but left out (``--block``), by name, with their distribution."""

    # -- filling -----------------------------------------------------------------------
    def add(self, kind: str, obj: Any, info: PluginInfo) -> None:
        expected = {"reader": Reader, "writer": Writer, "rule": Rule,
                    "language": Language}[kind]
        if not isinstance(obj, expected):
            raise RegistryError(f"{info.origin} registered {type(obj).__name__!s} as a "
                                f"{kind}; expected gfmdreport.{expected.__name__}")
        key = {"rule": "id", "language": "code"}.get(kind, "name")
        key = getattr(obj, key)
        pattern = {"rule": _RULE_ID, "language": _LANGUAGE}.get(kind, _NAME)
        if not isinstance(key, str) or not pattern.match(key):
            raise RegistryError(f"{info.origin} registered a {kind} with the invalid name "
                                f"{key!r}")
        if kind == "language":
            self._check_language(obj, info)
        table: dict[str, Any] = {"reader": self.readers, "writer": self.writers,
                                 "rule": self.rules, "language": self.languages}[kind]
        if key in table:
            other = self.plugins[table[key].plugin]
            raise RegistryError(
                f"{kind} '{key}' is provided by both {other.origin} and {info.origin}; "
                f"block one with --block NAME or GFMDREPORT_BLOCK=NAME")
        object.__setattr__(obj, "plugin", info.name)
        table[key] = obj
        getattr(info, kind + "s").append(key)

    @staticmethod
    def _check_language(language: Language, info: PluginInfo) -> None:
        from gfmdreport.labels import KEYS
        from gfmdreport.labels import LABELS

        if language.code in LABELS:
            raise RegistryError(f"{info.origin} registered language '{language.code}', "
                                f"which is built in; give a summary's own wording in its "
                                f"'labels' instead")
        unknown = sorted(set(language.labels) - {*KEYS, "first_day"})
        if unknown:
            raise RegistryError(f"{info.origin} registered language '{language.code}' with "
                                f"unknown labels: {', '.join(unknown)}")

    def label_tables(self) -> Mapping[str, Mapping[str, str]]:
        """The labels of the languages plugins registered, by code."""
        return {code: lang.labels for code, lang in self.languages.items()}

    # -- lookup ------------------------------------------------------------------------
    def reader(self, name: str) -> Reader:
        try:
            return self.readers[name]
        except KeyError:
            raise UsageError(self._unknown("input", name, self.readers)) from None

    def writer(self, name: str) -> Writer:
        try:
            return self.writers[name]
        except KeyError:
            raise UsageError(self._unknown("output", name, self.writers)) from None

    def _unknown(self, kind: str, name: str, known: Mapping[str, Any]) -> str:
        message = (f"unknown {kind} format '{name}'; available: "
                   f"{', '.join(sorted(known)) or 'none'}")
        if name not in self.missing_known():
            return message
        return f"{self.advice(name)} ({message})"

    def missing_known(self) -> dict[str, KnownPlugin]:
        """The formats of :data:`KNOWN_PLUGINS` that no loaded plugin provides."""
        return {name: plugin for name, plugin in KNOWN_PLUGINS.items()
                if name not in self.writers and name not in self.readers}

    def advice(self, name: str) -> str:
        """What to tell a user who asked for the missing known format ``name``."""
        plugin = KNOWN_PLUGINS[name]
        where = f"the plugin {plugin.dist} ({plugin.what})"
        if plugin.dist in self.blocked.values():
            return f"format '{name}' comes from {where}, which is blocked (--block or " \
                   f"{BLOCK_ENV})"
        return f"format '{name}' comes from {where}, which is not installed: {plugin.install}"

    def reader_for_suffix(self, suffix: str, *, in_folder: bool = False) -> Reader | None:
        """The reader of files with ``suffix``; with ``in_folder``, only a reader that
        wants its files found when a folder is searched."""
        suffix = suffix.lower()
        for reader in self.readers.values():
            if suffix in reader.suffixes and (reader.in_folders or not in_folder):
                return reader
        return None

    def reader_for_name(self, name: str, *, in_folder: bool = False) -> Reader | None:
        """The reader of a file called ``name``: the one whose suffix is the longest the
        name ends with (``.notes.md`` before ``.md``); with ``in_folder``, only a reader
        that wants its files found when a folder is searched."""
        return _longest(name, ((s, r) for r in self.readers.values()
                               if r.in_folders or not in_folder for s in r.suffixes))

    def folder_suffixes(self) -> list[str]:
        """The suffixes a folder search picks up."""
        return sorted({s for r in self.readers.values() if r.in_folders for s in r.suffixes})

    def writer_for_suffix(self, suffix: str) -> Writer | None:
        suffix = suffix.lower()
        for writer in self.writers.values():
            if writer.suffix == suffix:
                return writer
        return None

    def writer_for_name(self, name: str) -> Writer | None:
        """The writer of a file called ``name``: the one whose suffix is the longest the
        name ends with (``.eml.txt`` before ``.txt``)."""
        return _longest(name, ((w.suffix, w) for w in self.writers.values() if w.suffix))

    def origin(self, plugin: str) -> str:
        info = self.plugins.get(plugin)
        return info.origin if info else f"plugin '{plugin}'"

    def dist_label(self, plugin: str) -> str | None:
        info = self.plugins.get(plugin)
        return info.dist_label if info else None

    def failures(self) -> list[PluginInfo]:
        return [p for p in self.plugins.values() if p.error]

    def writer_options(self) -> Mapping[str, tuple[Option, list[str]]]:
        """Every writer option by name, with the writers that accept it."""
        table: dict[str, tuple[Option, list[str]]] = {}
        for writer in self.writers.values():
            for opt in writer.options:
                table.setdefault(opt.name, (opt, []))[1].append(writer.name)
        return table


def _longest(name: str, candidates: Iterable[tuple[str, Any]]) -> Any:
    """Of ``(suffix, format)`` pairs, the format of the longest suffix ``name`` ends with
    (letter case aside); the first registered wins between equals."""
    name = name.lower()
    best, best_length = None, 0
    for suffix, found in candidates:
        if len(suffix) > best_length and name.endswith(suffix.lower()) and \
                len(name) > len(suffix):
            best, best_length = found, len(suffix)
    return best


@dataclass(frozen=True)
class KnownPlugin:
    """A plugin distribution gfmdreport knows of, installed or not, and how to install it."""

    dist: str
    formats: tuple[str, ...]
    suffix: str
    """The suffix that names its output, when no other format shares it (else empty)."""
    what: str
    install: str


KNOWN_PLUGINS: Mapping[str, KnownPlugin] = {
    fmt: plugin
    for plugin in (
        KnownPlugin("gfmdreport-pdf", ("pdf",), ".pdf",
                    "the Word report as PDF, through LibreOffice",
                    "pip install ./plugins/gfmdreport-pdf (from gfmdreport's source) and "
                    "LibreOffice"),
        KnownPlugin("gfmdreport-akn", ("akn",), "", "Akoma Ntoso 3.0 XML",
                    "pip install ./plugins/gfmdreport-akn (from gfmdreport's source)"),
    )
    for fmt in plugin.formats
}
"""The formats of plugins that ship with gfmdreport's source but are installed apart,
by format name: what an unknown ``-t`` names, and ``gfmdreport formats`` lists."""
