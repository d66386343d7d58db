"""Conformance checks for writers, readers and rules.

Each check runs everything it can, gathers every problem, and fails once with an
:class:`AssertionError` that lists them all, naming the plugin, the example and the
block, so that one test run tells a plugin author everything that is wrong.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
import warnings
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.hooks.manager import Plugins
from gfmdreport.hooks.registry import Finding
from gfmdreport.inline import plain
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable
from gfmdreport.pipeline import default_plugins
from gfmdreport.pipeline import loads
from gfmdreport.pipeline import render
from gfmdreport.pipeline import render_report
from gfmdreport.testing.examples import NAMES
from gfmdreport.testing.examples import example_summary
from gfmdreport.testing.media import MediaParser
from gfmdreport.testing.media import NotAccepted
from gfmdreport.testing.media import ParserMissing
from gfmdreport.testing.media import parser_for

PROBE_WORDS = 3
"""How many leading words of a block identify it in text that is not faithful."""
MAX_LISTED = 12
"""At most this many missing blocks are listed per example."""


class KitWarning(UserWarning):
    """A check could not do all it would have liked (a missing reader, say)."""


@dataclass(frozen=True)
class Expected:
    """A piece of the summary's text that the output must carry."""

    where: str
    """``body[3].items[1]`` style, for the failure message."""
    source: str
    """The inline source."""

    @property
    def plain(self) -> str:
        return plain(self.source)


def expected_texts(summary: SessionSummary) -> Iterator[Expected]:
    """Every text of every block of the summary, in document order."""

    def items(prefix: str, found: Iterable[Item]) -> Iterator[Expected]:
        for i, item in enumerate(found):
            yield Expected(f"{prefix}[{i}]", item.text)
            yield from items(f"{prefix}[{i}].items", item.items)

    for i, block in enumerate(summary.body):
        at = f"body[{i}]"
        if isinstance(block, Paragraph):
            yield Expected(f"{at} (paragraph)", block.text)
            yield from items(f"{at}.items", block.items)
        elif isinstance(block, Heading):
            yield Expected(f"{at} (heading)", block.text)
        elif isinstance(block, Question):
            yield Expected(f"{at} (question {block.number})", block.text)
            yield from items(f"{at}.takeaways", block.takeaways)
        elif isinstance(block, SummaryTable):
            for j, column in enumerate(block.columns):
                yield Expected(f"{at}.columns[{j}] (table heading)", column.heading)
                yield from items(f"{at}.columns[{j}].items", column.items)


_ASCII_CONTROLS = {cp: None for cp in (*range(0, 9), *range(14, 28), 127)}


def normalise(text: str, *, faithful: bool = True) -> str:
    """Text as compared: NFC, control characters dropped, white space collapsed; when
    not faithful, invisible format characters (soft hyphens, joiners) dropped too."""
    text = unicodedata.normalize("NFC", text).translate(_ASCII_CONTROLS)
    if not text.isascii():
        drop = {"Cc"} if faithful else {"Cc", "Cf"}
        text = "".join(ch for ch in text if ch.isascii() or ch.isspace() or
                       unicodedata.category(ch) not in drop)
    return " ".join(text.split())


def probe(text: str) -> str:
    """The first words of a text, as looked for in output that is not faithful."""
    return " ".join(normalise(plain(text)[:400], faithful=False).split()[:PROBE_WORDS])


def _examples(examples: Iterable[str | SessionSummary] | None) -> list[tuple[str, SessionSummary]]:
    chosen = []
    for entry in NAMES if examples is None else examples:
        if isinstance(entry, SessionSummary):
            chosen.append((entry.title or f"summary {len(chosen) + 1}", entry))
        else:
            chosen.append((entry, example_summary(entry)))
    return chosen


def _fail(subject: str, problems: list[str]) -> None:
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(f"{subject} failed {len(problems)} check(s):\n{listed}")


def _skip(reason: str) -> None:
    import pytest

    pytest.skip(reason)


def _first_difference(a: bytes, b: bytes) -> str:
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return (f"they differ first at byte {n} ({a[max(0, n - 20):n + 20]!r} then "
            f"{b[max(0, n - 20):n + 20]!r}); lengths {len(a)} and {len(b)}")


# ---- writers ------------------------------------------------------------------------------

_SUFFIX = re.compile(r"\.[a-z0-9][a-z0-9.+_-]*")
"""A file suffix as a format declares it: lower case, with its dot."""


def _provided(plugins: Plugins, kind: str, name: str) -> tuple[Any, str]:
    """The writer or reader ``name`` of ``plugins``, and how messages name it."""
    lookup = plugins.registry.writer if kind == "writer" else plugins.registry.reader
    try:
        found = lookup(name)
    except GfmdError as exc:
        raise AssertionError(f"no {kind} '{name}': {exc}") from None
    return found, f"{kind} '{name}' ({plugins.registry.origin(found.plugin)})"


def check_writer(
    name: str,
    *,
    plugins: Plugins | None = None,
    examples: Iterable[str | SessionSummary] | None = None,
    parse: Callable[[bytes], str] | None = None,
    faithful: bool | None = None,
    interval: float = 2.0,
    options: dict[str, Any] | None = None,
    workers: int = 1,
) -> dict[str, bytes]:
    """Check the writer ``name`` against every example summary (or ``examples``: names
    or summaries); return the output for each example, by name.

    The writer must declare itself properly (a suffix with a dot, a media type, a
    description); render every example without error; give text (UTF-8) unless it is
    binary; produce output that its media type's own parser accepts (see
    :mod:`gfmdreport.testing.media`, or give ``parse(data) -> text``); carry the text of
    every block (exactly, or the first words of each where ``faithful`` is false, as for
    PDF); and be deterministic: each example is rendered again at least ``interval``
    seconds later and must give the same bytes (so a timestamp in the output, or in a
    zip entry, is caught; 0 skips the wait). ``workers`` above 1 renders that many
    examples at a time, in threads: for writers that wait on another program.
    """
    plugins = plugins or default_plugins()
    writer, subject = _provided(plugins, "writer", name)
    problems: list[str] = []
    if not _SUFFIX.fullmatch(writer.suffix or ""):
        problems.append(f"suffix {writer.suffix!r} should be a lower-case file suffix with "
                        f"its dot, such as '.txt'")
    if not re.fullmatch(r"[a-z]+/[a-zA-Z0-9.+_-]+", writer.media_type or ""):
        problems.append(f"media type {writer.media_type!r} is not of the form type/subtype")
    if not writer.description.strip():
        problems.append("it has no description (shown by 'gfmdreport formats')")
    if parse is not None:
        parser = MediaParser(writer.media_type, parse, True if faithful is None else faithful)
    else:
        parser = parser_for(writer.media_type)
        if parser is None:
            problems.append(f"no parser is known for its media type {writer.media_type!r}: "
                            f"give check_writer(parse=...) or register one with "
                            f"gfmdreport.testing.register_parser")
            _fail(subject, problems)
        if faithful is not None:
            parser = MediaParser(parser.media_type, parser.parse, faithful)
    assert parser is not None
    options = options or {}
    chosen = _examples(examples)

    def render_one(summary: SessionSummary) -> bytes | Exception:
        try:
            return render_report(summary, name, plugins=plugins, **options).data
        except Exception as exc:
            return exc

    def render_all(only: Iterable[str] | None = None) -> dict[str, bytes]:
        todo = [(label, summary) for label, summary in chosen
                if only is None or label in only]
        if workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(render_one, [summary for _, summary in todo]))
        else:
            results = [render_one(summary) for _, summary in todo]
        out = {}
        for (label, _), result in zip(todo, results, strict=True):
            if isinstance(result, Exception):
                problems.append(f"example '{label}': rendering failed: "
                                f"{type(result).__name__}: {result}")
            else:
                out[label] = result
        return out

    started = time.monotonic()
    first = render_all()
    for label, summary in chosen:
        if label not in first:
            continue
        data = first[label]
        if not data:
            problems.append(f"example '{label}': the output is empty")
            continue
        if not writer.binary:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(f"example '{label}': a text writer's output is not UTF-8 "
                                f"(byte {exc.start}); declare binary=True or encode as "
                                f"UTF-8")
                continue
        try:
            text = parser.parse(data)
        except ParserMissing as exc:
            _skip(f"cannot check {subject}: {exc}")
        except NotAccepted as exc:
            problems.append(f"example '{label}': the output is not valid "
                            f"{parser.media_type}: {exc}")
            continue
        problems.extend(_missing(label, summary, text, parser.faithful))
    if interval > 0:
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    for label, data in render_all(only=set(first)).items():
        if label in first and data != first[label]:
            problems.append(f"example '{label}': two renders give different output, so the "
                            f"writer is not deterministic: "
                            f"{_first_difference(first[label], data)}")
    _fail(subject, problems)
    return first


def _missing(label: str, summary: SessionSummary, text: str, faithful: bool) -> list[str]:
    haystack = normalise(text, faithful=faithful)
    missing = []
    for expected in expected_texts(summary):
        if faithful:
            wanted = normalise(expected.plain)
            found = wanted in haystack or normalise(expected.source) in haystack
        else:
            wanted = probe(expected.source)
            found = wanted in haystack
        if not found:
            shown = wanted if len(wanted) <= 70 else wanted[:67] + "..."
            missing.append(f"example '{label}': {expected.where} is missing from the "
                           f"output: {shown!r}")
    if len(missing) > MAX_LISTED:
        missing[MAX_LISTED:] = [f"example '{label}': ... and {len(missing) - MAX_LISTED} "
                                f"more blocks missing"]
    return missing


# ---- readers ------------------------------------------------------------------------------

Sample = str | os.PathLike[str] | tuple[str, str | bytes]


def _sample(sample: Sample) -> tuple[str, bytes]:
    if isinstance(sample, tuple):
        label, data = sample
        return label, data.encode("utf-8") if isinstance(data, str) else data
    path = Path(sample)
    return str(path), path.read_bytes()


def _dict_difference(a: Any, b: Any, at: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                return _dict_difference(a.get(key), b.get(key), f"{at}.{key}" if at else key)
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return _dict_difference(x, y, f"{at}[{i}]")
        if len(a) != len(b):
            return f"{at or 'the summary'} has {len(a)} entries, then {len(b)}"
    return f"{at or 'the summary'} was {a!r}, then {b!r}"


def _bad_inputs(label: str, data: bytes, binary: bool) -> list[tuple[str, bytes]]:
    half = data[: len(data) // 2]
    if not binary:
        half = half.decode("utf-8", "ignore").encode("utf-8")
        garbage = b"{{{ ]]] <<< >>> not a session at all ::: \"\n- - -\n"
    else:
        garbage = b"PK\x03\x04 this is not a document \x00\xff\x00"
    return [(f"{label} (first half)", half), (f"{label} (garbage)", garbage)]


def check_reader(
    name: str,
    samples: Sequence[Sample],
    *,
    plugins: Plugins | None = None,
) -> list[SessionSummary]:
    """Check the reader ``name`` on ``samples`` (paths, or ``(label, text_or_bytes)``
    pairs of inputs it should read); return the summaries it read.

    Each sample must read without error, twice to the same summary; the summary must
    survive the Markdown writer and the Markdown reader unchanged (the model compares
    without source locations), and the JSON writer and reader too, which means the
    reader gives text in canonical form (single spaces, no surrounding space). Damaged
    input (each sample cut in half, and garbage) must give a summary or an
    :class:`~gfmdreport.InputError` whose diagnostics name the input, never any other
    exception.
    """
    if not samples:
        raise AssertionError("check_reader needs at least one sample input")
    plugins = plugins or default_plugins()
    reader, subject = _provided(plugins, "reader", name)
    problems: list[str] = []
    if not reader.description.strip():
        problems.append("it has no description (shown by 'gfmdreport formats')")
    for suffix in reader.suffixes:
        if not _SUFFIX.fullmatch(suffix):
            problems.append(f"suffix {suffix!r} should be a lower-case file suffix with its "
                            f"dot, such as '.txt'")
    round_trip = _round_trip_plugins(plugins)
    md_reader = None
    md_writer = round_trip.registry.writers.get("md")
    if md_writer is not None:
        md_reader = round_trip.registry.reader_for_suffix(md_writer.suffix)
    if md_reader is None:
        warnings.warn(KitWarning("no reader of the Markdown writer's output is installed: the "
                                 "round trip went through JSON only"), stacklevel=2)
    summaries = []
    for sample in samples:
        label, data = _sample(sample)
        try:
            summary = loads(data, name, path=label, plugins=plugins)
            again = loads(data, name, path=label, plugins=plugins)
        except InputError as exc:
            problems.append(f"sample '{label}' was refused: "
                            + "; ".join(str(d) for d in exc.diagnostics[:5]))
            continue
        except Exception as exc:
            problems.append(f"sample '{label}': reading failed: {type(exc).__name__}: {exc}")
            continue
        summaries.append(summary)
        if summary != again:
            problems.append(f"sample '{label}': two reads differ, so the reader is not "
                            f"deterministic: "
                            f"{_dict_difference(summary.to_dict(), again.to_dict())}")
        for diagnostic in summary.diagnostics:
            if not isinstance(diagnostic, Diagnostic):
                problems.append(f"sample '{label}': summary.diagnostics holds a "
                                f"{type(diagnostic).__name__}, not a Diagnostic")
        formats = [("json", "json")]
        if md_reader is not None and md_writer is not None:
            formats.insert(0, (md_writer.name, md_reader.name))
        for writer_name, reader_name in formats:
            try:
                back = loads(render(summary, writer_name, plugins=round_trip), reader_name,
                             path=f"{label} (as {writer_name})", plugins=round_trip)
            except Exception as exc:
                problems.append(f"sample '{label}': the {writer_name} round trip failed: "
                                f"{type(exc).__name__}: {exc}")
                continue
            if back != summary:
                problems.append(f"sample '{label}': the summary changes in a {writer_name} "
                                f"round trip: "
                                f"{_dict_difference(summary.to_dict(), back.to_dict())}")
        for bad_label, bad in _bad_inputs(label, data, reader.binary):
            try:
                loads(bad, name, path=bad_label, plugins=plugins)
            except InputError as exc:
                unnamed = [d for d in exc.diagnostics if d.location.path != bad_label]
                if not exc.diagnostics:
                    problems.append(f"'{bad_label}': InputError without diagnostics")
                elif unnamed:
                    problems.append(f"'{bad_label}': a diagnostic does not name the input "
                                    f"(give Location(path, line, column)): {unnamed[0]}")
            except Exception as exc:
                problems.append(f"'{bad_label}': damaged input must raise InputError with "
                                f"located diagnostics, not {type(exc).__name__}: {exc}")
    _fail(subject, problems)
    return summaries


def _round_trip_plugins(plugins: Plugins) -> Plugins:
    """``plugins`` when they hold the JSON and Markdown formats, else the built-ins."""
    registry = plugins.registry
    if "json" in registry.readers and "json" in registry.writers and "md" in registry.writers:
        return plugins
    return builtin_plugins()


def builtin_plugins() -> Plugins:
    """A plugin manager with gfmdreport's own plugins only."""
    from gfmdreport.hooks.manager import _entry_points
    from gfmdreport.hooks.manager import make_plugin_manager

    return make_plugin_manager(block=[ep.name for ep in _entry_points()
                                      if (ep.dist or "").lower() != "gfmdreport"])


# ---- rules --------------------------------------------------------------------------------

def check_rule(
    rule_id: str,
    *,
    plugins: Plugins | None = None,
    examples: Iterable[str | SessionSummary] | None = None,
) -> dict[str, list[Finding]]:
    """Check the rule ``rule_id`` on every example summary; return its findings by
    example.

    The rule must have a description; run on every example without raising; yield
    :class:`~gfmdreport.Finding` objects with a message and a
    :class:`~gfmdreport.Location` or ``None``; and find the same things twice.
    """
    plugins = plugins or default_plugins()
    rule = plugins.registry.rules.get(rule_id)
    if rule is None:
        raise AssertionError(f"no rule '{rule_id}'; rules: "
                             f"{', '.join(sorted(plugins.registry.rules)) or 'none'}")
    subject = f"rule '{rule_id}' ({plugins.registry.origin(rule.plugin)})"
    problems: list[str] = []
    if not rule.description.strip():
        problems.append("it has no description")
    results: dict[str, list[Finding]] = {}
    for label, summary in _examples(examples):
        try:
            found = list(rule.check(summary))
            again = list(rule.check(summary))
        except Exception as exc:
            problems.append(f"example '{label}': the check raised {type(exc).__name__}: {exc}")
            continue
        results[label] = found
        for finding in found:
            if not isinstance(finding, Finding):
                problems.append(f"example '{label}': yielded a {type(finding).__name__}, "
                                f"not a gfmdreport.Finding")
            elif not isinstance(finding.message, str) or not finding.message.strip():
                problems.append(f"example '{label}': a finding has no message")
            elif finding.location is not None and not isinstance(finding.location, Location):
                problems.append(f"example '{label}': a finding's location is a "
                                f"{type(finding.location).__name__}, not a Location")
        if found != again:
            problems.append(f"example '{label}': two runs find different things, so the "
                            f"rule is not deterministic")
    _fail(subject, problems)
    return results
