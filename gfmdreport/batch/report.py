"""What a batch run tells: a :class:`FileResult` per input, gathered in a
:class:`BatchReport` (with its JSON and JUnit forms), and the :class:`Event` given to the
progress callback as each input is done."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from gfmdreport import __version__
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import printable

REPORT_VERSION = 1

CONVERTED = "converted"
UP_TO_DATE = "up-to-date"
FAILED = "failed"
CANCELLED = "cancelled"
"""A file's status: ``converted``, ``up-to-date``, ``failed`` or ``cancelled`` (not
started because the run stopped at the first failure)."""

WRITTEN = "written"
NOT_BUILT = "not-built"
"""An output's status: ``written``, ``up-to-date``, ``failed`` or ``not-built`` (its input
failed before this format was rendered, or the run stopped first)."""


@dataclass(slots=True)
class OutputResult:
    """One output file of one input."""

    format: str
    path: str
    """The output file, as OUTDIR was given joined with its path inside OUTDIR."""
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "path": self.path, "status": self.status}


@dataclass(slots=True)
class FileResult:
    """What happened to one input."""

    input: str
    """The input file as found (the source as given, joined with its path inside it)."""
    status: str
    outputs: list[OutputResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "outputs": [o.to_dict() for o in self.outputs],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def _files_with(status: str) -> property:
    return property(lambda report: report.count(status),
                    doc=f"Inputs whose status is ``{status}``.")


@dataclass
class BatchReport:
    """The outcome of a batch run: one :class:`FileResult` per input, sorted by input."""

    outdir: str
    formats: tuple[str, ...]
    files: list[FileResult]
    notices: list[Diagnostic] = field(default_factory=list)
    """Problems found while looking for inputs (a symbolic link leading outside its
    source folder, an unreadable folder, an unreadable manifest)."""
    seconds: float = 0.0
    jobs: int = 0
    """Worker processes started (0 when everything was up to date)."""
    stopped: bool = False
    """True when ``fail_fast`` stopped the run at the first failure."""
    max_rss_kb: dict[str, Any] = field(default_factory=dict)
    """Peak resident memory in KiB: ``main`` (this process) and ``workers`` (one entry per
    worker process started)."""

    converted = _files_with(CONVERTED)
    up_to_date = _files_with(UP_TO_DATE)
    failed = _files_with(FAILED)
    cancelled = _files_with(CANCELLED)

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)

    @property
    def with_warnings(self) -> int:
        return sum(f.warnings > 0 for f in self.files)

    @property
    def outputs_written(self) -> int:
        return sum(o.status == WRITTEN for f in self.files for o in f.outputs)

    @property
    def errors(self) -> list[Diagnostic]:
        """Notices that are errors: a folder that could not be searched (its files are
        missing from the run), a manifest that could not be saved."""
        return [d for d in self.notices if d.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled and not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "converted": self.converted,
            "up_to_date": self.up_to_date,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "with_warnings": self.with_warnings,
            "outputs_written": self.outputs_written,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self._head(), "files": [f.to_dict() for f in self.files]}

    def _head(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "gfmdreport": __version__,
            "outdir": self.outdir,
            "formats": list(self.formats),
            "jobs": self.jobs,
            "seconds": round(self.seconds, 3),
            "stopped_at_first_failure": self.stopped,
            "summary": self.summary(),
            "notices": [d.to_dict() for d in self.notices],
            "max_rss_kb": self.max_rss_kb,
        }

    def to_json(self) -> bytes:
        """The report as JSON, one line per file (built file by file, so that a report
        of many thousand files does not hold them all as objects at once). Names are
        exact: the bytes of a name that are not UTF-8 are written as ``\\udcXX`` escapes,
        which :func:`json.loads` reads back as the name :func:`os.fsencode` turns into
        those bytes again."""
        head = _json(self._head(), indent=2)
        parts = [head[:-2], b',\n  "files": [']
        for i, f in enumerate(self.files):
            parts.append(b"\n    " if i == 0 else b",\n    ")
            parts.append(_json(f.to_dict()))
        parts.append(b"\n  ]\n}\n" if self.files else b"]\n}\n")
        return b"".join(parts)

    def to_junit(self) -> bytes:
        """JUnit XML: one test case per input (failed: a failure; cancelled: skipped),
        and one failed case per error notice (a folder not searched). Names and messages
        are written as they are printed (:func:`~gfmdreport.diagnostics.printable`:
        control characters, line breaks and bytes that are not UTF-8 as escapes), so
        that any name gives well-formed XML on one line."""
        import xml.etree.ElementTree as ET

        errors = self.errors
        suite = ET.Element("testsuite", {
            "name": "gfmdreport batch",
            "tests": str(len(self.files) + len(errors)),
            "failures": str(self.failed + len(errors)),
            "errors": "0",
            "skipped": str(self.cancelled),
            "time": f"{self.seconds:.3f}",
        })
        for notice in errors:
            case = ET.SubElement(suite, "testcase", {
                "classname": "gfmdreport", "name": _xml(notice.location.path or notice.rule),
                "time": "0.000"})
            failure = ET.SubElement(case, "failure", {"message": _xml(notice.message),
                                                      "type": _xml(notice.rule)})
            failure.text = _xml_text(str(notice))
        for f in self.files:
            folder, _, name = f.input.replace(os.sep, "/").rpartition("/")
            case = ET.SubElement(suite, "testcase", {
                "classname": _xml(folder.replace("/", ".")) or "gfmdreport",
                "name": _xml(name),
                "file": _xml(f.input),
                "time": f"{f.seconds:.3f}",
            })
            text = "\n".join(str(d) for d in f.diagnostics)  # printable already
            if f.status == FAILED:
                first = next((d for d in f.diagnostics if d.severity is Severity.ERROR),
                             None)
                failure = ET.SubElement(case, "failure", {
                    "message": _xml(first.message) if first else "failed",
                    "type": _xml(first.rule) if first else "error",
                })
                failure.text = _xml_text(text)
            elif f.status == CANCELLED:
                ET.SubElement(case, "skipped", {"message": "not converted: the run "
                                                "stopped at the first failure"})
            else:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{o.status}: {_xml(o.path)}" for o in f.outputs)
                if f.diagnostics:
                    ET.SubElement(case, "system-err").text = _xml_text(text)
        root = ET.Element("testsuites")
        root.append(suite)
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _json(value: Any, **dumps: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, **dumps).encode("utf-8", "backslashreplace")


_NOT_XML = re.compile("[\ufffe\uffff]")


def _xml(text: str) -> str:
    """``text`` as printed (escapes for what a terminal or a log would act on), and
    without the two characters XML 1.0 forbids that printing leaves."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", printable(text))


def _xml_text(text: str) -> str:
    return "\n".join(_xml(line) for line in text.split("\n"))


@dataclass(frozen=True)
class Event:
    """A progress report: ``start`` once, then ``file`` for each input as it is done,
    and ``notice`` for each problem found while looking for inputs."""

    kind: str
    total: int
    """Inputs in the run."""
    done: int
    """Inputs finished so far (converted, up to date, failed or cancelled)."""
    failed: int
    """Inputs failed so far."""
    to_build: int = 0
    """Inputs that need converting (the rest are up to date or failed before starting)."""
    result: FileResult | None = None
    notice: Diagnostic | None = None


Progress = Callable[[Event], None]
