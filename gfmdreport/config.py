"""Configuration of validation: which rules run, and how seriously each is taken.

Settings live in a ``gfmdreport.toml`` (top-level keys) or in the ``[tool.gfmdreport]``
table of a ``pyproject.toml``, found by looking upward from the input's folder; the first
folder holding either wins (``gfmdreport.toml`` before ``pyproject.toml``), and a
``pyproject.toml`` without a ``[tool.gfmdreport]`` table is passed over::

    [tool.gfmdreport]
    disable = ["GFMD3"]            # every text-quality rule ...
    enable = ["name-spelling"]     # ... except this one

    [tool.gfmdreport.severity]
    no-summary-table = "warning"
    GFMD108 = "error"

A rule is named by its id (``GFMD101``), its name (``no-chair``), an id prefix
(``GFMD3``: a whole family) or ``all``; the most specific selector wins.

A single file silences rules for itself with a comment, in YAML (and in the front matter
of Markdown notes) or as an HTML comment in Markdown::

    # gfmdreport: disable=GFMD301, doubled-space
    <!-- gfmdreport: disable=no-summary-table -->

This module reads files but never prints: problems in a configuration come back as
diagnostics (a broken file raises :class:`ConfigError`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import warning

if TYPE_CHECKING:
    from gfmdreport.hooks.registry import Rule

CONFIG_FILE = "gfmdreport.toml"
PYPROJECT = "pyproject.toml"
KNOWN_KEYS = ("disable", "enable", "severity")
"""The keys of ``[tool.gfmdreport]`` (anything else is reported as unknown)."""
SETTINGS = ("error", "warning", "info", "off")
"""What ``severity`` may set a rule to."""
CONFIG_RULE = "config"
DIRECTIVE_MARK = "gfmdreport:"
"""What every ``disable`` comment holds: a text without it has none."""
"""The rule id of diagnostics about configuration and ``disable`` comments."""

_DIRECTIVE = re.compile(
    r"(?:^|\s)(?:#|<!--)\s*gfmdreport:\s*disable\s*=\s*(?P<rules>[^\n]*?)\s*(?:-->\s*)?$",
    re.MULTILINE)
_SELECTOR_SPLIT = re.compile(r"[\s,]+")
_PREFIX = re.compile(r"^[A-Z]+[0-9]{0,3}$")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_MAY_HAVE_TABLE = re.compile(rb"tool\s*\.\s*[\"']?gfmdreport|^\s*\[\s*tool\s*\]", re.M)
"""What a pyproject.toml with a [tool.gfmdreport] table must contain somewhere."""


class ConfigError(InputError):
    """A configuration file that cannot be used (bad TOML, wrong types): exit code 2."""

    exit_code = 2


@dataclass(frozen=True)
class Config:
    """Validation settings: the rules left out, put back, and given another severity."""

    disable: tuple[str, ...] = ()
    """Selectors of rules not to run."""
    enable: tuple[str, ...] = ()
    """Selectors of rules to run even though a broader ``disable`` matches them."""
    severity: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """Selector → ``error``, ``warning``, ``info`` or ``off``."""
    path: str | None = None
    """The file the settings came from, if any."""
    silenced: tuple[str, ...] = ()
    """Selectors silenced for one file by ``gfmdreport: disable=`` comments."""
    problems: tuple[Diagnostic, ...] = ()
    """What was wrong in the configuration file but could be read past (unknown keys)."""
    text: str = field(default="", repr=False, compare=False)
    """The configuration file's text, to place later warnings on their line."""

    @classmethod
    def from_mapping(cls, settings: Mapping[str, str]) -> Config:
        """Settings given as a plain mapping of rule id or name to a severity or ``off``.
        Raises :class:`~gfmdreport.UsageError` for any other value."""
        severity = {}
        for key, value in settings.items():
            if not isinstance(value, str) or value.lower() not in SETTINGS:
                raise UsageError(f"the setting of rule '{key}' must be one of "
                                 f"{', '.join(SETTINGS)}, not {value!r}")
            severity[key] = value.lower()
        return cls(severity=MappingProxyType(severity))

    def __reduce__(self) -> tuple[Any, ...]:
        """Settings travel to worker processes (``validate -j``) as plain values."""
        return (_config, (self.disable, self.enable, dict(self.severity), self.path,
                          self.silenced, self.problems, self.text))

    def silencing(self, selectors: Iterable[str]) -> Config:
        """These settings, with more rules silenced for one file."""
        return Config(self.disable, self.enable, self.severity, self.path,
                      (*self.silenced, *selectors), self.problems, self.text)

    def resolve(self, rule: Rule) -> Severity | None:
        """The severity ``rule`` runs with, or ``None`` if it does not run. A file's
        ``disable`` comments never silence a security rule."""
        if _best(self.silenced, rule) is not None and not rule.security:
            return None
        off = _best(self.disable, rule)
        on = _best(self.enable, rule)
        if off is not None and (on is None or off > on):
            return None
        chosen: tuple[int, str] | None = None
        for selector, value in self.severity.items():
            score = _score(selector, rule)
            if score is not None and (chosen is None or score > chosen[0]):
                chosen = (score, value)
        if chosen is None:
            return rule.severity
        return None if chosen[1] == "off" else Severity(chosen[1])

    def unknown_selectors(self, rules: Iterable[Rule]) -> list[str]:
        """Selectors of ``disable``, ``enable`` and ``severity`` that name no rule."""
        rules = list(rules)
        return [s for s in (*self.disable, *self.enable, *self.severity)
                if not any(_score(s, r) is not None for r in rules)]


def _config(disable: tuple[str, ...], enable: tuple[str, ...], severity: dict[str, str],
            path: str | None, silenced: tuple[str, ...], problems: tuple[Diagnostic, ...],
            text: str) -> Config:
    return Config(disable, enable, MappingProxyType(severity), path, silenced, problems,
                  text)


def _score(selector: str, rule: Rule) -> int | None:
    """How specifically ``selector`` names ``rule`` (higher is more), or ``None``."""
    if selector in (rule.id, rule.name):
        return 1000
    if selector == "all":
        return 0
    if _PREFIX.match(selector) and rule.id.startswith(selector):
        return len(selector)
    return None


def _best(selectors: Iterable[str], rule: Rule) -> int | None:
    scores = [s for s in (_score(sel, rule) for sel in selectors) if s is not None]
    return max(scores) if scores else None


# ---- reading configuration files ---------------------------------------------------------

def _toml() -> Any:
    import tomllib  # imported when a configuration file is read, not at start-up

    return tomllib


def _line_of(text: str, key: str, path: str) -> Location:
    """Where ``key = …`` is written (TOML parsers keep no positions); the file if unsure."""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=', re.MULTILINE)
    match = pattern.search(text)
    if not match:
        return Location(path)
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    column += len(match.group(0)) - len(match.group(0).lstrip())
    return Location(path, line, column)


def parse_config(text: str, path: str, table: Mapping[str, Any] | None = None) -> Config:
    """The settings in ``table`` (already parsed from ``text``, the file at ``path``).

    Raises :class:`ConfigError` for values of the wrong type or an unknown severity;
    unknown keys come back as warnings in :attr:`Config.problems`.
    """
    table = table or {}
    errors: list[Diagnostic] = []
    problems: list[Diagnostic] = []

    def selectors(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(_config_error(f"'{key}' must be a list of rule ids or names",
                                        _line_of(text, key, path),
                                        f'for example {key} = ["GFMD301", "no-chair"]'))
            return ()
        return tuple(v.strip() for v in value if v.strip())

    disable = selectors("disable")
    enable = selectors("enable")
    severity: dict[str, str] = {}
    raw = table.get("severity", {})
    if not isinstance(raw, dict):
        errors.append(_config_error("'severity' must be a table of rule = severity",
                                    _line_of(text, "severity", path),
                                    'for example [tool.gfmdreport.severity] GFMD108 = "error"'))
        raw = {}
    for key, value in raw.items():
        if not isinstance(value, str) or value.lower() not in SETTINGS:
            errors.append(_config_error(
                f"severity of '{key}' must be one of {', '.join(SETTINGS)}, not {value!r}",
                _line_of(text, key, path)))
            continue
        severity[key] = value.lower()
    for key in table:
        if key not in KNOWN_KEYS:
            import difflib

            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            problems.append(warning(CONFIG_RULE, f"unknown setting '{key}'",
                                    _line_of(text, key, path),
                                    f"did you mean '{close[0]}'?" if close else
                                    "known settings: " + ", ".join(KNOWN_KEYS)))
    if errors:
        raise ConfigError(errors)
    return Config(disable, enable, MappingProxyType(severity), path, (), tuple(problems), text)


def _config_error(message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, CONFIG_RULE, message, location, hint)


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    from gfmdreport.files import read_bytes

    where = Location(os.fspath(path))
    try:
        # a regular file, no larger than the input size limit
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError([_config_error("the file is not UTF-8", where)]) from None
    except InputError as exc:
        raise ConfigError([_config_error(f"cannot read: {d.message}", d.location,
                                         d.hint if d.rule != "io" else None)
                           for d in exc.diagnostics]) from None
    tomllib = _toml()
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match:
            if match.group(1):
                where = Location(where.path, int(match.group(1)), int(match.group(2)))
            else:
                last = text.rsplit("\n", 1)[-1]
                where = Location(where.path, text.count("\n") + 1, len(last) + 1)
            message = message[:match.start()]
        raise ConfigError([_config_error(f"invalid TOML: {message}", where)]) from None


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> Config | None:
    p = Path(path)
    if p.name == PYPROJECT:
        try:
            if not _MAY_HAVE_TABLE.search(p.read_bytes()):
                return None  # no [tool.gfmdreport]: not worth parsing the TOML
        except OSError:
            pass  # _read_toml reports it
    text, data = _read_toml(p)
    if p.name == PYPROJECT:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "gfmdreport" not in tool:
            return None
        table = tool["gfmdreport"]
        if not isinstance(table, dict):
            raise ConfigError([_config_error("[tool.gfmdreport] must be a table",
                                             _line_of(text, "gfmdreport", path))])
        return parse_config(text, path, table)
    return parse_config(text, path, data)


def load_config(path: str | os.PathLike[str]) -> Config | None:
    """The settings in one file: a ``gfmdreport.toml``, or a ``pyproject.toml`` (``None``
    when it has no ``[tool.gfmdreport]`` table). Raises :class:`ConfigError`."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        raise ConfigError([_config_error("no such configuration file",
                                         Location(os.fspath(path)))]) from None
    return _load_cached(os.fspath(p), st.st_mtime_ns, st.st_size)


def find_config(start: str | os.PathLike[str]) -> Config:
    """The settings that apply to a file or folder: the nearest configuration upward,
    or the defaults (an empty :class:`Config`) when there is none."""
    here = Path(start).absolute()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        for name in (CONFIG_FILE, PYPROJECT):
            candidate = folder / name
            if candidate.is_file():
                found = load_config(candidate)
                if found is not None:
                    return found
    return Config()


# ---- disable comments ----------------------------------------------------------------------

def directives(text: str, path: str | None = None) -> list[tuple[str, Location]]:
    """Every rule selector named by a ``gfmdreport: disable=`` comment in ``text``, with
    where it is written."""
    found: list[tuple[str, Location]] = []
    if DIRECTIVE_MARK not in text:
        return found
    for match in _DIRECTIVE.finditer(text):
        start = match.start("rules")
        line = text.count("\n", 0, start) + 1
        line_start = text.rfind("\n", 0, start) + 1
        offset = 0
        for part in _SELECTOR_SPLIT.split(match.group("rules")):
            if not part:
                offset += 1
                continue
            at = match.group("rules").find(part, offset)
            offset = at + len(part)
            found.append((part, Location(path, line, start - line_start + at + 1)))
    return found


def with_directives(config: Config, found: Iterable[tuple[str, Location]],
                    rules: Iterable[Rule]) -> tuple[Config, list[Diagnostic]]:
    """``config`` with the rules a file's ``disable`` comments (as :func:`directives`
    found them) silenced for it, and a warning at each comment's selector that names no
    known rule."""
    found = list(found)
    if not found:
        return config, []
    rules = list(rules)
    selectors: list[str] = []
    problems: list[Diagnostic] = []
    for selector, where in found:
        named = [r for r in rules if _score(selector, r) is not None]
        if not named:
            problems.append(warning(CONFIG_RULE, f"'{selector}' names no rule",
                                    where, "see 'gfmdreport rules' for ids and names"))
            continue
        selectors.append(selector)
        guarded = [r for r in named if r.security]
        if guarded:
            ids = ", ".join(f"{r.id} ({r.name})" for r in guarded)
            problems.append(warning(
                CONFIG_RULE, f"a file cannot turn off security rule{'s' * (len(guarded) > 1)} "
                f"{ids} for itself: still checked", where,
                "fix the text it finds, or turn the rule off in gfmdreport.toml or "
                "[tool.gfmdreport]"))
    return config.silencing(selectors), problems


def security_off(config: Config, rules: Iterable[Rule]) -> list[Diagnostic]:
    """A note for each security rule the configuration turns off, at the setting that
    does it: such a setting is allowed, and never silent."""
    if config.path is None:
        return []
    found = []
    for rule in rules:
        if rule.security and config.resolve(rule) is None:
            selector = next((s for s in (*config.disable, *config.severity)
                             if _score(s, rule) is not None), rule.id)
            found.append(Diagnostic(Severity.INFO, CONFIG_RULE,
                                    f"security rule {rule.id} ({rule.name}) is turned off "
                                    f"by this configuration",
                                    _selector_location(config, selector),
                                    "hidden text in notes will not be flagged"))
    return found


def check_selectors(config: Config, rules: Iterable[Rule]) -> list[Diagnostic]:
    """Warnings for settings of ``config`` that name no known rule."""
    if config.path is None:
        return []
    return [warning(CONFIG_RULE, f"'{selector}' names no rule",
                    _selector_location(config, selector),
                    "see 'gfmdreport rules' for ids and names")
            for selector in config.unknown_selectors(rules)]


def _selector_location(config: Config, selector: str) -> Location:
    """Where a configuration file names ``selector``: as a key, else in a list."""
    text, path = config.text, config.path or ""
    where = _line_of(text, selector, path) if text else Location(path)
    if where.line is None and text:
        at = text.find(f'"{selector}"')
        if at >= 0:
            where = Location(path, text.count("\n", 0, at) + 1,
                             at - (text.rfind("\n", 0, at) + 1) + 1)
    return where
