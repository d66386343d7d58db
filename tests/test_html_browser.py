"""The HTML page in a real browser: Debian's Chromium, driven by Playwright for Python,
lays it out at 320 and 1280 px and runs axe-core on it; the documented command prints it
to PDF and poppler reads the PDF back, page by page.

Skipped, with the reason shown, where Chromium, Playwright for Python or poppler-utils is
missing (Debian packages ``chromium`` and ``poppler-utils``; ``pip install '.[test]'``).
CI installs them all, and there a skipped test fails the run."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

from gfmdreport import load
from gfmdreport import render
from gfmdreport.inline import plain
from gfmdreport.model import Column
from gfmdreport.model import Item
from gfmdreport.model import SummaryTable
from gfmdreport.testing import example_summary

from conftest import EXAMPLES

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the test extra installs it
    sync_playwright = None

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                    "(apt-get install chromium): browser checks skipped")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext is not installed (apt-get install "
                                   "poppler-utils): PDF checks skipped")
AXE = Path(__file__).parent / "vendor" / "axe-core"
LANGUAGES = {"en": EXAMPLES / "gcm-cluster-3.yaml", "fr": EXAMPLES / "gcm-cluster-3.fr.yaml",
             "es": EXAMPLES / "gcm-cluster-3.es.yaml"}
FOOTERS = {"en": "Page {n} of {total}", "fr": "Page {n} sur {total}",
           "es": "Página {n} de {total}"}
MM = 72 / 25.4  # PDF points in a millimetre


def page_file(folder: Path, name: str, html: bytes) -> Path:
    path = folder / f"{name}.html"
    path.write_bytes(html)
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The seed session's page in each language, and the kit's long and unicode
    examples, as files."""
    folder = tmp_path_factory.mktemp("pages")
    out = {lang: page_file(folder, lang, render(load(path), "html"))
           for lang, path in LANGUAGES.items()}
    for name in ("long", "unicode"):
        out[name] = page_file(folder, name, render(example_summary(name), "html"))
    return out


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    if sync_playwright is None:
        pytest.skip("Playwright for Python is not installed (pip install '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                            "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int, scheme: str = "light"):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(path.as_uri())
    return page


# ---- layout -----------------------------------------------------------------------------------

LAYOUT = """() => {
  const vw = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (getComputedStyle(e).clipPath !== 'none') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
  const wide = [], blank = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (clipped(el)) continue;  // read out, not shown: a visually hidden separator
    const r = el.getBoundingClientRect();
    if ((r.width || r.height) && (r.left < -0.5 || r.right > vw + 0.5)) {
      wide.push(`${name(el)} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let texts = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || clipped(node.parentElement)) continue;
    texts += 1;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()];
    const style = getComputedStyle(node.parentElement);
    if (!boxes.some(b => b.width > 0 && b.height > 0) ||
        style.visibility !== 'visible' || parseFloat(style.fontSize) < 12) {
      blank.push(node.textContent.trim().slice(0, 40));
    }
  }
  const h1 = document.querySelector('h1').getBoundingClientRect();
  return {vw, scrollWidth: document.documentElement.scrollWidth, wide, blank, texts,
          h1: [h1.left, h1.top, h1.right, h1.bottom],
          h1Colour: getComputedStyle(document.querySelector('h1 .session, h1')).color,
          background: getComputedStyle(document.body).backgroundColor};
}"""


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB pixels of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, header
    step = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) *
                                                          (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else
                                      up if pb <= pc else corner)) & 0xFF
        previous = line
        rows.append(bytes(line) if step == 3 else
                    bytes(b for j in range(0, stride, 4) for b in line[j:j + 3]))
    return width, height, rows


def rgb(css: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


@needs_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("name", ["en", "fr", "long", "unicode"])
def test_layout_fits_the_window_and_text_is_drawn(browser, pages, name, width, scheme):
    page = open_page(browser, pages[name], width, scheme)
    try:
        found = page.evaluate(LAYOUT)
        shot = page.screenshot()
    finally:
        page.close()
    # no horizontal scrolling, no box wider than the window
    assert found["vw"] == width
    assert found["scrollWidth"] <= width, f"the page scrolls sideways: {found['scrollWidth']}"
    assert found["wide"] == [], found["wide"][:10]
    # every text laid out in a box of its own, visible, at a readable size
    assert found["texts"] > 20 and found["blank"] == [], found["blank"][:10]
    # the page's own stylesheet applied (the Content-Security-Policy let it through), in
    # the colour scheme asked for
    accent = {"light": (11, 74, 117), "dark": (142, 201, 242)}[scheme]
    background = {"light": (255, 255, 255), "dark": (20, 24, 29)}[scheme]
    assert rgb(found["h1Colour"]) == accent and rgb(found["background"]) == background
    # and the heading drawn: pixels of the heading's colour in its box on the screenshot
    shot_width, shot_height, rows = png_pixels(shot)
    assert (shot_width, shot_height) == (width, 900)
    left, top, right, bottom = (round(v) for v in found["h1"])
    inked = sum(1 for y in range(max(top, 0), min(bottom, shot_height))
                for x in range(max(left, 0), min(right, shot_width))
                if abs(rows[y][3 * x] - accent[0]) + abs(rows[y][3 * x + 1] - accent[1]) +
                abs(rows[y][3 * x + 2] - accent[2]) < 60)
    assert inked > 0.02 * (right - left) * (bottom - top), "the heading is not drawn"


# ---- what a screen reader is given --------------------------------------------------------------

@needs_chromium
@pytest.mark.parametrize("width", [320, 1280])
def test_the_accessibility_tree_reads_title_time_venue_and_short_region_names(
        browser, pages, width):
    page = open_page(browser, pages["en"], width)
    try:
        tree = page.locator("main").aria_snapshot()
    finally:
        page.close()
    lines = [line.strip().replace("''", "'") for line in tree.splitlines()]  # YAML quoting
    # heading navigation meets the event and the session, parted by a dash
    assert "- 'heading \"GFMD Thematic Workshop on GFMD's contribution to the GCM — GCM " \
        "Cluster 3: International cooperation and governance of migration in all its " \
        "dimensions, including at borders, on transit, entry, return, readmission, " \
        "integration and reintegration\" [level=1]'" in lines
    # the times are time elements, and a comma parts them from the venue at any width
    when = lines[lines.index("- paragraph:") + 1:][:6]
    assert when == ["- time: 6 September 2017", '- text: ","', "- time: 10:30",
                    "- text: –", "- time: 12:30", '- text: ", Hotel Savoyen – Mancini 3b"']
    # each question is a region named by its label, not by its 150-250 characters
    regions = [line for line in lines if line.startswith("- region")]
    assert regions == [f'- region "Question {n}:":' for n in (1, 2, 3)]


# ---- axe-core ---------------------------------------------------------------------------------

def test_the_vendored_axe_core_is_the_one_its_readme_names():
    source = (AXE / "axe.min.js").read_bytes()
    readme = (AXE / "README.md").read_text(encoding="utf-8")
    assert source.startswith(b"/*! axe v4.14.")
    assert hashlib.sha256(source).hexdigest() in readme
    assert "Mozilla Public License" in (AXE / "LICENSE").read_text(encoding="utf-8")


@needs_chromium
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "width"), [("en", 1280), ("fr", 1280), ("es", 1280),
                                             ("en", 320), ("unicode", 1280)])
def test_axe_finds_no_violation(browser, pages, name, width, scheme):
    """WCAG 2.1 A and AA and axe's best practices, run on the page as it is served:
    axe is added as an init script, so the page's own policy (no scripts) stays on."""
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    context.add_init_script(path=str(AXE / "axe.min.js"))
    page = context.new_page()
    try:
        page.goto(pages[name].as_uri())
        results = page.evaluate("""async () => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
          return {version: axe.version, passes: r.passes.length, violations:
            r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                    nodes: v.nodes.map(n => n.target.join(' '))}))};
        }""")
    finally:
        context.close()
    assert results["version"].startswith("4.14.")
    assert results["passes"] > 10  # axe did run its rules
    assert results["violations"] == []


# ---- print ------------------------------------------------------------------------------------

def chromium(tmp_path: Path, page: Path, *args: str) -> None:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", *args, page.as_uri()]
    subprocess.run(command, capture_output=True, timeout=120, check=False)


def print_pdf(tmp_path: Path, html: bytes, name: str) -> Path:
    """The page printed as docs/html.md says: chromium --headless --print-to-pdf."""
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


def flat(text: str) -> str:
    """Text with line breaks (and the hyphenation at them) undone, ligatures and spaces
    normalised."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"-\s+", "-", " ".join(text.split()))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each language's page printed to PDF: {language: (path, text of each page)}."""
    if CHROMIUM is None or shutil.which("pdftotext") is None:
        pytest.skip("chromium or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("print")
    out = {}
    for lang, path in LANGUAGES.items():
        pdf = print_pdf(folder, render(load(path), "html"), lang)
        out[lang] = (pdf, pdf_pages(pdf))
    return out


HEADINGS = """() => [...document.querySelectorAll('h2')].map(h => {
  let next = h.nextElementSibling;
  for (let e = h; !next && e.parentElement; e = e.parentElement) next = e.nextElementSibling;
  return [h.textContent, next ? next.textContent : ''];
})"""


@needs_chromium
@needs_poppler
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_printed_headings_are_whole_and_kept_with_their_text(browser, pages, printed,
                                                             language):
    page = open_page(browser, pages[language], 1280)
    try:
        headings = page.evaluate(HEADINGS)
    finally:
        page.close()
    assert len(headings) == 4  # the section heading and three questions
    texts = [flat(p) for p in printed[language][1]]
    for heading, following in headings:
        heading, start = flat(heading), " ".join(flat(following).split()[:6])
        where = [n for n, text in enumerate(texts, 1) if heading in text]
        assert len(where) == 1, f"page {language}: heading cut across pages: {heading[:70]}"
        text = texts[where[0] - 1]
        assert start in text[text.index(heading):], \
            f"{language} page {where[0]} ends after the heading {heading[:50]!r}"


@needs_chromium
@needs_poppler
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_printed_pages_are_a4_with_the_margins_and_footers_the_guide_gives(printed,
                                                                           language):
    # the footer comes from the embedded stylesheet: its presence also shows that the
    # Content-Security-Policy let the page's own style through
    pdf, pages = printed[language]
    assert 2 <= len(pages) <= 6
    for n, page in enumerate(pages, 1):
        assert FOOTERS[language].format(n=n, total=len(pages)) in page
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    for n, page in enumerate(re.findall(r"<page (.*?)</page>", boxes, re.S), 1):
        width, height = (float(v) for v in re.search(
            r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        assert (round(width / MM), round(height / MM)) == (210, 297)
        words = [(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">([^<]*)<', page)]
        footer = [w for w in words if w[1] > height - 22 * MM]
        body = [w for w in words if w not in footer]
        # docs/html.md: 20 mm margins, 22 mm at the bottom, where the footer is
        assert min(w[0] for w in body) >= 20 * MM - 1 and max(w[2] for w in body) <= \
            width - 20 * MM + 1
        assert min(w[1] for w in body) >= 20 * MM - 1
        assert max(w[3] for w in body) <= height - 22 * MM + 1, f"page {n}: text in the margin"
        assert " ".join(w[4] for w in footer) == FOOTERS[language].format(n=n,
                                                                           total=len(pages))


@needs_chromium
@needs_poppler
def test_printed_pdf_has_the_questions_and_numbered_paragraphs(printed):
    text = "\n".join(printed["en"][1])
    for n in (1, 2, 3):
        assert re.search(rf"^Question {n}: ", text, re.M), f"Question {n} missing"
    markers = [int(m) for m in re.findall(r"^\s{0,6}(\d)\.\s", text, re.M)]
    assert markers == [1, 2, 3, 4, 5]
    assert "6 September 2017, 10:30–12:30, Hotel Savoyen" in text
    assert re.search(r"a\) Policy and institutional coherence", text)


@needs_chromium
@needs_poppler
def test_takeaways_and_table_are_not_split_across_pages(printed, example):
    pages = [flat(p) for p in printed["en"][1]]
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
