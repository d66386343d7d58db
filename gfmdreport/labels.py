"""Localized labels: every word a writer prints that is not the user's text.

``labels_for(language)`` returns the table for ``en``, ``fr`` or ``es`` (English for any
other language), with ``overrides`` applied on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

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
    },
    "fr": {
        "question": "Question",
        "chair": "Président(e)",
        "co_chairs": "Coprésidents",
        "rapporteur": "Rapporteur",
        "rapporteurs": "Rapporteurs",
        "summary_table": "Tableau récapitulatif",
        "convergence": "Points de convergence",
        "recommendations": "Recommandations pratiques",
        "challenges": "Défis et questions à approfondir",
        "contents": "Table des matières",
        "page_x_of_y": "Page {page} sur {pages}",
    },
    "es": {
        "question": "Pregunta",
        "chair": "Presidencia",
        "co_chairs": "Copresidencia",
        "rapporteur": "Relator(a)",
        "rapporteurs": "Relatores",
        "summary_table": "Cuadro resumen",
        "convergence": "Puntos de convergencia",
        "recommendations": "Recomendaciones prácticas",
        "challenges": "Desafíos y cuestiones pendientes",
        "contents": "Índice",
        "page_x_of_y": "Página {page} de {pages}",
    },
}

TABLE_HEADING_KEYS = ("convergence", "recommendations", "challenges")


def labels_for(language: str, overrides: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """The labels for ``language`` (its primary subtag), English where it has none."""
    primary = (language or DEFAULT_LANGUAGE).split("-")[0].lower()
    table = dict(LABELS.get(primary, LABELS[DEFAULT_LANGUAGE]))
    if overrides:
        table.update(overrides)
    return MappingProxyType(table)


def table_headings(language: str) -> tuple[str, ...]:
    """The three GFMD closing-table headings in ``language``."""
    labels = labels_for(language)
    return tuple(labels[key] for key in TABLE_HEADING_KEYS)
