"""Localized labels: every word a writer prints that is not the user's text, and the way
each language writes dates and times.

``labels_for(language)`` returns the table for ``en``, ``fr`` or ``es`` (English for any
other language), with a summary's own ``labels`` applied on top. Plugins add languages
through the ``register_languages`` hook; while a render runs, the languages of its plugins
are visible here.

Dates and times use a table of our own rather than Babel: three languages need twelve
month names each, and Babel's locale data would add megabytes and start-up time to every
run for no better result. The readers recognise the same ``months`` (with their spellings
without accents and their abbreviations): :mod:`gfmdreport.recognize.dates` builds its
table from these.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gfmdreport.model import SessionSummary

DEFAULT_LANGUAGE = "en"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "question": "Question",
        "chair": "Chair",
        "co_chairs": "Co-Chairs",
        "rapporteur": "Rapporteur",
        "rapporteurs": "Rapporteurs",
        "summary_table": "Summary table",
        "convergence": "Points of Convergence",
        "recommendations": "Practical Recommendations",
        "challenges": "Challenges / Issues for further discussion",
        "contents": "Contents",
        "page_x_of_y": "Page {page} of {pages}",
        "date_format": "{day} {month} {year}",
        "time_format": "{h}:{m}",
        "time_range": "{start}\u2013{end}",
        "months": "January February March April May June July August September October "
                  "November December",
    },
    "fr": {
        "question": "Question",
        "chair": "Présidence",
        "co_chairs": "Coprésidence",
        "rapporteur": "Rapporteur",
        "rapporteurs": "Rapporteurs",
        "summary_table": "Tableau récapitulatif",
        "convergence": "Points de convergence",
        "recommendations": "Recommandations pratiques",
        "challenges": "Défis et questions à approfondir",
        "contents": "Table des matières",
        "page_x_of_y": "Page {page} sur {pages}",
        "date_format": "{day} {month} {year}",
        "first_day": "1er",
        "time_format": "{h}\u00a0h\u00a0{m}",
        "time_range": "{start} \u2013 {end}",
        "months": "janvier février mars avril mai juin juillet août septembre octobre "
                  "novembre décembre",
    },
    "es": {
        "question": "Pregunta",
        "chair": "Presidencia",
        "co_chairs": "Copresidencia",
        "rapporteur": "Relatoría",
        "rapporteurs": "Relatores",
        "summary_table": "Cuadro resumen",
        "convergence": "Puntos de convergencia",
        "recommendations": "Recomendaciones prácticas",
        "challenges": "Desafíos y cuestiones pendientes",
        "contents": "Índice",
        "page_x_of_y": "Página {page} de {pages}",
        "date_format": "{day} de {month} de {year}",
        "time_format": "{h}:{m}",
        "time_range": "{start}\u2013{end}",
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
                  "noviembre diciembre",
    },
}

TABLE_HEADING_KEYS = ("convergence", "recommendations", "challenges")
KEYS = tuple(LABELS[DEFAULT_LANGUAGE])
"""Every label a language provides (``first_day`` is optional)."""

_extra: ContextVar[Mapping[str, Mapping[str, str]]] = ContextVar(
    "gfmdreport_languages", default=MappingProxyType({}))


@contextmanager
def languages(extra: Mapping[str, Mapping[str, str]]) -> Iterator[None]:
    """Make the languages plugins registered visible to :func:`labels_for` in the block."""
    token = _extra.set(extra)
    try:
        yield
    finally:
        _extra.reset(token)


def primary(language: str) -> str:
    """``"fr-CH"`` → ``"fr"``."""
    return (language or DEFAULT_LANGUAGE).split("-")[0].lower()


def known_languages() -> tuple[str, ...]:
    return tuple(sorted({*LABELS, *_extra.get()}))


def labels_for(language: str, overrides: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """The labels for ``language`` (its primary subtag), English where it has none, with
    ``overrides`` (a summary's own ``labels``) on top."""
    code = primary(language)
    table = dict(LABELS[DEFAULT_LANGUAGE])
    table.update(LABELS.get(code) or _extra.get().get(code) or {})
    if overrides:
        table.update(overrides)
    return MappingProxyType(table)


def format_date(value: _dt.date | str | None, language: str,
                labels: Mapping[str, str] | None = None) -> str:
    """A date as the language writes it: "6 September 2017", "6 septembre 2017",
    "6 de septiembre de 2017". An ISO string that is not a real date comes back as is."""
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value) if value else None
        except ValueError:
            return value
    if value is None:
        return ""
    table = labels or labels_for(language)
    months = table["months"].split()
    day = table.get("first_day", "1") if value.day == 1 else str(value.day)
    return table["date_format"].format(day=day, month=months[value.month - 1],
                                       year=value.year)


_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def format_time(value: str, language: str, labels: Mapping[str, str] | None = None) -> str:
    """``"10:30"`` → ``"10:30"`` (en, es) or ``"10 h 30"`` (fr)."""
    m = _HHMM.match(value or "")
    if not m:
        return value or ""
    table = labels or labels_for(language)
    return table["time_format"].format(h=int(m.group(1)), m=m.group(2))


def format_time_range(start: str, end: str, language: str,
                      labels: Mapping[str, str] | None = None) -> str:
    """``"10:30–12:30"``, ``"10 h 30 – 12 h 30"`` (an en dash, as typography wants a
    range); a lone start time alone."""
    table = labels or labels_for(language)
    if start and end:
        return table["time_range"].format(start=format_time(start, language, table),
                                          end=format_time(end, language, table))
    return format_time(start or end, language, table)


def summary_labels(summary: SessionSummary) -> Mapping[str, str]:
    """The labels a summary is written with: its language's, with its own on top."""
    return labels_for(summary.language, summary.labels)


def table_headings(language: str) -> tuple[str, ...]:
    """The three GFMD closing-table headings in ``language``."""
    labels = labels_for(language)
    return tuple(labels[key] for key in TABLE_HEADING_KEYS)


PROCEEDINGS_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "foreword": "Foreword",
        "introduction": "Introduction",
        "annex": "Annex",
        "annex_tables": "Consolidated summary tables",
        "index": "Index of chairs and rapporteurs",
        "item": "Item",
        "session": "Session",
        "name": "Name",
        "chaired": "Chair",
        "reported": "Rapporteur",
        "organised_by": "Organised by",
        "chapter": "Session {number}",
    },
    "fr": {
        "foreword": "Avant-propos",
        "introduction": "Introduction",
        "annex": "Annexe",
        "annex_tables": "Tableaux récapitulatifs consolidés",
        "index": "Index des présidences et des rapporteurs",
        "item": "Point",
        "session": "Session",
        "name": "Nom",
        "chaired": "Présidence",
        "reported": "Rapporteur",
        "organised_by": "Organisé par",
        "chapter": "Session {number}",
    },
    "es": {
        "foreword": "Prólogo",
        "introduction": "Introducción",
        "annex": "Anexo",
        "annex_tables": "Cuadros resumen consolidados",
        "index": "Índice de presidencias y relatorías",
        "item": "Punto",
        "session": "Sesión",
        "name": "Nombre",
        "chaired": "Presidencia",
        "reported": "Relatoría",
        "organised_by": "Organizado por",
        "chapter": "Sesión {number}",
    },
}
"""The words of the proceedings (``gfmdreport compile``) beyond a summary's: English
where a language has none."""


def proceedings_labels(language: str) -> Mapping[str, str]:
    """The labels of a summary in ``language`` with the proceedings' words added."""
    table = dict(labels_for(language))
    table.update(PROCEEDINGS_LABELS[DEFAULT_LANGUAGE])
    table.update(PROCEEDINGS_LABELS.get(primary(language), {}))
    return MappingProxyType(table)


def format_date_span(start: str, end: str, language: str) -> str:
    """An event's dates: "6 September 2017", or "6-7 September 2017" style when both are
    given (each date written in full when the months or years differ)."""
    if not end or end == start:
        return format_date(start, language)
    try:
        a, b = _dt.date.fromisoformat(start), _dt.date.fromisoformat(end)
    except ValueError:
        return " – ".join(t for t in (format_date(start, language),
                                      format_date(end, language)) if t)
    if (a.year, a.month) == (b.year, b.month):
        day = labels_for(language).get("first_day", "1") if a.day == 1 else str(a.day)
        return f"{day}–{format_date(b, language)}"
    return f"{format_date(a, language)} – {format_date(b, language)}"
