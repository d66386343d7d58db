"""DOCX to PDF with LibreOffice: one headless ``soffice`` per conversion.

Each conversion has its own temporary folder holding the input, the output and a fresh
LibreOffice user profile (``-env:UserInstallation``), so that conversions running at
the same time (batch workers) never share a profile, which LibreOffice does not allow.
The folder is removed whatever happens; a conversion that takes longer than the timeout
is killed with every process it started.

LibreOffice stamps each PDF with the time of conversion and a random file identifier.
Both are replaced (by the session's date, or ``SOURCE_DATE_EPOCH`` when set, and by a
digest of the content), byte for byte in place so that the cross-reference table stays
right: the same summary always gives the same PDF.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gfmdreport import RenderError
from gfmdreport import SessionSummary
from gfmdreport import UsageError
from gfmdreport import render

DEFAULT_TIMEOUT = 120.0
PROGRAM_ENV = "GFMDREPORT_SOFFICE"
TIMEOUT_ENV = "GFMDREPORT_PDF_TIMEOUT"
EXPORT = {
    # Tagged PDF: the structure (headings, lists, tables) for screen readers, with the
    # document's language (/Lang, from the report's language) and title (/Title, shown
    # in the window's title bar rather than the file name).
    "UseTaggedPDF": True,
    "DisplayPDFDocumentTitle": True,
    # Bookmarks (the outline) from the report's headings, at their outline levels,
    # every level open.
    "ExportBookmarks": True,
    "OpenBookmarkLevels": -1,
    # Not claimed: LibreOffice 7.4 writes the title into the PDF/UA metadata escaped
    # twice ("GFMD&apos;s"), and the claim cannot be checked here without a validator.
    "PDFUACompliance": False,
}
"""LibreOffice's PDF export options (``writer_pdf_Export`` filter data)."""


def filter_string(export: Mapping[str, bool | int] = EXPORT) -> str:
    """The ``--convert-to`` argument giving LibreOffice ``export`` as filter data."""
    data = {name: ({"type": "boolean", "value": "true" if value else "false"}
                   if isinstance(value, bool) else {"type": "long", "value": str(value)})
            for name, value in export.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(data, separators=(",", ":"))


FILTER = filter_string()
DOCX_OPTIONS = ("reference_doc", "toc", "author")
FLAGS = ("--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "--nolockcheck")
"""LibreOffice's flags for working unseen, with nothing restored or opened on its own."""
_MAC = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def find_soffice() -> str:
    """The LibreOffice program, or a RenderError saying how to get one."""
    configured = os.environ.get(PROGRAM_ENV)
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise RenderError(f"{PROGRAM_ENV} names {configured!r}, which is not a program "
                              f"that can be run")
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.path.exists(_MAC):
        return _MAC
    raise RenderError("format 'pdf' needs LibreOffice, and the program 'soffice' was not "
                      "found on PATH; install LibreOffice (Debian and Ubuntu: apt-get install "
                      f"libreoffice-writer-nogui) or set {PROGRAM_ENV} to its soffice program")


def timeout_from(options: Mapping[str, Any]) -> float:
    value = options.get("pdf_timeout") or os.environ.get(TIMEOUT_ENV)
    if value in (None, ""):
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not seconds > 0:
        raise UsageError(f"the PDF timeout must be a number of seconds above 0, not {value!r}")
    return seconds


def write_pdf(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    """The summary as PDF: the ``docx`` writer's output, converted."""
    docx_options = {k: options[k] for k in DOCX_OPTIONS if options.get(k) not in (None, False)}
    program = find_soffice()  # before rendering, so that a missing program is said first
    timeout = timeout_from(options)
    document = render(summary, "docx", **docx_options)
    from . import office

    if office.kept is not None:  # in a batch worker: its LibreOffice, kept running
        pdf = office.kept.convert(document, program=program, timeout=timeout)
    else:
        pdf = convert(document, program=program, timeout=timeout)
    return normalise(pdf, stamp(summary))


def convert(document: bytes, *, program: str | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert DOCX bytes to PDF bytes with LibreOffice."""
    program = program or find_soffice()
    with tempfile.TemporaryDirectory(prefix="gfmdreport-pdf-") as folder:
        work = Path(folder)
        source = work / "summary.docx"
        source.write_bytes(document)
        out = work / "out"
        command = [
            program, *FLAGS, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", FILTER, "--outdir", str(out), str(source),
        ]
        env = {**os.environ, "TZ": "UTC", "HOME": str(work), "TMPDIR": str(work)}
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       cwd=work, env=env, start_new_session=True)
        except OSError as exc:
            raise RenderError(f"cannot start LibreOffice ({program}): "
                              f"{exc.strerror or exc}") from None
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise RenderError(f"LibreOffice did not convert the report within {timeout:g} s "
                              f"and was stopped; a larger --pdf-timeout (or "
                              f"{TIMEOUT_ENV}) gives it longer") from None
        finally:
            _kill(process)  # whatever it left running, before its folder goes
        result = out / "summary.pdf"
        if process.returncode != 0 or not result.is_file():
            what = (f"exited with status {process.returncode}" if process.returncode
                    else "produced no PDF")
            raise RenderError(f"LibreOffice ({program}) {what}{last_words(stderr + stdout)}")
        return result.read_bytes()


def last_words(output: bytes) -> str:
    """The last line LibreOffice printed, as ``": line"`` (its Java warning left out)."""
    said = [line.strip() for line in output.decode("utf-8", "replace").splitlines()
            if line.strip() and "javaldx" not in line]
    return f": {said[-1]}" if said else ""


def ended(returncode: int | None) -> str:
    """How a process ended: ``exit status 3``, ``killed by SIGKILL``."""
    if returncode is not None and returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        with contextlib.suppress(Exception):
            process.wait(timeout=10)


# ---- reproducible output ------------------------------------------------------------------

def stamp(summary: SessionSummary) -> dt.datetime:
    """The time a PDF records as its creation: ``SOURCE_DATE_EPOCH`` if set, otherwise
    the session's date (midnight UTC), otherwise 1 January 2000."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    day = summary.date_value or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)"
                       rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def normalise(pdf: bytes, when: dt.datetime) -> bytes:
    """``pdf`` with its dates set to ``when`` and its identifiers derived from its
    content. Every replacement has the length of what it replaces."""
    digits = when.strftime("%Y%m%d%H%M%S").encode()
    iso = when.strftime("%Y-%m-%dT%H:%M:%S").encode()
    pdf = _DATE.sub(lambda m: m.group(1) + digits, pdf)
    pdf = _XMP_DATE.sub(lambda m: m.group(1) + iso, pdf)

    def zeros(m: re.Match[bytes]) -> bytes:
        text = m.group(0)
        for group in range(1, (m.lastindex or 0) + 1):
            value = m.group(group)
            text = text.replace(value, b"0" * len(value), 1)
        return text

    blank = _CHECKSUM.sub(zeros, _ID.sub(zeros, pdf))
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()

    def fill(m: re.Match[bytes]) -> bytes:
        text = m.group(0)
        for group in range(1, (m.lastindex or 0) + 1):
            value = m.group(group)
            text = text.replace(value, (digest * 4)[:len(value)], 1)
        return text

    return _CHECKSUM.sub(fill, _ID.sub(fill, blank))
