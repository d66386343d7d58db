"""PDF in batch: each worker keeps one LibreOffice for its documents.

Most tests use a stand-in for LibreOffice (a Python program that plays the kept instance,
opening its pipe, and the short calls that hand it a document), so that a crash, a hang
or a LibreOffice that never comes up can be made to happen on a chosen document. The
last ones run the real LibreOffice through a wrapper that notes each start.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from gfmdreport_pdf.office import single_office_pipe

from gfmdreport import load
from gfmdreport import render
from gfmdreport.batch import convert
from gfmdreport.testing import make_plugins

REPO = Path(__file__).resolve().parents[3]
SEEDS = [REPO / "examples" / name
         for name in ("gcm-cluster-3.yaml", "gcm-cluster-3.fr.yaml", "gcm-cluster-3.es.yaml")]

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")

FAKE = '''\
import os, pathlib, signal, socket, sys, time

args = sys.argv[1:]
log = pathlib.Path(os.environ["FAKE_LOG"])
accept = [a for a in args if a.startswith("--accept=")]
if accept:  # the kept instance: open the pipe, then wait to be killed
    name = accept[0].split("name=")[1].split(";")[0]
    with log.open("a") as f:
        f.write(f"server {os.getpid()} {name}\\n")
    if os.environ.get("FAKE_SERVER") == "dies":
        sys.exit(0)
    pipe = socket.socket(socket.AF_UNIX)
    pipe.bind(f"/tmp/OSL_PIPE_{os.getuid()}_{name}")
    time.sleep(3600)
lines = log.read_text().splitlines() if log.exists() else []
calls = sum(line.startswith("call") for line in lines) + 1
with log.open("a") as f:
    f.write(f"call {calls} {os.getpid()}\\n")
doing = os.environ.get(f"FAKE_CALL_{calls}", "ok")
if doing == "hang":
    time.sleep(3600)
if doing == "crash":  # the kept instance goes, and the call with it
    server = [line.split()[1] for line in lines if line.startswith("server")][-1]
    os.kill(int(server), signal.SIGKILL)
    sys.exit(1)
if doing == "nothing":
    print("Error: source file could not be loaded", file=sys.stderr)
    sys.exit(0)
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / "summary.pdf").write_bytes(
    b"%PDF-1.6\\n1 0 obj <</CreationDate(D:20991231235959Z')>> endobj\\n"
    b"% call " + str(calls).encode() + b"\\ntrailer\\n<</ID [ <AB12> <AB12> ]>>\\n%%EOF\\n")
'''


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """The stand-in LibreOffice, its log, and a temporary folder of the test's own."""
    program = tmp_path / "fake-soffice"
    program.write_text(f"#!{sys.executable}\n{FAKE}")
    program.chmod(0o755)
    log = tmp_path / "calls.log"
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("GFMDREPORT_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # inherited by forked workers
    return log


def inputs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        shutil.copy(SEEDS[i % len(SEEDS)], folder / f"s{i}.yaml")
    return folder


def plugins():
    return make_plugins(only=["pdf", "docx", "yaml"])


def lines(log: Path, kind: str) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines() if line.startswith(kind)]


def running(marker: str) -> list[str]:
    """Live processes whose command line names ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker in cmdline and state != "Z":
                found.append(cmdline)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def by_input(report):
    return {Path(f.input).name: f for f in report.files}


def messages(result) -> str:
    return " ".join(d.message for d in result.diagnostics)


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="a kept LibreOffice is reached on Linux only")


# ---- with a stand-in ---------------------------------------------------------------------

def test_one_libreoffice_per_worker_converts_all_its_documents(fake, tmp_path):
    notes = inputs(tmp_path / "notes", 5)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins)
    assert (report.converted, report.failed) == (5, 0)
    servers = lines(fake, "server")
    assert len(servers) == 1
    assert [c[1] for c in lines(fake, "call")] == ["1", "2", "3", "4", "5"]
    made = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(made) == 5 and all(p.read_bytes().startswith(b"%PDF-1.6") for p in made)
    # after the run: the kept one is stopped, its pipe and folder removed
    assert not alive(int(servers[0][1]))
    assert not Path(f"/tmp/OSL_PIPE_{os.getuid()}_{servers[0][2]}").exists()
    assert list((tmp_path / "tmp").iterdir()) == []
    assert running(str(tmp_path)) == []


def test_each_worker_keeps_its_own(fake, tmp_path):
    notes = inputs(tmp_path / "notes", 6)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=2, make_plugins=plugins)
    assert report.converted == 6
    servers = lines(fake, "server")
    assert 1 <= len(servers) <= 2 and len({s[2] for s in servers}) == len(servers)
    assert len(lines(fake, "call")) == 6
    assert running(str(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_fresh_libreoffice_takes_over_after_so_many_documents(fake, tmp_path,
                                                               monkeypatch):
    import gfmdreport_pdf.office

    monkeypatch.setattr(gfmdreport_pdf.office, "RECYCLE_AFTER", 2)  # forked workers see it
    notes = inputs(tmp_path / "notes", 5)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins)
    assert report.converted == 5
    servers = lines(fake, "server")
    assert len(servers) == 3 and not any(alive(int(s[1])) for s in servers)
    assert running(str(tmp_path)) == []


def test_a_crash_fails_only_its_document_and_a_fresh_one_takes_over(fake, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("FAKE_CALL_2", "crash")
    notes = inputs(tmp_path / "notes", 4)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins)
    assert (report.converted, report.failed) == (3, 1)
    failed = [f for f in report.files if f.status == "failed"]
    assert "stopped (killed by SIGKILL) while converting the report; the next report " \
           "starts a fresh one" in messages(failed[0])
    assert len(lines(fake, "server")) == 2
    assert running(str(tmp_path)) == []


def test_a_hung_conversion_is_stopped_at_the_timeout(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_CALL_2", "hang")
    notes = inputs(tmp_path / "notes", 3)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins,
                     options={"pdf_timeout": "2"})
    assert (report.converted, report.failed) == (2, 1)
    failed = [f for f in report.files if f.status == "failed"]
    assert "did not convert the report within 2 s and was stopped" in messages(failed[0])
    hung = int(lines(fake, "call")[1][2])
    assert not alive(hung)
    assert len(lines(fake, "server")) == 2  # the kept one may be what hung: replaced
    assert running(str(tmp_path)) == []


def test_what_libreoffice_says_when_it_makes_no_pdf(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_CALL_1", "nothing")
    notes = inputs(tmp_path / "notes", 2)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins)
    assert (report.converted, report.failed) == (1, 1)
    failed = next(f for f in report.files if f.status == "failed")
    assert messages(failed).endswith("produced no PDF: Error: source file could not be loaded")
    assert len(lines(fake, "server")) == 1  # still running: kept


def test_a_libreoffice_that_cannot_be_kept_converts_one_process_per_document(fake, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("FAKE_SERVER", "dies")
    notes = inputs(tmp_path / "notes", 3)
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins)
    assert report.converted == 3
    assert len(lines(fake, "server")) == 1  # tried once, then each document on its own
    assert len(lines(fake, "call")) == 3
    said = [d for f in report.files for d in f.diagnostics if d.rule == "pdf-one-process"]
    assert len(said) == 1 and "LibreOffice" in said[0].message  # once, with why
    monkeypatch.delenv("FAKE_SERVER")
    monkeypatch.setenv("GFMDREPORT_PDF_KEEP", "0")
    report = convert([notes], tmp_path / "out", ["pdf"], jobs=1, make_plugins=plugins,
                     force=True)
    assert report.converted == 3 and len(lines(fake, "server")) == 1
    assert not [d for f in report.files for d in f.diagnostics
                if d.rule == "pdf-one-process"]  # chosen, so not said
    assert running(str(tmp_path)) == []


def test_ctrl_c_leaves_nothing_running(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_CALL_2", "hang")
    notes = inputs(tmp_path / "notes", 4)
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    batch = subprocess.Popen([sys.executable, "-m", "gfmdreport", "batch", str(notes), "-o",
                              str(tmp_path / "out"), "-t", "pdf", "-j", "1"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (fake.exists() and len(lines(fake, "call")) >= 2):
            assert batch.poll() is None and time.monotonic() < deadline, batch.stderr.read()
            time.sleep(0.05)
        os.killpg(batch.pid, signal.SIGINT)  # Ctrl-C at the terminal: its process group
        batch.communicate(timeout=60)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode != 0
    assert not alive(int(lines(fake, "server")[0][1]))
    assert not alive(int(lines(fake, "call")[1][2]))
    assert running(str(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_worker_killed_outright_takes_its_libreoffice_with_it(fake, tmp_path):
    """When the worker holding it dies without a word (SIGKILL), the watchdog in the kept
    LibreOffice's process group stops it."""
    code = textwrap.dedent(f"""
        import os, sys
        from gfmdreport_pdf.office import Office
        office = Office()
        office.convert(b"docx", program={str(tmp_path / 'fake-soffice')!r}, timeout=60)
        print(office.server.pid, flush=True)
        os.kill(os.getpid(), 9)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})
    assert result.returncode == -signal.SIGKILL, result.stderr
    server = int(result.stdout.split()[0])
    deadline = time.monotonic() + 30
    while alive(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    # What the kept one leaves when killed is the worker's to remove; gone with it, the
    # stand-in's pipe stays: removed here.
    Path(f"/tmp/OSL_PIPE_{os.getuid()}_{lines(fake, 'server')[0][2]}").unlink(missing_ok=True)
    if alive(server):  # not left behind by a failing test either
        os.kill(server, signal.SIGKILL)
        pytest.fail("the kept LibreOffice outlived its worker")
    assert running(str(tmp_path)) == []


def test_the_name_of_libreoffices_own_pipe():
    # As LibreOffice 7.4 names it: the MD5 of the profile's URL in UTF-16, each byte in
    # hex without a leading zero (checked against the pipes it left in /tmp when killed).
    name = single_office_pipe("file:///tmp/lotest/p2")
    assert name == "SingleOfficeIPC_144d6c31f494dbecbca674f895847dc"


# ---- with LibreOffice ----------------------------------------------------------------------

def wrapper(folder: Path) -> Path:
    """The real soffice, behind a script that notes the kept starts and the calls."""
    program = folder / "soffice"
    program.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        case "$*" in
          *--accept=*) echo "server $*" >> "{folder / 'calls.log'}" ;;
          *) echo "call" >> "{folder / 'calls.log'}" ;;
        esac
        exec {shutil.which('soffice')} "$@"
    """))
    program.chmod(0o755)
    return program


@needs_soffice
def test_batch_pdf_with_libreoffice(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    notes = inputs(tmp_path / "notes", 4)
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"),
           "GFMDREPORT_SOFFICE": str(wrapper(tmp_path))}
    result = subprocess.run([sys.executable, "-m", "gfmdreport", "batch", str(notes), "-o",
                             str(tmp_path / "out"), "-t", "pdf", "-j", "2"],
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    log = tmp_path / "calls.log"
    servers = lines(log, "server")
    assert 1 <= len(servers) <= 2  # one per worker that had documents
    assert len(lines(log, "call")) == 4
    for i, seed in enumerate(SEEDS + SEEDS[:1]):
        reader = pypdf.PdfReader(io.BytesIO((tmp_path / "out" / f"s{i}.pdf").read_bytes()))
        language = {"fr": "fr", "es": "es"}.get(seed.suffixes[0][1:], "en")
        assert str(reader.trailer["/Root"]["/Lang"]).startswith(language)
        assert reader.outline
    # the same bytes as a report converted on its own, by a LibreOffice of its own
    alone = plugins()
    single = render(load(SEEDS[1], plugins=alone), "pdf", plugins=alone)
    assert (tmp_path / "out" / "s1.pdf").read_bytes() == single
    # nothing left: no process, no folder, no pipe
    assert running(str(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    for server in servers:
        name = next(a for a in server if a.startswith("--accept=")).split("name=")[1]
        profile = next(a for a in server if a.startswith("-env:UserInstallation="))
        for pipe in (name.split(";")[0], single_office_pipe(profile.split("=", 1)[1])):
            assert not Path(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}").exists(), pipe


@needs_soffice
def test_ctrl_c_stops_libreoffice(tmp_path):
    notes = inputs(tmp_path / "notes", 6)
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"),
           "GFMDREPORT_SOFFICE": str(wrapper(tmp_path))}
    log = tmp_path / "calls.log"
    batch = subprocess.Popen([sys.executable, "-m", "gfmdreport", "batch", str(notes), "-o",
                              str(tmp_path / "out"), "-t", "pdf", "-j", "1"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not (log.exists() and len(lines(log, "call")) >= 2):
            assert batch.poll() is None and time.monotonic() < deadline, batch.stderr.read()
            time.sleep(0.05)
        assert running(str(tmp_path / "tmp"))  # LibreOffice is running, from the worker
        os.killpg(batch.pid, signal.SIGINT)
        batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode != 0
    assert running(str(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []
