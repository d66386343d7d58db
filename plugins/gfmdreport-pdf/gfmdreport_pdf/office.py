"""One LibreOffice kept running for the documents of a batch worker.

Starting LibreOffice takes most of a one-document conversion, so a batch worker (see the
``batch_worker`` hook) keeps one: started at its first PDF, with a profile of its own
in a temporary folder of the worker's, and holding a placeholder document open (without
one, LibreOffice quits after the first conversion). Each document is then converted by
a short-lived ``soffice --convert-to`` call with the same profile: LibreOffice hands the
request to the running instance over its own pipe and waits until the PDF is written.

The guarantees are those of one conversion per process:

- isolation: every worker has its own profile, every document its own folder;
- a timeout per document: past it, the call and the kept LibreOffice are stopped, that
  document fails, and the next one starts a fresh LibreOffice;
- a LibreOffice that stops (a crash) fails the document it held, and the next document
  starts a fresh one;
- nothing is left running: the kept LibreOffice shares a process group with a watchdog
  (a shell reading a pipe only this worker holds), so when the worker goes, however it
  goes (done, SIGTERM after Ctrl-C, killed), the group is killed; the folder is removed
  when the worker stops.

Where the running instance cannot be reached (LibreOffice's pipe is not where it is on
Linux, or it does not come up), documents are converted one process each, as by
``render``. ``GFMDREPORT_PDF_KEEP=0`` asks for that everywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from gfmdreport import Diagnostic
from gfmdreport import Location
from gfmdreport import RenderError
from gfmdreport import Severity
from gfmdreport import report

from . import convert as one_shot

KEEP_ENV = "GFMDREPORT_PDF_KEEP"
RECYCLE_AFTER = 200
"""Documents one LibreOffice converts before a fresh one takes over (bounds the memory
a long-running instance gathers)."""
PLACEHOLDER = (b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office='
               b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2" '
               b'office:mimetype="application/vnd.oasis.opendocument.text"><office:body>'
               b'<office:text/></office:body></office:document>\n')
"""The document the kept LibreOffice holds open: an empty flat ODF text, which opens
without a question (a text file with content would ask for its encoding, and a
question LibreOffice cannot ask headless makes it quit)."""
_PIPE_FOLDERS = ("/tmp", "/var/tmp")  # where LibreOffice (osl) puts its named pipes

kept: Office | None = None
"""The worker's LibreOffice while a batch worker holds it (see :func:`kept_office`)."""


@contextlib.contextmanager
def kept_office() -> Iterator[Office]:
    """Keep one LibreOffice for the documents converted meanwhile, and stop it after."""
    global kept
    office = kept = Office()
    try:
        yield office
    finally:
        kept = None
        office.close()


def single_office_pipe(profile: str) -> str:
    """The name of the pipe through which LibreOffice with the profile ``profile`` (a
    file URL) takes requests: an MD5 digest of the URL (UTF-16), each byte in hex."""
    digest = hashlib.md5(profile.encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(format(byte, "x") for byte in digest)


def complete(pdf: bytes | None) -> bool:
    """Whether ``pdf`` is a whole PDF file (as far as its ends tell)."""
    return pdf is not None and pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]


def wanted() -> bool:
    return os.environ.get(KEEP_ENV, "1").strip().lower() not in ("0", "no", "false", "off")


class Office:
    """A LibreOffice started on first use and kept for the conversions that follow."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.program: str | None = None
        self.server: subprocess.Popen[bytes] | None = None
        self.watchdog: subprocess.Popen[bytes] | None = None
        self.log: Path | None = None
        self.starts = 0
        """LibreOffice processes started (restarts included)."""
        self.done = 0
        """Documents the running one converted."""
        self.said_unavailable = False
        self.unavailable: str | None = None
        """Why documents go one process each, once the kept instance cannot be used."""
        self.short_lives = 0
        """LibreOffice processes in a row that stopped by the end of their first document."""
        self.pipes: list[Path] = []
        """The pipes the running one opens, removed when it is stopped."""
        self._lock = threading.Lock()

    # ---- conversion -------------------------------------------------------------------

    def convert(self, document: bytes, *, program: str, timeout: float) -> bytes:
        """DOCX bytes to PDF bytes with the kept LibreOffice (started if need be)."""
        with self._lock:
            if self.unavailable is None and not sys.platform.startswith("linux"):
                self.unavailable = "a kept LibreOffice is only reached on Linux"
            if not wanted():
                return one_shot.convert(document, program=program, timeout=timeout)
            if self.unavailable is not None:
                return self.one_by_one(document, program, timeout)
            if program != self.program or self.done >= RECYCLE_AFTER:
                self.stop()
            if not self.running():
                if self.server is not None and self.done == 0:
                    self.short_lives += 1  # it went before converting anything
                self.stop()
                if self.short_lives >= 3:
                    self.unavailable = "LibreOffice keeps stopping before it converts"
                if self.unavailable is not None or not self.start(program, timeout):
                    return self.one_by_one(document, program, timeout)
            pdf = self._convert(document, timeout)
            self.short_lives = 0
            return pdf

    def one_by_one(self, document: bytes, program: str, timeout: float) -> bytes:
        """A LibreOffice of the document's own, as ``render`` starts; the first time in
        this worker, a warning says why (slower, not wrong: never unsaid)."""
        if not self.said_unavailable:
            self.said_unavailable = True
            report(Diagnostic(Severity.WARNING, "pdf-one-process",
                              f"each report of this worker is converted by a LibreOffice "
                              f"of its own, which is slower: {self.unavailable}",
                              Location(None),
                              f"set {KEEP_ENV}=0 to choose this and silence the warning"))
        return one_shot.convert(document, program=program, timeout=timeout)

    def _convert(self, document: bytes, timeout: float) -> bytes:
        assert self.folder is not None and self.log is not None
        job = Path(tempfile.mkdtemp(prefix="job-", dir=self.folder))
        try:
            source = job / "summary.docx"
            source.write_bytes(document)
            out = job / "out"
            said_before = self.log.stat().st_size
            command = [self.program, *one_shot.FLAGS, f"-env:UserInstallation={self.profile}",
                       "--convert-to", one_shot.FILTER, "--outdir", str(out), str(source)]
            try:
                call = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        cwd=job, env=self.env, start_new_session=True)
            except OSError as exc:
                raise RenderError(f"cannot start LibreOffice ({self.program}): "
                                  f"{exc.strerror or exc}") from None
            try:
                output, _ = call.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.stop()  # it may be the kept one that hangs: the next starts afresh
                raise RenderError(f"LibreOffice did not convert the report within "
                                  f"{timeout:g} s and was stopped; a larger --pdf-timeout "
                                  f"(or {one_shot.TIMEOUT_ENV}) gives it longer") from None
            finally:
                one_shot._kill(call)
            self.done += 1
            result = out / "summary.pdf"
            pdf = result.read_bytes() if result.is_file() else None
            if not self.running():
                assert self.server is not None
                why = one_shot.ended(self.server.returncode)
                said = self._said(said_before)
                self.short_lives += self.done == 1
                self.stop()
                if call.returncode == 0 and complete(pdf):
                    return pdf  # written before it stopped: the next report starts afresh
                raise RenderError(f"LibreOffice ({self.program}) stopped ({why}) while "
                                  f"converting the report{said}; the next report starts "
                                  f"a fresh one")
            if call.returncode != 0 or pdf is None:
                what = (f"exited with status {call.returncode}" if call.returncode
                        else "produced no PDF")
                detail = self._said(said_before) or one_shot.last_words(output)
                raise RenderError(f"LibreOffice ({self.program}) {what}{detail}")
            return pdf
        finally:
            shutil.rmtree(job, ignore_errors=True)

    def _said(self, offset: int) -> str:
        """What the kept LibreOffice said since ``offset`` of its log, as ``: words``."""
        assert self.log is not None
        with contextlib.suppress(OSError), self.log.open("rb") as f:
            f.seek(offset)
            return one_shot.last_words(f.read())
        return ""

    # ---- the kept process -------------------------------------------------------------

    @property
    def profile(self) -> str:
        assert self.folder is not None
        return (self.folder / f"profile-{self.starts}").as_uri()

    def running(self) -> bool:
        return self.server is not None and self.server.poll() is None

    def start(self, program: str, timeout: float) -> bool:
        """Start LibreOffice and wait until it takes requests; False (and the reason in
        ``unavailable``) when it cannot be reached that way."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="gfmdreport-pdf-worker-"))
        folder = self.folder
        self.program = program
        self.starts += 1
        self.done = 0
        # LibreOffice's own temporary files go to the folder too: killed, it leaves them.
        (folder / "tmp").mkdir(exist_ok=True)
        self.env = {**os.environ, "TZ": "UTC", "HOME": str(folder),
                    "TMPDIR": str(folder / "tmp")}
        # A placeholder of its own each time: one that a killed LibreOffice held open
        # is still marked as in use (its lock file), and would not open again.
        keep = folder / f"placeholder-{self.starts}.fodt"
        keep.write_bytes(PLACEHOLDER)
        self.log = folder / f"soffice-{self.starts}.log"
        name = f"gfmdreport-{os.getpid()}-{secrets.token_hex(6)}"
        pipes = [Path(d, f"OSL_PIPE_{os.getuid()}_{name}") for d in _PIPE_FOLDERS]
        single = f"OSL_PIPE_{os.getuid()}_{single_office_pipe(self.profile)}"
        self.pipes = [*pipes, *(Path(d, single) for d in _PIPE_FOLDERS)]
        # The watchdog leads the process group LibreOffice joins; when the pipe it reads
        # closes (this process closed it, or ended), it kills the group, itself included.
        self.watchdog = subprocess.Popen(["sh", "-c", "read line; kill -s KILL 0"],
                                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, process_group=0)
        with self.log.open("wb") as log:
            try:
                self.server = subprocess.Popen(
                    [program, *one_shot.FLAGS, f"-env:UserInstallation={self.profile}",
                     f"--accept=pipe,name={name};urp;", str(keep)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=folder,
                    env=self.env, process_group=self.watchdog.pid)
            except OSError as exc:
                self.stop()
                raise RenderError(f"cannot start LibreOffice ({program}): "
                                  f"{exc.strerror or exc}") from None
        deadline = time.monotonic() + timeout
        while not any(p.exists() for p in pipes):
            if not self.running():
                said = self._said(0)
                self.stop()
                self.unavailable = f"LibreOffice stopped as it started{said}"
                return False
            if time.monotonic() > deadline:
                self.stop()
                self.unavailable = f"LibreOffice did not open its pipe within {timeout:g} s"
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        """Stop the kept LibreOffice, with everything it started."""
        watchdog, server = self.watchdog, self.server
        self.watchdog = self.server = None
        if watchdog is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(watchdog.pid, signal.SIGKILL)
        for process in (server, watchdog):
            if process is not None:
                with contextlib.suppress(Exception):
                    process.wait(timeout=10)
                if process.stdin is not None:
                    with contextlib.suppress(OSError):
                        process.stdin.close()
        # Killed, LibreOffice leaves its pipes behind: remove ours.
        for pipe in self.pipes if server is not None else ():
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(pipe.lstat().st_mode) and pipe.lstat().st_uid == os.getuid():
                    pipe.unlink()
        self.pipes = []

    def close(self) -> None:
        """Stop it and remove its folder."""
        self.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
