"""The command line, as a user runs it: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdreport.cli import build_cli
from gfmdreport.cli import main

from conftest import EXAMPLE_YAML
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def cli(plugins):
    return build_cli(plugins)


def run(cli, *args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_render_json_to_stdout(cli):
    result = run(cli, "render", EXAMPLE_YAML, "-t", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["chairs"][0]["name"] == "Ola Henrikson"
    assert len(data["rapporteurs"]) == 2
    questions = [b for b in data["body"] if b["type"] == "question"]
    assert [len(q["takeaways"]) for q in questions] == [3, 4, 2]
    (table,) = [b for b in data["body"] if b["type"] == "table"]
    assert len(table["columns"]) == 3


def test_markdown_output_matches_the_golden_file(cli):
    result = run(cli, "render", EXAMPLE_YAML, "-t", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "gcm-cluster-3.md").read_text(encoding="utf-8")


def test_render_to_a_file_infers_the_format(cli, tmp_path):
    out = tmp_path / "summary.json"
    result = run(cli, "render", EXAMPLE_YAML, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["venue"] == "Hotel Savoyen – Mancini 3b"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]  # no temp file left


def test_render_from_stdin(cli):
    result = run(cli, "render", "-", "-f", "yaml", "-t", "json", "--no-validate",
                 input="title: Piped\nbody: []\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Piped"
    result = run(cli, "render", "-", "-t", "json", input="x")
    assert result.exit_code == 2
    assert "needs --from" in result.stderr


def test_unknown_format_lists_the_available_ones(cli, tmp_path):
    out = tmp_path / "out.xyz"
    result = run(cli, "render", EXAMPLE_YAML, "-t", "xyz", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("gfmdreport: error: unknown output format 'xyz'; "
                                            "available: ")
    assert "json" in result.stderr and "md" in result.stderr
    assert not out.exists()


def test_no_format_and_no_suffix_is_a_usage_error(cli):
    result = run(cli, "render", EXAMPLE_YAML)
    assert result.exit_code == 2
    assert "give the output format with -t/--to" in result.stderr


def test_an_option_a_writer_does_not_take_is_refused(cli, tmp_path):
    result = run(cli, "render", EXAMPLE_YAML, "-t", "json", "--nonsense")
    assert result.exit_code == 2


BAD_INPUTS = {
    "malformed.yaml": (b"title: [unclosed\nbody: []\n", "malformed.yaml:1:8:"),
    "list.yaml": (b"- one\n- two\n", "list.yaml:1:1: error[wrong-type]"),
    "scalar.yaml": (b"just words\n", "scalar.yaml:1:1: error[wrong-type]"),
    "latin1.yaml": (b"title: caf\xe9\nbody: []\n", "latin1.yaml:1:11: error[encoding]"),
    "empty.yaml": (b"", "empty.yaml:1:1: error[empty]"),
    "blank.yaml": (b"\n  \n", "blank.yaml:1:1: error[empty]"),
    "shape.yaml": (b"title: T\nbody:\n  - heading: [x]\n  - paragraf: y\n",
                   "shape.yaml:3:14: error[wrong-type]"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_located_line_and_no_output(cli, tmp_path, name):
    data, expected = BAD_INPUTS[name]
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out.md"
    result = run(cli, "render", source, "-t", "md", "-o", out)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(str(tmp_path / expected)), lines
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert source.read_bytes() == data  # the input is never touched


def test_missing_file_and_folder(cli, tmp_path):
    result = run(cli, "render", tmp_path / "nope.yaml", "-t", "md")
    assert (result.exit_code, result.stderr.strip()) == (
        1, f"{tmp_path / 'nope.yaml'}: error[io]: no such file")
    result = run(cli, "render", tmp_path, "-t", "md")
    assert result.exit_code == 1
    assert "error[io]: is a folder, not a file" in result.stderr


def test_an_existing_output_survives_a_failed_render(cli, tmp_path):
    out = tmp_path / "out.md"
    out.write_text("previous report\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n")
    assert run(cli, "render", bad, "-o", out).exit_code == 1
    assert out.read_text() == "previous report\n"


def test_formats_and_schema(cli):
    result = run(cli, "formats")
    assert result.exit_code == 0
    assert "yaml" in result.stdout and ".yml" in result.stdout
    schema = json.loads(run(cli, "schema").stdout)
    assert schema["$defs"]["person"]["required"] == ["name"]


def test_version_and_help(cli):
    assert run(cli, "--version").stdout.startswith("gfmdreport, version ")
    assert "render" in run(cli, "--help").stdout


def test_main_reads_block_before_parsing(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--block", "json", "render", str(EXAMPLE_YAML), "-t", "json"])
    assert info.value.code == 2
    assert "unknown output format 'json'" in capsys.readouterr().err


def installed_command() -> list[str]:
    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "gfmdreport"]


def test_installed_command_runs_as_a_subprocess(tmp_path):
    out = tmp_path / "summary.md"
    done = subprocess.run([*installed_command(), "render", str(EXAMPLE_YAML), "-t", "md",
                           "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == (GOLDEN / "gcm-cluster-3.md").read_text(
        encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nbody:\n  - paragraph: [\n")
    done = subprocess.run([*installed_command(), "render", str(broken), "-t", "json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(f"{broken}:")
    assert done.stdout == ""


def test_python_dash_m(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gfmdreport", "formats"],
                          capture_output=True, text=True, timeout=60, cwd=Path(tmp_path))
    assert done.returncode == 0
    assert "Writers" in done.stdout


def test_writer_options_are_offered_with_the_formats_that_take_them(cli):
    result = run(cli, "render", "--help")
    assert result.exit_code == 0
    assert "--reference-doc FILE" in result.stdout and "[docx" in result.stdout
    assert "[default:" not in result.stdout  # no default shown in place of a value


def test_ctrl_c_exits_130_in_one_line_whenever_it_comes():
    """Ctrl-C while the command waits (here on standard input), twice: one line, status
    130, no traceback."""
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "gfmdreport", "render", "-", "-f",
                                "yaml", "-t", "md"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until it sleeps, waiting on standard input
        time.sleep(0.2)
        status = Path(f"/proc/{process.pid}/status")
        if not status.exists() or "State:\tS" in status.read_text():
            break
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130
    assert stderr.decode() == "gfmdreport: interrupted\n"
