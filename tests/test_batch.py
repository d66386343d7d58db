"""Batch conversion through the Python API: discovery, keep-going, incremental runs,
killed workers, collisions, path escapes and the report."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import signal
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_batch_support import broken
from test_batch_support import files_under
from test_batch_support import install_test_plugin
from test_batch_support import notes

from gfmdreport import PluginError
from gfmdreport import UsageError
from gfmdreport import Writer
from gfmdreport import files
from gfmdreport import hookimpl
from gfmdreport import pipeline
from gfmdreport.batch import LOCK_NAME
from gfmdreport.batch import MANIFEST_NAME
from gfmdreport.batch import MANIFEST_VERSION
from gfmdreport.batch import BatchLocked
from gfmdreport.batch import convert
from gfmdreport.batch import discover
from gfmdreport.hooks.manager import make_plugin_manager


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The test plugin installed as a distribution; every plugin manager finds it."""
    path = tmp_path / "site"
    path.mkdir()
    install_test_plugin(path)
    monkeypatch.syspath_prepend(str(path))
    return path


@pytest.fixture
def work(tmp_path, monkeypatch):
    """Run in a fresh folder, so that paths in reports are short and relative."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def by_input(report):
    return {f.input: f for f in report.files}


def outputs(root="out"):
    return [p for p in files_under(Path(root)) if not p.startswith(".")]


# ---- discovery, keep-going, fail-fast -----------------------------------------------------

def test_a_tree_of_mixed_inputs_converts_what_it_can(work, site):
    notes(work / "notes/a.yaml")
    notes(work / "notes/sub/b.yaml", "WARN about this one")
    (work / "notes/sub/deep").mkdir(parents=True)
    (work / "notes/sub/deep/c.json").write_bytes(
        pipeline.render(pipeline.load(notes(work / "c.yaml")), "json"))
    broken(work / "notes/sub/broken.yaml")
    notes(work / "notes/invalid.yaml", "INVALID")
    notes(work / "notes/.hidden/h.yaml")
    notes(work / "notes/.h.yaml")
    (work / "notes/readme.txt").write_text("not notes")

    report = convert(["notes"], "out", ["md", "json"], jobs=2)

    files = by_input(report)
    assert sorted(files) == ["notes/a.yaml", "notes/invalid.yaml", "notes/sub/b.yaml",
                             "notes/sub/broken.yaml", "notes/sub/deep/c.json"]
    assert {k: f.status for k, f in files.items()} == {
        "notes/a.yaml": "converted", "notes/sub/b.yaml": "converted",
        "notes/sub/deep/c.json": "converted", "notes/sub/broken.yaml": "failed",
        "notes/invalid.yaml": "failed"}
    assert outputs() == ["a.json", "a.md", "sub/b.json", "sub/b.md",
                         "sub/deep/c.json", "sub/deep/c.md"]
    assert pipeline.load("out/sub/b.json").title == "WARN about this one"

    (syntax,) = files["notes/sub/broken.yaml"].diagnostics
    assert str(syntax).startswith("notes/sub/broken.yaml:3:")
    assert syntax.rule == "yaml-syntax"
    rules = [d.rule for d in files["notes/invalid.yaml"].diagnostics]
    assert rules == ["test-invalid", "not-rendered"]
    assert str(files["notes/invalid.yaml"].diagnostics[0]).startswith("notes/invalid.yaml:6:")
    assert [o.status for o in files["notes/invalid.yaml"].outputs] == ["not-built"] * 2
    assert any(d.rule == "test-warn" for d in files["notes/sub/b.yaml"].diagnostics)
    assert (report.converted, report.failed, report.with_warnings) == (3, 2, 1)
    assert report.outputs_written == 6
    assert report.exit_code == 1


def test_no_validate_renders_what_rules_reject(work, site):
    notes(work / "notes/invalid.yaml", "INVALID")
    report = convert(["notes"], "out", ["md"], validate=False)
    assert report.converted == 1 and report.exit_code == 0
    assert outputs() == ["invalid.md"]


def test_fail_fast_stops_at_the_first_failure(work):
    broken(work / "notes/a-broken.yaml")
    for i in range(5):
        notes(work / f"notes/s{i}.yaml")
    report = convert(["notes"], "out", ["md"], jobs=1, fail_fast=True)
    assert report.stopped
    assert (report.failed, report.cancelled, report.converted) == (1, 5, 0)
    assert outputs() == []
    assert report.exit_code == 1


def test_without_fail_fast_every_file_is_tried(work):
    broken(work / "notes/a-broken.yaml")
    broken(work / "notes/z-broken.yaml")
    for i in range(5):
        notes(work / f"notes/s{i}.yaml")
    report = convert(["notes"], "out", ["md"], jobs=1)
    assert (report.failed, report.cancelled, report.converted) == (2, 0, 5)
    assert not report.stopped


def test_a_writer_that_raises_fails_only_its_output(work, site):
    notes(work / "notes/boom.yaml", "BOOM")
    notes(work / "notes/fine.yaml")
    report = convert(["notes"], "out", ["md", "trap"])
    boom = by_input(report)["notes/boom.yaml"]
    assert boom.status == "failed"
    assert [(o.format, o.status) for o in boom.outputs] == [("md", "written"),
                                                             ("trap", "failed")]
    (diag,) = boom.diagnostics
    assert diag.rule == "plugin-error" and "the trap went off" in diag.message
    assert "batchtest" in diag.message  # the plugin is named
    assert by_input(report)["notes/fine.yaml"].status == "converted"
    assert outputs() == ["boom.md", "fine.md", "fine.trap"]


def test_explicit_files_and_an_unknown_suffix(work):
    notes(work / "one.yaml")
    (work / "odd.notes").write_text("title: x\n")
    report = convert(["one.yaml", "odd.notes"], "out", ["md"])
    files = by_input(report)
    assert files["one.yaml"].status == "converted"
    (diag,) = files["odd.notes"].diagnostics
    assert diag.rule == "input-format" and "suffix" in diag.message
    assert outputs() == ["one.md"]


def test_discover_by_reader_suffix_and_glob(tmp_path):
    for name in ["a.yaml", "B.YML", "c.json", "d.txt", "sub/e.yaml", "sub/f.json",
                 ".git/g.yaml", "sub/.cache/h.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    suffixes = [".yaml", ".yml", ".json"]
    found = [s.rel for s in discover([tmp_path], suffixes)]
    assert found == ["B.YML", "a.yaml", "c.json", "sub/e.yaml", "sub/f.json"]
    found = [s.rel for s in discover([tmp_path], suffixes, globs=["*.json"])]
    assert found == ["c.json", "sub/f.json"]
    found = [s.rel for s in discover([tmp_path], suffixes, globs=["sub/*"])]
    assert found == ["sub/e.yaml", "sub/f.json"]
    with pytest.raises(UsageError, match="no such file or folder"):
        discover([tmp_path / "missing"], suffixes)


def test_no_input_found_is_a_notice(work):
    notes(work / "notes/a.yaml")
    report = convert(["notes"], "out", ["md"], globs=["*.md"])
    assert report.files == [] and report.exit_code == 0
    (notice,) = report.notices
    assert notice.rule == "no-input"
    assert str(notice).startswith("notes: warning[no-input]: no input found (inputs are "
                                  "files ending in ")
    assert ".yaml, .yml and matching *.md)" in str(notice)


def test_a_request_for_an_unknown_format_is_a_usage_error(work):
    notes(work / "notes/a.yaml")
    with pytest.raises(UsageError, match="unknown output format 'nosuch'"):
        convert(["notes"], "out", ["md", "nosuch"])
    assert not (work / "out").exists() or outputs() == []


# ---- incremental runs -------------------------------------------------------------------

def stamps(root="out"):
    return {p: (Path(root) / p).stat().st_mtime_ns for p in outputs(root)}


def test_a_second_run_skips_everything_and_starts_no_worker(work):
    for i in range(6):
        notes(work / f"notes/d{i % 2}/s{i}.yaml")
    first = convert(["notes"], "out", ["md", "json"])
    assert first.converted == 6
    before = stamps()
    second = convert(["notes"], "out", ["md", "json"])
    assert (second.up_to_date, second.converted, second.jobs) == (6, 0, 0)
    assert all(o.status == "up-to-date" for f in second.files for o in f.outputs)
    assert stamps() == before
    manifest = json.loads((work / "out" / MANIFEST_NAME).read_text())
    entry = manifest["outputs"]["d0/s0.md"]
    assert entry["input"] == str(work / "notes/d0/s0.yaml")
    assert entry["size"] == (work / "notes/d0/s0.yaml").stat().st_size
    build = manifest["builds"][entry["build"]]
    assert build["gfmdreport"] and build["format"] == "md"
    assert build["plugins"]["markdown"].startswith("gfmdreport ")


def test_only_a_changed_input_is_rebuilt(work):
    for i in range(4):
        notes(work / f"notes/s{i}.yaml")
    convert(["notes"], "out", ["md"])
    before = stamps()
    notes(work / "notes/s1.yaml", "A corrected title")
    touched = work / "notes/s2.yaml"  # a new mtime, the same bytes: still up to date
    os.utime(touched, ns=(time.time_ns(), time.time_ns() + 10**9))
    report = convert(["notes"], "out", ["md"])
    assert {f.input: f.status for f in report.files} == {
        "notes/s0.yaml": "up-to-date", "notes/s1.yaml": "converted",
        "notes/s2.yaml": "up-to-date", "notes/s3.yaml": "up-to-date"}
    after = stamps()
    assert [p for p in before if before[p] != after[p]] == ["s1.md"]
    assert "A corrected title" in (work / "out/s1.md").read_text()
    assert convert(["notes"], "out", ["md"]).up_to_date == 4  # the touch was recorded


def test_a_deleted_or_edited_output_is_rebuilt(work):
    for i in range(3):
        notes(work / f"notes/s{i}.yaml")
    convert(["notes"], "out", ["md"])
    good = (work / "out/s1.md").read_bytes()
    (work / "out/s0.md").unlink()
    (work / "out/s1.md").write_text("edited by hand")
    report = convert(["notes"], "out", ["md"])
    assert [f.status for f in report.files] == ["converted", "converted", "up-to-date"]
    assert (work / "out/s1.md").read_bytes() == good


def test_changed_options_or_template_rebuild(work, site):
    notes(work / "notes/a.yaml")
    template = work / "template.txt"
    template.write_text("first template")

    def run(**options):
        return convert(["notes"], "out", ["md", "opt"], options=options)

    assert run(flavour="salty", template=str(template)).converted == 1
    assert (work / "out/a.txt").read_text().startswith("salty|first template|")
    assert run(flavour="salty", template=str(template)).up_to_date == 1
    report = run(flavour="sweet", template=str(template))
    assert report.converted == 1
    (a,) = report.files
    assert [o.status for o in a.outputs] == ["up-to-date", "written"]  # md takes no option
    template.write_text("second template")
    assert run(flavour="sweet", template=str(template)).converted == 1
    assert (work / "out/a.txt").read_text().startswith("sweet|second template|")
    assert run(flavour="sweet", template=str(template)).up_to_date == 1
    assert run(flavour="sweet", template=str(template)).outputs_written == 0


def test_a_plugin_upgrade_rebuilds(work, site):
    notes(work / "notes/a.yaml")
    assert convert(["notes"], "out", ["opt"]).converted == 1
    assert convert(["notes"], "out", ["opt"]).up_to_date == 1
    install_test_plugin(site, version="1.3")
    assert convert(["notes"], "out", ["opt"]).converted == 1


def test_an_output_rendered_without_validation_is_not_up_to_date_for_a_validating_run(
        work, site):
    notes(work / "notes/invalid.yaml", "INVALID")
    notes(work / "notes/valid.yaml")
    assert convert(["notes"], "out", ["md"], validate=False).converted == 2
    assert convert(["notes"], "out", ["md"], validate=False).up_to_date == 2
    report = convert(["notes"], "out", ["md"])
    invalid, valid = report.files
    assert invalid.status == "failed"
    assert [d.rule for d in invalid.diagnostics] == ["test-invalid", "not-rendered"]
    assert valid.status == "converted"  # validated now, and rebuilt
    again = convert(["notes"], "out", ["md"])
    assert [f.status for f in again.files] == ["failed", "up-to-date"]
    manifest = json.loads((work / "out" / MANIFEST_NAME).read_text())
    assert sorted(manifest["outputs"]) == ["valid.md"]
    (build,) = manifest["builds"].values()
    assert build["validate"] is True
    back = convert(["notes"], "out", ["md"], validate=False)
    assert [f.status for f in back.files] == ["converted", "converted"]


def test_force_rebuilds_everything(work):
    for i in range(3):
        notes(work / f"notes/s{i}.yaml")
    convert(["notes"], "out", ["md"])
    assert convert(["notes"], "out", ["md"], force=True).converted == 3


def test_a_failed_input_is_tried_again(work):
    path = broken(work / "notes/a.yaml")
    assert convert(["notes"], "out", ["md"]).failed == 1
    assert convert(["notes"], "out", ["md"]).failed == 1
    notes(path)
    assert convert(["notes"], "out", ["md"]).converted == 1


def test_an_unreadable_manifest_means_a_full_rebuild(work):
    notes(work / "notes/a.yaml")
    convert(["notes"], "out", ["md"])
    (work / "out" / MANIFEST_NAME).write_text("{not json")
    report = convert(["notes"], "out", ["md"])
    assert report.converted == 1
    assert [n.rule for n in report.notices] == ["manifest"]
    assert convert(["notes"], "out", ["md"]).up_to_date == 1


def test_options_are_checked_before_anything_runs(work, site):
    notes(work / "notes/a.yaml")
    with pytest.raises(UsageError, match="--flavour does not apply to the formats md"):
        convert(["notes"], "out", ["md"], options={"flavour": "x"})
    with pytest.raises(UsageError, match=r"--template .*: no such file"):
        convert(["notes"], "out", ["opt"], options={"template": "nowhere.txt"})


# ---- killed workers and interrupted writes -----------------------------------------------

def no_temporaries(root):
    return [p for p in files_under(root) if p.endswith(".tmp")]


def test_a_worker_killed_while_writing_leaves_no_partial_file(work, monkeypatch):
    for name in ["a", "victim", "z"]:
        notes(work / f"notes/{name}.yaml")
    convert(["notes"], "out", ["md", "json"])
    old = (work / "out/victim.md").read_bytes()
    notes(work / "notes/victim.yaml", "A new title the old output lacks")
    notes(work / "notes/a.yaml", "A new title for a")
    notes(work / "notes/z.yaml", "A new title for z")

    real = files.write_atomic

    def killed_half_way(path, data):
        # write_atomic's first half, then the process is killed (as by the OOM killer)
        if os.path.basename(path) == "victim.md":
            fd, _ = tempfile.mkstemp(prefix=".victim.md.", suffix=".tmp",
                                     dir=os.path.dirname(path))
            os.write(fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, data)

    monkeypatch.setattr(files, "write_atomic", killed_half_way)  # inherited by workers
    report = convert(["notes"], "out", ["md", "json"], jobs=1)
    monkeypatch.setattr(files, "write_atomic", real)

    victim = by_input(report)["notes/victim.yaml"]
    assert victim.status == "failed"
    (diag,) = victim.diagnostics
    assert diag.rule == "worker-died" and "SIGKILL" in diag.message
    assert str(diag).startswith("notes/victim.yaml: error[worker-died]")
    assert by_input(report)["notes/a.yaml"].status == "converted"
    assert by_input(report)["notes/z.yaml"].status == "converted"
    assert report.jobs == 2  # a fresh worker took over after the death
    assert no_temporaries(work / "out") == []
    assert (work / "out/victim.md").read_bytes() == old  # the old file, whole
    rerun = convert(["notes"], "out", ["md", "json"])
    assert [f.input for f in rerun.files if f.status == "converted"] == ["notes/victim.yaml"]
    assert "A new title the old output lacks" in (work / "out/victim.md").read_text()


def test_a_worker_killed_from_outside_fails_only_its_file(work, site, monkeypatch):
    pidfile = work / "worker.pid"
    monkeypatch.setenv("GFMD_TEST_PIDFILE", str(pidfile))
    notes(work / "notes/a-slow.yaml", "SLOW")
    for i in range(8):
        notes(work / f"notes/s{i}.yaml")
    killed = []

    def on_event(event):
        if event.kind == "file" and not killed:
            deadline = time.monotonic() + 20
            while not pidfile.exists() or not pidfile.read_text():
                assert time.monotonic() < deadline, "the slow writer never started"
                time.sleep(0.01)
            pid = int(pidfile.read_text())
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    started = time.monotonic()
    report = convert(["notes"], "out", ["md", "trap"], jobs=2, progress=on_event)
    assert time.monotonic() - started < 30  # not the writer's 60 s sleep
    slow = by_input(report)["notes/a-slow.yaml"]
    assert slow.status == "failed" and slow.diagnostics[0].rule == "worker-died"
    assert report.converted == 8
    assert outputs() == sorted([f"s{i}.{s}" for i in range(8) for s in ("md", "trap")]
                               + (["a-slow.md"] if (work / "out/a-slow.md").exists() else []))
    assert not (work / "out/a-slow.trap").exists()
    assert no_temporaries(work / "out") == []


def test_a_worker_killed_while_starting_is_replaced(work):
    """A worker that dies while it builds its plugins, before it holds any input (the OOM
    killer at start-up), costs no file: a fresh worker takes its place."""
    for i in range(6):
        notes(work / f"notes/s{i}.yaml")
    flag = work / "first-worker-died"
    parent = os.getpid()

    def make_plugins():
        if os.getpid() != parent and not flag.exists():
            flag.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return make_plugin_manager()

    report = convert(["notes"], "out", ["md"], jobs=2, make_plugins=make_plugins)
    assert flag.exists()
    assert (report.converted, report.failed) == (6, 0)
    assert report.jobs == 3


def test_workers_that_cannot_start_stop_the_run(work):
    notes(work / "notes/a.yaml")
    parent = os.getpid()

    def failing():
        if os.getpid() != parent:
            raise RuntimeError("no plugins here")
        return make_plugin_manager()

    with pytest.raises(PluginError, match="starting a worker: RuntimeError: no plugins here"):
        convert(["notes"], "out", ["md"], jobs=1, make_plugins=failing)

    def dying():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return make_plugin_manager()

    with pytest.raises(PluginError, match=r"worker processes stop at start \(killed by SIGKILL"):
        convert(["notes"], "out", ["md"], jobs=1, make_plugins=dying)
    assert not (work / "out/a.md").exists()


# ---- collisions and escapes ---------------------------------------------------------------

def test_inputs_mapping_to_one_output_are_reported_not_overwritten(work):
    notes(work / "notes/x.yaml")
    (work / "notes/x.json").write_bytes(pipeline.render(pipeline.load("notes/x.yaml"), "json"))
    notes(work / "notes/Case.yaml")
    notes(work / "notes/case.yaml")
    notes(work / "notes/fine.yaml")
    report = convert(["notes"], "out", ["md"])
    files = by_input(report)
    for name, other in [("x.yaml", "x.json"), ("x.json", "x.yaml"),
                        ("Case.yaml", "case.yaml"), ("case.yaml", "Case.yaml")]:
        result = files[f"notes/{name}"]
        assert result.status == "failed"
        (diag,) = result.diagnostics
        assert diag.rule == "output-collision"
        assert f"notes/{other}" in diag.message
    assert files["notes/fine.yaml"].status == "converted"
    assert outputs() == ["fine.md"]


def test_two_sources_with_the_same_layout_collide(work):
    notes(work / "a/s.yaml")
    notes(work / "b/s.yaml")
    report = convert(["a", "b"], "out", ["md"])
    assert report.failed == 2 and outputs() == []


def test_the_same_source_given_twice_is_converted_once(work):
    notes(work / "notes/s.yaml")
    report = convert(["notes", "notes/", "notes/s.yaml"], "out", ["md"])
    assert [(f.input, f.status) for f in report.files] == [("notes/s.yaml", "converted")]


def test_an_output_never_overwrites_an_input(work):
    path = notes(work / "notes/s.yaml")
    before = path.read_bytes()
    report = convert(["notes"], "notes", ["yaml"])
    (result,) = report.files
    assert result.status == "failed"
    assert result.diagnostics[0].rule == "output-is-input"
    assert path.read_bytes() == before


def test_the_output_folder_inside_a_source_is_not_read(work):
    notes(work / "notes/s.yaml")
    assert convert(["notes"], "notes/out", ["json"]).converted == 1
    report = convert(["notes"], "notes/out", ["json"])
    assert [(f.input, f.status) for f in report.files] == [("notes/s.yaml", "up-to-date")]


def test_symbolic_links_are_followed_only_inside_the_source(work):
    outside = notes(work / "elsewhere/secret.yaml")
    notes(work / "notes/real/s.yaml")
    (work / "notes/link-out.yaml").symlink_to(outside)
    (work / "notes/link-in.yaml").symlink_to(work / "notes/real/s.yaml")
    (work / "notes/real/loop").symlink_to(work / "notes")  # a cycle
    (work / "notes/dangling.yaml").symlink_to(work / "nothing.yaml")
    report = convert(["notes"], "out", ["md"])
    assert sorted(f.input for f in report.files) == ["notes/link-in.yaml",
                                                     "notes/real/s.yaml"]
    assert outputs() == ["link-in.md", "real/s.md"]
    assert [(n.rule, n.location.path) for n in report.notices] == [
        ("broken-symlink", "notes/dangling.yaml"), ("symlink-outside", "notes/link-out.yaml")]


def test_a_symlinked_folder_in_outdir_cannot_lead_outside(work):
    notes(work / "notes/sub/s.yaml")
    notes(work / "notes/sub/deeper/d.yaml")
    notes(work / "notes/t.yaml")
    (work / "out").mkdir()
    (work / "elsewhere").mkdir()
    (work / "out/sub").symlink_to(work / "elsewhere")
    report = convert(["notes"], "out", ["md"])
    for name in ("notes/sub/s.yaml", "notes/sub/deeper/d.yaml"):
        result = by_input(report)[name]
        assert result.status == "failed" and result.diagnostics[0].rule == "output-escape"
    assert list((work / "elsewhere").iterdir()) == []  # not even a folder made there
    assert by_input(report)["notes/t.yaml"].status == "converted"


# ---- locking, reports, progress -----------------------------------------------------------

def test_a_second_run_on_the_same_outdir_is_refused(work):
    notes(work / "notes/s.yaml")
    (work / "out").mkdir()
    fd = os.open(work / "out" / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242")
        with pytest.raises(BatchLocked, match=r"out is in use by another gfmdreport batch "
                                              r"run \(process 4242\)"):
            convert(["notes"], "out", ["md"])
    finally:
        os.close(fd)
    assert outputs() == []
    assert convert(["notes"], "out", ["md"]).converted == 1  # free again


def test_the_report_json_and_junit(work):
    notes(work / "notes/a.yaml")
    broken(work / "notes/b.yaml")
    report = convert(["notes"], "out", ["md", "json"])
    data = json.loads(report.to_json())
    assert data == report.to_dict()
    assert json.loads(dataclasses.replace(report, files=[]).to_json())["files"] == []
    assert set(data) == {"version", "gfmdreport", "outdir", "formats", "jobs", "seconds",
                         "stopped_at_first_failure", "summary", "notices", "files",
                         "max_rss_kb"}
    assert data["formats"] == ["md", "json"] and data["outdir"] == "out"
    assert data["summary"] == {"files": 2, "converted": 1, "up_to_date": 0, "failed": 1,
                               "cancelled": 0, "with_warnings": 0, "outputs_written": 2}
    a, b = data["files"]
    assert a["input"] == "notes/a.yaml" and a["status"] == "converted"
    assert a["outputs"] == [{"format": "md", "path": os.path.join("out", "a.md"),
                             "status": "written"},
                            {"format": "json", "path": os.path.join("out", "a.json"),
                             "status": "written"}]
    assert isinstance(a["seconds"], float) and a["seconds"] > 0
    (diag,) = b["diagnostics"]
    assert (diag["path"], diag["line"], diag["severity"], diag["rule"]) == (
        "notes/b.yaml", 3, "error", "yaml-syntax")
    assert data["max_rss_kb"]["main"] > 0 and len(data["max_rss_kb"]["workers"]) >= 1

    suite = ET.fromstring(report.to_junit()).find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["a.yaml"].find("failure") is None
    assert cases["a.yaml"].get("classname") == "notes"
    failure = cases["b.yaml"].find("failure")
    assert failure.get("type") == "yaml-syntax"
    assert failure.text.startswith("notes/b.yaml:3:")


def test_progress_events_stream_as_files_finish(work):
    for i in range(5):
        notes(work / f"notes/s{i}.yaml")
    convert(["notes"], "out", ["md"], globs=["s[01].yaml"])  # two made before
    broken(work / "notes/zz.yaml")
    events = []
    report = convert(["notes"], "out", ["md"], progress=events.append)
    kinds = [e.kind for e in events]
    assert kinds == ["start"] + ["file"] * 6
    assert (events[0].total, events[0].to_build) == (6, 4)
    assert [e.done for e in events[1:]] == [1, 2, 3, 4, 5, 6]
    assert events[-1].failed == 1
    assert [e.result.status for e in events[1:3]] == ["up-to-date", "up-to-date"]
    assert report.converted == 3 and report.up_to_date == 2


def test_folders_take_txt_only_when_a_glob_asks(tmp_path):
    """A README.txt beside the notes is not a report; legacy .txt reports are taken with
    --glob '*.txt'."""
    from gfmdreport.batch import convert

    src = tmp_path / "src"
    src.mkdir()
    (src / "README.txt").write_text("notes for the secretariat live here\n")
    (src / "notes.yaml").write_text((Path(__file__).parent.parent / "examples" /
                                     "gcm-cluster-3.yaml").read_text(encoding="utf-8"))
    report = convert([src], tmp_path / "out", ["json"], jobs=1)
    assert [Path(f.input).name for f in report.files] == ["notes.yaml"]
    report = convert([src], tmp_path / "out2", ["json"], jobs=1, globs=["*.txt"])
    assert [Path(f.input).name for f in report.files] == ["README.txt"]
    assert report.files[0].status == "failed"


# ---- validation settings in the build key -------------------------------------------------

def test_a_change_of_validation_settings_rebuilds(work, site):
    """An output built while the configuration turned a rule off is not up to date once
    the configuration turns it back on: the input is validated again (and fails)."""
    notes(work / "notes/invalid.yaml", "INVALID")
    notes(work / "notes/valid.yaml")
    settings = work / "notes/gfmdreport.toml"
    settings.write_text('disable = ["test-invalid"]\n')
    assert convert(["notes"], "out", ["md"]).converted == 2
    assert convert(["notes"], "out", ["md"]).up_to_date == 2
    settings.write_text('disable = []\n')
    report = convert(["notes"], "out", ["md"])
    assert {f.input: f.status for f in report.files} == {
        "notes/invalid.yaml": "failed", "notes/valid.yaml": "converted"}
    assert [d.rule for d in by_input(report)["notes/invalid.yaml"].diagnostics] == [
        "test-invalid", "not-rendered"]
    assert convert(["notes"], "out", ["md"]).up_to_date == 1
    settings.write_text('[severity]\ntest-invalid = "warning"\n')  # the same file, edited
    assert convert(["notes"], "out", ["md"]).converted == 2
    manifest = json.loads((work / "out" / MANIFEST_NAME).read_text())
    assert manifest["version"] == MANIFEST_VERSION == 2
    (build,) = {manifest["outputs"][o]["build"] for o in manifest["outputs"]}
    assert len(manifest["builds"][build]["config"]) == 16


def test_settings_found_per_folder_and_none_without_validation(work, site):
    notes(work / "notes/a/invalid.yaml", "INVALID")
    notes(work / "notes/b/invalid.yaml", "INVALID")
    (work / "notes/a/gfmdreport.toml").write_text('disable = ["test-invalid"]\n')
    report = convert(["notes"], "out", ["md"])
    assert {f.input: f.status for f in report.files} == {
        "notes/a/invalid.yaml": "converted", "notes/b/invalid.yaml": "failed"}
    # without validation the settings do not matter: changing them rebuilds nothing
    assert convert(["notes"], "out2", ["md"], validate=False).converted == 2
    (work / "notes/a/gfmdreport.toml").write_text('disable = []\n')
    assert convert(["notes"], "out2", ["md"], validate=False).up_to_date == 2


def test_a_manifest_of_version_1_rebuilds_everything(work):
    notes(work / "notes/a.yaml")
    convert(["notes"], "out", ["md"])
    path = work / "out" / MANIFEST_NAME
    old = json.loads(path.read_text())
    old["version"] = 1
    path.write_text(json.dumps(old))
    report = convert(["notes"], "out", ["md"])
    assert report.converted == 1
    assert [(n.rule, n.message) for n in report.notices] == [
        ("manifest", "manifest of another version; every output is rebuilt")]


# ---- names, folders that cannot be read ---------------------------------------------------

def test_names_that_are_not_utf8_are_kept_exactly(work):
    name = os.fsdecode(b"caf\xe9-\xff.yaml")
    notes(work / "notes" / name)
    notes(work / "notes" / os.fsdecode(b"r\xe9union") / "b.yaml")
    report = convert(["notes"], "out", ["md"])
    assert report.converted == 2
    assert sorted(os.fsencode(p) for p in outputs()) == [b"caf\xe9-\xff.md",
                                                         b"r\xe9union/b.md"]
    data = report.to_json()
    data.decode("utf-8")  # valid UTF-8 throughout
    assert b"\\udce9" in data and b"\\udcff" in data
    assert {os.fsencode(f["input"]) for f in json.loads(data)["files"]} == {
        b"notes/caf\xe9-\xff.yaml", b"notes/r\xe9union/b.yaml"}
    cases = ET.fromstring(report.to_junit()).find("testsuite").findall("testcase")
    assert sorted(c.get("name") for c in cases) == ["b.yaml", "caf\\xe9-\\xff.yaml"]
    again = convert(["notes"], "out", ["md"])  # the manifest was saved, and read back
    assert again.up_to_date == 2 and again.notices == []


def test_junit_and_json_reports_are_well_formed_for_any_name(work):
    hostile = "a\nconverted  forged.yaml -> md\x1b[2J\x07\ufffe.yaml"
    notes(work / "notes" / hostile)
    broken(work / "notes" / "b\x0b\x1b]0;x\x07.yaml")
    report = convert(["notes"], "out", ["md"])
    suite = ET.fromstring(report.to_junit()).find("testsuite")  # well-formed XML
    names = sorted(c.get("name") for c in suite.iter("testcase"))
    assert names == ["a\\nconverted  forged.yaml -> md\\x1b[2J\\x07\\ufffe.yaml",
                     "b\\x0b\\x1b]0;x\\x07.yaml"]
    failure = suite.find("testcase/failure")
    assert "\x1b" not in failure.text and "\x0b" not in failure.get("message", "x")
    files = {f["input"] for f in json.loads(report.to_json())["files"]}
    assert files == {f"notes/{hostile}", "notes/b\x0b\x1b]0;x\x07.yaml"}  # exact


def unreadable(monkeypatch, *folders):
    """Folders that cannot be listed, as a folder of mode 000 is for a user that is not
    root: os.scandir raises PermissionError for them (root ignores modes, so the tests
    make the error where the file system would)."""
    real = os.scandir
    locked = {os.path.abspath(f) for f in folders}

    def scandir(path="."):
        if not isinstance(path, int) and os.path.abspath(path) in locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_an_error_and_fails_the_run(work, monkeypatch):
    notes(work / "notes/a.yaml")
    notes(work / "notes/locked/b.yaml")
    unreadable(monkeypatch, "notes/locked")
    report = convert(["notes"], "out", ["md"])
    assert [f.input for f in report.files] == ["notes/a.yaml"]
    assert report.converted == 1 and report.failed == 0
    (notice,) = report.notices
    assert str(notice).startswith("notes/locked: error[unreadable-folder]: folder not "
                                  "searched: Permission denied; the files in it are left out")
    assert "chmod u+rx" in notice.hint
    assert not report.ok and report.exit_code == 1
    suite = ET.fromstring(report.to_junit()).find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")


def test_discovery_takes_files_by_reader_name_longest_suffix_first(tmp_path, monkeypatch):
    """A reader of '.notes.txt' that wants its files found in folders: a.notes.txt is
    taken from a folder although '.txt' alone (legacy text) is not."""
    from gfmdreport.discover import reader_names

    (tmp_path / "notes_txt.py").write_text(
        "from gfmdreport import Reader, hookimpl\n"
        "from gfmdreport.pipeline import loads\n"
        "@hookimpl\n"
        "def register_readers(register):\n"
        "    register(Reader('notes-txt', lambda text, path=None: loads(text, 'yaml', "
        "path=path), ('.notes.txt',)))\n")
    info = tmp_path / "notes_txt-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: notes-txt\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[gfmdreport]\nnotes-txt = notes_txt\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    src = tmp_path / "src"
    for name in ("a.notes.txt", "README.txt", "b.YAML", ".notes.txt"):
        (src / name).parent.mkdir(exist_ok=True)
        (src / name).write_text("x")
    registry = make_plugin_manager().registry
    found = [s.rel for s in discover([src], reader_names(registry))]
    assert found == ["a.notes.txt", "b.YAML"]
    every = [s.rel for s in discover([src], reader_names(registry, every_reader=True))]
    assert every == ["README.txt", "a.notes.txt", "b.YAML"]


# ---- OUTDIR reached through descriptors ---------------------------------------------------

def test_a_link_in_outdir_to_another_of_its_folders_is_followed(work):
    notes(work / "notes/sub/s.yaml")
    (work / "out/real").mkdir(parents=True)
    (work / "out/sub").symlink_to("real")
    report = convert(["notes"], "out", ["md"])
    assert report.converted == 1
    assert (work / "out/real/s.md").is_file()
    assert convert(["notes"], "out", ["md"]).up_to_date == 1


def test_a_folder_of_outdir_swapped_for_a_link_between_runs_is_not_written_through(work):
    notes(work / "notes/sub/s.yaml")
    convert(["notes"], "out", ["md"])
    (work / "elsewhere").mkdir()
    (work / "out/sub").rename(work / "out/aside")
    (work / "out/sub").symlink_to(work / "elsewhere")
    report = convert(["notes"], "out", ["md"])
    (result,) = report.files
    assert result.status == "failed" and result.diagnostics[0].rule == "output-escape"
    assert "the symbolic link sub" in result.diagnostics[0].message
    assert list((work / "elsewhere").iterdir()) == []


def test_a_file_where_an_output_folder_should_be_is_an_io_error(work):
    notes(work / "notes/sub/s.yaml")
    (work / "out").mkdir()
    (work / "out/sub").write_text("a file")
    (result,) = convert(["notes"], "out", ["md"]).files
    (diag,) = result.diagnostics
    assert (diag.rule, diag.severity.value) == ("io", "error")
    assert diag.message == f"cannot make the folder of {os.path.join('out', 'sub', 's.md')}" \
                           ": Not a directory"
    assert diag.hint == "a file stands where an output folder should be: move it away"


def test_temporary_files_of_a_killed_run_are_removed_at_the_next_start(work):
    for i in range(3):
        notes(work / f"notes/s{i}.yaml")
    convert(["notes"], "out", ["md"])
    left = [work / "out/.s1.md.k1lled00.tmp", work / f"out/.{MANIFEST_NAME}.abcd_123.tmp"]
    for path in left:
        path.write_text("half")
    (work / "out/.keep.me.tmp").write_text("not ours")  # not a temporary of an output
    report = convert(["notes"], "out", ["md"])
    assert report.up_to_date == 3  # nothing rebuilt, and yet:
    assert not any(p.exists() for p in left)
    assert (work / "out/.keep.me.tmp").exists()


def test_an_input_removed_during_the_run_fails_with_an_io_error(work):
    for i in range(4):
        notes(work / f"notes/s{i}.yaml")

    def remove_the_last(event):
        if event.kind == "start":
            (work / "notes/s3.yaml").unlink()

    report = convert(["notes"], "out", ["md"], jobs=1, progress=remove_the_last)
    result = by_input(report)["notes/s3.yaml"]
    assert result.status == "failed"
    (diag,) = result.diagnostics
    assert str(diag) == ("notes/s3.yaml: error[io]: no such file: it was removed or renamed "
                         "after the run found it (run again to convert the files as they "
                         "are now)")
    assert report.converted == 3


# ---- the manifest on a full disk, and the durability of each step -------------------------

def test_a_manifest_that_cannot_be_saved_is_a_notice_and_the_run_goes_on(work, monkeypatch):
    from gfmdreport import InputError
    from gfmdreport import Location
    from gfmdreport.batch import engine
    from gfmdreport.batch import manifest

    for i in range(6):
        notes(work / f"notes/s{i}.yaml")
    monkeypatch.setattr(engine, "_SAVE_EVERY", 0.0)  # a step after every file
    real = manifest.Manifest.save
    calls = []

    def full(self):
        calls.append(1)
        raise InputError.single("io", "cannot write: No space left on device",
                                Location(self.path), "free some space on the disk")

    monkeypatch.setattr(manifest.Manifest, "save", full)
    events = []
    report = convert(["notes"], "out", ["md"], jobs=1, progress=events.append)
    assert report.converted == 6 and len(calls) >= 2  # tried at each step, and at the end
    warned, failed = report.notices
    assert (warned.severity.value, warned.rule) == ("warning", "manifest-not-saved")
    assert "trying again as the run goes" in warned.message
    assert (failed.severity.value, failed.rule) == ("error", "manifest-not-saved")
    assert failed.message == (
        "the manifest was not saved (cannot write: No space left on device); the outputs "
        "written are complete, and the next run converts again those it does not record")
    assert failed.hint == "free some space on the disk"
    assert [e.notice for e in events if e.kind == "notice"] == [warned, failed]
    assert report.exit_code == 1
    assert json.loads(report.to_json())["summary"]["converted"] == 6
    monkeypatch.setattr(manifest.Manifest, "save", real)
    assert convert(["notes"], "out", ["md"]).converted == 6  # nothing recorded: again


def test_each_step_puts_its_outputs_on_disk_before_the_manifest_records_them(work, monkeypatch):
    from gfmdreport.batch import engine
    from gfmdreport.batch import manifest
    from gfmdreport.batch import outdir

    for i in range(4):
        notes(work / f"notes/d{i % 2}/s{i}.yaml")
    monkeypatch.setattr(engine, "_SAVE_EVERY", 0.0)
    order = []
    durable, save = outdir.OutDir.make_durable, manifest.Manifest.save

    def make_durable(self, written):
        written = list(written)
        order.append(("durable", sorted(rel for rel, _ in written)))
        return durable(self, written)

    def saving(self):
        order.append(("save", sorted(k for k, e in self.outputs.items())))
        return save(self)

    monkeypatch.setattr(outdir.OutDir, "make_durable", make_durable)
    monkeypatch.setattr(manifest.Manifest, "save", saving)
    convert(["notes"], "out", ["md", "json"], jobs=1)
    claimed: set[str] = set()
    on_disk: set[str] = set()
    for kind, paths in order:
        if kind == "durable":
            on_disk.update(paths)
        else:
            assert set(paths) <= on_disk, "the manifest claims an output not yet on disk"
            claimed = set(paths)
    assert claimed == {f"d{i % 2}/s{i}.{s}" for i in range(4) for s in ("md", "json")}


def test_without_syncfs_each_file_and_folder_of_a_step_is_synced(work, monkeypatch):
    """Where the system has no syncfs, a step syncs each output written, then each
    folder it is in, once; the workers never sync an output themselves."""
    for i in range(4):
        notes(work / f"notes/d{i % 2}/s{i}.yaml")
    monkeypatch.setattr(files, "sync_file_system", lambda fd: False)
    log = work / "fsyncs.log"
    parent = os.getpid()
    real = os.fsync

    def fsync(fd):  # inherited by the workers: the log is a file
        path = os.path.relpath(os.readlink(f"/proc/self/fd/{fd}"), work / "out")
        with open(log, "a") as fh:
            fh.write(f"{'parent' if os.getpid() == parent else 'worker'} {path}\n")
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    convert(["notes"], "out", ["md"], jobs=2)
    synced = [line.split(" ", 1) for line in log.read_text().splitlines()]
    assert all(who == "parent" for who, _ in synced)
    paths = [p for _, p in synced if not p.endswith(".tmp")]  # the manifest's own file
    assert sorted(p for p in paths if p.endswith(".md")) == sorted(
        f"d{i % 2}/s{i}.md" for i in range(4))
    assert sorted(p for p in paths if not p.endswith(".md")) == [".", "d0", "d1"]


# ---- the batch_worker hook ------------------------------------------------------------------

class WorkerScoped:
    """A plugin that holds a scope for each worker's life and a writer that says whether
    it wrote inside one."""

    def __init__(self, log: Path, fail: bool = False):
        self.log = log
        self.fail = fail
        self.inside = False

    def note(self, what: str) -> None:
        with self.log.open("a") as f:
            f.write(f"{what} {os.getpid()}\n")

    @contextlib.contextmanager
    def scope(self):
        self.note("enter")
        self.inside = True
        try:
            yield
        finally:
            self.inside = False
            self.note("exit")

    @hookimpl
    def batch_worker(self):
        if self.fail:
            raise RuntimeError("cannot hold it")
        return self.scope()

    @hookimpl
    def register_writers(self, register):
        def write(summary, options):
            return f"{'inside' if self.inside else 'outside'} {os.getpid()}\n".encode()

        register(Writer(name="scoped", write=write, suffix=".scoped", media_type="text/plain",
                        description="says whether a batch_worker scope was held"))


def test_hook_batch_worker(work):
    """Each worker enters every plugin's batch_worker scope once, before its first input,
    and leaves it when it stops; render outside a batch holds none."""
    for i in range(5):
        notes(work / f"notes/s{i}.yaml")
    log = work / "scopes.log"

    def make_plugins():
        return make_plugin_manager(extra=[("scoped", WorkerScoped(log))])

    report = convert(["notes"], "out", ["scoped"], jobs=2, make_plugins=make_plugins)
    assert report.converted == 5
    events = [line.split() for line in log.read_text().splitlines()]
    workers = {pid for what, pid in events if what == "enter"}
    assert len(workers) == report.jobs == 2 and os.getpid() not in {int(p) for p in workers}
    assert sorted(events) == sorted([["enter", p] for p in workers]
                                    + [["exit", p] for p in workers])
    for pid in workers:  # entered before, left after
        assert [w for w, p in events if p == pid] == ["enter", "exit"]
    made = [Path("out", f"s{i}.scoped").read_text().split() for i in range(5)]
    assert all(where == "inside" and pid in workers for where, pid in made)
    plugins = make_plugins()
    summary = pipeline.load("notes/s0.yaml", plugins=plugins)
    assert pipeline.render(summary, "scoped", plugins=plugins).startswith(b"outside")

    def failing():
        return make_plugin_manager(extra=[("scoped", WorkerScoped(log, fail=True))])

    with pytest.raises(PluginError, match=r"starting a worker: .*plugin 'scoped' failed in "
                       r"batch_worker: RuntimeError: cannot hold it"):
        convert(["notes"], "out", ["scoped"], jobs=1, make_plugins=failing, force=True)
