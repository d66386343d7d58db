"""The PDF writer: the docx writer's output converted by LibreOffice, checked with
gfmdreport's conformance kit and read back with poppler's pdftotext."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from gfmdreport_pdf.convert import normalise
from gfmdreport_pdf.convert import stamp

from gfmdreport import Heading
from gfmdreport import Paragraph
from gfmdreport import PluginError
from gfmdreport import Question
from gfmdreport import RenderError
from gfmdreport import SummaryTable
from gfmdreport import UsageError
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import load
from gfmdreport import plain
from gfmdreport import render
from gfmdreport.testing import check_writer
from gfmdreport.testing import example_summary

REPO = Path(__file__).resolve().parents[3]
SEED_EXAMPLE = REPO / "examples" / "gcm-cluster-3.yaml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils (pdftotext) is not installed")


def stand_in_docx(summary, options):
    """A minimal Word report, standing in where no docx writer is installed."""
    import docx

    document = docx.Document()

    def text(source):
        return "".join(ch for ch in plain(source) if ch >= " " or ch in "\t\n")

    def items(found, depth=0):
        for item in found:
            document.add_paragraph(text(item.text),
                                   style="List Bullet" + (f" {depth + 1}" if depth else ""))
            items(item.items, min(depth + 1, 2))

    if summary.title:
        document.add_heading(text(summary.title), 0)
    for number, block in summary.numbered():
        if isinstance(block, Paragraph):
            document.add_paragraph(f"{number}. {text(block.text)}")
            items(block.items)
        elif isinstance(block, Heading):
            document.add_heading(text(block.text), 1)
        elif isinstance(block, Question):
            document.add_heading(f"Question {block.number}: {text(block.text)}", 2)
            items(block.takeaways)
        elif isinstance(block, SummaryTable) and block.columns:
            table = document.add_table(rows=2, cols=len(block.columns))
            for j, column in enumerate(block.columns):
                table.cell(0, j).text = text(column.heading)
                cell = table.cell(1, j)
                for item in (i for top in column.items for i in top.walk()):
                    cell.add_paragraph(text(item.text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class StandInDocx:
    @hookimpl
    def register_writers(self, register):
        register(Writer(name="docx", write=stand_in_docx, suffix=".docx", media_type=DOCX,
                        binary=True, description="stand-in Word writer for the PDF tests"))


@pytest.fixture
def pdf_plugins(gfmd_plugins):
    """The pdf plugin with the installed docx writer, or a stand-in where there is none."""
    plugins = gfmd_plugins(only=["pdf", "docx", "yaml"])
    if "docx" not in plugins.registry.writers:
        plugins = gfmd_plugins(("stand-in-docx", StandInDocx()), only=["pdf", "yaml"])
    return plugins


def pdftotext(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "x.pdf")
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True,
                              capture_output=True, text=True).stdout


def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in program for LibreOffice (a shell script)."""
    program = folder / "fake-soffice"
    program.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    program.chmod(0o755)
    return program


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Temporary files go to a folder of this test's own, to see that none is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# ---- with LibreOffice ----------------------------------------------------------------------

@needs_soffice
@needs_pdftotext
def test_conformance(pdf_plugins):
    # Deterministic (rendered twice, seconds apart), valid for poppler, every block present.
    check_writer("pdf", plugins=pdf_plugins, examples=["every-block", "unicode", "sparse"],
                 workers=3)


@needs_soffice
@needs_pdftotext
def test_the_seed_session(pdf_plugins, tmp_path, gfmd_cli):
    if not SEED_EXAMPLE.exists():
        pytest.skip("the gfmdreport examples are not beside this plugin")
    out = tmp_path / "summary.pdf"
    result = gfmd_cli("render", SEED_EXAMPLE, "-o", out, plugins=pdf_plugins)
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.") and b"/StructTreeRoot" in data  # tagged PDF
    assert b"/CreationDate(D:20170906000000" in data  # the session's date, not today's
    text = " ".join(pdftotext(data).split())
    summary = load(SEED_EXAMPLE)
    assert summary.title in text
    for question in summary.questions:
        assert " ".join(plain(question.text).split()[:6]) in text
    assert "Points of Convergence" in text
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


@needs_soffice
def test_parallel_conversions_do_not_collide(pdf_plugins, private_tmp):
    summaries = [example_summary("every-block"), example_summary("fr")]
    results: dict[int, bytes | BaseException] = {}

    def convert(i):
        try:
            results[i] = render(summaries[i], "pdf", plugins=pdf_plugins)
        except BaseException as exc:  # reported below
            results[i] = exc

    threads = [threading.Thread(target=convert, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert all(isinstance(results[i], bytes) for i in range(2)), results
    assert results[0] != results[1]
    assert b"/CreationDate(D:20190514" in results[0]
    assert b"/CreationDate(D:20170907" in results[1]
    assert list(private_tmp.iterdir()) == []


# ---- tagged and bookmarked -----------------------------------------------------------------
# The three seed sessions (en, fr, es), each rendered once as Word and as PDF. The PDF is
# read with pypdf; what it should hold comes from the model (texts, order, language,
# title) and from the Word report it was made from (the outline level of each
# paragraph, as its style declares it), so that the checks follow the Word writer's
# heading styles whatever they become.

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEEDS = {"en": "gcm-cluster-3.yaml", "fr": "gcm-cluster-3.fr.yaml",
         "es": "gcm-cluster-3.es.yaml"}


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def docx_outline(document: bytes) -> list[tuple[int, str]]:
    """The paragraphs of a Word document that have an outline level (their own, or their
    style's through ``basedOn``): ``(level from 1, text)`` in document order."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(document)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    declared: dict[str, tuple[int | None, str | None]] = {}
    for style in styles.iter(f"{W}style"):
        level = style.find(f"{W}pPr/{W}outlineLvl")
        based = style.find(f"{W}basedOn")
        declared[style.get(f"{W}styleId")] = (
            None if level is None else int(level.get(f"{W}val")),
            None if based is None else based.get(f"{W}val"))

    def style_level(style_id: str | None) -> int | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            level, style_id_next = declared.get(style_id, (None, None))
            if level is not None:
                return level
            style_id = style_id_next
        return None

    found = []
    for paragraph in body.iter(f"{W}p"):
        own = paragraph.find(f"{W}pPr/{W}outlineLvl")
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        level = (int(own.get(f"{W}val")) if own is not None
                 else style_level(None if style is None else style.get(f"{W}val")))
        if level is not None and level < 9:  # 9 is body text
            text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
            found.append((level + 1, words(text)))
    return found


def pdf_outline(reader) -> list[tuple[int, str]]:
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, words(item.title)))

    walk(reader.outline, 1)
    return found


def heading_tags(reader) -> list[int]:
    """The level of each heading in the PDF's structure tree, in reading order (H1…H6,
    directly or through the role map; H counts as level 0)."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    roles = {str(k): str(v) for k, v in (root.get("/RoleMap") or {}).items()}
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        tag = node.get("/S")
        if tag is not None:
            tag = str(tag)
            seen = set()
            while tag in roles and tag not in seen and roles[tag] != tag:
                seen.add(tag)
                tag = roles[tag]
            if tag == "/H" or (len(tag) == 3 and tag.startswith("/H") and tag[2].isdigit()):
                found.append(int(tag[2:] or 0))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(root)
    return found


@pytest.fixture(scope="module")
def seed_reports():
    """``{language: (summary, docx bytes, pypdf reader)}`` for the three seed sessions."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pypdf = pytest.importorskip("pypdf")
    from gfmdreport.testing import make_plugins

    plugins = make_plugins(only=["pdf", "docx", "yaml"])
    if "docx" not in plugins.registry.writers:
        pytest.skip("the gfmdreport docx writer is not installed")
    reports = {}
    for language, name in SEEDS.items():
        path = REPO / "examples" / name
        if not path.exists():
            pytest.skip("the gfmdreport examples are not beside this plugin")
        summary = load(path, plugins=plugins)
        document = render(summary, "docx", plugins=plugins)
        pdf = render(summary, "pdf", plugins=plugins)
        reports[language] = (summary, document, pypdf.PdfReader(io.BytesIO(pdf)))
    return reports


@pytest.mark.parametrize("language", SEEDS)
def test_the_pdf_is_tagged_with_the_language_and_title(seed_reports, language):
    summary, _, reader = seed_reports[language]
    assert summary.language == language
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    lang = str(root["/Lang"])
    assert lang.split("-")[0] == language, lang
    assert words(reader.metadata.title) == words(summary.title)
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


@pytest.mark.parametrize("language", SEEDS)
def test_the_bookmarks_are_the_headings_in_order_at_their_levels(seed_reports, language):
    summary, document, reader = seed_reports[language]
    outline = pdf_outline(reader)
    # At the levels the Word report gives its headings, with their texts.
    assert outline == docx_outline(document)
    # Every section heading and question of the model, in the model's order, and
    # nothing else than the model's title besides.
    expected = [plain(b.text) for b in summary.body if isinstance(b, (Heading, Question))]
    assert len(expected) >= 2
    titles = [title for _, title in outline if title != words(summary.title)]
    assert len(titles) == len(expected)
    for title, heading in zip(titles, expected, strict=True):
        assert title.endswith(words(heading)), (title, heading)
    # Sections and questions are siblings in the model: each question sits at the level
    # of the heading before it or below it, never above a section.
    levels = [level for level, title in outline if title != words(summary.title)]
    assert min(levels) == levels[0]


@pytest.mark.parametrize("language", SEEDS)
def test_the_structure_tree_tags_each_heading_at_its_level(seed_reports, language):
    _, _, reader = seed_reports[language]
    assert heading_tags(reader) == [level for level, _ in pdf_outline(reader)]


# ---- without LibreOffice: its failures, faked ----------------------------------------------

def test_a_missing_libreoffice_is_named(pdf_plugins, monkeypatch, tmp_path, gfmd_cli):
    import gfmdreport_pdf.convert

    monkeypatch.delenv("GFMDREPORT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(gfmdreport_pdf.convert, "_MAC", str(tmp_path / "LibreOffice.app"))
    with pytest.raises(RenderError, match="format 'pdf' needs LibreOffice, and the program "
                       "'soffice' was not found on PATH; install LibreOffice"):
        render(example_summary("minimal"), "pdf", plugins=pdf_plugins)
    monkeypatch.setenv("GFMDREPORT_SOFFICE", str(tmp_path / "nowhere" / "soffice"))
    out = tmp_path / "out.pdf"
    result = gfmd_cli("render", SEED_EXAMPLE, "-o", out, plugins=pdf_plugins)
    assert result.exit_code == 1
    assert result.stderr == (f"gfmdreport: error: GFMDREPORT_SOFFICE names "
                             f"'{tmp_path / 'nowhere' / 'soffice'}', which is not a program "
                             f"that can be run\n")
    assert list(tmp_path.iterdir()) == []


def test_a_conversion_over_time_is_stopped_and_cleaned_up(pdf_plugins, monkeypatch, tmp_path,
                                                           private_tmp):
    pid_file = tmp_path / "pid"
    program = fake_soffice(tmp_path, f"""\
        echo $$ > {pid_file}
        exec sleep 60
    """)
    monkeypatch.setenv("GFMDREPORT_SOFFICE", str(program))
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"LibreOffice did not convert the report within "
                       r"0.5 s and was stopped; a larger --pdf-timeout"):
        render(example_summary("minimal"), "pdf", plugins=pdf_plugins, pdf_timeout="0.5")
    assert time.monotonic() - started < 15
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert list(private_tmp.iterdir()) == []


def test_a_failed_conversion_says_what_libreoffice_said(pdf_plugins, monkeypatch, tmp_path,
                                                         private_tmp):
    program = fake_soffice(tmp_path, """\
        echo "Warning: failed to launch javaldx - java may not function correctly" >&2
        echo "Error: source file could not be loaded" >&2
        exit 3
    """)
    monkeypatch.setenv("GFMDREPORT_SOFFICE", str(program))
    with pytest.raises(RenderError, match=r"LibreOffice \(.*fake-soffice\) exited with status "
                       r"3: Error: source file could not be loaded$"):
        render(example_summary("minimal"), "pdf", plugins=pdf_plugins)
    program.write_text("#!/bin/sh\nexit 0\n")
    with pytest.raises(RenderError, match=r"fake-soffice\) produced no PDF$"):
        render(example_summary("minimal"), "pdf", plugins=pdf_plugins)
    assert list(private_tmp.iterdir()) == []


def test_libreoffice_gets_a_profile_of_its_own_and_the_docx(pdf_plugins, monkeypatch, tmp_path):
    log = tmp_path / "args"
    program = fake_soffice(tmp_path, f"""\
        printf '%s\\n' "$@" > {log}
        for last; do :; done
        out=$(dirname "$last")/out
        mkdir -p "$out"
        cat > "$out/summary.pdf" <<'EOF'
        %PDF-1.6
        1 0 obj <</CreationDate(D:20991231235959Z')>> endobj
        trailer
        <</ID [ <AB12> <AB12> ]>>
        %%EOF
        EOF
    """)
    monkeypatch.setenv("GFMDREPORT_SOFFICE", str(program))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = render(example_summary("every-block"), "pdf", plugins=pdf_plugins)
    assert b"/CreationDate(D:20190514000000Z')" in data  # the session's date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1504693800")  # 2017-09-06 10:30 UTC
    again = render(example_summary("every-block"), "pdf", plugins=pdf_plugins)
    assert b"/CreationDate(D:20170906103000Z')" in again
    args = log.read_text().splitlines()
    profile = [a for a in args if a.startswith("-env:UserInstallation=file://")]
    assert len(profile) == 1 and "gfmdreport-pdf-" in profile[0]
    target = args[args.index("--convert-to") + 1]
    assert target.startswith("pdf:writer_pdf_Export:{")
    export = json.loads(target.removeprefix("pdf:writer_pdf_Export:"))
    assert export["UseTaggedPDF"] == export["ExportBookmarks"] == {"type": "boolean",
                                                                   "value": "true"}
    assert args[-1].endswith("/summary.docx") and "--headless" in args


def test_timeout_values_are_checked(pdf_plugins, monkeypatch):
    for bad in ("soon", "0", "-3"):
        with pytest.raises(UsageError, match="the PDF timeout must be a number of seconds"):
            render(example_summary("minimal"), "pdf", plugins=pdf_plugins, pdf_timeout=bad)


def test_without_a_docx_writer_the_failure_says_so(gfmd_plugins, monkeypatch, tmp_path):
    program = fake_soffice(tmp_path, "exit 0\n")
    monkeypatch.setenv("GFMDREPORT_SOFFICE", str(program))
    plugins = gfmd_plugins(only=["pdf"])
    with pytest.raises((UsageError, PluginError), match="unknown output format 'docx'"):
        render(example_summary("minimal"), "pdf", plugins=plugins)


# ---- reproducibility ------------------------------------------------------------------------

def test_normalise_keeps_lengths_and_derives_the_identifier():
    import datetime as dt

    when = dt.datetime(2017, 9, 6, tzinfo=dt.UTC)
    a = (b"%PDF-1.6\n<</CreationDate(D:20261128202659Z')/ModDate(D:20261128202700Z')>>\n"
         b"<xmp:CreateDate>2026-11-28T20:26:59</xmp:CreateDate>\n"
         b"trailer\n<</ID [ <9E1A43BD0F748AE1A0E452E0D2B2E50A>\n"
         b"<9E1A43BD0F748AE1A0E452E0D2B2E50A> ]\n/DocChecksum /7CFEF4E55D60D5C43BE570748ECA0398"
         b">>\n%%EOF\n")
    b = a.replace(b"20261128202659", b"20300101010101").replace(b"9E1A43BD", b"11111111")
    na, nb = normalise(a, when), normalise(b, when)
    assert na == nb and len(na) == len(a)
    assert b"/CreationDate(D:20170906000000Z')/ModDate(D:20170906000000Z')" in na
    assert b"<xmp:CreateDate>2017-09-06T00:00:00</xmp:CreateDate>" in na
    assert b"9E1A43BD" not in na and b"/DocChecksum /" in na
    assert normalise(a.replace(b"1.6", b"1.7"), when) != na  # the identifier follows content


def test_the_stamp(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert stamp(example_summary("every-block")).isoformat() == "2019-05-14T00:00:00+00:00"
    assert stamp(example_summary("minimal")).isoformat() == "2000-01-01T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert stamp(example_summary("every-block")).year == 1970


def test_the_plugin_module_starts_nothing():
    code = ("import sys, gfmdreport_pdf; "
            "print(sorted(m for m in ('subprocess', 'docx', 'gfmdreport_pdf.convert') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
