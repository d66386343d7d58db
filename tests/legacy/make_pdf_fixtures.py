"""Make the ``pdf-*.txt`` fixtures: the example session printed to PDF by two
independent engines, then extracted with pdftotext, as an archive's PDFs would be.

    python tests/legacy/make_pdf_fixtures.py

Needs chromium, soffice (LibreOffice) and pdftotext (poppler-utils). The session is
written as HTML with numbered paragraphs, lettered sub-items, bulleted takeaways and a
closing table whose cells hold bulleted items; long words carry soft hyphens so that
lines break inside words. Chromium prints its running header and footer (date, title,
file address, page x/y) on every page; LibreOffice prints none. Each PDF is extracted in
pdftotext's default reading order and with ``-layout``.

The fixtures are committed: the tests read them and need none of these programs.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from gfmdreport import load  # noqa: E402
from gfmdreport.inline import runs  # noqa: E402
from gfmdreport.model import Heading  # noqa: E402
from gfmdreport.model import Paragraph  # noqa: E402
from gfmdreport.model import Question  # noqa: E402
from gfmdreport.model import SummaryTable  # noqa: E402

CSS = """
@page { size: A4; margin: 2.2cm 2.4cm; }
body { font-family: 'DejaVu Serif', serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 15pt; } h2 { font-size: 12.5pt; } h3 { font-size: 11.5pt; }
p, li { text-align: justify; }
ol.paras { padding-left: 2em; } ol.paras > li { margin-bottom: .6em; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #444; vertical-align: top; padding: 4pt; width: 33%; }
"""


def soft_hyphens(text: str) -> str:
    """Soft hyphens in long words, so that justified lines break inside them."""
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        return w[:5] + "\u00ad" + w[5:] if len(w) >= 11 else w
    return re.sub(r"[A-Za-z]+", word, text)


def inline_html(source: str, hyphens: bool = True) -> str:
    out = []
    for run in runs(source):
        text = html.escape(soft_hyphens(run.text) if hyphens else run.text)
        out.append(f"<strong>{text}</strong>" if run.bold else text)
    return "".join(out)


def session_html() -> str:
    s = load(ROOT / "examples" / "gcm-cluster-3.yaml")
    parts = [f"<h1>{html.escape(s.title)}</h1>", f"<h2>{html.escape(s.session)}</h2>",
             "<p>6 September 2017, 10:30-12:30 &nbsp; "
             f"{html.escape(s.venue)}</p>"]
    open_ol = False
    for number, block in s.numbered():
        if isinstance(block, Paragraph):
            if not open_ol:
                parts.append(f'<ol class="paras" start="{number}">')
                open_ol = True
            li = f"<li>{inline_html(block.text)}"
            if block.items:
                li += '<ol type="a">' + "".join(f"<li>{inline_html(i.text)}</li>"
                                              for i in block.items) + "</ol>"
            parts.append(li + "</li>")
            continue
        if open_ol:
            parts.append("</ol>")
            open_ol = False
        if isinstance(block, Heading):
            parts.append(f"<h3>{inline_html(block.text, False)}</h3>")
        elif isinstance(block, Question):
            parts.append(f"<h3>Question {block.number}: {inline_html(block.text, False)}</h3>")
            parts.append("<ul>" + "".join(f"<li>{inline_html(t.text)}</li>"
                                          for t in block.takeaways) + "</ul>")
        elif isinstance(block, SummaryTable):
            head = "".join(f"<th>{html.escape(c.heading)}</th>" for c in block.columns)
            cells = "".join("<td><ul>" + "".join(f"<li>{html.escape(i.text)}</li>"
                                                 for i in c.items) + "</ul></td>"
                            for c in block.columns)
            parts.append(f"<table><tr>{head}</tr><tr>{cells}</tr></table>")
    if open_ol:
        parts.append("</ol>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(s.title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(parts) + "</body></html>")


def main() -> None:
    for tool in ("chromium", "soffice", "pdftotext"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed to make these fixtures")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        page = work / "session.html"
        page.write_text(session_html(), encoding="utf-8")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             f"--user-data-dir={work / 'profile'}", f"--print-to-pdf={work / 'chromium.pdf'}",
             page.as_uri()], check=True, capture_output=True, timeout=120)
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'lo').as_uri()}",
                        "--headless", "--convert-to", "pdf:writer_web_pdf_Export",
                        "--outdir", str(work / "lo-out"), str(page)],
                       check=True, capture_output=True, timeout=180)
        (work / "lo-out" / "session.pdf").rename(work / "libreoffice.pdf")
        for engine in ("chromium", "libreoffice"):
            for mode, args in (("raw", []), ("layout", ["-layout"])):
                out = HERE / f"pdf-{engine}-{mode}.txt"
                subprocess.run(["pdftotext", *args, "-enc", "UTF-8",
                                str(work / f"{engine}.pdf"), str(out)], check=True)
                print(f"wrote {out.relative_to(ROOT)}")
            shutil.copy(work / f"{engine}.pdf", Path(tempfile.gettempdir()) /
                        f"gfmd-{engine}.pdf")


if __name__ == "__main__":
    main()
