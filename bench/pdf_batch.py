"""PDF in batch against LibreOffice alone on the same documents.

Generates N notes files from the examples (the seed session in English, French and
Spanish, each under another title), makes their Word reports once, then in each run:

- ``gfmdreport batch NOTES -t pdf -j JOBS``: notes to PDF, the Word report made and
  converted by the pdf plugin, each worker keeping one LibreOffice for its documents;
- the comparator: LibreOffice alone converting the same Word reports in ONE
  ``soffice --convert-to pdf`` call (with the plugin's export options: tagged PDF,
  bookmarks), from a fresh profile as the workers start from.

It prints both figures (median wall time over the runs, CPU time of every process
involved), their ratio against the target (within 1.5x), and, once, the same batch with
one LibreOffice per document (``GFMDREPORT_PDF_KEEP=0``) for reference. After every run
it checks that no LibreOffice is left running: the bench is a child subreaper, so a
process left behind would be reparented to it and counted.

    python bench/pdf_batch.py [--files 20] [--jobs N] [--runs 3] [--no-per-document]
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gfmdreport import pipeline  # noqa: E402
from gfmdreport.batch import default_jobs  # noqa: E402
from gfmdreport.hooks.manager import make_plugin_manager  # noqa: E402

SEEDS = ("gcm-cluster-3.yaml", "gcm-cluster-3.fr.yaml", "gcm-cluster-3.es.yaml")


def gfmdreport_command() -> list[str]:
    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "gfmdreport"]


def become_subreaper() -> bool:
    """Orphaned descendants come to this process (Linux), so that their CPU time is
    counted and a process left running is seen."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def left_running(marker: str) -> list[str]:
    """Processes whose command line names ``marker`` (the bench's folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            found.append(f"{entry.name} {cmdline[:120]}")
    return found


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str], marker: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` and everything it started."""
    cpu = children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n"
                 f"{result.stderr.decode(errors='replace')[-2000:]}")
    time.sleep(0.2)  # orphans, if any, are reparented by now
    reap()
    left = left_running(marker)
    if left:
        sys.exit("processes left running after " + command[0] + ":\n  " + "\n  ".join(left))
    return wall, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20, help="notes files (default 20)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="gfmdreport workers (default: the CPUs)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--no-per-document", action="store_true",
                        help="skip the batch with one LibreOffice per document")
    args = parser.parse_args()
    soffice = os.environ.get("GFMDREPORT_SOFFICE") or shutil.which("soffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is not installed")
    plugins = make_plugin_manager()
    if "pdf" not in plugins.registry.writers:
        sys.exit("the gfmdreport-pdf plugin is not installed")
    from gfmdreport_pdf.convert import FILTER
    from gfmdreport_pdf.convert import FLAGS

    subreaper = become_subreaper()
    folder = Path(tempfile.mkdtemp(prefix="gfmdreport-bench-pdf-"))
    marker = str(folder)
    env = {**os.environ, "TMPDIR": str(folder / "tmp")}  # the workers' profiles go there
    (folder / "tmp").mkdir()
    try:
        notes = folder / "notes"
        notes.mkdir()
        seeds = [pipeline.load(ROOT / "examples" / name, plugins=plugins) for name in SEEDS]
        for i in range(args.files):
            seed = seeds[i % len(seeds)]
            summary = dataclasses.replace(seed, title=f"{seed.title} ({i + 1})")
            (notes / f"s{i:03d}.yaml").write_bytes(pipeline.render(summary, "yaml"))
        subprocess.run([*gfmdreport_command(), "batch", str(notes), "-o", str(folder / "docx"),
                        "-t", "docx", "-q", "--no-validate"], check=True, env=env)
        documents = sorted(str(p) for p in (folder / "docx").glob("*.docx"))
        assert len(documents) == args.files, documents
        print(f"{args.files} notes files (en, fr, es), {args.jobs} worker(s), {os.cpu_count()} "
              f"CPU(s), {args.runs} run(s); subreaper: {'yes' if subreaper else 'no'}")
        print(f"LibreOffice: {subprocess.run([soffice, '--version'], capture_output=True, text=True).stdout.strip()}")  # noqa: E501

        def ours(run: int, keep: str = "1") -> tuple[float, float]:
            out = folder / f"pdf-{keep}-{run}"
            command = [*gfmdreport_command(), "batch", str(notes), "-o", str(out), "-t", "pdf",
                       "-j", str(args.jobs), "-q", "--no-validate"]
            figures = timed(command, {**env, "GFMDREPORT_PDF_KEEP": keep}, marker)
            made = len(list(out.glob("*.pdf")))
            assert made == args.files, f"{made} PDFs of {args.files}"
            return figures

        def alone(run: int) -> tuple[float, float]:
            out = folder / f"alone-{run}"
            profile = (folder / f"profile-alone-{run}").as_uri()
            command = [soffice, *FLAGS, f"-env:UserInstallation={profile}", "--convert-to",
                       FILTER, "--outdir", str(out), *documents]
            figures = timed(command, {**env, "HOME": str(folder)}, marker)
            made = len(list(out.glob("*.pdf")))
            assert made == args.files, f"{made} PDFs of {args.files}"
            return figures

        batch_runs, alone_runs = [], []
        for run in range(args.runs):  # alternating, so that neither always goes first
            if run % 2:
                alone_runs.append(alone(run))
                batch_runs.append(ours(run))
            else:
                batch_runs.append(ours(run))
                alone_runs.append(alone(run))

        def show(label: str, runs: list[tuple[float, float]]) -> float:
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(f"{label:58} {wall:6.2f} s wall  {cpu:6.2f} s CPU   "
                  f"(runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
            return wall

        print()
        theirs = show("LibreOffice alone, one soffice --convert-to call", alone_runs)
        mine = show(f"gfmdreport batch -t pdf -j {args.jobs} (one LibreOffice per worker)",
                    batch_runs)
        ratio = mine / theirs
        print(f"ratio gfmdreport/LibreOffice alone: {ratio:.2f}x  "
              f"(target within 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")
        if not args.no_per_document:
            show("  for reference: one LibreOffice per document (KEEP=0)",
                 [ours(args.runs, keep="0")])
        print("no LibreOffice left running after any run")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
