"""The DOCX writer's output read by independent programs: pandoc (docx → its document
tree) and LibreOffice (docx → PDF, read back with poppler's pdftotext).

Each test is skipped, saying why, only when its program is not installed.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from gfmdreport import Column
from gfmdreport import Heading
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import load
from gfmdreport import render

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PANDOC = shutil.which("pandoc")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

needs_pandoc = pytest.mark.skipif(not PANDOC, reason="pandoc is not installed")
needs_libreoffice = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT),
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are needed to check the "
           "PDF rendering")

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4
LONG_URL = "https://www.gfmd.org/" + "/".join(f"segment{n:02d}" for n in range(25))


def long_words_summary() -> SessionSummary:
    """Text that cannot wrap at spaces, in the narrow cells of the closing table."""
    return SessionSummary(
        title="Long words", session="Layout check", date="2017-09-06", venue="Room 1",
        body=(
            Paragraph(f"A link <{LONG_URL}> and a word {LONG_WORD} in the text."),
            SummaryTable((
                Column("Points of Convergence", (Item(LONG_WORD), Item(f"<{LONG_URL}>"))),
                Column("Practical Recommendations", (Item("short"),)),
                Column("Challenges", (Item(LONG_URL),)),
            )),
        ))


# ---- pandoc ---------------------------------------------------------------------------

def walk(node) -> Iterator[dict]:
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def text(inlines) -> str:
    out = []
    for node in walk(inlines):
        kind = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "Code":
            out.append(node["c"][1])
    return "".join(out)


@pytest.fixture(scope="module")
def pandoc_tree(example, tmp_path_factory):
    path = tmp_path_factory.mktemp("pandoc") / "summary.docx"
    path.write_bytes(render(example, "docx"))
    result = subprocess.run([PANDOC, "-f", "docx", "-t", "json", str(path)],
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


@needs_pandoc
def test_pandoc_reads_numbered_paragraphs_as_one_running_ordered_list(pandoc_tree):
    numbers = []
    for block in pandoc_tree["blocks"]:
        if block["t"] == "OrderedList":
            (start, _, _), items = block["c"]
            numbers += range(start, start + len(items))
    assert numbers == [1, 2, 3, 4, 5], "numbering continues across headings and questions"


@needs_pandoc
def test_pandoc_reads_the_lettered_sub_list(pandoc_tree):
    nested = [node for block in pandoc_tree["blocks"] if block["t"] == "OrderedList"
              for node in walk(block["c"][1]) if node["t"] == "OrderedList"]
    (attrs, items), = (n["c"] for n in nested)
    assert attrs[1]["t"] == "LowerAlpha" and len(items) == 4
    assert text(items[0]).startswith("Policy and institutional coherence")


@needs_pandoc
def test_pandoc_reads_headings_and_bullet_takeaways(pandoc_tree):
    blocks = pandoc_tree["blocks"]
    headers = [(b["c"][0], text(b["c"][2])) for b in blocks if b["t"] == "Header"]
    assert headers[0] == (1, "GFMD Thematic Workshop on GFMD's contribution to the GCM")
    assert headers[1] == (2, "Overview on the GFMD Report's Chapter on GCM Cluster 3")
    assert [(level, t.split(":")[0]) for level, t in headers[2:]] == [
        (2, "Question 1"), (2, "Question 2"), (2, "Question 3")]
    bullets = [len(b["c"]) for b in blocks if b["t"] == "BulletList"]
    assert bullets == [3, 4, 2]


# ---- the outline, as pandoc and mammoth read it ------------------------------------------

def model_outline(summary: SessionSummary) -> list[tuple[int, str]]:
    """The outline the model gives: the title, then its section headings and questions
    as siblings one level below, as the report shows them."""
    from gfmdreport.inline import plain
    from gfmdreport.labels import summary_labels

    label = summary_labels(summary)["question"]
    found = [(1, summary.title)]
    for block in summary.body:
        if isinstance(block, Heading):
            found.append((2, plain(block.text)))
        elif isinstance(block, Question):
            found.append((2, f"{label} {block.number}: {plain(block.text)}"))
    return found


def squash(value: str) -> str:
    """White space made one space, and none before a colon (French typography puts a
    no-break space there)."""
    return re.sub(r" :", ":", re.sub(r"[\s\u00a0\u202f]+", " ", value)).strip()


OUTLINE_CASES = {"en": "gcm-cluster-3.yaml", "fr": "gcm-cluster-3.fr.yaml",
                 "es": "gcm-cluster-3.es.yaml", "no-sections": None}


def outline_summary(case: str) -> SessionSummary:
    if OUTLINE_CASES[case] is None:  # questions only: no section heading above them
        return SessionSummary(title="Workshop", session="Session", date="2017-09-06",
                              body=(Paragraph("A paragraph."),
                                    Question(1, "First?", (Item("One."),)),
                                    Question(2, "Second?", (Item("Two."),))))
    return load(EXAMPLES / OUTLINE_CASES[case])


@needs_pandoc
@pytest.mark.parametrize("case", OUTLINE_CASES)
def test_pandoc_sees_the_model_outline(case, tmp_path):
    summary = outline_summary(case)
    path = tmp_path / "summary.docx"
    path.write_bytes(render(summary, "docx", toc=True))
    tree = json.loads(subprocess.run([PANDOC, "-f", "docx", "-t", "json", str(path)],
                                     capture_output=True, text=True, timeout=120,
                                     check=True).stdout)
    headers = [(b["c"][0], squash(text(b["c"][2]))) for b in tree["blocks"]
               if b["t"] == "Header"]
    assert headers == [(level, squash(t)) for level, t in model_outline(summary)]


@pytest.mark.parametrize("case", OUTLINE_CASES)
def test_mammoth_sees_the_model_outline(case):
    """mammoth maps only Word's built-in heading styles to HTML headings."""
    import html

    import mammoth

    summary = outline_summary(case)
    result = mammoth.convert_to_html(io.BytesIO(render(summary, "docx", toc=True)))
    headers = [(int(level), squash(html.unescape(re.sub(r"<[^>]+>", "", inner))))
               for level, inner in re.findall(r"<h([1-6])>(.*?)</h\1>", result.value)]
    assert headers == [(level, squash(t)) for level, t in model_outline(summary)]
    assert not [m for m in result.messages if "Style ID: Heading" in m.message]


@needs_pandoc
def test_pandoc_reads_the_table_with_its_headings_and_cell_lists(pandoc_tree, example):
    table, = (b for b in pandoc_tree["blocks"] if b["t"] == "Table")
    head, bodies = table["c"][3], table["c"][4]
    headings = [text(cell[4]) for row in head[1] for cell in row[1]]
    assert headings == [c.heading for c in example.table.columns]
    cell_lists = [n for n in walk(bodies) if n["t"] == "BulletList"]
    assert [len(n["c"]) for n in cell_lists] == [2, 1, 2]


# ---- LibreOffice ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdfs(example, tmp_path_factory) -> dict[str, Path]:
    """The example and the long-words summary, converted by one LibreOffice run (with its
    own profile, so parallel runs do not collide)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = {"example": render(example, "docx"),
               "long": render(long_words_summary(), "docx"),
               "toc": render(example, "docx", toc=True),
               "edited": edited(render(example, "docx"))}
    for name, data in sources.items():
        (folder / f"{name}.docx").write_bytes(data)
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(folder / f"{name}.docx") for name in sources)],
                   capture_output=True, timeout=240, check=True)
    found = {name: folder / f"{name}.pdf" for name in sources}
    missing = [name for name, path in found.items() if not path.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return found


def edited(data: bytes) -> bytes:
    """The document as an editor leaves it after inserting a paragraph with nothing but
    the numbered-paragraph style, as Word's style gallery applies it."""
    doc = docx.Document(io.BytesIO(data))
    first = next(p for p in doc.paragraphs if p.style.name == "GFMD Numbered Paragraph")
    new = first.insert_paragraph_before("An inserted paragraph.")
    new.style = doc.styles["GFMD Numbered Paragraph"]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run([PDFTOTEXT, *args, str(path), "-"], capture_output=True,
                          text=True, timeout=60, check=True).stdout


@needs_libreoffice
def test_libreoffice_prints_paragraph_numbers_1_to_5_in_order(pdfs):
    lines = pdf_text(pdfs["example"]).splitlines()
    found = [int(m.group(1)) for line in lines if (m := re.match(r"^(\d+)\.(\s|$)", line))]
    assert found == [1, 2, 3, 4, 5]


@needs_libreoffice
def test_a_paragraph_given_the_style_is_numbered_and_the_others_move_on(pdfs):
    lines = [line for line in pdf_text(pdfs["edited"]).splitlines() if line.strip()]
    found = [int(m.group(1)) for line in lines if (m := re.match(r"^(\d+)\.(\s|$)", line))]
    assert found == [1, 2, 3, 4, 5, 6]
    first = next(i for i, line in enumerate(lines) if re.match(r"^1\.(\s|$)", line))
    assert "An inserted paragraph." in " ".join(lines[first:first + 2])


@needs_libreoffice
def test_libreoffice_prints_letters_questions_table_and_page_numbers(pdfs, example):
    content = pdf_text(pdfs["example"])
    lines = content.splitlines()
    letters = [m.group(1) for line in lines if (m := re.match(r"^([a-d])\)", line))]
    assert letters == ["a", "b", "c", "d"]
    positions = [content.index(f"Question {n}:") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    flat = " ".join(content.split())
    for column in example.table.columns:
        assert column.heading in flat
    pages = content.count("\f")
    assert f"Page 1 of {pages}" in content and f"Page {pages} of {pages}" in content


@needs_libreoffice
def test_libreoffice_keeps_long_words_inside_the_page(pdfs):
    layout = pdf_text(pdfs["long"], "-bbox")
    page = re.search(r'<page width="([\d.]+)"', layout)
    width = float(page.group(1))
    right_edge = width - 2.5 / 2.54 * 72  # the default template's 2.5 cm margin
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', layout)
    assert words
    overflow = [float(x1) for _, x1 in words if float(x1) > right_edge + 1]
    assert not overflow, "text runs past the right margin"
    assert "Pneumonoultramicroscopic" in pdf_text(pdfs["long"])


@needs_libreoffice
def test_libreoffice_converts_the_table_of_contents(pdfs):
    content = pdf_text(pdfs["toc"])
    contents = content.index("Contents")
    assert contents < content.index("Question 1:") < content.index("The above-entitled")
