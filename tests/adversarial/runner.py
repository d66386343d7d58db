"""Run the adversarial corpus: each case in a sandbox, with a time limit, checked for
crashes, hangs, partial outputs and writes outside the output folder.

A case (``manifest.toml``) is one hostile input, or one hostile situation, and the
outcome it must have. Every case runs in a sandbox folder::

    WORK/in/    the input (copied from this folder, or made by generate.py)
    WORK/out/   the output folder
    WORK/tmp/   TMPDIR;   WORK/home/  HOME;   WORK/cwd/  the working directory

and is checked for:

- **crash**: an uncaught exception (also one a built-in plugin's error wraps, a
  ``PluginError``, or a rule that failed during validation), a ``Traceback`` on the
  standard error of the command line, an exit status other than 0, 1 or 2, or a process
  killed by a signal;
- **hang**: not finished within the case's ``timeout``;
- **partial output**: a temporary file left beside an output or in TMPDIR, an output
  written although its render failed, or a written output that its format's reader
  cannot open (ZIP, JSON, YAML, HTML);
- **escape**: any file created, changed or removed in WORK outside ``out/`` and
  ``tmp/`` (the inputs included), or a connection to the local address that inputs
  name in their links, entities and relationships (``generate.PORT``);
- **expectation**: the outcome the manifest declares (``ok``, ``error:RULE``,
  ``usage``; the warnings; the exit status and a piece of the message).

``api`` cases (the default) read the input with *every* registered reader and render what
each reader reads to every registered writer, in a forked process with a memory limit:
the case's own reader (``reader``, or the one its suffix names) must give the declared
outcome, every other reader and every writer must not crash. ``cli`` cases run
``gfmdreport ARGS`` (``{in}``, ``{out}``, ``{input}`` and ``{work}`` are replaced), and
``batch`` cases are ``cli`` cases of ``gfmdreport batch``. A few situations need setting
up: ``setup`` names one of :data:`SETUPS`.

Writers in :data:`SLOW_WRITERS` (the PDF writer starts LibreOffice for every document)
run only in cases that name them in ``writers``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SLOW_WRITERS = ("pdf",)
MEMORY_LIMIT = 3 * 2**30
"""Address space an ``api`` case may add to the test process (a memory bomb shows as
a crash, not as a machine brought down)."""

# ---- the cases -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    about: str
    mode: str = "api"
    file: str | None = None
    """A file of this folder, copied into WORK/in/."""
    generate: str | None = None
    """A function of generate.py that makes the input in WORK/in/ (returns its path)."""
    reader: str | None = None
    expect: str = "ok"
    """api: ``ok``, ``error:RULE`` or ``usage`` for the case's own reader."""
    warnings: tuple[str, ...] = ()
    """Rules that must be reported (reading, validation or rendering)."""
    readers: tuple[str, ...] = ()
    """api: only these readers (default: every registered one)."""
    writers: tuple[str, ...] = ()
    """api: only these writers (default: every registered one but the slow ones)."""
    options: dict[str, Any] = dataclasses.field(default_factory=dict)
    """api: writer options (paths are relative to WORK/in/)."""
    writer_expect: dict[str, str] = dataclasses.field(default_factory=dict)
    """api: outcome per writer other than ``ok``, for the case's own reader."""
    args: tuple[str, ...] = ()
    exit: int | None = None
    stderr: tuple[str, ...] = ()
    """cli: pieces the messages must contain (standard error, or standard output for
    ``validate``, which reports there)."""
    absent: tuple[str, ...] = ()
    """cli: pieces the messages must not contain (raw escape sequences, forged lines)."""
    outputs: tuple[str, ...] = ()
    """cli: files that must exist in WORK/out/ afterwards (complete)."""
    no_outputs: bool = False
    """cli: WORK/out/ must hold no report afterwards."""
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    setup: str | None = None
    timeout: float = 60.0
    skip_unless_reader: str | None = None
    """Skipped (with the reason) while no reader of this name is registered."""
    requires: str | None = None
    """A program the case needs (``soffice`` for the PDF writer); skipped without it."""


def load_cases() -> list[Case]:
    data = tomllib.loads((HERE / "manifest.toml").read_text("utf-8"))
    cases = []
    names = set()
    fields = {f.name for f in dataclasses.fields(Case)}
    for entry in data["case"]:
        unknown = set(entry) - fields
        if unknown:
            raise ValueError(f"case {entry.get('name')}: unknown keys {sorted(unknown)}")
        for key in ("warnings", "readers", "writers", "args", "stderr", "absent", "outputs"):
            if key in entry:
                entry[key] = tuple(entry[key])
        case = Case(**entry)
        if case.name in names:
            raise ValueError(f"two cases named {case.name}")
        if (case.file is None) == (case.generate is None) and case.mode == "api":
            raise ValueError(f"case {case.name}: give one of file and generate")
        names.add(case.name)
        cases.append(case)
    return cases


@dataclasses.dataclass
class Outcome:
    case: str
    seconds: float = 0.0
    crashes: list[str] = dataclasses.field(default_factory=list)
    hang: bool = False
    partial: list[str] = dataclasses.field(default_factory=list)
    escapes: list[str] = dataclasses.field(default_factory=list)
    mismatches: list[str] = dataclasses.field(default_factory=list)
    skipped: str | None = None
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not (self.crashes or self.hang or self.partial or self.escapes
                    or self.mismatches)

    def explain(self) -> str:
        lines = [f"case {self.case}:"]
        for title, found in (("crash", self.crashes), ("partial output", self.partial),
                             ("write outside the output folder", self.escapes),
                             ("not as declared", self.mismatches)):
            lines.extend(f"  {title}: {text}" for text in found)
        if self.hang:
            lines.append("  hang: did not finish in time")
        return "\n".join(lines)


# ---- the sandbox -----------------------------------------------------------------------------

@dataclasses.dataclass
class Sandbox:
    work: Path

    @property
    def inputs(self) -> Path:
        return self.work / "in"

    @property
    def out(self) -> Path:
        return self.work / "out"

    @property
    def tmp(self) -> Path:
        return self.work / "tmp"

    @property
    def home(self) -> Path:
        return self.work / "home"

    @property
    def cwd(self) -> Path:
        return self.work / "cwd"

    def make(self) -> None:
        for folder in (self.inputs, self.out, self.tmp, self.home, self.cwd):
            folder.mkdir(parents=True, exist_ok=True)

    def snapshot(self) -> dict[str, tuple]:
        """Every path in WORK with its kind, size, time and (small files) content hash."""
        found: dict[str, tuple] = {}
        for folder, dirs, files in os.walk(self.work, followlinks=False):
            for name in dirs + files:
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, self.work)
                try:
                    st = os.lstat(path)
                except OSError:
                    continue
                digest = ""
                if os.path.isfile(path) and not os.path.islink(path) and \
                        st.st_size < 2**20 and not rel.startswith(("out", "tmp")):
                    with contextlib.suppress(OSError):
                        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
                found[rel] = (st.st_mode, st.st_size if not os.path.isdir(path) else 0,
                              st.st_mtime_ns if not os.path.isdir(path) else 0, digest)
        return found

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("GFMDREPORT_") and k not in ("PYTEST_CURRENT_TEST",)}
        env.update(TMPDIR=str(self.tmp), HOME=str(self.home), PYTHONDONTWRITEBYTECODE="1")
        env.update({k: self.fill(v) for k, v in extra.items()})
        return env

    def fill(self, text: str, input_path: Path | None = None) -> str:
        return (text.replace("{in}", str(self.inputs)).replace("{out}", str(self.out))
                .replace("{work}", str(self.work))
                .replace("{input}", str(input_path or "")))


def escapes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What changed in WORK outside out/ and tmp/."""
    found = []
    for rel in sorted(set(before) | set(after)):
        top = rel.split(os.sep, 1)[0]
        if top in ("out", "tmp"):
            continue
        if rel not in after:
            found.append(f"{rel} removed")
        elif rel not in before:
            found.append(f"{rel} created")
        elif before[rel] != after[rel]:
            found.append(f"{rel} changed")
    return found


def leftovers(box: Sandbox) -> list[str]:
    """Temporary files left by an interrupted or failed write."""
    found = []
    for folder, _, files in os.walk(box.out):
        for name in files:
            if name.endswith(".tmp") and name.startswith("."):
                found.append(os.path.relpath(os.path.join(folder, name), box.work))
    for folder, _, files in os.walk(box.tmp):
        for name in files:
            found.append(os.path.relpath(os.path.join(folder, name), box.work))
    return found


def complete(path: Path) -> str | None:
    """Why a written output is not a complete file of its format (None if it is)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    try:
        if suffix in (".docx", ".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                bad = zf.testzip()
                if bad is not None:
                    return f"damaged member {bad}"
                if "word/document.xml" not in zf.namelist():
                    return "no word/document.xml"
        elif suffix == ".json":
            found = json.loads(data)
            if not path.name.startswith(".gfmdreport") and not (
                    isinstance(found, dict) and {"summary", "files"} <= set(found)):
                found["body"]  # an output; else the manifest or a batch --report
        elif suffix in (".yaml", ".yml"):
            import yaml

            yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        elif suffix == ".html":
            text = data.decode("utf-8").rstrip()
            if not (text.endswith("</html>") or text.endswith("</article>")):
                return "does not end with </html> or </article>"
        elif suffix == ".xml":
            from lxml import etree

            etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        elif suffix == ".pdf":
            if not data.rstrip().endswith(b"%%EOF"):
                return "no %%EOF"
        elif suffix == ".md":
            data.decode("utf-8")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


SECRET = "GFMD-SECRET-3f1c9a"
"""The marker of files hostile inputs try to pull in (generate.SECRET)."""
_ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "form"}
_ACTIVE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


def active_html(data: bytes) -> str | None:
    """What in an HTML page would run or load when opened: an active element, an event
    handler attribute, or a javascript:, vbscript: or data: link."""
    from lxml import html

    root = html.document_fromstring(data)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in _ACTIVE_TAGS:
            return f"a <{element.tag}> element"
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                return f"an event handler {name}={value[:40]!r}"
            if name.lower() in ("href", "src", "action", "formaction", "data") and \
                    _ACTIVE_SCHEME.match(value):
                return f"{name}={value[:40]!r}"
    return None


def unsafe(path: Path) -> list[str]:
    """What an output must never hold: the secret marker (a file read through the
    input), and in HTML, anything a browser would run."""
    found = []
    try:
        data = path.read_bytes()
    except OSError:
        return found
    if SECRET.encode() in data:
        found.append("holds the content of a file the input pointed at")
    if path.suffix.lower() == ".html" and (why := active_html(data)):
        found.append(f"active HTML from the input: {why}")
    if path.suffix.lower() == ".docx":
        with contextlib.suppress(zipfile.BadZipFile, OSError), zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.file_size < 20 * 2**20 and SECRET.encode() in zf.read(info):
                    found.append(f"{info.filename} holds the content of a file the "
                                 "input pointed at")
    return found


# ---- api cases: every reader, every writer, in a forked process ------------------------------

def _own_reader(case: Case, path: Path, registry: Any) -> str:
    if case.reader:
        return case.reader
    reader = registry.reader_for_suffix(path.suffix)
    return reader.name if reader else "yaml"


def _classify(exc: BaseException) -> tuple[str, list[str], str | None]:
    """(kind, rules, crash text) for an exception out of a reader or writer."""
    from gfmdreport.diagnostics import GfmdError
    from gfmdreport.diagnostics import InputError
    from gfmdreport.diagnostics import PluginError
    from gfmdreport.diagnostics import UsageError

    if isinstance(exc, PluginError):
        return "crash", [], f"{exc}\n{''.join(traceback.format_exception(exc))[-2000:]}"
    if isinstance(exc, InputError):
        return "error", [d.rule for d in exc.diagnostics], None
    if isinstance(exc, UsageError):
        return "usage", [], None
    if isinstance(exc, GfmdError):
        return "error", [type(exc).__name__], None
    return "crash", [], "".join(traceback.format_exception(exc))[-3000:]


def _api_child(case: Case, box: Sandbox, input_path: Path, conn: Any) -> None:
    result: dict[str, Any] = {"reads": {}, "renders": {}, "crashes": [], "own": None}
    try:
        import faulthandler

        faulthandler.disable()  # a fatal signal is reported by the parent, in one line
        _limit_memory()
        os.chdir(box.cwd)
        for key in [k for k in os.environ if k.startswith("GFMDREPORT_")]:
            del os.environ[key]
        os.environ.update(box.environment(case.env))
        tempfile.tempdir = None
        _api_run(case, box, input_path, result)
    except BaseException as exc:
        result["crashes"].append("runner: " + "".join(traceback.format_exception(exc))[-3000:])
    with contextlib.suppress(Exception):
        conn.send(result)
    conn.close()
    os._exit(0)


def _limit_memory() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + MEMORY_LIMIT, used + MEMORY_LIMIT))


def _api_run(case: Case, box: Sandbox, input_path: Path, result: dict[str, Any]) -> None:
    from gfmdreport import files
    from gfmdreport import pipeline
    from gfmdreport.hooks.manager import make_plugin_manager

    plugins = make_plugin_manager()
    registry = plugins.registry
    own = _own_reader(case, input_path, registry)
    result["own"] = own
    readers = list(case.readers or sorted(registry.readers))
    if own not in readers:
        readers.insert(0, own)
    writers = [w for w in (case.writers or sorted(registry.writers))
               if w in registry.writers and (case.writers or w not in SLOW_WRITERS)]
    options = {k: (str(box.inputs / v) if isinstance(v, str) and
                   (box.inputs / v).exists() else v) for k, v in case.options.items()}
    for reader in readers:
        entry: dict[str, Any] = {"kind": "ok", "rules": []}
        result["reads"][reader] = entry
        try:
            summary = pipeline.load(input_path, reader, plugins=plugins)
        except BaseException as exc:
            kind, rules, crash = _classify(exc)
            entry.update(kind=kind, rules=rules)
            if crash:
                result["crashes"].append(f"reader {reader}: {crash}")
            continue
        entry["rules"] = sorted({d.rule for d in summary.diagnostics})
        try:
            found = pipeline.validate(summary, plugins=plugins, config={})
        except BaseException as exc:
            result["crashes"].append(f"validate after {reader}: " +
                                     "".join(traceback.format_exception(exc))[-3000:])
            found = []
        for d in found:
            if d.rule in ("plugin-error", "internal-error"):
                result["crashes"].append(f"validate after {reader}: {d}")
        entry["rules"] = sorted(set(entry["rules"]) | {d.rule for d in found})
        for name in writers:
            writer = registry.writer(name)
            target = box.out / f"{reader}-to-{name}{writer.suffix or '.' + name}"
            mine = {k: v for k, v in options.items() if k in {o.key for o in writer.options}}
            done: dict[str, Any] = {"kind": "ok", "rules": [], "path": str(target)}
            result["renders"][f"{reader}->{name}"] = done
            try:
                rendered = pipeline.render_report(summary, name, plugins=plugins, **mine)
                done["rules"] = sorted({d.rule for d in rendered.diagnostics})
                if case.setup == "disk-full-api":
                    _disk_full(files.write_atomic, target, rendered.data)
                else:
                    files.write_atomic(target, rendered.data)
            except BaseException as exc:
                kind, rules, crash = _classify(exc)
                done.update(kind=kind, rules=done["rules"] + rules)
                if crash:
                    result["crashes"].append(f"writer {name} after reader {reader}: {crash}")


def _disk_full(write: Any, *args: Any) -> None:
    """Call ``write(*args)`` with every write to a file failing as on a full disk
    (ENOSPC): ``os.write`` on a file descriptor (what ``write_atomic`` calls), and files
    opened for writing with ``os.fdopen``."""
    from gfmdreport import files

    real_fdopen, real_write = files.os.fdopen, files.os.write

    class Full(io.RawIOBase):
        def __init__(self, fd: int):
            self.fd = fd

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self) -> None:
            if not self.closed:
                os.close(self.fd)
            super().close()

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            return io.BufferedWriter(Full(fd))
        return real_fdopen(fd, mode, *args, **kwargs)

    def full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    files.os.fdopen = fdopen  # type: ignore[assignment]
    files.os.write = full  # type: ignore[assignment]
    try:
        write(*args)
    finally:
        files.os.fdopen = real_fdopen  # type: ignore[assignment]
        files.os.write = real_write  # type: ignore[assignment]


def _run_api(case: Case, box: Sandbox, input_path: Path, outcome: Outcome) -> None:
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe(duplex=False)
    process = context.Process(target=_api_child, args=(case, box, input_path, there))
    process.start()
    there.close()
    result = None
    if here.poll(case.timeout):
        with contextlib.suppress(EOFError, OSError):
            result = here.recv()
    process.join(timeout=5 if result is not None else 0.1)
    if process.is_alive():
        process.kill()
        process.join()
        outcome.hang = result is None
    if result is None:
        if not outcome.hang:
            outcome.crashes.append(f"the process stopped: exit status {process.exitcode}")
        return
    outcome.detail = result
    outcome.crashes.extend(result["crashes"])
    own = result["own"]
    read = result["reads"].get(own, {"kind": "missing", "rules": []})
    want = case.expect
    if want == "ok":
        if read["kind"] != "ok":
            outcome.mismatches.append(f"reader {own}: expected ok, got {read['kind']} "
                                      f"{read['rules']}")
    elif want == "usage":
        if read["kind"] != "usage":
            outcome.mismatches.append(f"reader {own}: expected a usage error, got "
                                      f"{read['kind']} {read['rules']}")
    elif want.startswith("error:"):
        rule = want.split(":", 1)[1]
        if read["kind"] != "error" or rule not in read["rules"]:
            outcome.mismatches.append(f"reader {own}: expected error {rule}, got "
                                      f"{read['kind']} {read['rules']}")
    reported = set(read["rules"])
    for key, done in result["renders"].items():
        reader, _, writer = key.partition("->")
        path = Path(done["path"])
        if done["kind"] == "ok":
            if not path.is_file():
                outcome.partial.append(f"{key}: rendered but no file")
            elif (why := complete(path)) is not None:
                outcome.partial.append(f"{key}: incomplete output ({why})")
            else:
                outcome.escapes.extend(f"{key}: {why}" for why in unsafe(path))
        elif path.exists():
            outcome.partial.append(f"{key}: failed ({done['rules']}) but left "
                                   f"{path.name}")
        if reader == own:
            reported.update(done["rules"])
            expected = case.writer_expect.get(writer, case.writer_expect.get("*", "ok"))
            got = done["kind"] if done["kind"] != "error" else "error:" + ",".join(
                done["rules"])
            if expected == "ok" and done["kind"] != "ok":
                outcome.mismatches.append(f"writer {writer}: expected ok, got {got}")
            elif expected != "ok" and (done["kind"] == "ok" or (
                    expected.startswith("error:") and
                    expected.split(":", 1)[1] not in done["rules"])):
                outcome.mismatches.append(f"writer {writer}: expected {expected}, got {got}")
    for rule in case.warnings:
        if rule not in reported:
            outcome.mismatches.append(f"expected the warning {rule}; reported: "
                                      f"{sorted(reported)}")


# ---- cli and batch cases ---------------------------------------------------------------------

def _command(case: Case, box: Sandbox, input_path: Path | None) -> list[str]:
    args = [box.fill(a, input_path) for a in case.args]
    if case.mode == "batch" and (not args or args[0] != "batch"):
        args = ["batch", *args]
    return [sys.executable, "-m", "gfmdreport", *args]


def _run_cli(case: Case, box: Sandbox, input_path: Path | None, outcome: Outcome) -> None:
    command = _command(case, box, input_path)
    env = box.environment(case.env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    setup = SETUPS.get(case.setup or "", _plain)
    try:
        code, stdout, stderr = setup(case, box, command, env)
    except subprocess.TimeoutExpired:
        outcome.hang = True
        return
    except SkipCase as exc:
        outcome.skipped = str(exc)
        return
    outcome.detail = {"exit": code, "stderr": stderr[-4000:], "stdout": stdout[-1000:]}
    if code not in (0, 1, 2):
        outcome.crashes.append(f"exit status {code}" + (" (killed by a signal)"
                                                          if code < 0 else ""))
    if "Traceback" in stderr:
        outcome.crashes.append("Traceback on standard error:\n" + stderr[-3000:])
    if case.exit is not None and code != case.exit:
        outcome.mismatches.append(f"exit status {code}, expected {case.exit}; standard "
                                  f"error:\n{stderr[-1500:]}")
    said = stderr + stdout
    for piece in case.stderr:
        if box.fill(piece, input_path) not in said:
            outcome.mismatches.append(f"the messages lack {piece!r}:\n{said[-1500:]}")
    for piece in case.absent:
        if box.fill(piece, input_path) in said:
            outcome.mismatches.append(f"the messages hold {piece!r}:\n{said[-1500:]}")
    for rule in case.warnings:
        if f"[{rule}]" not in said:
            outcome.mismatches.append(f"standard error lacks the rule {rule}")
    for name in case.outputs:
        path = box.out / name
        if not path.is_file():
            outcome.mismatches.append(f"no output {name}")
    reports = [p for p in box.out.rglob("*") if p.is_file()
               and not p.name.startswith(".gfmdreport")]
    if case.no_outputs and reports:
        outcome.partial.append(f"outputs left although the run failed: "
                               f"{[str(p.relative_to(box.out)) for p in reports]}")
    for path in reports:
        if not path.name.startswith(".") and (why := complete(path)) is not None:
            outcome.partial.append(f"{path.relative_to(box.work)}: incomplete ({why})")
        outcome.escapes.extend(f"{path.relative_to(box.work)}: {why}" for why in unsafe(path))


class SkipCase(Exception):
    """The case cannot be set up here (the reason says why)."""


def _run(command: list[str], env: dict[str, str], box: Sandbox, timeout: float,
         preexec: Any = None, stdout: Any = subprocess.PIPE,
         stdin: Any = subprocess.DEVNULL) -> tuple[int, str, str]:
    process = subprocess.Popen(command, cwd=box.cwd, env=env, stdout=stdout,
                               stderr=subprocess.PIPE, stdin=stdin, preexec_fn=preexec,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return (process.returncode, (out or b"").decode("utf-8", "replace"),
            err.decode("utf-8", "replace"))


def _plain(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    return _run(command, env, box, case.timeout)


def _file_size_limit(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """Writes past 8 KiB fail as on a full disk (EFBIG, from RLIMIT_FSIZE)."""
    import resource

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    return _run(command, env, box, case.timeout, preexec=limit)


def _stdout_full(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """Standard output is /dev/full: every write to it fails with ENOSPC."""
    if not os.path.exists("/dev/full"):
        raise SkipCase("no /dev/full on this system")
    with open("/dev/full", "wb") as full:
        return _run(command, env, box, case.timeout, stdout=full)


def _stdout_closed(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """Standard output is a pipe whose reader has gone (EPIPE, as with ``| head -1``)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return _run(command, env, box, case.timeout, stdout=write)
    finally:
        os.close(write)


def _stdin_endless(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """Standard input never ends (/dev/zero)."""
    with open("/dev/zero", "rb") as zero:
        return _run(command, env, box, case.timeout, stdin=zero)


def _read_only_out(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """The output folder cannot be written: permissions for an ordinary user; for root
    (whom permissions do not stop), a read-only bind mount in a private mount namespace."""
    if os.geteuid() != 0:
        box.out.chmod(0o555)
        try:
            return _run(command, env, box, case.timeout)
        finally:
            box.out.chmod(0o755)
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if not unshare or not mount:
        raise SkipCase("running as root without unshare(1) and mount(8): no way to make "
                       "a folder unwritable")
    probe = subprocess.run([unshare, "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0"',
                            str(box.out)], capture_output=True)
    if probe.returncode != 0:
        raise SkipCase("running as root where mount namespaces are not allowed: "
                       + probe.stderr.decode(errors="replace").strip())
    wrapped = [unshare, "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"',
               str(box.out), *command]
    return _run(wrapped, env, box, case.timeout)


def _batch_locked(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """A first batch run holds OUTDIR (it waits in its progress callback) while the
    command runs; the first run then finishes normally."""
    ready, go = box.tmp / "first-ready", box.work / "go"
    script = (
        "import sys, time, pathlib\n"
        "from gfmdreport.batch import convert\n"
        "ready, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
        "def progress(event):\n"
        "    if event.kind == 'start':\n"
        "        ready.write_text('x')\n"
        "        while not go.exists():\n"
        "            time.sleep(0.02)\n"
        "r = convert([sys.argv[3]], sys.argv[4], ['md'], jobs=1, progress=progress)\n"
        "sys.exit(r.exit_code)\n")
    first = subprocess.Popen([sys.executable, "-c", script, str(ready), str(go),
                              str(box.inputs), str(box.out)], cwd=box.cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + case.timeout
        while not ready.exists():
            if first.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the first batch run did not start: "
                                   + first.stderr.read().decode(errors="replace"))
            time.sleep(0.02)
        ready.unlink()
        result = _run(command, env, box, case.timeout)
    finally:
        go.write_text("go")
        try:
            _, err = first.communicate(timeout=case.timeout)
        except subprocess.TimeoutExpired:
            first.kill()
            raise
        go.unlink()
    if first.returncode not in (0, 1) or b"Traceback" in err:
        _, out, errors = result
        return 99, out, errors + "\nthe first run failed:\n" + err.decode(errors="replace")
    return result


def _batch_race(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """Two batch runs started together on one OUTDIR: each finishes or is refused with
    the lock message; between them every input is converted."""
    runs = [subprocess.Popen(command, cwd=box.cwd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            for _ in range(2)]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=case.timeout)
        results.append((run.returncode, out.decode(errors="replace"),
                        err.decode(errors="replace")))
    codes = sorted(r[0] for r in results)
    stderr = "\n".join(r[2] for r in results)
    if codes == [0, 0] or (codes == [0, 1] and "is in use by another gfmdreport batch run"
                           in stderr):
        return 0, "", stderr
    return max(codes) if max(codes) > 1 else 98, "", stderr + f"\nexit statuses {codes}"


def _namespaced(flags: str) -> str:
    """unshare(1), checked to make the namespaces ``flags`` here (else SkipCase)."""
    unshare = shutil.which("unshare")
    if not unshare:
        raise SkipCase("no unshare(1) on this system")
    probe = subprocess.run([unshare, flags, "true"], capture_output=True)
    if probe.returncode != 0:
        raise SkipCase(f"unshare {flags} is not allowed here: "
                       + probe.stderr.decode(errors="replace").strip())
    return unshare


def _swap_outdir_folder(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """While the command runs, OUTDIR/sub is swapped again and again between a real
    folder and a symbolic link to WORK/cwd/outside, as someone who may write in OUTDIR
    would; afterwards it is a real folder again."""
    import threading

    sub, aside, outside = box.out / "sub", box.out / ".sub-aside", box.cwd / "outside"
    sub.mkdir()
    stop = threading.Event()
    swaps = [0]

    def swap() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                os.rename(sub, aside)
                os.symlink(outside, sub)
                swaps[0] += 1
            time.sleep(0.001)
            with contextlib.suppress(OSError):
                if sub.is_symlink():
                    os.unlink(sub)
                if not os.path.lexists(sub):
                    os.rename(aside, sub)
            time.sleep(0.0002)

    thread = threading.Thread(target=swap, daemon=True)
    thread.start()
    try:
        code, out, err = _run(command, env, box, case.timeout)
    finally:
        stop.set()
        thread.join()
        if sub.is_symlink():
            sub.unlink()
        if aside.exists() and not sub.exists():
            aside.rename(sub)
    if swaps[0] < 20:
        return 94, out, err + f"\nthe folder was swapped only {swaps[0]} times"
    return code, out, err


def _run_twice(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """The command, then the same again (the second finds the first's manifest): the
    status of the first if they differ, else the second's; both standard errors."""
    first = _run(command, env, box, case.timeout)
    second = _run(command, env, box, case.timeout)
    code = first[0] if first[0] != second[0] else second[0]
    return code, first[1] + second[1], f"first run:\n{first[2]}\nsecond run:\n{second[2]}"


def _small_disk(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """{out}/small is a file system of its own of 64 KiB (tmpfs, in a private mount
    namespace: root's, or a user namespace's) that the outputs fill during the run;
    {out} itself is another disk, with room."""
    small = box.out / "small"
    small.mkdir()
    flags = "-m" if os.geteuid() == 0 else "-rm"
    unshare = _namespaced(flags)
    wrapped = [unshare, flags, "sh", "-c",
               'mount -t tmpfs -o size=64k tmpfs "$0" && exec "$@"', str(small), *command]
    return _run(wrapped, env, box, case.timeout)


def _unreadable_folder(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """{in}/locked cannot be read (mode 000). Root is not stopped by modes: for root the
    command runs in a user namespace of its own, where its power over the files of the
    machine's root is gone and the mode applies."""
    locked = box.inputs / "locked"
    mode = stat.S_IMODE(locked.stat().st_mode)
    if os.geteuid() == 0:
        command = [_namespaced("-U"), "-U", *command]
    locked.chmod(0)
    try:
        return _run(command, env, box, case.timeout)
    finally:
        locked.chmod(mode)


def _lines_until(process: subprocess.Popen, enough: Any, timeout: float) -> str:
    """What the process writes on standard error until ``enough(text)`` (or its end)."""
    import selectors

    text = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(process.stderr, selectors.EVENT_READ)
        while not enough(text.decode(errors="replace")):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                break
            chunk = os.read(process.stderr.fileno(), 65536)
            if not chunk:
                break
            text += chunk
    return text.decode(errors="replace")


def _started(command: list[str], env: dict[str, str], box: Sandbox) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=box.cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def _converted(count: int) -> Any:
    return lambda text: text.count("\nconverted ") + text.startswith("converted ") >= count


def _interrupt_twice(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """Ctrl-C twice (to the process group, as a terminal sends it) once some files are
    converted, 0, 20 and 200 ms apart in three runs. Each must end with exit status
    130, no traceback, no "Exception ignored" and no temporary file; then the command
    runs again and must finish the job."""
    said = []
    for gap in (0.0, 0.02, 0.2):
        process = _started(command, env, box)
        try:
            head = _lines_until(process, _converted(5), case.timeout)
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(gap)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            _, rest = process.communicate(timeout=case.timeout)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
        err = head + rest.decode(errors="replace")
        said.append(f"run interrupted twice, {gap * 1000:.0f} ms apart:\n{err}")
        problem = None
        if process.returncode != 130:
            problem = f"exit status {process.returncode}, expected 130"
        elif "Exception ignored" in err or "Traceback" in err:
            problem = "a traceback"
        elif left := leftovers(box):
            problem = f"temporary files left: {left}"
        if problem:
            return 97, "", "\n".join(said) + f"\n{problem} after Ctrl-C twice"
    code, out, err = _run(command, env, box, case.timeout)
    return code, out, "\n".join(said) + "\nrun again:\n" + err


def _delete_input_midrun(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """The last input is deleted once the first file is converted (and put back, as it
    was, afterwards)."""
    last = sorted(p for p in box.inputs.iterdir() if p.is_file())[-1]
    data, before = last.read_bytes(), last.stat()
    process = _started(command, env, box)
    try:
        head = _lines_until(process, _converted(1), case.timeout)
        last.unlink()
        _, rest = process.communicate(timeout=case.timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        last.write_bytes(data)
        os.utime(last, ns=(before.st_atime_ns, before.st_mtime_ns))
    return process.returncode, "", head + rest.decode(errors="replace")


def _killed_leftover(case: Case, box: Sandbox, command: list[str], env: dict[str, str]):
    """A run that finishes; a second one (``--force``) killed with SIGKILL, every
    process, once some files are converted; the temporary files such a kill leaves,
    beside an output the next run finds up to date (n299.md) and beside the manifest;
    then the command again."""
    first = _run(command, env, box, case.timeout)
    process = _started([*command, "--force"], env, box)
    try:
        head = _lines_until(process, _converted(5), case.timeout)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    for name in ("n299.md", ".gfmdreport-manifest.json"):
        (box.out / f".{name}.k1lled00.tmp").write_bytes(b"half a file")
    code, out, err = _run(command, env, box, case.timeout)
    return (first[0] or code, out,
            f"first run:\n{first[2]}\nkilled run:\n{head}\nrun again:\n{err}")


SETUPS = {
    "file-size-limit": _file_size_limit,
    "stdout-full": _stdout_full,
    "stdout-closed": _stdout_closed,
    "stdin-endless": _stdin_endless,
    "read-only-out": _read_only_out,
    "batch-locked": _batch_locked,
    "batch-race": _batch_race,
    "swap-outdir-folder": _swap_outdir_folder,
    "run-twice": _run_twice,
    "small-disk": _small_disk,
    "unreadable-folder": _unreadable_folder,
    "interrupt-twice": _interrupt_twice,
    "delete-input-midrun": _delete_input_midrun,
    "killed-leftover": _killed_leftover,
}


# ---- one case --------------------------------------------------------------------------------

def registered_readers() -> set[str]:
    from gfmdreport.pipeline import default_plugins

    return set(default_plugins().registry.readers)


def run_case(case: Case, work: Path) -> Outcome:
    """Run one case in the sandbox ``work`` (an empty or missing folder)."""
    outcome = Outcome(case.name)
    if case.skip_unless_reader and case.skip_unless_reader not in registered_readers():
        outcome.skipped = (f"no '{case.skip_unless_reader}' reader is registered (it reads "
                           "this case's input)")
        return outcome
    if case.requires and not shutil.which(case.requires):
        outcome.skipped = f"{case.requires} is not installed"
        return outcome
    box = Sandbox(work)
    box.make()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    try:
        return _run_case(case, box, listener, outcome)
    finally:
        listener.close()


def _run_case(case: Case, box: Sandbox, listener: socket.socket, outcome: Outcome) -> Outcome:
    input_path: Path | None = None
    if case.file:
        input_path = box.inputs / case.file
        shutil.copyfile(HERE / case.file, input_path)
    elif case.generate:
        sys.path.insert(0, str(HERE))
        try:
            import generate
        finally:
            sys.path.remove(str(HERE))
        generate.PORT = listener.getsockname()[1]
        input_path = getattr(generate, case.generate)(box.inputs)
    before = box.snapshot()
    started = time.perf_counter()
    try:
        if case.mode == "api":
            assert input_path is not None
            _run_api(case, box, input_path, outcome)
        else:
            _run_cli(case, box, input_path, outcome)
    finally:
        outcome.seconds = time.perf_counter() - started
    if outcome.skipped:
        return outcome
    outcome.escapes.extend(escapes(before, box.snapshot()))
    with contextlib.suppress(BlockingIOError):
        connection, _ = listener.accept()
        connection.close()
        outcome.escapes.append("network: a connection was made to the address the input "
                               "names (nothing may be fetched)")
    outcome.partial.extend(f"{p}: temporary file left" for p in leftovers(box))
    return outcome


def run_all(cases: list[Case] | None = None, progress: Any = None) -> list[Outcome]:
    outcomes = []
    for case in cases or load_cases():
        work = Path(tempfile.mkdtemp(prefix=f"gfmd-adv-{case.name}-"))
        try:
            outcome = run_case(case, work)
        finally:
            _remove(work)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


def _remove(path: Path) -> None:
    def writable(func: Any, name: str, _: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(name), 0o755)
            os.chmod(name, 0o755)
            func(name)

    shutil.rmtree(path, onerror=writable)
