"""The placeholders of the ``gfmdreport new`` templates (``[Full name]``,
``[Mr./Ms./Dr./H.E.]``, ``[Nom complet]`` …), in every language: text that still holds
one was never filled in. ``tests/test_placeholders.py`` checks that this list is the
templates' own."""

from __future__ import annotations

from collections.abc import Iterator

from gfmdreport.recognize.lazy import lazy

PLACEHOLDERS = frozenset(
    {
        "A challenge or issue.",
        "A paragraph introducing a list:",
        "A point of convergence.",
        "A point under that takeaway.",
        "A practical recommendation.",
        "A takeaway from the discussion.",
        "A takeaway.",
        "Al abrir la sesión, la Presidencia …",
        (
            "Al final de la sesión, el relator resumió los aspectos más destacados de los "
            "debates. El cuadro siguiente recoge los principales puntos de convergencia, las "
            "recomendaciones prácticas y los desafíos y cuestiones pendientes."
        ),
        "Another takeaway.",
        (
            "At the end of the session, the rapporteur summed up the highlights of the "
            "discussions. The following table outlines the main points of convergence, "
            "practical recommendations and remaining challenges or issues for further "
            "discussion."
        ),
        "Cargo",
        "En ouvrant la séance, le Président …",
        "Fonction",
        "Full name",
        "In opening the session, the Chair …",
        "Intertitre, si la séance en avait un",
        (
            "La Presidencia abrió el debate e invitó a los participantes a responder a las "
            "preguntas orientadoras. A continuación figura un resumen de las principales "
            "conclusiones."
        ),
        "La deuxième question directrice ?",
        "La première question directrice ?",
        (
            "La sesión de trabajo arriba mencionada estuvo presidida por … El relator, …, "
            "resumió los debates al final de la sesión."
        ),
        (
            "La séance de travail susmentionnée était présidée par … Le rapporteur, …, a "
            "résumé les débats à la fin de la séance."
        ),
        (
            "Le Président a donné la parole aux participants et les a invités à répondre aux "
            "questions directrices. Voici un résumé des principaux points à retenir des "
            "débats."
        ),
        "M./Mme/Dr/S.E.",
        "Mr./Ms./Dr./H.E.",
        "Name of the event, e.g. GFMD Thematic Workshop on …",
        "Nom complet",
        "Nom de l'événement, p. ex. Atelier thématique du FMMD sur …",
        "Nombre completo",
        "Nombre del evento, p. ej. Taller temático del FMMD sobre …",
        "Organisation",
        "Organización",
        "Organization",
        "Otra conclusión.",
        "Position",
        "Room, building",
        "Sala, edificio",
        "Salle, bâtiment",
        "Section heading, if the session had one",
        "Sr./Sra./Dr./Excmo.",
        "Subtítulo, si la sesión lo tenía",
        (
            "The Chair opened the floor and invited all participants to respond to the "
            "guiding questions. Below is a summary of the main takeaways from the "
            "discussions."
        ),
        (
            "The above-entitled working session was chaired by … The rapporteur, …, "
            "summarized the discussions at the end of the session."
        ),
        "The first guiding question?",
        "The second guiding question?",
        "Title of the working session",
        "Titre de la séance de travail",
        "Título de la sesión de trabajo",
        "Un autre point.",
        "Un desafío o una cuestión.",
        "Un défi ou une question.",
        "Un paragraphe qui introduit une liste :",
        "Un point de convergence.",
        "Un point à retenir des débats.",
        "Un point à retenir.",
        "Un punto de convergencia.",
        "Un párrafo que introduce una lista:",
        "Una conclusión del debate.",
        "Una conclusión.",
        "Una precisión sobre esa conclusión.",
        "Una recomendación práctica.",
        "Une précision sur ce point.",
        "Une recommandation pratique.",
        "deuxième point.",
        "first point;",
        "premier point ;",
        "primer punto;",
        "second point.",
        "segundo punto.",
        "¿La primera pregunta orientadora?",
        "¿La segunda pregunta orientadora?",
        (
            "À la fin de la séance, le rapporteur a résumé les points saillants des débats. "
            "Le tableau suivant présente les principaux points de convergence, les "
            "recommandations pratiques et les défis et questions restant à approfondir."
        ),
    }
)
"""The text between the brackets of each placeholder, its white space collapsed."""

_BRACKETED = lazy(r"\\?\[([^\[\]]+?)\\?\](?!\()")


def placeholders(text: str) -> Iterator[str]:
    """Each template placeholder in ``text``, as it is typed there (``[Full name]``)."""
    for m in _BRACKETED.finditer(text):
        if " ".join(m.group(1).split()) in PLACEHOLDERS:
            yield m.group(0)
