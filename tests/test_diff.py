"""The model-level diff and ``gfmdreport diff OLD NEW``."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import docx
import pytest

from gfmdreport import Column
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import Question
from gfmdreport import SummaryTable
from gfmdreport import render
from gfmdreport.cli import main
from gfmdreport.diff import counts
from gfmdreport.diff import diff
from gfmdreport.diff import similarity
from gfmdreport.diff import word_changes

from conftest import EXAMPLE_YAML


def where(changes) -> list[tuple[str, str]]:
    return [(c.kind, c.where) for c in changes]


def test_equal_summaries_have_no_changes(example):
    assert diff(example, example) == []
    assert diff(example, replace(example, source="elsewhere.docx")) == []


def test_metadata_and_labels(example):
    new = replace(example, venue="Room XVII", date="", language="fr",
                  labels={"question": "Thème"})
    assert where(diff(example, new)) == [
        ("removed", "date"), ("changed", "venue"), ("changed", "language"),
        ("added", "label 'question'")]
    change = diff(example, new)[1]
    assert (change.old, change.new) == ("Hotel Savoyen – Mancini 3b", "Room XVII")


def test_people_by_name(example):
    chair = example.chairs[0]
    new = replace(example,
                  chairs=(replace(chair, role="Director General"),
                          Person("Ana Pérez", "Ms.")),
                  rapporteurs=example.rapporteurs[:1])
    changes = diff(example, new)
    assert where(changes) == [("changed", "chair Mr. Ola Henrikson"),
                              ("added", "chair Ms. Ana Pérez"),
                              ("removed", "rapporteur Ms. Michelle Klein-Solomon")]
    assert changes[0].detail == ("role: 'Director General for Migration and Asylum' → "
                                 "'Director General'")


def test_an_inserted_paragraph_is_one_change_not_a_renumbering(example):
    body = list(example.body)
    body.insert(3, Paragraph("A new paragraph, inserted."))
    changes = diff(example, replace(example, body=tuple(body)))
    assert where(changes) == [("added", "paragraph 3")]
    assert changes[0].new == "A new paragraph, inserted."


def test_a_changed_paragraph_is_named_by_its_new_number_and_its_old_one(example):
    body = list(example.body)
    body.insert(0, Paragraph("First."))
    old_third = example.body[3]
    body[4] = replace(old_third, text=old_third.text.replace("decade-long", "long"),
                      items=(*old_third.items[:2], Item("A new point."), *old_third.items[3:]))
    changes = diff(example, replace(example, body=tuple(body)))
    assert where(changes) == [
        ("added", "paragraph 1"), ("changed", "paragraph 4 (was 3)"),
        ("removed", "paragraph 4 (was 3), item c)"), ("added", "paragraph 4 (was 3), item c)")]


def test_questions_takeaways_and_nested_takeaways(example):
    q1, q2, q3 = example.questions
    takeaways = list(q1.takeaways)
    takeaways[1] = Item(takeaways[1].text.replace("strong", "broad"),
                        (Item("A nested point."),))
    body = [b for b in example.body if b is not q3]
    body[body.index(q1)] = replace(q1, takeaways=tuple(takeaways))
    body[body.index(q2)] = replace(q2, text="A new wording of the second question?")
    changes = diff(example, replace(example, body=tuple(body)))
    assert where(changes) == [
        ("changed", "question 1, takeaway 2"), ("added", "question 1, takeaway 2.1"),
        ("changed", "question 2"), ("removed", "question 3")]
    assert changes[-1].detail == "with 2 takeaways"


def test_a_renumbered_question_says_so(example):
    q = example.questions[2]
    body = tuple(replace(b, number=4) if b is q else b for b in example.body)
    (change,) = diff(example, replace(example, body=body))
    assert (change.where, change.detail) == ("question 4", "number 3 → 4")


def test_table_items_and_columns(example):
    table = example.table
    columns = list(table.columns)
    columns[1] = Column(columns[1].heading, (Item("U"), Item("A new recommendation")))
    columns[2] = Column("Challenges", columns[2].items)
    columns.append(Column("Other", (Item("x"),)))
    body = tuple(SummaryTable(tuple(columns)) if b is table else b for b in example.body)
    assert where(diff(example, replace(example, body=body))) == [
        ("added", "table, 'Practical Recommendations', item 2"),
        ("changed", "table, column 3 heading"),
        ("added", "table, column 4")]


def test_blocks_of_another_kind_are_added_and_removed(example):
    body = list(example.body)
    heading = body[2]
    body[2] = Paragraph(heading.text)
    assert where(diff(example, replace(example, body=tuple(body)))) == [
        ("removed", "heading after paragraph 2"), ("added", "paragraph 3")]


def test_similarity_and_word_changes():
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("a b c d", "a b x d") == 0.75
    assert similarity("one two", "three four") == 0.0
    assert word_changes("There was strong support", "There was broad support") == [
        ("equal", "There was"), ("delete", "strong"), ("insert", "broad"),
        ("equal", "support")]


def test_counts(example):
    new = replace(example, venue="X", body=example.body[1:])
    assert counts(diff(example, new)) == {"added": 0, "removed": 1, "changed": 1}


# ---- the command --------------------------------------------------------------------

def run(args, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    out = capsys.readouterr()
    return done.value.code or 0, out.out, out.err


@pytest.fixture
def edited_docx(example, tmp_path):
    """The example rendered to DOCX and edited as an officer would."""
    document = docx.Document(io.BytesIO(render(example, "docx")))
    floor = next(p for p in document.paragraphs if p.text.startswith("The Chair opened"))
    floor.insert_paragraph_before("The Co-Chair welcomed the participants.",
                                  style="GFMD Numbered Paragraph")
    takeaway = next(p for p in document.paragraphs
                    if p.text.startswith("There was also strong acknowledgement"))
    for run_ in takeaway.runs:
        run_.text = run_.text.replace("strong acknowledgement", "broad acknowledgement")
    document.tables[0].rows[1].cells[1].add_paragraph("A new recommendation",
                                                      style="GFMD Table Item")
    details = next(p for p in document.paragraphs if p.style.name == "GFMD Session Details")
    details.runs[-1].text = "Palais des Nations"
    path = tmp_path / "edited.docx"
    document.save(path)
    return path


def test_the_command_shows_the_edits_of_a_word_file(edited_docx, capsys):
    code, out, err = run(["diff", str(EXAMPLE_YAML), str(edited_docx)], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"--- {EXAMPLE_YAML}" and lines[1] == f"+++ {edited_docx}"
    assert any(line.startswith("~ venue") for line in lines)
    assert "    - Hotel Savoyen – Mancini 3b" in lines and "    + Palais des Nations" in lines
    assert any(line.startswith("+ paragraph 4  [") and line.endswith(":12]")
               for line in lines)
    assert "    The Co-Chair welcomed the participants." in lines
    assert any(line.startswith("~ question 1, takeaway 2") for line in lines)
    assert any("[-strong-]{+broad+}" in line for line in lines)
    assert any(line.startswith("+ table, 'Practical Recommendations', item 2") for line
               in lines)
    assert lines[-1] == "4 differences: 2 added, 2 changed"
    assert "warning[docx-edited]" in err


def test_the_command_in_json(edited_docx, capsys):
    code, out, _err = run(["diff", "--format", "json", "-q", str(EXAMPLE_YAML),
                           str(edited_docx)], capsys)
    assert code == 1
    report = json.loads(out)
    assert report["equal"] is False
    assert report["summary"] == {"added": 2, "removed": 0, "changed": 2}
    venue = report["changes"][0]
    assert venue["what"] == "venue" and venue["new"] == "Palais des Nations"
    assert venue["new_location"] == {"path": str(edited_docx), "line": 3, "column": None}
    assert venue["old_location"]["line"] == 13


def test_the_same_summary_in_two_formats_is_equal(example, tmp_path, capsys):
    docx_path = tmp_path / "summary.docx"
    docx_path.write_bytes(render(example, "docx"))
    json_path = tmp_path / "summary.json"
    json_path.write_bytes(render(example, "json"))
    code, out, err = run(["diff", str(EXAMPLE_YAML), str(docx_path)], capsys)
    assert (code, out, err) == (0, "", "")
    code, out, _ = run(["diff", "--format", "json", str(json_path), str(docx_path)], capsys)
    assert code == 0 and json.loads(out)["equal"] is True


def test_standard_input_needs_its_format(example, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        EXAMPLE_YAML.read_bytes())))
    code, _out, err = run(["diff", str(EXAMPLE_YAML), "-"], capsys)
    assert code == 2 and "needs its format" in err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        EXAMPLE_YAML.read_bytes())))
    code, _out, err = run(["diff", "--from-new", "yaml", str(EXAMPLE_YAML), "-"], capsys)
    assert (code, err) == (0, "")


@pytest.mark.parametrize("args, message", [
    (["diff", "only-one.yaml"], "Missing argument"),
    (["diff", "a.yaml", "b.yaml", "--format", "xml"], "Invalid value for '--format'"),
    (["diff", "-f", "nope", "a.yaml", "b.yaml"], "unknown input format 'nope'"),
])
def test_usage_errors_exit_2(args, message, capsys):
    code, _out, err = run(args, capsys)
    assert code == 2 and message in err


def test_an_unreadable_input_exits_2_with_its_error(tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a document")
    code, out, err = run(["diff", str(EXAMPLE_YAML), str(bad)], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"{bad}: error[docx-package]: not a Word document")
    code, _out, err = run(["diff", str(EXAMPLE_YAML), str(tmp_path / "missing.yaml")],
                          capsys)
    assert code == 2 and "no such file" in err


def test_long_changed_texts_show_words_in_context(example, tmp_path, capsys):
    body = list(example.body)
    second = body[1]
    body[1] = replace(second, text=second.text.replace("instrumental", "decisive"))
    new = tmp_path / "new.json"
    new.write_bytes(render(replace(example, body=tuple(body)), "json"))
    code, out, _ = run(["diff", str(EXAMPLE_YAML), str(new)], capsys)
    assert code == 1
    line = out.splitlines()[3]
    assert line == ("    … migration, in which GFMD played an [-instrumental-]{+decisive+} "
                    "role. According to him, in a …")


def test_questions_parsed_from_two_word_files(example, tmp_path, capsys):
    """Any input formats: two Word files compared with each other."""
    a = tmp_path / "a.docx"
    a.write_bytes(render(example, "docx"))
    changed = replace(example, body=tuple(
        replace(b, takeaways=b.takeaways[:1]) if isinstance(b, Question) and b.number == 2
        else b for b in example.body))
    b = tmp_path / "b.docx"
    b.write_bytes(render(changed, "docx"))
    code, out, _ = run(["diff", str(a), str(b)], capsys)
    assert code == 1
    assert [line.split("  [")[0] for line in out.splitlines()[2:] if line[:1] in "+-~"] == [
        "- question 2, takeaway 2", "- question 2, takeaway 3", "- question 2, takeaway 4"]


def test_characters_that_do_not_show_are_named(example, tmp_path, capsys):
    body = list(example.body)
    body[0] = replace(body[0], text=body[0].text.replace("Mr. Ola", "Mr.\u00a0Ola"))
    heading = body[2]
    body[2] = replace(heading, text=heading.text.replace("GFMD Report", "GFMD\u00a0Report"))
    new = tmp_path / "new.json"
    new.write_bytes(render(replace(example, body=tuple(body)), "json"))
    code, out, _ = run(["diff", str(EXAMPLE_YAML), str(new)], capsys)
    assert code == 1
    assert "[-Mr. Ola-]{+Mr.⟨nbsp⟩Ola+}" in out
    assert "    + Overview on the GFMD⟨nbsp⟩Report's Chapter on GCM Cluster 3" in out


# ---- the pairing stays linear -------------------------------------------------------------

def _edited_pair(size: int, inserted: int = 0):
    from gfmdreport.testing import make_summary

    texts = [f"Paragraph {n} says {' '.join(f'w{n}x{k}' for k in range(12))} in full."
             for n in range(size)]
    old = make_summary(paragraphs=texts)
    new_texts = [f"A new paragraph {k} about something else entirely."
                 for k in range(inserted)]
    new_texts += [t.replace("says", "now says") for t in texts]
    return old, make_summary(paragraphs=new_texts)


def test_every_paragraph_edited_costs_a_bounded_number_of_comparisons(monkeypatch):
    import gfmdreport.diff as module

    calls = []
    real = module._alike

    def counted(a, b):
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(module, "_alike", counted)
    for size in (200, 2000):
        calls.clear()
        old, new = _edited_pair(size)
        changes = diff(old, new)
        assert [c.kind for c in changes] == ["changed"] * size
        assert len(calls) <= (module.WINDOW + module.CLUES) * size


def test_edited_paragraphs_are_found_after_many_inserted_before_them():
    old, new = _edited_pair(300, inserted=40)
    changes = diff(old, new)
    assert counts(changes) == {"added": 40, "removed": 0, "changed": 300}
    assert changes[40].where == "paragraph 41 (was 1)"
