"""The example summaries every plugin is checked against.

Each is a :class:`~gfmdreport.SessionSummary` in canonical form (what the interchange
readers produce), so a summary survives a JSON round trip unchanged:

``every-block``
    English; every block type (paragraphs with inline markup, a heading, a lettered
    sub-list with a nested item, questions with nested takeaways, the closing table) and
    every metadata field, with co-chairs and two rapporteurs.
``fr``, ``es``
    The same genre in French and Spanish, with their labels and table headings (French
    with its no-break spaces before high punctuation and inside guillemets).
``sparse``
    Optional fields left empty: a chair with a name only, no rapporteurs, a start time
    without an end time, a question without takeaways, a table column without items.
``minimal``
    One paragraph and nothing else: no title, date, time, venue or people.
``unicode``
    Unusual text: right-to-left scripts, CJK, emoji sequences with joiners, combining
    marks, characters outside the Basic Multilingual Plane, characters that mean
    something in XML, HTML, Markdown and templates, invisible format characters and a
    stray control character.
``long``
    Size: a 300-character title, 63 paragraphs, a 2,000-word paragraph, a lettered list
    running past z), takeaways nested five deep, a 400-character word without a break
    and a table column of 25 items.

``sparse`` and ``minimal`` are incomplete on purpose: the built-in validation rules find
errors in them (no rapporteur, no closing table …), and a writer must still render them.
The others pass validation without errors.

Every block and item starts with three plain words found nowhere else in its summary
(its *probe*), so that a check can find each one in text extracted from any format,
even where exact text does not survive (PDF line breaking, right-to-left reordering).
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

from gfmdreport.labels import table_headings
from gfmdreport.model import Column
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

NAMES = ("every-block", "fr", "es", "sparse", "minimal", "unicode", "long")
"""The example names, in the order checks run them."""


def _every_block() -> SessionSummary:
    convergence, recommendations, challenges = table_headings("en")
    return SessionSummary(
        title="GFMD Thematic Workshop on Labour Mobility and Skills Partnerships",
        session="Session 2: Skills partnerships between countries of origin and destination",
        date="2019-05-14",
        start_time="09:30",
        end_time="11:00",
        venue="Palais des Nations, Room XXIV",
        language="en",
        chairs=(
            Person("Amina Diallo", "Ms.", "Director of Labour Migration",
                   "Ministry of Labour of Senegal"),
            Person("Lars Eriksen", "H.E.", "Ambassador", "Permanent Mission of Norway"),
        ),
        rapporteurs=(
            Person("Tomás Herrera", "Mr.", "Thematic expert rapporteur",
                   "International Labour Organization"),
            Person("Ingrid Solberg", "Dr.", "Researcher", "Migration Policy Institute"),
        ),
        body=(
            Paragraph("Opening remarks framed the session around **skills partnerships**, "
                      "*circular mobility* and the [Global Skill Partnership]"
                      "(https://example.org/gsp?lang=en&view=full) model, with `ILO C181` "
                      "cited as the reference convention."),
            Paragraph("Participants from twenty-two governments, the private sector and civil "
                      "society took part; **Ms. Amina Diallo** welcomed them on behalf of the "
                      "co-chairs."),
            Heading("Overview of the background paper"),
            Paragraph(
                "Background paper findings were presented in four points:",
                (
                    Item("Recognition of qualifications remains slow and costly;",
                         (Item("Mutual recognition agreements cover few occupations;"),)),
                    Item("Employers are rarely consulted when curricula are designed;"),
                    Item("Training costs fall mostly on *migrants themselves*; and"),
                    Item("Return migrants seldom find their new skills recognised at home."),
                ),
            ),
            Paragraph("Chair's invitation followed: all participants were asked to respond to "
                      "the two guiding questions below."),
            Question(1, "How can skills partnerships be financed sustainably?", (
                Item("Shared financing between destination employers and origin training "
                     "institutions was widely supported."),
                Item("Several delegations cited pilot projects worth sharing:", (
                    Item("Vocational schools in Morocco trained nurses for both markets.",
                         (Item("Graduates could choose where to work after two years."),)),
                    Item("Apprenticeship schemes in Germany paired firms with colleges."),
                )),
                Item("Private sector commitment was seen as essential for scale."),
            )),
            Question(2, "What role should *local authorities* play in skills partnerships?", (
                Item("Cities match training to local labour demand better than ministries."),
                Item("Municipal employment services can reach returning migrants early."),
            )),
            Paragraph("Closing the session, the rapporteur summed up the points of "
                      "convergence, the practical recommendations and the open challenges."),
            SummaryTable((
                Column(convergence, (
                    Item("Skills partnerships benefit origin and destination alike"),
                    Item("Employers belong at the design table"),
                )),
                Column(recommendations, (
                    Item("Pool training budgets across countries"),
                    Item("Publish a registry of recognised qualifications", (
                        Item("Start with health and construction trades"),
                    )),
                    Item("Involve cities in matching and placement"),
                )),
                Column(challenges, (
                    Item("Sustaining funding beyond pilot phases"),
                )),
            )),
        ),
    )


def _french() -> SessionSummary:
    convergence, recommendations, challenges = table_headings("fr")
    return SessionSummary(
        title="Atelier thématique du FMMD sur la contribution du Forum au Pacte mondial",
        session="Groupe 2\u00a0: Contribution des migrants au développement durable",
        date="2017-09-07",
        start_time="14:00",
        end_time="16:30",
        venue="Hôtel Savoyen – Salle Mancini",
        language="fr",
        chairs=(Person("Élise Moreau-Lefèvre", "Mme", "Directrice des affaires consulaires",
                       "Ministère des Affaires étrangères"),),
        rapporteurs=(Person("François N’Diaye", "M.", "Rapporteur thématique",
                            "Organisation internationale pour les migrations"),),
        body=(
            Paragraph("Séance ouverte par **Mme Élise Moreau-Lefèvre**, qui a rappelé le rôle "
                      "du Forum dans l’élaboration du Pacte mondial «\u00a0pour des migrations "
                      "sûres, ordonnées et régulières\u00a0»."),
            Heading("Présentation du chapitre du rapport"),
            Paragraph("Recommandations principales du rapport, résumées en trois points\u00a0:", (
                Item("Renforcer la cohérence des politiques publiques\u202f;"),
                Item("Associer les collectivités locales et la société civile\u202f;"),
                Item("Améliorer la collecte de données ventilées par sexe et par âge."),
            )),
            Question(1, "Comment le Pacte mondial peut-il favoriser la mise en œuvre des "
                        "engagements existants\u202f?", (
                Item("Large consensus sur la nécessité d’un mécanisme d’examen par les "
                     "pairs, à l’image de l’Examen périodique universel."),
                Item("Plusieurs États ont souligné l’importance des processus consultatifs "
                     "régionaux.", (Item("Exemple cité\u00a0: le Processus de Rabat."),)),
            )),
            Paragraph("Clôture de la séance\u00a0: le rapporteur a présenté la synthèse "
                      "ci-dessous."),
            SummaryTable((
                Column(convergence, (Item("Migration choisie et non subie"),)),
                Column(recommendations, (Item("Créer un fonds dédié à la recherche"),
                                         Item("Échanger les bonnes pratiques"))),
                Column(challenges, (Item("Comparabilité des données entre pays"),)),
            )),
        ),
    )


def _spanish() -> SessionSummary:
    convergence, recommendations, challenges = table_headings("es")
    return SessionSummary(
        title="Taller temático del FMMD sobre migración laboral y desarrollo",
        session="Sesión 3: Cooperación internacional y gobernanza de la migración",
        date="2018-12-06",
        start_time="10:00",
        end_time="12:00",
        venue="Centro de Convenciones, Marrakech",
        language="es",
        chairs=(Person("María José Núñez", "Sra.", "Viceministra de Relaciones Exteriores",
                       "Gobierno de Ecuador"),),
        rapporteurs=(Person("Íñigo Peña", "Dr.", "Relator temático", "Universidad de Salamanca"),),
        body=(
            Paragraph("Apertura de la sesión a cargo de la **Sra. María José Núñez**, quien "
                      "destacó la importancia del diálogo regional."),
            Heading("Resumen del capítulo del informe"),
            Paragraph("¿Qué propuso el informe? Entre otras cosas, lo siguiente:", (
                Item("Fortalecer la coherencia institucional;"),
                Item("Mejorar la recopilación de datos desglosados."),
            )),
            Question(1, "¿Cómo puede el Pacto Mundial facilitar la aplicación de los "
                        "compromisos existentes?", (
                Item("Amplio acuerdo sobre la necesidad de pasar de la teoría a la acción."),
                Item("Señalaron también que la niñez migrante requiere protección especial."),
            )),
            Paragraph("Al término de la sesión, el relator resumió las conclusiones."),
            SummaryTable((
                Column(convergence, (Item("Migración como opción genuina"),)),
                Column(recommendations, (Item("Crear un fondo para la investigación"),)),
                Column(challenges, (Item("Comparabilidad de los datos"),)),
            )),
        ),
    )


def _sparse() -> SessionSummary:
    return SessionSummary(
        title="Sparse session notes",
        date="2020-01-15",
        start_time="15:00",
        chairs=(Person("Kofi Mensah"),),
        body=(
            Heading("Sparse section heading"),
            Question(1, "Sparse question without takeaways?"),
            Paragraph("Sparse paragraph after the question."),
            SummaryTable((
                Column("Sparse first column", (Item("Sparse single item"),)),
                Column("Sparse empty column"),
            )),
        ),
    )


def _minimal() -> SessionSummary:
    return SessionSummary(body=(Paragraph("Minimal notes contain one paragraph and nothing "
                                          "else."),))


def _unicode() -> SessionSummary:
    return SessionSummary(
        title="Unicode session — العربية · עברית · 中文 · हिन्दी · Ελληνικά 🌍",
        session="Session Ω: «Ünïcödé» in every field ½ ≠ ∞",
        date="2021-03-21",
        start_time="08:05",
        end_time="23:55",
        venue="Salle Ægir — 東京 & Zürich <annex>",
        language="en",
        chairs=(Person("محمد الأمين", "H.E.", "سفير", "وزارة الخارجية"),),
        rapporteurs=(Person("王小明", "Dr.", "研究员", "北京大学"),
                     Person("Zoë O’Brien-Ñúñez", "Ms.", "Rapporteur <lead>",
                            "\"Quotes\" & Co.")),
        body=(
            Paragraph("Arabic script reads right to left: منتدى العالمي للهجرة والتنمية "
                      "يجمع الحكومات."),
            Paragraph("Hebrew script example: הפורום העולמי להגירה ופיתוח, with digits 2024 "
                      "inside."),
            Paragraph("Chinese Japanese Korean: 全球移民与发展论坛、移住と開発に関する"
                      "グローバル・フォーラム、이주와 개발에 관한 글로벌 포럼."),
            Paragraph("Devanagari and Greek: प्रवासन और विकास पर वैश्विक मंच · "
                      "Παγκόσμιο Φόρουμ για τη Μετανάστευση."),
            Heading("Emoji sequences everywhere 🧭 👩🏽‍⚕️ 👨‍👩‍👧‍👦 🏳️‍🌈 🇸🇪🇸🇳"),
            Paragraph("Combining marks decomposed: e\u0301te\u0301, n\u0303, "
                      "a\u0300\u0301\u0302\u0303 and precomposed été."),
            Paragraph("Astral plane characters: 𝔊𝔉𝔐𝔇 𝒜𝓁𝓅𝒽𝒶 𝄞 𓀀 🀄 U+1F600 😀."),
            Paragraph("Markup lookalikes stay text: <script>alert('x')</script> & &amp; "
                      "\"double\" 'single' {{ jinja }} {% block %} ${shell} %PDF-1.7 "
                      "]]> <!-- comment --> \\\\ backslashes."),
            Paragraph("Escaped Markdown characters: \\*not emphasis\\*, \\_not\\_, "
                      "\\[not a link\\](x), \\# not a heading, 5 \\* 3 = 15, 100% \\`tick\\`."),
            Paragraph("Invisible characters follow: zero\u200bwidth space, soft\u00adhyphen, word"
                      "\u2060joiner, LRM\u200e and RLM\u200f marks, BOM\ufeffinside."),
            Paragraph("Control character pasted: \u0007 (a bell) from an old document."),
            Question(1, "Quoting marks compared: «guillemets», „Anführungszeichen“ and 「括弧」?", (
                Item("Takeaway with mixed directions: English عربي English עברית English."),
                Item("Nested takeaway levels:", (
                    Item("Second level — 第二级", (Item("Third level — третий уровень"),)),
                )),
            )),
            SummaryTable((
                Column("Convergence across scripts ✓",
                       (Item("Agreement across scripts: العربية and 中文"),)),
                Column("Recommendations for rendering ➜",
                       (Item("Render every script faithfully"),)),
                Column("Challenges with glyphs ⚠", (Item("Fonts lacking rare glyphs 𓀀"),)),
            )),
        ),
    )


_WORDS = ("migration", "development", "cooperation", "partnership", "governance", "data",
          "capacity", "return", "integration", "labour", "skills", "remittances",
          "diaspora", "protection", "mobility", "dialogue", "policy", "coherence",
          "regional", "global", "national", "local", "framework", "implementation")

_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _number_word(n: int) -> str:
    """English words for 1..99, joined with hyphens (probes must be one word)."""
    if n < 20:
        return _NUMBERS[n - 1]
    tens, units = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_NUMBERS[units - 1]}" if units else "")


def _filler(count: int, seed: int) -> str:
    """``count`` words of plausible filler, the same on every run."""
    words, state = [], seed
    for _ in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        words.append(_WORDS[state % len(_WORDS)])
    return " ".join(words)


def _long() -> SessionSummary:
    body: list = [Paragraph(f"Point {_number_word(n)} concerns {_filler(40, n)}.")
                  for n in range(1, 31)]
    body.append(Paragraph("Lengthy contribution paragraph: " + _filler(2000, 99) + "."))
    body.append(Paragraph(
        "Enumerated list overflow runs past the alphabet:",
        tuple(Item(f"Entry {_number_word(n)} reads {_filler(6, n + 200)};")
              for n in range(1, 31))))
    body.append(Heading("Second half of the discussion"))
    nested = Item("Depth five reached with nothing more below.")
    for depth in ("four", "three", "two", "one"):
        nested = Item(f"Depth {depth} opens a deeper level:", (nested,))
    body.append(Question(1, "Which question carries the deepest nesting of takeaways?",
                         (nested,)))
    body.append(Paragraph("Unbreakable token follows: "
                          + "https://example.org/" + "x" * 400 + " and ends here."))
    body.extend(Paragraph(f"Remark {_number_word(n)} adds {_filler(30, n + 500)}.")
                for n in range(31, 61))
    convergence, recommendations, challenges = table_headings("en")
    body.append(SummaryTable((
        Column(convergence, tuple(Item(f"Shared view {_number_word(n)}: {_filler(5, n)}")
                                  for n in range(1, 26))),
        Column(recommendations, (Item("Single recommendation recorded"),)),
        Column(challenges, (Item("Single challenge recorded"),)),
    )))
    return SessionSummary(
        title="Long session — " + ", ".join(f"topic {_number_word(n)}" for n in range(1, 31)),
        session="Session with everything long: " + _filler(30, 7),
        date="2022-06-30",
        start_time="09:00",
        end_time="18:00",
        venue="Main plenary hall",
        chairs=(Person("Alexandra Konstantinou-Papadopoulou", "H.E.",
                       "Deputy Minister for Migration Policy and Asylum", "Hellenic Republic"),),
        rapporteurs=(Person("Bartholomew Oluwaseun Adeyemi-Fitzgerald", "Prof.",
                            "Thematic expert rapporteur", "University of Lagos"),),
        body=tuple(body),
    )


_BUILDERS = {
    "every-block": _every_block,
    "fr": _french,
    "es": _spanish,
    "sparse": _sparse,
    "minimal": _minimal,
    "unicode": _unicode,
    "long": _long,
}


@lru_cache(maxsize=1)
def _all() -> MappingProxyType:
    return MappingProxyType({name: _BUILDERS[name]() for name in NAMES})


def example_summaries() -> MappingProxyType:
    """Every example summary, by name (built once; the model is immutable)."""
    return _all()


def example_summary(name: str) -> SessionSummary:
    """One example summary by name (see :data:`NAMES`)."""
    try:
        return _all()[name]
    except KeyError:
        raise KeyError(f"no example summary {name!r}; the examples are: "
                       f"{', '.join(NAMES)}") from None
