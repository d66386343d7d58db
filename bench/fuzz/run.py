"""Coverage-guided fuzzing of one reader, then of every writer on what it reads.

    python bench/fuzz/run.py --reader md --seconds 600
    python bench/fuzz/run.py --reader yaml --seconds 600 --work /tmp/fuzz-yaml
    python bench/fuzz/run.py --reader docx --part word/document.xml --seconds 600
    python bench/fuzz/run.py --reader md --reproduce crash-1a2b3c

Each input the fuzzer makes is read with ``--reader`` (as ``gfmdreport render -f READER``
would read it). An input the reader refuses with an :class:`~gfmdreport.InputError` (or
another deliberate gfmdreport error) is fine; an input it reads is validated and rendered
to every built-in writer (``--writers`` to choose). A Word document is a ZIP package, in
which random bytes rarely get past the package checks: ``--part`` fuzzes one XML part of
the example's report inside an intact package instead. Anything else is a crash: an
uncaught exception, a :class:`~gfmdreport.PluginError` from a built-in plugin (which is an
uncaught exception wrapped), a validation rule that fails, an input that takes longer than
``--timeout`` seconds, or memory past ``--rss-mb``.

The engine is atheris (libFuzzer for Python, ``pip install -e '.[fuzz]'``). The corpus
starts from the repository's examples of the format (``examples/``, the seed, the legacy
text fixtures) and grows in ``--work``; crashes are written there as ``crash-*`` files.
Without atheris (a Python it has no wheel for) ``--engine random`` mutates the same seeds
at random for the same time, with the same checks. A crash found is fixed and its input
kept as a case in ``tests/adversarial/``.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WRITERS = ("md", "yaml", "json", "html", "docx")


class Crash(Exception):
    """A deliberate gfmdreport error that hides an uncaught one."""


def seeds(reader: str) -> list[bytes]:
    """Inputs of the format to start from."""
    examples = ROOT / "examples"
    found: list[Path] = []
    if reader == "yaml":
        found = sorted(examples.glob("*.yaml"))
    elif reader == "md":
        found = sorted(examples.glob("*.md")) + sorted((ROOT / "tests" / "golden").rglob("*.md"))
    elif reader == "text":
        found = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
            (ROOT / "tests" / "legacy").glob("*.txt"))
    data = [p.read_bytes() for p in found]
    if reader in ("json", "docx") or not data:
        from gfmdreport import load
        from gfmdreport import render

        for path in sorted(examples.glob("*.yaml")):
            try:
                data.append(render(load(path), reader))
            except Exception:  # a format without a writer: the YAML examples then
                data.append(path.read_bytes())
    small = [d for d in data if len(d) <= 200_000]
    return small or data


def example_package(part: str) -> dict[str, bytes]:
    """The parts of the example's Word report; without the embedded model (so that the
    document's own text is read) unless the part fuzzed is the model."""
    import io
    import re
    import zipfile

    from gfmdreport import load
    from gfmdreport import render

    data = render(load(ROOT / "examples" / "gcm-cluster-3.yaml"), "docx")
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            blob = zf.read(info)
            if not part.startswith("customXml/"):
                if info.filename.startswith("customXml/"):
                    continue
                if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                    blob = re.sub(rb"<(?:Relationship|Override)[^>]*customXml[^>]*/>", b"",
                                  blob)
            parts[info.filename] = blob
    return parts


def part_seeds(part: str) -> list[bytes]:
    import io
    import zipfile

    from gfmdreport import load
    from gfmdreport import render

    found = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        with zipfile.ZipFile(io.BytesIO(render(load(path), "docx"))) as zf:
            if part in zf.namelist():
                found.append(zf.read(part))
    return found


def packer(part: str):
    """Turn fuzzed bytes into a Word package whose ``part`` they are."""
    import io
    import zipfile

    parts = example_package(part)

    def pack(data: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for name, blob in parts.items():
                zf.writestr(name, data if name == part else blob)
        return out.getvalue()

    return pack


def make_target(reader: str, writers: tuple[str, ...], part: str | None = None):
    from gfmdreport import pipeline
    from gfmdreport.diagnostics import GfmdError
    from gfmdreport.diagnostics import PluginError

    plugins = pipeline.default_plugins()
    plugins.registry.reader(reader)  # an unknown reader fails now, not per input
    chosen = tuple(w for w in writers if w in plugins.registry.writers)
    pack = packer(part) if part else None

    def one_input(data: bytes) -> None:
        if pack is not None:
            data = pack(data)
        try:
            summary = pipeline.loads(data, reader, path="fuzz", plugins=plugins)
        except PluginError as exc:
            raise Crash(f"read: {exc}") from exc
        except GfmdError:
            return
        for d in pipeline.validate(summary, plugins=plugins, config={}):
            if d.rule == "plugin-error":
                raise Crash(f"validate: {d.message}")
        for name in chosen:
            try:
                pipeline.render_report(summary, name, plugins=plugins)
            except PluginError as exc:
                raise Crash(f"render {name}: {exc}") from exc
            except GfmdError:
                continue

    return one_input


def run_atheris(args: argparse.Namespace, work: Path) -> int:
    import atheris

    with atheris.instrument_imports():
        import markdown_it  # noqa: F401
        import yaml  # noqa: F401

        import gfmdreport  # noqa: F401
        from gfmdreport import diagnostics  # noqa: F401
        from gfmdreport import inline  # noqa: F401
        from gfmdreport import model  # noqa: F401
        from gfmdreport.formats.interchange import schema  # noqa: F401
        from gfmdreport.formats.interchange import shape  # noqa: F401
        from gfmdreport.formats.markdown import notes  # noqa: F401
        from gfmdreport.formats.text import parse  # noqa: F401
        with contextlib.suppress(ImportError):  # an installation without the DOCX reader
            from gfmdreport.formats.docx import read  # noqa: F401
    target = make_target(args.reader, args.writers, args.part)
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(part_seeds(args.part) if args.part else seeds(args.reader)):
        (corpus / f"seed-{i}").write_bytes(seed)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={args.seconds}",
            f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_mb}",
            f"-max_len={args.max_len}", f"-artifact_prefix={work}/",
            "-print_final_stats=1"]
    atheris.Setup(argv, target)
    atheris.Fuzz()
    return 0


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """One random edit of ``data``: flip, insert, delete, duplicate or splice bytes."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            buf[min(at, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at:at] = bytes(rng.choice(b"\x00\n\r\t -*#>|:[]()`\\{}&!\x80\xff\xe2")
                               for _ in range(rng.randint(1, 4)))
        elif op == 2 and buf:
            del buf[at:at + rng.randint(1, 64)]
        elif op == 3 and buf:
            end = min(len(buf), at + rng.randint(1, 256))
            buf[at:at] = buf[at:end] * rng.randint(1, 8)
        elif op == 4:
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            buf[at:at] = other[start:start + rng.randint(1, 512)]
        elif op == 5 and buf:
            line = buf.rfind(b"\n", 0, at) + 1
            buf[line:line] = rng.choice([b"  ", b"- ", b"## ", b"> ", b"1. ", b"a) ", b"---\n"])
    return bytes(buf[:200_000])


def run_random(args: argparse.Namespace, work: Path) -> int:
    target = make_target(args.reader, args.writers, args.part)
    pool = part_seeds(args.part) if args.part else seeds(args.reader)
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    runs = 0
    while time.monotonic() < deadline:
        data = mutate(rng.choice(pool), rng, pool)
        try:
            target(data)
        except Exception:
            name = work / f"crash-{runs:08d}"
            name.write_bytes(data)
            print(traceback.format_exc(), file=sys.stderr)
            print(f"crash: input written to {name}", file=sys.stderr)
            return 1
        runs += 1
        if runs % 200 == 0 and len(pool) < 2000:
            pool.append(data)
    print(f"random: {runs} inputs in {args.seconds} s, no crash", file=sys.stderr)
    return 0


def reproduce(args: argparse.Namespace) -> int:
    target = make_target(args.reader, args.writers, args.part)
    data = Path(args.reproduce).read_bytes()
    try:
        target(data)
    except Exception:
        traceback.print_exc()
        return 1
    print(f"{args.reproduce}: no crash", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reader", required=True, help="reader to fuzz (md, yaml, json, text, …)")
    parser.add_argument("--seconds", type=int, default=600, help="how long to run")
    parser.add_argument("--writers", default=",".join(WRITERS),
                        help="writers to render what is read to (comma-separated; '' for none)")
    parser.add_argument("--work", help="folder for the corpus and crash files (default: temporary)")
    parser.add_argument("--engine", choices=("atheris", "random"), default=None,
                        help="atheris when installed, else random")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one input may take")
    parser.add_argument("--rss-mb", type=int, default=3072, help="memory one run may use")
    parser.add_argument("--max-len", type=int, default=65536, help="largest input made")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random engine")
    parser.add_argument("--part", metavar="NAME",
                        help="docx: fuzz this part of the example's Word report "
                             "(word/document.xml, word/numbering.xml, customXml/item1.xml) "
                             "inside an intact package, instead of the whole file")
    parser.add_argument("--reproduce", metavar="FILE", help="run one input and show the crash")
    args = parser.parse_args()
    args.writers = tuple(w for w in args.writers.split(",") if w)
    if args.reproduce:
        return reproduce(args)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix=f"fuzz-{args.reader}-"))
    work.mkdir(parents=True, exist_ok=True)
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "random"
    print(f"fuzzing reader '{args.reader}' for {args.seconds} s with {engine}; "
          f"work folder {work}", file=sys.stderr)
    return run_atheris(args, work) if engine == "atheris" else run_random(args, work)


if __name__ == "__main__":
    sys.exit(main())
