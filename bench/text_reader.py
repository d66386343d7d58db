"""Cost of reading legacy text summaries, against reading the same session from YAML.

Reads the seed and the PDF extractions under tests/legacy/ in process (median of
--runs, inline-markup cache cleared each time so that every run parses afresh) beside
loading examples/gcm-cluster-3.yaml, the same session in the interchange format; then
times the command line rendering the seed and the YAML example to Markdown. Ratios are
against the YAML figures measured in the same run.

    python bench/text_reader.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import command_ms  # noqa: E402
from timing import median_ms  # noqa: E402

from gfmdreport.formats.interchange.shape import read_yaml  # noqa: E402
from gfmdreport.formats.text.parse import read_text  # noqa: E402

EXAMPLE = ROOT / "examples" / "gcm-cluster-3.yaml"
TEXTS = [ROOT / "seeds" / "000_523e3a897795c3ae.txt",
         *sorted((ROOT / "tests" / "legacy").glob("pdf-*.txt"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    yaml_text = EXAMPLE.read_text(encoding="utf-8")
    base = median_ms(lambda: read_yaml(yaml_text), args.runs)
    print(f"{'read examples/gcm-cluster-3.yaml':40} {base:8.1f} ms (median of {args.runs})")
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        ms = median_ms(lambda text=text: read_text(text), args.runs)
        lines = text.count("\n") + 1
        print(f"{'read ' + path.name:40} {ms:8.1f} ms  {ms / base:5.1f}x yaml  "
              f"({lines} lines)")

    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    cli = [exe] if exe else [sys.executable, "-m", "gfmdreport"]
    runs = max(args.runs // 2, 3)
    yaml_cli = command_ms([*cli, "render", str(EXAMPLE), "-t", "md"], runs)
    text_cli = command_ms([*cli, "render", str(TEXTS[0]), "-t", "md"], runs)
    print(f"{'gfmdreport render example.yaml -t md':40} {yaml_cli:8.1f} ms (median of {runs})")
    print(f"{'gfmdreport render seed.txt -t md':40} {text_cli:8.1f} ms  "
          f"{text_cli / yaml_cli:5.2f}x yaml")


if __name__ == "__main__":
    main()
