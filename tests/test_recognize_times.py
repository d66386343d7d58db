"""Times of day as people type them on a header line or in a legacy text's date line
(gfmdreport.recognize.times.find_time): ranges with and without minutes, am and pm on
either side, French and dotted clocks, and what is not a time."""

from __future__ import annotations

import pytest

from gfmdreport.recognize.times import find_time
from gfmdreport.recognize.times import parse_time


@pytest.mark.parametrize(("text", "found", "span"), [
    ("10:30-12:30", ("10:30", "12:30"), (0, 11)),
    ("10.30 – 12.30", ("10:30", "12:30"), (0, 13)),
    ("14h30-16h00", ("14:30", "16:00"), (0, 11)),
    # am/pm given once, at the end, counts for both sides when that keeps the order
    ("2-4 pm", ("14:00", "16:00"), (0, 6)),
    ("2:30-4 pm", ("14:30", "16:00"), (0, 9)),
    ("2:30 pm-4:30 pm", ("14:30", "16:30"), (0, 15)),
    ("9-10 a.m.", ("09:00", "10:00"), (0, 9)),
    ("10 am - 12 pm", ("10:00", "12:00"), (0, 13)),
    ("11 am to 1 pm", ("11:00", "13:00"), (0, 13)),
    ("12 am-1 am", ("00:00", "01:00"), (0, 10)),
    ("Session 2, 10:00 to 11:30", ("10:00", "11:30"), (11, 25)),
    # "3-4" without minutes or am/pm is no time range: the next time is taken
    ("Room 3-4, 10:30", ("10:30", ""), (10, 15)),
    ("Rooms 3-4, 10:30-12:00", ("10:30", "12:00"), (11, 22)),
    ("from 9:00", ("09:00", ""), (5, 9)),
    ("9:15 am", ("09:15", ""), (0, 7)),
    ("12:30 pm", ("12:30", ""), (0, 8)),
    ("12:15 am", ("00:15", ""), (0, 8)),
    # an impossible end leaves the start alone
    ("10:30-25:00", ("10:30", ""), (0, 5)),
])
def test_times_found(text, found, span):
    assert find_time(text) == (found, span)
    assert parse_time(text) == found


@pytest.mark.parametrize("text", ["3-4", "9 am", "26:00", "Room 12", "", "page 2 of 4"])
def test_no_time(text):
    assert find_time(text) is None and parse_time(text) is None
