"""The model: the example's content, derived views, and the lossless dict round trip."""

from __future__ import annotations

import dataclasses

import pytest

from gfmdreport import Heading, Item, Paragraph, Person, Question, SessionSummary, SummaryTable
from gfmdreport.model import Column, split_time


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
