"""Cost of reading Word documents back, against opening the same file with python-docx.

Renders the seed example to DOCX, then reads it in process (median of --runs, the
inline-markup cache cleared each time): unedited (the embedded model is used), edited
(one paragraph inserted, so the content is read and compared with the model), without
its model (the content alone), and the same session typed by hand in Word's built-in
styles. Then a big report (the example's body forty times over: some 1,400 texts, more
than the process-wide inline parse cache holds, which the reader does not rely on: it
parses each text once per document), unedited and edited. Ratios are against
``docx.Document()`` opening the same file in the same run (python-docx parses the
package and nothing more). Then times the command line rendering the DOCX and the YAML
example to Markdown.

    python bench/docx_read.py [--runs 20]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from timing import command_ms  # noqa: E402
from timing import median_ms  # noqa: E402

from gfmdreport import load  # noqa: E402
from gfmdreport import render  # noqa: E402
from gfmdreport.formats.docx.read import read_docx  # noqa: E402
from gfmdreport.model import Heading  # noqa: E402
from gfmdreport.model import Paragraph  # noqa: E402
from gfmdreport.model import Question  # noqa: E402
from gfmdreport.model import SummaryTable  # noqa: E402
from gfmdreport.model import walk_texts  # noqa: E402

EXAMPLE = ROOT / "examples" / "gcm-cluster-3.yaml"


def edited(data: bytes) -> bytes:
    document = docx.Document(io.BytesIO(data))
    target = next(p for p in document.paragraphs if p.text.startswith("The Chair opened"))
    target.insert_paragraph_before("An inserted paragraph.", style="GFMD Numbered Paragraph")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def without_model(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename.startswith("customXml/"):
                continue
            blob = re.sub(rb"<(?:Relationship|Override)[^>]*customXml[^>]*/>", b"", blob)
            zf.writestr(info.filename, blob)
    return out.getvalue()


def by_hand(summary) -> bytes:
    from gfmdreport.inline import plain

    d = docx.Document()
    d.add_paragraph(summary.title, style="Title")
    d.add_paragraph(summary.session, style="Subtitle")
    d.add_paragraph(f"6 September 2017, 10:30-12:30, {summary.venue}")
    for block in summary.body:
        if isinstance(block, Paragraph):
            d.add_paragraph(plain(block.text), style="List Number")
            for item in block.items:
                d.add_paragraph(plain(item.text), style="List Number 2")
        elif isinstance(block, Heading):
            d.add_heading(plain(block.text), level=1)
        elif isinstance(block, Question):
            d.add_heading(f"Question {block.number}: {plain(block.text)}", level=2)
            for item in block.takeaways:
                d.add_paragraph(plain(item.text), style="List Bullet")
        elif isinstance(block, SummaryTable):
            table = d.add_table(rows=2, cols=len(block.columns))
            for j, column in enumerate(block.columns):
                table.rows[0].cells[j].text = column.heading
                table.rows[1].cells[j].text = "\n".join(i.text for i in column.items)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def big(summary, times: int = 40):
    """The summary with its body repeated ``times`` times, each copy's texts its own."""
    from dataclasses import replace

    from gfmdreport.model import map_texts

    body = []
    for n in range(times):
        copy = map_texts(replace(summary, body=summary.body),
                         lambda text, _ref, n=n: f"{text} (copy {n})")
        body += [b for b in copy.body if not isinstance(b, SummaryTable)]
    body.append(summary.table)
    return replace(summary, body=tuple(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    summary = load(EXAMPLE)
    data = render(summary, "docx")
    cases = [("unedited (embedded model)", data), ("edited (content vs model)", edited(data)),
             ("without its model", without_model(data)), ("typed in Word styles",
                                                          by_hand(summary))]
    base = median_ms(lambda: docx.Document(io.BytesIO(data)), args.runs)
    print(f"{'python-docx opens the DOCX':34} {base:8.1f} ms (median of {args.runs})")
    for label, blob in cases:
        ms = median_ms(lambda blob=blob: read_docx(blob), args.runs)
        print(f"{'read ' + label:34} {ms:8.1f} ms  {ms / base:5.2f}x python-docx")

    from gfmdreport import inline

    large = big(summary)
    large_data = render(large, "docx")
    texts = sum(1 for _ in walk_texts(large))
    runs = max(args.runs // 4, 3)
    base = median_ms(lambda: docx.Document(io.BytesIO(large_data)), runs)
    print(f"{'python-docx opens the big DOCX':34} {base:8.1f} ms ({texts} texts, "
          f"median of {runs})")
    for label, blob in (("big report, unedited", large_data),
                        ("big report, edited", edited(large_data))):
        ms = median_ms(lambda blob=blob: read_docx(blob), runs)
        inline.parse.cache_clear()
        read_docx(blob)
        info = inline.parse.cache_info()
        print(f"{'read ' + label:34} {ms:8.1f} ms  {ms / base:5.2f}x python-docx  "
              f"(process-wide parse cache: {info.hits} hits in "
              f"{info.hits + info.misses} calls)")

    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    cli = [exe] if exe else [sys.executable, "-m", "gfmdreport"]
    runs = max(args.runs // 2, 3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "summary.docx"
        path.write_bytes(data)
        yaml_cli = command_ms([*cli, "render", str(EXAMPLE), "-t", "md"], runs)
        docx_cli = command_ms([*cli, "render", str(path), "-t", "md"], runs)
    print(f"{'gfmdreport render example.yaml -t md':34} {yaml_cli:8.1f} ms (median of {runs})")
    print(f"{'gfmdreport render summary.docx -t md':34} {docx_cli:8.1f} ms  "
          f"{docx_cli / yaml_cli:5.2f}x yaml")


if __name__ == "__main__":
    main()
