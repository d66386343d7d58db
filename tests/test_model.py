"""The model: the example's content, derived views, and the lossless dict round trip."""

from __future__ import annotations

import dataclasses

import pytest

from gfmdreport import Heading
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport.model import Column
from gfmdreport.recognize.times import split_time


def test_example_holds_the_seed_session(example):
    assert example.title == "GFMD Thematic Workshop on GFMD's contribution to the GCM"
    assert example.session.startswith("GCM Cluster 3: International cooperation")
    assert (example.date, example.start_time, example.end_time) == ("2017-09-06", "10:30",
                                                                   "12:30")
    assert example.venue == "Hotel Savoyen – Mancini 3b"
    assert [p.name for p in example.chairs] == ["Ola Henrikson"]
    assert [p.name for p in example.rapporteurs] == ["Steffen Angenendt",
                                                     "Michelle Klein-Solomon"]
    assert [len(q.takeaways) for q in example.questions] == [3, 4, 2]
    assert [q.number for q in example.questions] == [1, 2, 3]
    table = example.table
    assert [c.heading for c in table.columns] == [
        "Points of Convergence", "Practical Recommendations",
        "Challenges / Issues for further discussion"]
    assert [len(c.items) for c in table.columns] == [2, 1, 2]
    lettered = example.paragraphs[2].items
    assert [i.text.split()[0] for i in lettered] == ["Policy", "Multi-stakeholder", "A", "The"]


def test_paragraph_numbers_run_through_the_document(example):
    numbers = [(n, type(b).__name__) for n, b in example.numbered()]
    assert numbers == [(1, "Paragraph"), (2, "Paragraph"), (None, "Heading"), (3, "Paragraph"),
                       (4, "Paragraph"), (None, "Question"), (None, "Question"),
                       (None, "Question"), (5, "Paragraph"), (None, "SummaryTable")]


def test_dict_round_trip_is_lossless(example):
    data = example.to_dict()
    again = SessionSummary.from_dict(data)
    assert again == example
    assert again.to_dict() == data


def test_canonical_dict_shape(example):
    data = example.to_dict()
    assert list(data) == ["title", "session", "date", "time", "venue", "language", "chairs",
                          "rapporteurs", "body"]
    assert data["time"] == "10:30-12:30"
    assert data["chairs"][0] == {"honorific": "Mr.", "name": "Ola Henrikson",
                                 "role": "Director General for Migration and Asylum",
                                 "organization": "Swedish Ministry of Justice"}
    assert [b["type"] for b in data["body"]][:3] == ["paragraph", "paragraph", "heading"]
    assert data["body"][5]["takeaways"][0].startswith("There was wide recognition")


def test_locations_do_not_take_part_in_equality(example):
    moved = dataclasses.replace(example, body=tuple(
        dataclasses.replace(b, loc=None) for b in example.body))
    assert moved == example
    assert example.body[0].loc is not None


def test_nested_items_round_trip():
    summary = SessionSummary(body=(
        Question(1, "Why?", (Item("top", (Item("deeper", (Item("deepest"),)),)), Item("flat"))),
        Paragraph("Intro with *emphasis*", (Item("a"), Item("b"))),
        Heading("Section"),
        SummaryTable((Column("A", (Item("x", (Item("y"),)),)), Column("B", ()))),
    ), chairs=(Person("A B", "Ms."),), language="fr")
    data = summary.to_dict()
    assert data["body"][0]["takeaways"][0] == {
        "text": "top", "items": [{"text": "deeper", "items": ["deepest"]}]}
    assert SessionSummary.from_dict(data) == summary


def test_model_is_immutable(example):
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.title = "other"  # type: ignore[misc]


@pytest.mark.parametrize(("value", "expected"), [
    ("10:30-12:30", ("10:30", "12:30")),
    ("9:05 – 10:00", ("09:05", "10:00")),
    ("14:00", ("14:00", "")),
    ("", ("", "")),
])
def test_split_time(value, expected):
    assert split_time(value) == expected


def test_date_value():
    assert SessionSummary(date="2017-09-06").date_value.isoformat() == "2017-09-06"
    assert SessionSummary(date="2017-02-30").date_value is None
    assert SessionSummary().date_value is None


# ---- the one walk over the texts -----------------------------------------------------------

def test_walk_texts_visits_every_text_in_document_order_with_its_place(example):
    from gfmdreport.model import walk_texts

    refs = list(walk_texts(example))
    kinds = [r.kind for r in refs]
    assert kinds[:3] == ["paragraph", "paragraph", "heading"]
    # the lettered list of paragraph 3 follows it, a) to d)
    third = kinds.index("item")
    assert [r.index for r in refs[third:third + 4]] == [0, 1, 2, 3]
    assert refs[third].path == ("body", 3, "items", 0)
    assert kinds.count("takeaway") == sum(len(q.takeaways) for q in example.questions)
    columns = [r for r in refs if r.kind == "column"]
    assert [c.text for c in columns] == [c.heading for c in example.table.columns]
    cells = [r for r in refs if r.kind == "cell"]
    assert cells[0].path == ("body", 9, "columns", 0, "items", 0)
    # every path leads to its text in the interchange dict
    data = example.to_dict()
    for ref in refs:
        node = data
        for step in ref.path:
            node = node[step]
        if isinstance(node, dict):
            node = node["heading"] if ref.kind == "column" else node["text"]
        assert node == ref.text
    assert "column" not in {r.kind for r in walk_texts(example, columns=False)}


def test_walk_texts_goes_into_nested_items_depth_first():
    from gfmdreport.model import walk_texts

    summary = SessionSummary(body=(
        Question(1, "Q", (Item("a", (Item("a1", (Item("a1x"),)), Item("a2"))), Item("b"))),))
    got = [(r.text, r.depth, r.index) for r in walk_texts(summary)]
    assert got == [("Q", 0, 0), ("a", 0, 0), ("a1", 1, 0), ("a1x", 2, 0), ("a2", 1, 1),
                   ("b", 0, 1)]


def test_map_texts_changes_every_text_and_keeps_the_rest(example):
    from gfmdreport.model import map_texts
    from gfmdreport.model import walk_texts

    upper = map_texts(example, lambda text, ref: text.upper())
    assert [r.text for r in walk_texts(upper)] == [r.text.upper()
                                                   for r in walk_texts(example)]
    assert (upper.title, upper.chairs) == (example.title, example.chairs)
    assert [b.loc for b in upper.body] == [b.loc for b in example.body]
    same = map_texts(example, lambda text, ref: text)
    assert same == example
    assert example.body[3].items and all(
        a is b for a, b in zip(same.body[3].items, example.body[3].items, strict=True))
    only_cells = map_texts(example, lambda t, ref: "x" if ref.kind == "cell" else t,
                           columns=False)
    assert [c.heading for c in only_cells.table.columns] == \
        [c.heading for c in example.table.columns]
    assert {i.text for c in only_cells.table.columns for i in c.items} == {"x"}


@pytest.mark.parametrize(("value", "expected"), [
    ("10:30", (10, 30)), ("00:00", (0, 0)), ("23:59", (23, 59)),
    ("", None), ("9:30", None), ("24:00", None), ("10:75", None), ("10h30", None)])
def test_time_value(value, expected):
    found = SessionSummary.time_value(value)
    assert (None if found is None else (found.hour, found.minute)) == expected
