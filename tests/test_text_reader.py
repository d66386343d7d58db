"""The legacy text reader, on the seed, on variants of it and on real PDF extractions."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gfmdreport import InputError
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SummaryTable
from gfmdreport import load
from gfmdreport import loads
from gfmdreport.cli import build_cli
from gfmdreport.formats.text.parse import read_text
from gfmdreport.inline import plain

from conftest import EXAMPLE_YAML
from conftest import ROOT
from conftest import SEED_DIR

SEED = SEED_DIR / "000_523e3a897795c3ae.txt"
FIXTURES = ROOT / "tests" / "legacy"


@pytest.fixture(scope="module")
def expected():
    """The example session as the interchange dict."""
    return load(EXAMPLE_YAML).to_dict()


@pytest.fixture(scope="module")
def seed():
    return load(SEED)


def without_table(data):
    data = copy.deepcopy(data)
    data["body"] = [b for b in data["body"] if b["type"] != "table"]
    return data


def table_of(data):
    (table,) = [b for b in data["body"] if b["type"] == "table"]
    return table


def unbold(data):
    """The dict with ``**bold**`` markup removed: PDF text keeps no bold."""
    return yaml.safe_load(yaml.safe_dump(data).replace("**", ""))


def warnings_at(summary, rule):
    return [(d.location.line, d.location.column, d.message) for d in summary.diagnostics
            if d.rule == rule]


# ---- the seed ---------------------------------------------------------------------------

def test_seed_gives_the_example_except_the_damaged_table(seed, expected):
    assert without_table(seed.to_dict()) == without_table(expected)
    got, want = table_of(seed.to_dict()), table_of(expected)
    assert [c["heading"] for c in got["columns"]] == [c["heading"] for c in want["columns"]]
    # Every word of the table is recovered; only the breaks between items were lost.
    for g, w in zip(got["columns"], want["columns"], strict=True):
        assert " ".join(g["items"]) == " ".join(w["items"])


def test_seed_table_damage_is_flagged_at_its_line(seed):
    table = warnings_at(seed, "text-table")
    assert [(line, col) for line, col, _m in table] == [(48, 2), (48, 108), (48, 111)]
    assert "holds only 'U'" in table[1][2]
    assert "run several items together" in table[0][2]
    assert "Points of Convergence" in table[0][2]


def test_items_a_cell_separates_with_two_spaces_are_split(expected):
    text = seed_text().replace("global level migration", "global level  migration").replace(
        "data ensuring", "data  ensuring")
    summary = read_text(text)
    assert summary.to_dict() == expected
    assert [m for _l, _c, m in warnings_at(summary, "text-table")] == [
        "the cell under 'Practical Recommendations' holds only 'U': the text extraction "
        "probably lost the rest of it"]


def test_seed_people_and_metadata(seed):
    (chair,) = seed.chairs
    assert (chair.honorific, chair.name, chair.role, chair.organization) == (
        "Mr.", "Ola Henrikson", "Director General for Migration and Asylum",
        "Swedish Ministry of Justice")
    assert [(p.honorific, p.name, p.role, p.organization) for p in seed.rapporteurs] == [
        ("Dr.", "Steffen Angenendt", "GCM rapporteur", "Stiftung Wissenschaft und Politik"),
        ("Ms.", "Michelle Klein-Solomon",
         "Director of the Migration Policy and Research Department", "IOM")]
    # Two "of the" in her description: the split is a guess, and says so.
    ((line, col, message),) = warnings_at(seed, "text-person")
    assert (line, col) == (9, 314) and "Klein-Solomon" in message
    assert str(seed.location_of("venue")) == f"{SEED}:7:31"
    assert str(seed.location_of("time")) == f"{SEED}:7:19"


def test_seed_blocks_know_their_lines(seed):
    lines = [b.loc.line for b in seed.body]
    assert lines == [9, 10, 12, 14, 20, 22, 28, 40, 45, 47]
    q2 = seed.questions[1]
    assert [t.loc.line for t in q2.takeaways] == [30, 31, 37, 38]
    assert [i.loc.line for i in seed.paragraphs[2].items] == [15, 16, 17, 18]


def test_seed_keeps_its_bold_markup(seed):
    text = seed.paragraphs[1].text
    assert text.startswith("In opening the session, **Mr. Ola Henrikson** reflected")
    assert plain(text).startswith("In opening the session, Mr. Ola Henrikson reflected")


def test_cli_renders_the_seed_to_the_example_model(plugins, expected, tmp_path):
    out = tmp_path / "seed.yaml"
    result = CliRunner().invoke(build_cli(plugins), ["render", str(SEED), "-t", "yaml",
                                                     "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{SEED}:48:108: warning[text-table]: the cell under 'Practical " \
           "Recommendations' holds only 'U'" in result.stderr
    data = load(out).to_dict()
    assert without_table(data) == without_table(expected)


# ---- variants written from the seed ----------------------------------------------------

def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def same_model(text: str, reference) -> None:
    assert read_text(text, "variant.txt").to_dict() == reference.to_dict()


def test_paged_variant_gives_the_example_exactly(expected):
    """Running header on every page, "Page N of 3" footers, form feeds, pages cut
    mid-sentence, words hyphenated across lines, a tab-separated table in rows."""
    summary = load(FIXTURES / "seed-paged.txt")
    assert summary.to_dict() == expected
    assert [line for line, _c, _m in warnings_at(summary, "text-running-header")] == [1]
    (doubt,) = warnings_at(summary, "text-hyphenation")
    assert doubt[:2] == (27, 6) and "'consoli-' and 'date'" in doubt[2]


@pytest.mark.parametrize("style", ["1.", "- 1.", "1)", "(1)", "• 1."])
def test_paragraph_numbering_styles(seed, style):
    text = re.sub(r"(?m)^(?:- )?(\d)\. ", lambda m: style.replace("1", m.group(1)) + " ",
                  seed_text())
    same_model(text, seed)


@pytest.mark.parametrize("style", ["a)", "(a)", "a.", "- (a)"])
def test_letter_styles(seed, style):
    text = re.sub(r"(?m)^ - ([a-d])\) ", lambda m: " " + style.replace("a", m.group(1)) + " ",
                  seed_text())
    same_model(text, seed)


@pytest.mark.parametrize("style", ["Question 1 : ", "QUESTION 1: ", "Q1: ", "Q 1. ",
                                   "Guiding question 1: ", "**Question 1:** ",
                                   "Question 1 – ", "Question 1\n"])
def test_question_heading_styles(seed, style):
    text = re.sub(r"(?m)^Question (\d): ", lambda m: style.replace("1", m.group(1)),
                  seed_text())
    same_model(text, seed)


@pytest.mark.parametrize("glyph", ["•", "o", "\uf0a7", "\uf0b7", "▪", "–", "*", "·"])
def test_bullet_glyphs(seed, glyph):
    text = re.sub(r"(?m)^- (?![0-9])", glyph + " ", seed_text())
    same_model(text, seed)


def test_crlf_and_a_byte_order_mark(seed, tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text().replace("\n", "\r\n").encode("utf-8"))
    assert load(path).to_dict() == seed.to_dict()
    assert read_text(seed_text().replace("\n", "\r\n")).to_dict() == seed.to_dict()


def test_form_feeds_and_bare_page_numbers(seed):
    lines = seed_text().split("\n")
    # Without form feeds: a bare number on its own line ends each page.
    cut = [*lines[:10], "", "2", "", *lines[10:30], "", "- 3 -", "", *lines[30:]]
    same_model("\n".join(cut), seed)
    # With form feeds: the number sits at the bottom of its page.
    fed = [*lines[:10], "", "1", "\x0c", *lines[10:30], "Page 2 of 3\x0c", *lines[30:]]
    same_model("\n".join(fed), seed)


def test_page_number_out_of_sequence_is_reported():
    lines = seed_text().split("\n")
    text = "\n".join([*lines[:10], "2", *lines[10:30], "7", *lines[30:]])
    summary = read_text(text)
    (warning,) = warnings_at(summary, "text-page-number")
    assert warning[0] == 32 and "'7'" in warning[2]


def test_words_broken_across_lines():
    text = seed_text().replace(
        "In opening the session,", "In open-\ning the session,").replace(
        "a whole-of-government approach will", "a whole-of-\ngovernment approach will").replace(
        "Ms. Michelle Klein-Solomon,", "Ms. Michelle Klein-\nSolomon,").replace(
        "global cooperation on migration", "global coop-\neration on migration")
    summary = read_text(text)
    assert summary.paragraphs[1].text.startswith("In opening the session,")
    assert "global cooperation on migration" in summary.paragraphs[1].text
    assert "a whole-of-government approach will" in summary.paragraphs[1].text
    assert summary.rapporteurs[1].name == "Michelle Klein-Solomon"
    # "opening" and "cooperation" are spelled whole elsewhere: no doubt to report.
    assert warnings_at(summary, "text-hyphenation") == []


def test_soft_hyphen_breaks_join_without_doubt():
    text = seed_text().replace("decade-long existence", "dec\u00ad\nade-long existence")
    summary = read_text(text)
    assert "in its decade-long existence" in summary.paragraphs[2].text
    assert warnings_at(summary, "text-hyphenation") == []


def test_hard_wrapped_lines_and_a_blank_line_inside_a_takeaway(seed):
    q2 = seed.questions[1]
    # The seed wraps this takeaway over five lines and ends it with a blank line.
    assert q2.takeaways[1].text.startswith("Several governments referenced the critical "
                                           "work that has been ongoing with the regional "
                                           "cooperative system, through")
    assert q2.takeaways[1].text.endswith("linked up with the global discussions.")


# ---- real PDF extractions --------------------------------------------------------------

def _merge_first_two_takeaways(data):
    q1 = next(b for b in data["body"] if b["type"] == "question")
    first, second = q1["takeaways"][:2]
    q1["takeaways"][:2] = [f"{first} {second}"]


def _run_cells_together(data):
    for column in table_of(data)["columns"]:
        column["items"] = [" ".join(column["items"])]


def _lose_the_columns(data):
    table = table_of(data)
    text = " ".join("• " + i for c in table["columns"] for i in c["items"])
    for column in table["columns"]:
        column["items"] = []
    data["body"].append({"type": "paragraph", "text": text})


def _words(text):
    return sorted(re.findall(r"[\w•-]+", text))


# What each extraction damages, as the comparison with the example shows. Chromium's PDFs
# carry no bullet characters, so table items run together; pdftotext's reading order
# drops a hyphen at line ends ("peer-review" → "peerreview"), which runs two takeaways
# together, and scatters the columns of LibreOffice's justified table cells.
PDF_DAMAGE = {
    "pdf-libreoffice-layout.txt": [],
    "pdf-chromium-layout.txt": [_run_cells_together],
    "pdf-chromium-raw.txt": [_merge_first_two_takeaways, _run_cells_together],
    "pdf-libreoffice-raw.txt": [_lose_the_columns],
}


@pytest.mark.parametrize("name", sorted(PDF_DAMAGE))
def test_real_pdf_extractions(name, expected):
    summary = load(FIXTURES / name)
    want = unbold(expected)
    for damage in PDF_DAMAGE[name]:
        damage(want)
    got = summary.to_dict()
    if name == "pdf-chromium-raw.txt":
        got = yaml.safe_load(yaml.safe_dump(got).replace("peerreview", "peer-review"))
    if name == "pdf-libreoffice-raw.txt":
        # pdftotext also shuffled words of the justified cells: compare the words.
        assert _words(got["body"][-1].pop("text")) == _words(want["body"][-1].pop("text"))
    assert got == want
    # Damage the reader can see is reported.
    rules = {d.rule for d in summary.diagnostics}
    if PDF_DAMAGE[name]:
        assert "text-table" in rules
    assert all(d.location.line for d in summary.diagnostics)


def test_running_headers_and_footers_of_a_browser_print_are_left_out():
    summary = load(FIXTURES / "pdf-chromium-raw.txt")
    everything = yaml.safe_dump(summary.to_dict())
    assert "file:///" not in everything and "PM" not in everything and "4/4" not in everything
    assert summary.title == "GFMD Thematic Workshop on GFMD's contribution to the GCM"


def test_a_hyphen_dropped_by_pdftotext_is_restored_from_the_text_itself():
    summary = load(FIXTURES / "pdf-chromium-raw.txt")
    assert "a whole-of-government approach will be needed" in summary.paragraphs[1].text
    assert any("whole-ofgovernment" in m for _l, _c, m in
               warnings_at(summary, "text-hyphenation"))


# ---- people ------------------------------------------------------------------------------

def people(summary):
    return ([(p.honorific, p.name, p.role, p.organization) for p in summary.chairs],
            [(p.honorific, p.name, p.role, p.organization) for p in summary.rapporteurs])


def test_co_chairs_moderator_and_rapporteur():
    summary = load(FIXTURES / "cochairs.txt")
    chairs, rapporteurs = people(summary)
    assert chairs == [
        ("H.E. Ambassador", "Jane Doe",
         "Permanent Representative of Germany to the United Nations in Geneva", ""),
        ("Mr.", "Ahmed Benali", "", "Morocco"),
        ("Ms.", "Ana Pérez", "", "OECD"),
    ]
    assert rapporteurs == [("Dr.", "Lee Min-jun", "Professor", "Seoul National University")]
    ((line, _col, message),) = warnings_at(summary, "text-person")
    assert line == 9 and "moderated" in message and "Ana Pérez" in message
    assert (summary.date, summary.time, summary.venue) == (
        "2020-01-22", "14:00-16:00", "Conference Room B, Quito")
    assert summary.session.startswith("Roundtable 2.1:")


@pytest.mark.parametrize("sentence, expected", [
    ("The session was chaired by Ms. A. Smith (IOM) and co-chaired by Mr. Jean Dupont, "
     "Minister of Labour of France.",
     ([("Ms.", "A. Smith", "", "IOM"),
       ("Mr.", "Jean Dupont", "Minister of Labour of France", "")], [])),
    ("The session was co-chaired by Mr. Ali Khan of Pakistan and Ms. Eva Berg of Norway.",
     ([("Mr.", "Ali Khan", "", "Pakistan"), ("Ms.", "Eva Berg", "", "Norway")], [])),
    ("Mr. Ali Khan and Ms. Eva Berg served as co-chairs of the session.",
     ([("Mr.", "Ali Khan", "", ""), ("Ms.", "Eva Berg", "", "")], [])),
    ("The Chair, Mr. Ali Khan, Head of Unit, Ministry of Interior, opened the session.",
     ([("Mr.", "Ali Khan", "Head of Unit", "Ministry of Interior")], [])),
    ("Dr. Maria Lopez of the University of Oxford acted as rapporteur.",
     ([], [("Dr.", "Maria Lopez", "", "University of Oxford")])),
    ("The rapporteurs were Ms. Ana Silva (ILO) and Mr. Ken Ito (OECD).",
     ([], [("Ms.", "Ana Silva", "", "ILO"), ("Mr.", "Ken Ito", "", "OECD")])),
    ("The Chair opened the floor and thanked the rapporteur.", ([], [])),
])
def test_sentences_that_name_people(sentence, expected):
    text = f"Title\n\nSession 1: Test\n\n1. {sentence}\n2. Participants spoke at length.\n"
    assert people(read_text(text)) == expected


def test_people_from_label_lines():
    text = ("Workshop on Data\n\nSession 2: Sources\n\nChair: Mr. Tomas Berg, Statistics "
            "Sweden\nRapporteur: Ms. Ines Moreau (UNHCR)\n\n1. Participants compared the "
            "main sources of data on migration.\n")
    assert people(read_text(text)) == ([("Mr.", "Tomas Berg", "", "Statistics Sweden")],
                                       [("Ms.", "Ines Moreau", "", "UNHCR")])


def test_a_name_without_honorific_is_a_doubt():
    text = ("Title\n\nSession 1: Test\n\n1. The session was chaired by Ola Henrikson, "
            "Director General.\n2. Participants spoke at length about it.\n")
    summary = read_text(text)
    assert people(summary)[0] == [("", "Ola Henrikson", "Director General", "")]
    assert "no honorific" in warnings_at(summary, "text-person")[0][2]


# ---- French and Spanish ----------------------------------------------------------------

def test_french_summary():
    summary = load(FIXTURES / "french.txt")
    assert summary.language == "fr"
    assert (summary.date, summary.time) == ("2017-09-06", "10:30-12:30")
    assert summary.venue == "Hôtel Savoyen – salle Mancini 3b"
    assert summary.session.startswith("Table ronde 1 : La contribution")
    assert people(summary) == (
        [("M.", "Ola Henrikson", "Directeur général des migrations et de l'asile",
          "ministère suédois de la Justice")],
        [("Mme", "Michelle Klein-Solomon", "Directrice du Département des politiques "
          "migratoires", "OIM")])
    assert [(q.number, q.text[-12:], len(q.takeaways)) for q in summary.questions] == [
        (1, " existants ?", 2), (2, "e couverts ?", 1)]
    assert len(summary.paragraphs) == 3


def test_spanish_summary():
    summary = load(FIXTURES / "spanish.txt")
    assert summary.language == "es"
    assert (summary.date, summary.time) == ("2017-09-06", "10:30-12:30")
    assert people(summary) == (
        [("Sr.", "Ola Henrikson", "Director General de Migración y Asilo",
          "Ministerio de Justicia de Suecia")],
        [("Sra.", "Michelle Klein-Solomon",
          "Directora del Departamento de Políticas Migratorias", "OIM")])
    assert [q.text[:6] for q in summary.questions] == ["¿Cómo ", "¿Qué d"]


# ---- lists -------------------------------------------------------------------------------

def test_nested_bullets_roman_sub_items_and_other_numbering():
    summary = load(FIXTURES / "nested.txt")
    first, second, third = summary.paragraphs
    assert first.text.endswith("at the Ministry of Labour of Senegal.")
    assert [i.text for i in second.items] == [
        "employers are involved from the design stage;",
        "training is recognised in both countries, including:", "costs are shared fairly."]
    assert [i.text for i in second.items[1].items] == ["the curricula;", "the certificates;"]
    q1 = summary.questions[0]
    assert [t.text[:12] for t in q1.takeaways] == ["Schemes that", "Participants"]
    germany, others = q1.takeaways[0].items
    assert germany.text.startswith("Germany and Morocco")
    assert [i.text[:13] for i in germany.items] == ["Its graduates"]
    assert others.text.startswith("Other speakers") and not others.items
    assert third.text == "The Chair closed the session."
    assert summary.chairs[0].organization == "Ministry of Labour of Senegal"


def test_o_starting_a_wrapped_line_is_not_a_bullet():
    text = ("Title\n\nSession 1: Test\n\n1. Se habló de migración laboral\n"
            "o de migración familiar, según el caso.\n2. Otra frase completa aquí.\n")
    summary = read_text(text)
    assert summary.paragraphs[0].text == ("Se habló de migración laboral o de migración "
                                          "familiar, según el caso.")
    assert not summary.paragraphs[0].items


# ---- nothing is dropped ----------------------------------------------------------------

def all_text(summary) -> str:
    parts = [summary.title, summary.session, summary.venue]

    def items(found: tuple[Item, ...]) -> None:
        for item in found:
            parts.append(plain(item.text))
            items(item.items)

    for block in summary.body:
        if isinstance(block, SummaryTable):
            for column in block.columns:
                parts.append(column.heading)
                items(column.items)
        elif isinstance(block, Question):
            parts.append(plain(block.text))
            items(block.takeaways)
        else:
            parts.append(plain(block.text))
            if isinstance(block, Paragraph):
                items(block.items)
    return " ".join(parts).lower()


_FURNITURE = re.compile(r"^\s*(?:Page \d+ of \d+|\d+|Summary of GCM Cluster 3 – GFMD "
                        r"Thematic Workshop|.*file:///.*|\d+/\d+/\d+, .*|\d+/\d+)\s*$")


@pytest.mark.parametrize("name", ["seed-paged.txt", "cochairs.txt", "nested.txt",
                                  "unplaced.txt", "french.txt", "spanish.txt",
                                  "pdf-libreoffice-layout.txt", "pdf-chromium-layout.txt"])
def test_no_word_of_the_text_is_lost(name):
    path = FIXTURES / name
    summary = load(path)
    text = all_text(summary)
    lines = path.read_text(encoding="utf-8").replace("\f", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if _FURNITURE.match(line):
            continue
        if summary.date and re.search(r"\b20\d\d\b", line) and len(line.split()) < 16:
            continue  # the date line: its words are in the date, time and venue
        for word in re.findall(r"[^\W\d_]{4,}", line):
            if word.lower() in ("question", "pregunta"):
                continue
            assert word.lower() in text, f"{name}:{number}: '{word}' is missing"


def test_what_cannot_be_placed_is_kept_as_paragraphs():
    summary = load(FIXTURES / "unplaced.txt")
    texts = [p.text for p in summary.paragraphs]
    assert texts[0] == "A bullet that stands before any paragraph."
    assert texts[1].startswith("Summary prepared by the GFMD Support Unit")
    assert texts[4].startswith("An unnumbered paragraph that follows")
    assert [i.text for i in summary.table.columns[2].items] == ["funding an extra cell"]
    found = {(line, rule) for line, rule in
             ((d.location.line, d.rule) for d in summary.diagnostics)}
    assert {(5, "text-unplaced"), (7, "text-unplaced"), (12, "text-unplaced"),
            (17, "text-table")} <= found


# ---- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, says", [
    ("agenda.txt", "looks like an agenda, not a session summary: 7 of its 13 lines start "
                   "with a time of day"),
    ("novel.txt", "does not look like a session summary: it has no numbered paragraph, "
                  "no 'Question N:' heading"),
])
def test_a_text_that_is_not_a_summary_is_refused(name, says):
    path = FIXTURES / name
    with pytest.raises(InputError) as caught:
        load(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.rule == "text-not-a-summary"
    assert says in diagnostic.message
    assert (diagnostic.location.path, diagnostic.location.line) == (str(path), 1)
    assert "Markdown or YAML" in diagnostic.hint


def test_cli_refuses_an_agenda_in_one_line_and_writes_nothing(plugins, tmp_path):
    out = tmp_path / "agenda.docx.yaml"
    result = CliRunner().invoke(build_cli(plugins), ["render", str(FIXTURES / "agenda.txt"),
                                                     "-t", "yaml", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert re.match(r".*agenda\.txt:1:1: error\[text-not-a-summary\]: this looks like an "
                    r"agenda", result.stderr)
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", [
    "Page 1 of 2\n\f\n2\n",
    "\t\t\n\t\n",
    "1.\n2.\n3.\n",
    "Question 1:\n",
    "- \n- \n",
    "Points of Convergence\tPractical Recommendations\n",
])
def test_degenerate_texts_give_an_input_error_or_a_summary(text):
    try:
        summary = loads(text, "text")
    except InputError as exc:
        assert all(d.location.path is None or d.location.line for d in exc.diagnostics)
    else:
        assert summary.body


def test_the_plugin_module_stays_light():
    code = ("import sys; from gfmdreport.hooks.manager import make_plugin_manager; "
            "p = make_plugin_manager(); assert 'text' in p.registry.readers; "
            "print(sorted(m for m in sys.modules if m.startswith('gfmdreport.formats.text.parse') "
            "or m.startswith('markdown_it')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(ROOT))
    assert result.stdout.strip() == "[]"


# ---- tables typed by hand, labelled metadata, standard input ----------------------------

HAND_TYPED = """Workshop on Skills

Session 4: Recognition of qualifications

Date: 3 May 2018
Time: 15:00-16:30
Venue: Room 2, Palais des Nations

1. The session was chaired by Ms. Ines Moreau of UNHCR.

Summary table

Points of Convergence
• qualifications should travel with the worker
• employers need
  simple tools
Practical Recommendations
• a shared register of diplomas
Challenges / Issues for further discussion
• the cost of recognition
"""


def test_a_stacked_table_typed_by_hand_and_labelled_metadata():
    summary = read_text(HAND_TYPED, "hand.txt")
    assert (summary.date, summary.time, summary.venue) == ("2018-05-03", "15:00-16:30",
                                                           "Room 2, Palais des Nations")
    assert str(summary.location_of("date")) == "hand.txt:5:7"
    assert [type(b).__name__ for b in summary.body] == ["Paragraph", "SummaryTable"]
    assert [(c.heading, [i.text for i in c.items]) for c in summary.table.columns] == [
        ("Points of Convergence", ["qualifications should travel with the worker",
                                   "employers need simple tools"]),
        ("Practical Recommendations", ["a shared register of diplomas"]),
        ("Challenges / Issues for further discussion", ["the cost of recognition"])]
    assert summary.diagnostics == ()


def test_standard_input_with_from_text(plugins):
    result = CliRunner().invoke(build_cli(plugins), ["render", "-", "-f", "text", "-t", "json",
                                                      "--no-validate"],
                                input=HAND_TYPED.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert '"session": "Session 4: Recognition of qualifications"' in result.stdout


def test_metadata_lines_in_any_order_and_one_too_many():
    text = ("GCM Cluster 3: International cooperation\n\nGFMD 2017\n\nThematic Workshop "
            "Summary\n\n6 September 2017\n\n1. The session was chaired by Mr. Ola Henrikson "
            "of Sweden and ended on time.\n")
    summary = read_text(text, "order.txt")
    assert (summary.title, summary.session) == ("GFMD 2017", "GCM Cluster 3: International "
                                                "cooperation")
    heading, _paragraph = summary.body
    assert heading.text == "Thematic Workshop Summary"
    ((line, _col, message),) = warnings_at(summary, "text-unplaced")
    assert line == 5 and "neither title, session nor date" in message


@pytest.mark.parametrize(("label", "kind"), [
    ("Rapporteur(s):", "rapporteurs"), ("Rapporteur (s):", "rapporteurs"),
    ("Relator(es):", "rapporteurs"), ("Rapporteur(e)(s) :", "rapporteurs"),
    ("Co-chair(s):", "chairs"), ("Chair(s):", "chairs"), ("Moderator(s):", "chairs"),
])
def test_label_lines_in_the_plural_forms_templates_print(label, kind):
    """docs/legacy-text.md lists `Rapporteur(s):` among the labelled lines."""
    text = ("GFMD Thematic Workshop\nGCM Cluster 3: International cooperation\n"
            "6 September 2017, 10:30-12:30 Hotel Savoyen\n"
            f"{label} Dr. Steffen Angenendt, Stiftung Wissenschaft und Politik\n"
            "1. The working session opened with a round of introductions, and the "
            "participants then discussed the cooperation between States.\n"
            "Question 1: How can the GCM help?\n"
            "2. Participants called for a whole-of-government approach to migration.\n")
    summary = loads(text, "text")
    (person,) = getattr(summary, kind)
    assert (person.honorific, person.name) == ("Dr.", "Steffen Angenendt")
    assert person.organization == "Stiftung Wissenschaft und Politik"
    assert "text-unplaced" not in {d.rule for d in summary.diagnostics}
