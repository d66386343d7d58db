"""Building proceedings for the tests: session files made with the conformance kit, and
manifests written beside them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from gfmdreport import render
from gfmdreport.testing import make_summary

EVENT = "Global Forum on Migration and Development: Summit"


def session(folder: Path, name: str, **fields) -> str:
    """A session's summary written as YAML in ``folder``; returns its file name."""
    fields.setdefault("title", EVENT)
    summary = make_summary(**fields)
    (folder / name).write_bytes(render(summary, "yaml"))
    return name


def generated(folder: Path, count: int, *, first=dt.date(2019, 5, 14), **manifest) -> Path:
    """``count`` sessions, two a day in date order, each with its own paragraphs, chair,
    rapporteur and closing table; and their manifest, which it returns."""
    names = []
    for i in range(count):
        day = first + dt.timedelta(days=i // 2)
        names.append(session(
            folder, f"session-{i + 1:02d}.yaml", session=f"Roundtable {i + 1}: theme {i + 1}",
            date=day.isoformat(), start_time="09:30" if i % 2 == 0 else "14:00",
            end_time="11:00" if i % 2 == 0 else "16:00",
            chairs=[f"Ms. Chair{chr(65 + i % 26)} Person{i + 1}, Minister, Government {i}"],
            rapporteurs=[f"Dr. Rapporteur Shared, Director, Institute {i % 3}"],
            paragraphs=[f"Session {i + 1} opened with remarks on theme {i + 1}.",
                        f"Participants of session {i + 1} discussed the theme at length.",
                        f"Session {i + 1} closed with its table."],
            table={"Points of Convergence": [f"convergence of session {i + 1}"],
                   "Practical Recommendations": [f"recommendation of session {i + 1}",
                                                 f"second recommendation of {i + 1}"],
                   "Challenges / Issues for further discussion":
                       [f"challenge of session {i + 1}"]}))
    last = first + dt.timedelta(days=(count - 1) // 2)
    data = {"title": EVENT, "subtitle": "Report of the proceedings",
            "dates": [first.isoformat(), last.isoformat()], "venue": "Geneva",
            "language": "en", **manifest,
            "sessions": [{"part": "Roundtables", "sessions": names}]}
    path = folder / "proceedings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path


def manifest(folder: Path, sessions: list, **keys) -> Path:
    data = {"title": EVENT, "dates": ["2019-05-14", "2019-05-16"], "language": "en",
            **keys, "sessions": sessions}
    path = folder / "proceedings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path
