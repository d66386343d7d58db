"""The recognisers of what people type (gfmdreport/recognize), as every reader uses them:
people in a field and in a sentence, dates and times in a field and in a date line."""

from __future__ import annotations

import pytest

from gfmdreport.diagnostics import Location
from gfmdreport.recognize.dates import parse_when
from gfmdreport.recognize.dates import read_date
from gfmdreport.recognize.people import find_people
from gfmdreport.recognize.people import read_people
from gfmdreport.recognize.times import read_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ms. Jane Doe, Director of Labour Migration, Ministry of Labour of Ghana",
            [("Ms.", "Jane Doe", "Director of Labour Migration", "Ministry of Labour of Ghana")],
        ),
        ("Dr. A B", [("Dr.", "A B", "", "")]),
        ("Ms. X, Mr. Y", [("Ms.", "X", "", ""), ("Mr.", "Y", "", "")]),
        (
            "Mr. A (Germany) and Ms. B (Morocco)",
            [("Mr.", "A", "", "Germany"), ("Ms.", "B", "", "Morocco")],
        ),
        (
            "H.E. Ms. María del Carmen Pérez, Ambassador of Mexico",
            [("H.E. Ms.", "María del Carmen Pérez", "Ambassador of Mexico", "")],
        ),
        ("Jane Doe and John Smith", [("", "Jane Doe", "", ""), ("", "John Smith", "", "")]),
        (
            "Mme Sophie Martin, Directrice de l'Office français de l'immigration",
            [("Mme", "Sophie Martin", "Directrice", "Office français de l'immigration")],
        ),
        (
            "Prof. Ana Ruiz of the University of Lisbon",
            [("Prof.", "Ana Ruiz", "", "University of Lisbon")],
        ),
        ("“Ms. Jane Doe”", [("Ms.", "Jane Doe", "", "")]),
        (
            "Mr. Ola Henrikson, Director General for Migration and Asylum from the Swedish "
            "Ministry of Justice",
            [
                (
                    "Mr.",
                    "Ola Henrikson",
                    "Director General for Migration and Asylum",
                    "Swedish Ministry of Justice",
                )
            ],
        ),
    ],
)
def test_people_in_a_field(text, expected):
    found = [
        (t.person.honorific, t.person.name, t.person.role, t.person.organization)
        for t in read_people(text)
    ]
    assert found == expected


def test_a_split_that_guesses_says_so():
    (typed,) = read_people("Ms. Jane Doe, Head of Unit of the Department of Labour of Ghana")
    assert typed.person.organization == "Department of Labour of Ghana"
    assert typed.doubts and "last 'of'" in typed.doubts[0]
    (sure,) = read_people("Ms. Jane Doe, Director, Ministry of Labour")
    assert sure.doubts == []


@pytest.mark.parametrize(
    ("text", "kind", "names"),
    [
        (
            "Les co-rapporteurs étaient M. Paul Durand et Mme Anne Petit.",
            "rapporteur",
            ["Paul Durand", "Anne Petit"],
        ),
        (
            "M. Paul Durand et Mme Anne Petit ont agi en tant que co-rapporteurs.",
            "rapporteur",
            ["Paul Durand", "Anne Petit"],
        ),
        (
            "M. Paul Durand et Mme Anne Petit ont été co-rapporteurs de la séance.",
            "rapporteur",
            ["Paul Durand", "Anne Petit"],
        ),
        (
            "Los co-relatores fueron el Sr. Juan Pérez y la Sra. Ana Ruiz.",
            "rapporteur",
            ["Juan Pérez", "Ana Ruiz"],
        ),
        (
            "El Sr. Juan Pérez y la Sra. Ana Ruiz actuaron como correlatores.",
            "rapporteur",
            ["Juan Pérez", "Ana Ruiz"],
        ),
        (
            "La sesión fue copresidida por el Sr. Juan Pérez y la Sra. Ana Ruiz.",
            "chair",
            ["Juan Pérez", "Ana Ruiz"],
        ),
        (
            "The co-rapporteurs were Mr. Adam Smith and Ms. Beth Jones.",
            "rapporteur",
            ["Adam Smith", "Beth Jones"],
        ),
    ],
)
def test_co_rapporteurs_and_co_chairs_in_three_languages(text, kind, names):
    found = find_people(text, lambda offset: Location())
    assert [(f.kind, f.person.name) for f, _ in found] == [(kind, n) for n in names]


@pytest.mark.parametrize(
    ("line", "start", "end", "venue"),
    [
        ("6 septembre 2017, 9h30-11h, Salle 3", "09:30", "11:00", "Salle 3"),
        ("6 de septiembre de 2017, de 16.00 a 18.00 horas, Sala 3", "16:00", "18:00", "Sala 3"),
        (
            "6 de septiembre de 2017, desde las 9.30 hasta las 11.00, Sala 3",
            "09:30",
            "11:00",
            "Sala 3",
        ),
        ("6 September 2017, 14.00-16.00 hrs, Room 2", "14:00", "16:00", "Room 2"),
        (
            "6 September 2017, 10:30-12:30 Hotel Savoyen – Mancini 3b",
            "10:30",
            "12:30",
            "Hotel Savoyen – Mancini 3b",
        ),
    ],
)
def test_time_phrases_leave_the_venue_whole(line, start, end, venue):
    when = parse_when(line)
    assert (when.start, when.end, when.venue) == (start, end, venue)


@pytest.mark.parametrize(
    ("text", "iso", "doubt"),
    [
        ("12 March 2018", "2018-03-12", False),
        ("March 12, 2018", "2018-03-12", False),
        ("2018-3-12", "2018-03-12", False),
        ("12/03/2018", "2018-03-12", True),
        ("12.03.2018", "2018-03-12", True),
        ("03/13/2018", "2018-03-13", True),
        ("13/03/2018", "2018-03-13", False),
        ("31/09/2017", "2017-09-31", False),  # kept as typed: GFMD205 names September's last day
        ("12 mars 2018", "2018-03-12", False),
        ("6 de septiembre de 2017", "2017-09-06", False),
        ("Wed, Sept. 6th, 2017", "2017-09-06", False),
    ],
)
def test_dates_in_a_field(text, iso, doubt):
    typed = read_date(text)
    assert (typed.iso, bool(typed.doubt)) == (iso, doubt)


@pytest.mark.parametrize("text", ["tomorrow", "6 September 2017, Geneva", "10:30"])
def test_what_is_no_date(text):
    assert read_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.30–4 pm", ("14:30", "16:00")),
        ("2:30 pm - 4 pm", ("14:30", "16:00")),
        ("14h30-16h00", ("14:30", "16:00")),
        ("14.30-16.00", ("14:30", "16:00")),
        ("14:30 to 16:00", ("14:30", "16:00")),
        ("9h30-11h", ("09:30", "11:00")),
        ("9 h 30 – 11 h", ("09:30", "11:00")),
        ("de 16.00 a 18.00 horas", ("16:00", "18:00")),
        ("10:30 — 12:30", ("10:30", "12:30")),
        ("14:30", ("14:30", "")),
        ("10-12", None),
        ("after lunch", None),
    ],
)
def test_times_in_a_field(text, expected):
    assert read_time(text) == expected
