"""``gfmdreport batch`` as a user runs it: per-file lines, the progress bar, the summary,
exit codes, report files, and Ctrl-C."""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_batch_support import broken
from test_batch_support import files_under
from test_batch_support import install_test_plugin
from test_batch_support import notes

from gfmdreport.batch import LOCK_NAME
from gfmdreport.batch import Event
from gfmdreport.batch import FileResult
from gfmdreport.batch import OutputResult
from gfmdreport.cli import build_cli
from gfmdreport.cli.batch import BatchView
from gfmdreport.hooks.manager import make_plugin_manager

from conftest import ROOT


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    install_test_plugin(site)
    monkeypatch.syspath_prepend(str(site))
    return build_cli(make_plugin_manager())


def run(cli, *args):
    return CliRunner().invoke(cli, ["batch", *map(str, args)])


def test_one_line_per_file_and_a_summary(work, cli):
    notes(work / "notes/a.yaml")
    notes(work / "notes/sub/b.yaml", "WARN here")
    broken(work / "notes/sub/c.yaml")
    result = run(cli, "notes", "-o", "out", "-t", "md,json", "-j", "2")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert "converted  notes/a.yaml -> md, json" in lines
    assert "converted  notes/sub/b.yaml -> md, json" in lines
    assert any(line.startswith("notes/sub/b.yaml:6:8: warning[test-warn]: ") for line in lines)
    failed = lines.index("failed     notes/sub/c.yaml")
    assert lines[failed + 1].startswith("notes/sub/c.yaml:3:")
    assert "error[yaml-syntax]" in lines[failed + 1]
    assert lines[-1].startswith("3 file(s): 2 converted, 0 up to date, 1 failed, "
                                "1 with warnings; 4 output(s) written in ")
    assert files_under(work / "out") == [".gfmdreport-manifest.json", ".gfmdreport.lock",
                                         "a.json", "a.md", "sub/b.json", "sub/b.md"]


def test_second_run_verbose_and_quiet(work, cli):
    notes(work / "notes/a.yaml")
    broken(work / "notes/b.yaml")
    run(cli, "notes", "-o", "out", "-t", "md")
    verbose = run(cli, "notes", "-o", "out", "-t", "md", "-v")
    lines = verbose.stderr.splitlines()
    assert "up to date notes/a.yaml" in lines
    assert lines[-1].startswith("2 file(s): 0 converted, 1 up to date, 1 failed; "
                                "0 output(s) written")
    quiet = run(cli, "notes", "-o", "out", "-t", "md", "--force", "-q")
    assert quiet.exit_code == 1
    assert quiet.stderr.splitlines()[0] == "failed     notes/b.yaml"
    assert len(quiet.stderr.splitlines()) == 2  # the failure and its diagnostic only
    clean = run(cli, "notes/a.yaml", "-o", "out2", "-t", "md", "-q")
    assert (clean.exit_code, clean.stderr) == (0, "")


def test_formats_repeated_or_comma_separated_and_writer_options(work, cli):
    notes(work / "notes/a.yaml")
    result = run(cli, "notes", "-o", "out", "-t", "md", "-t", "opt", "--flavour", "salty",
                 "-v")
    assert result.exit_code == 0, result.stderr
    assert f"-> {os.path.join('out', 'a.md')}, {os.path.join('out', 'a.txt')}" \
        in result.stderr
    assert (work / "out/a.txt").read_text().startswith("salty|")
    wrong = run(cli, "notes", "-o", "out", "-t", "md", "--flavour", "salty")
    assert wrong.exit_code == 2
    assert "--flavour does not apply to the formats md" in wrong.stderr
    unknown = run(cli, "notes", "-o", "out", "-t", "md,nosuch")
    assert unknown.exit_code == 2 and "unknown output format 'nosuch'" in unknown.stderr
    missing = run(cli, "nowhere", "-o", "out", "-t", "md")
    assert missing.exit_code == 2 and "nowhere: no such file or folder" in missing.stderr


def test_report_and_junit_files(work, cli):
    notes(work / "notes/a.yaml")
    broken(work / "notes/b.yaml")
    result = run(cli, "notes", "-o", "out", "-t", "md", "--report", "r.json",
                 "--junit", "r.xml")
    assert result.exit_code == 1
    data = json.loads((work / "r.json").read_text())
    assert data["summary"]["failed"] == 1
    assert [f["status"] for f in data["files"]] == ["converted", "failed"]
    suite = ET.parse(work / "r.xml").getroot().find("testsuite")
    assert suite.get("failures") == "1"


def test_fail_fast_on_the_command_line(work, cli):
    broken(work / "notes/a.yaml")
    notes(work / "notes/b.yaml")
    result = run(cli, "notes", "-o", "out", "-t", "md", "-j", "1", "--fail-fast")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(
        "; 1 not converted (stopped at the first failure)")


def test_a_locked_outdir_is_a_clear_error(work, cli):
    notes(work / "notes/a.yaml")
    (work / "out").mkdir()
    fd = os.open(work / "out" / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run(cli, "notes", "-o", "out", "-t", "md")
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert result.stderr.startswith("gfmdreport: error: out is in use by another gfmdreport "
                                    "batch run")


def test_the_progress_bar_on_a_terminal(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(click.utils, "_default_text_stderr", lambda: stream)
    view = BatchView(quiet=False, verbose=False, tty=True)
    view(Event("start", total=4, done=0, failed=0, to_build=3))
    ok = FileResult("notes/a.yaml", "converted", [OutputResult("md", "out/a.md", "written")],
                    seconds=0.1)
    bad = FileResult("notes/b.yaml", "failed", [OutputResult("md", "out/b.md", "not-built")])
    view(Event("file", total=4, done=1, failed=0, result=ok))
    view.drawn = 0
    view(Event("file", total=4, done=2, failed=1, result=bad))
    view.close()
    text = stream.getvalue()
    assert "converted  notes/a.yaml" not in text  # the bar replaces per-file lines
    assert "\r\x1b[K2/4 [##########..........]  50%  1 failed  ETA 0:" in text
    assert "failed     notes/b.yaml\n" in text  # failures are printed above the bar
    assert text.endswith("\r\x1b[K")  # the bar is cleared at the end


def gfmdreport_env(site: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    return env


def test_ctrl_c_stops_the_run_and_leaves_no_partial_file(work):
    site = work / "site"
    site.mkdir()
    install_test_plugin(site)
    pidfile = work / "worker.pid"
    notes(work / "notes/a-slow.yaml", "SLOW")
    for i in range(3):
        notes(work / f"notes/s{i}.yaml")
    env = gfmdreport_env(site) | {"GFMD_TEST_PIDFILE": str(pidfile)}
    proc = subprocess.Popen([sys.executable, "-m", "gfmdreport", "batch", "notes", "-o", "out",
                             "-t", "md,trap", "-j", "2"], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # the other three files are done when their lines are out (the slow writer holds
        # the run for 60 s, so these reads cannot wait forever)
        seen = []
        while len(seen) < 3:
            line = proc.stderr.readline()
            assert line, proc.communicate()
            seen += [line] if line.startswith("converted") else []
        deadline = time.monotonic() + 30
        while not pidfile.exists() or not pidfile.read_text():
            assert time.monotonic() < deadline, "the slow writer never started"
            time.sleep(0.02)
        worker = int(pidfile.read_text())
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted; every output is either complete or left as it was" in err
    assert "Traceback" not in err
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # the worker is gone too
    assert [p for p in files_under(work / "out") if p.endswith(".tmp")] == []
    assert not (work / "out/a-slow.trap").exists()
    manifest = json.loads((work / "out/.gfmdreport-manifest.json").read_text())
    assert sorted(manifest["outputs"]) == sorted(f"s{i}.{s}" for i in range(3)
                                                 for s in ("md", "trap"))


def test_ctrl_c_twice_exits_130_cleanly_and_a_rerun_finishes(work):
    """Ctrl-C twice during a real run (the second while the first is being handled):
    exit status 130, one line, no traceback, no temporary file; a rerun finishes."""
    for i in range(60):
        notes(work / f"notes/s{i:02d}.yaml")
    command = [sys.executable, "-m", "gfmdreport", "batch", "notes", "-o", "out",
               "-t", "md,html,docx", "-j", "2"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for gap in (0.0, 0.01, 0.02, 0.05):  # the second one during the clean-up, too
        proc = subprocess.Popen(command, env=env, start_new_session=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            head = ""
            while head.count("converted ") < 3:
                line = proc.stderr.readline()
                assert line, proc.communicate()
                head += line
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(gap)
            os.killpg(proc.pid, signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 130, err
        assert err.count("gfmdreport: interrupted") == 1, err
        assert "Traceback" not in err and "Exception ignored" not in err, err
        assert [p for p in files_under(work / "out") if p.endswith(".tmp")] == []
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    summary = again.stderr.splitlines()[-1]
    converted, up_to_date = (int(n) for n in re.match(
        r"60 file\(s\): (\d+) converted, (\d+) up to date, 0 failed", summary).groups())
    assert up_to_date > 0 and converted + up_to_date == 60
    last = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert last.stderr.splitlines()[-1].startswith(
        "60 file(s): 0 converted, 60 up to date, 0 failed")


def test_each_report_is_written_whatever_else_fails(work, cli):
    notes(work / "notes/a.yaml")
    broken(work / "notes/b.yaml")
    result = run(cli, "notes", "-o", "out", "-t", "md", "--report", "nowhere/r.json",
                 "--junit", "r.xml")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{os.path.join('nowhere', 'r.json')}: error[io]: cannot "
                               "write in nowhere: No such file or directory (create the "
                               "folder first: mkdir -p nowhere)") for line in lines), lines
    assert lines[-1].startswith("2 file(s): 1 converted, 0 up to date, 1 failed")
    assert ET.parse(work / "r.xml").getroot().find("testsuite").get("failures") == "1"
    clean = run(cli, "notes/a.yaml", "-o", "out2", "-t", "md", "--report", "out2")
    assert clean.exit_code == 1  # the file converted, the report not written
    assert "out2: error[io]: cannot write" in clean.stderr


def test_an_unreadable_folder_is_shown_with_quiet_and_fails(work, cli, monkeypatch):
    from test_batch import unreadable

    notes(work / "notes/a.yaml")
    notes(work / "notes/locked/b.yaml")
    unreadable(monkeypatch, "notes/locked")
    result = run(cli, "notes", "-o", "out", "-t", "md", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "notes/locked: error[unreadable-folder]: folder not searched: Permission denied; "
        "the files in it are left out (give yourself read and search permission on it "
        "with chmod u+rx, or move it out of the source folder)"]
    loud = run(cli, "notes", "-o", "out", "-t", "md")
    assert loud.stderr.splitlines()[-1].endswith("; 1 error(s) besides the files (above)")


def test_names_are_printed_escaped_on_one_line(work, cli):
    notes(work / "notes" / "a\nconverted  forged.yaml -> md\nb.yaml")
    notes(work / "notes" / os.fsdecode(b"caf\xe9.yaml"))
    result = run(cli, "notes", "-o", "out", "-t", "md")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "converted  notes/a\\nconverted  forged.yaml -> md\\nb.yaml -> md" in lines
    assert "converted  notes/caf\\xe9.yaml -> md" in lines
    assert not any(line.startswith("converted  forged") for line in lines)
