"""Batch throughput and memory, against pandoc run once per file and format.

Generates N notes files from the examples (each a variation: another title, text and
size from half to about three times the seed), converts them with
`gfmdreport batch -t <formats>`, then converts the same files with pandoc called once
per file and format, as people script it today, and prints both throughputs, their
ratio, the time of a second (incremental, nothing to do) run, and peak memory.

The formats are docx, html and md, those of them that a gfmdreport writer is installed
for. The notes are Markdown when a Markdown notes reader is installed (pandoc and
gfmdreport then read the very same files); otherwise gfmdreport reads them as YAML and
pandoc reads the same sessions as rendered by the Markdown writer.

    python bench/batch.py [--files 200] [--jobs N] [--pandoc-jobs N] [--no-pandoc]
                          [--runs N]
    python bench/batch.py --files 10000 --no-pandoc      # the memory target
    python bench/batch.py --runs 5 --no-pandoc            # steadier CPU figures

CPU time is that of the batch process and its workers (``wait4``), split into the part
spent in the system (writing, syncing); a busy machine makes wall time vary much more
than CPU time, so ``--runs N`` converts N times and shows the median.

pandoc gets the same number of parallel processes as gfmdreport has workers (change it
with --pandoc-jobs; 1 is a plain shell loop), so the ratio compares the tools, not the
parallelism.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import random
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
from gfmdreport.model import Item  # noqa: E402
from gfmdreport.model import Paragraph  # noqa: E402
from gfmdreport.model import Question  # noqa: E402

FORMATS = ("docx", "html", "md")
PANDOC_ARGS = {"docx": [], "html": ["-s"], "md": ["-t", "gfm"]}
SUFFIX = {"docx": ".docx", "html": ".html", "md": ".md"}


def gfmdreport_command() -> list[str]:
    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "gfmdreport"]


def examples(plugins):
    found = []
    for path in sorted((ROOT / "examples").iterdir()):
        if plugins.registry.reader_for_suffix(path.suffix):
            try:
                found.append(pipeline.load(path, plugins=plugins))
            except Exception as exc:  # an example a reader rejects is left out
                print(f"  (example {path.name} left out: {exc})")
    if not found:
        sys.exit("no readable example in examples/")
    return found


def vary(summary, i: int, rng: random.Random):
    """A session like ``summary``: another title, some words changed, a size from about
    half to three times the original."""
    scale = rng.choice([0.5, 1, 1, 2, 3])
    body = []
    for block in summary.body:
        if isinstance(block, Paragraph):
            copies = max(1, round(scale)) if block.items == () else 1
            for c in range(copies):
                text = block.text if c == 0 else f"{block.text} (Note {i}.{c}.)"
                body.append(dataclasses.replace(block, text=text))
        elif isinstance(block, Question):
            takeaways = list(block.takeaways)
            if scale < 1:
                takeaways = takeaways[: max(1, len(takeaways) // 2)]
            else:
                for c in range(1, round(scale)):
                    takeaways += [Item(f"{t.text} (Follow-up {i}.{c}.)", t.items)
                                  for t in block.takeaways]
            body.append(dataclasses.replace(block, takeaways=tuple(takeaways)))
        else:
            body.append(block)
    return dataclasses.replace(summary, title=f"{summary.title} (session {i})",
                               body=tuple(body))


def generate(folder: Path, count: int, plugins, markdown_input: bool) -> list[tuple[Path, Path]]:
    """Write ``count`` notes files in nested folders; return (gfmdreport input, pandoc
    input) pairs."""
    rng = random.Random(1234)
    bases = examples(plugins)
    pairs = []
    for i in range(count):
        summary = vary(bases[i % len(bases)], i, rng)
        sub = folder / "notes" / f"group{i % 10:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        md = pipeline.render(summary, "md", plugins=plugins)
        md_path = sub / f"session{i:05d}.md"
        if markdown_input:
            md_path.write_bytes(md)
            pairs.append((md_path, md_path))
        else:
            yaml_path = sub / f"session{i:05d}.yaml"
            yaml_path.write_bytes(pipeline.render(summary, "yaml", plugins=plugins))
            pandoc_in = folder / "pandoc-in" / sub.name / md_path.name
            pandoc_in.parent.mkdir(parents=True, exist_ok=True)
            pandoc_in.write_bytes(md)
            pairs.append((yaml_path, pandoc_in))
    return pairs


def run_batch(folder: Path, out: Path, formats, jobs: int, extra=()):
    report = folder / "report.json"
    cmd = [*gfmdreport_command(), "batch", str(folder / "notes"), "-o", str(out),
           "-t", ",".join(formats), "-j", str(jobs), "-q", "--report", str(report), *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gfmdreport batch failed:\n{err}")
    # wait4 counts the batch process and the workers it waited for
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, json.loads(report.read_text()), usage.ru_maxrss, cpu, usage.ru_stime


def run_pandoc(pandoc: str, pairs, formats, folder: Path, jobs: int):
    out = folder / "pandoc-out"
    jobs_list = []
    for _, source in pairs:
        for fmt in formats:
            target = out / source.parent.name / (source.stem + SUFFIX[fmt])
            jobs_list.append([pandoc, str(source), "-f", "markdown", *PANDOC_ARGS[fmt],
                              "-o", str(target)])
    for sub in {Path(cmd[-1]).parent for cmd in jobs_list}:
        sub.mkdir(parents=True, exist_ok=True)
    peak = 0
    cpu = 0.0

    def one(cmd):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {proc.stderr.read().decode()}")
        return usage.ru_maxrss, usage.ru_utime + usage.ru_stime

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for rss, seconds in pool.map(one, jobs_list):
            peak = max(peak, rss)
            cpu += seconds
    return time.perf_counter() - start, peak, len(jobs_list), cpu


def mb(kib: float) -> str:
    return f"{kib / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200, help="notes files (default 200)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="gfmdreport workers (default: the CPUs)")
    parser.add_argument("--pandoc-jobs", type=int, default=None,
                        help="pandoc processes at once (default: as --jobs)")
    parser.add_argument("--no-pandoc", action="store_true", help="skip the comparison")
    parser.add_argument("--runs", type=int, default=1,
                        help="convert this many times, each into a fresh folder, and show "
                             "the median (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    args = parser.parse_args()

    plugins = make_plugin_manager()
    formats = [f for f in FORMATS if f in plugins.registry.writers]
    markdown_input = plugins.registry.reader_for_suffix(".md") is not None
    missing = [f for f in FORMATS if f not in formats]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gfmd-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"formats: {', '.join(formats)}"
              + (f"  (no writer installed for {', '.join(missing)})" if missing else ""))
        start = time.perf_counter()
        pairs = generate(folder, args.files, plugins, markdown_input)
        sizes = [p.stat().st_size for p, _ in pairs]
        print(f"inputs: {len(pairs)} {'Markdown notes' if markdown_input else 'YAML'} files, "
              f"{min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KiB, in 10 folders "
              f"(generated in {time.perf_counter() - start:.1f} s)")

        runs = []
        for k in range(args.runs):  # each into a fresh OUTDIR
            out = folder / f"out{k}"
            runs.append(run_batch(folder, out, formats, args.jobs))
            if runs[-1][1]["summary"]["failed"]:
                sys.exit(f"{runs[-1][1]['summary']['failed']} file(s) failed to convert")
        by_cpu = sorted(runs, key=lambda r: r[3])
        seconds, report, rss_any, cpu, system = by_cpu[len(by_cpu) // 2]
        if args.runs > 1:
            seconds = statistics.median(r[0] for r in runs)
        outputs = report["summary"]["outputs_written"]
        ours = len(pairs) / seconds
        print(f"gfmdreport batch -j {args.jobs}: {seconds:6.2f} s  {ours:8.1f} files/s  "
              f"({outputs} outputs; {1000 * cpu / len(pairs):.1f} ms CPU per file, of which "
              f"{1000 * system / len(pairs):.1f} in the system)")
        if args.runs > 1:
            print(f"  median of {args.runs} runs; CPU ms per file "
                  + ", ".join(f"{1000 * r[3] / len(pairs):.1f}" for r in runs)
                  + "; seconds " + ", ".join(f"{r[0]:.2f}" for r in runs))
        again, report2, _, _, _ = run_batch(folder, out, formats, args.jobs)
        print(f"  second run, nothing changed: {again:.2f} s "
              f"({report2['summary']['up_to_date']} up to date)")
        rss = report["max_rss_kb"]
        workers = rss["workers"]
        total = rss["main"] + sum(workers)
        print(f"  peak memory: main {mb(rss['main'])}, largest worker "
              f"{mb(max(workers, default=0))}, all {len(workers) + 1} processes together "
              f"{mb(total)}; largest single process (getrusage) {mb(rss_any)}")

        if args.no_pandoc:
            return
        pandoc = shutil.which("pandoc")
        if not pandoc:
            print("pandoc: not installed; no comparison")
            return
        version = subprocess.run([pandoc, "--version"], capture_output=True,
                                 text=True).stdout.splitlines()[0]
        pjobs = args.pandoc_jobs or args.jobs
        pseconds, ppeak, calls, pcpu = run_pandoc(pandoc, pairs, formats, folder, pjobs)
        theirs = len(pairs) / pseconds
        print(f"{version}, {pjobs} at a time, {calls} calls: {pseconds:6.2f} s  "
              f"{theirs:8.1f} files/s  ({1000 * pcpu / len(pairs):.1f} ms CPU per file); "
              f"peak memory of one pandoc {mb(ppeak)}")
        ratio = ours / theirs
        print(f"throughput ratio gfmdreport/pandoc: {ratio:.1f}x  "
              f"(target at least 10x: {'met' if ratio >= 10 else 'NOT met'})")
        print(f"CPU time ratio pandoc/gfmdreport: {pcpu / cpu:.1f}x  (steadier than wall "
              "time on a busy machine)")
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"this benchmark: peak {mb(own)} itself, {mb(children)} largest child")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
