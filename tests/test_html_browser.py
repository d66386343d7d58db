"""The HTML page in a real browser: headless Chromium renders it to PNG and prints it to
PDF; poppler reads the PDF back.

Skipped, with the reason shown, where Chromium or poppler-utils is not installed
(Debian packages ``chromium`` and ``poppler-utils``)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from gfmdreport import render
from gfmdreport.inline import plain
from gfmdreport.model import Column, Item, SummaryTable

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                    "(apt-get install chromium): browser checks skipped")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext is not installed (apt-get install "
                                   "poppler-utils): PDF checks skipped")


def chromium(tmp_path: Path, page: Path, *args: str) -> None:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", *args, page.as_uri()]
    subprocess.run(command, capture_output=True, timeout=120, check=False)


def print_pdf(tmp_path: Path, html: bytes, name: str) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_bytes(html)
    pdf = tmp_path / f"{name}.pdf"
    chromium(tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), "Chromium printed no PDF"
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


@pytest.fixture(scope="module")
def printed(tmp_path_factory, example):
    """The example session printed to PDF: (path, text of each page)."""
    if CHROMIUM is None or shutil.which("pdftotext") is None:
        pytest.skip("chromium or pdftotext is not installed")
    pdf = print_pdf(tmp_path_factory.mktemp("print"), render(example, "html"), "example")
    return pdf, pdf_pages(pdf)


def flat(text: str) -> str:
    """Text with line breaks (and the hyphenation at them) undone."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


@needs_chromium
@needs_poppler
def test_printed_pdf_has_the_questions_and_numbered_paragraphs(printed):
    text = "\n".join(printed[1])
    for n in (1, 2, 3):
        assert re.search(rf"^Question {n}: ", text, re.M), f"Question {n} missing"
    markers = [int(m) for m in re.findall(r"^\s{0,6}(\d)\.\s", text, re.M)]
    assert markers == [1, 2, 3, 4, 5]
    assert "6 September 2017, 10:30-12:30" in text
    assert re.search(r"a\) Policy and institutional coherence", text)


@needs_chromium
@needs_poppler
def test_printed_pages_are_a4_with_numbered_footers(printed):
    # the footer comes from the embedded stylesheet: its presence also shows that the
    # Content-Security-Policy let the page's own style through
    pdf, pages = printed
    assert 2 <= len(pages) <= 6
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts",
                                         info).groups())
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


@needs_chromium
@needs_poppler
def test_takeaways_and_table_are_not_split_across_pages(printed, example):
    pages = [flat(p) for p in printed[1]]
    takeaways = [flat(plain(t.text)) for q in example.questions for t in q.takeaways]
    assert len(takeaways) == 9
    for takeaway in takeaways:
        assert any(takeaway in page for page in pages), takeaway[:60]
    table = [p for p in pages if "Points of Convergence Practical Recommendations" in p]
    assert len(table) == 1
    for item in example.table.columns[2].items + example.table.columns[0].items:
        assert " ".join(item.text.split()[:3]) in table[0]


@needs_chromium
@needs_poppler
def test_long_table_repeats_its_header_on_each_page(tmp_path, example):
    columns = tuple(Column(h, tuple(Item(f"point {i} of {h.lower()}, long enough to wrap "
                                         "onto a second line") for i in range(50)))
                    for h in ("Convergence", "Recommendations", "Challenges"))
    summary = dataclasses.replace(example, body=(*example.body[:-1], SummaryTable(columns)))
    pages = pdf_pages(print_pdf(tmp_path, render(summary, "html"), "long"))
    table_pages = [p for p in pages if "point 3" in p or "point 4" in p or "of challenges" in p]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert re.search(r"Convergence\s+Recommendations\s+Challenges", page), page[:300]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
@pytest.mark.parametrize("width", [1280, 320])
def test_screenshots(tmp_path, example, width):
    page = tmp_path / "page.html"
    page.write_bytes(render(example, "html"))
    png = tmp_path / f"shot-{width}.png"
    chromium(tmp_path, page, f"--window-size={width},1600", f"--screenshot={png}")
    assert png.exists(), "Chromium took no screenshot"
    assert png_size(png) == (width, 1600)
    assert png.stat().st_size > 20_000  # text was drawn, not a blank page
