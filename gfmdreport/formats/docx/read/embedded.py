"""The model gfmdreport embeds in the documents it writes, and how it is combined with
what the document shows.

The writer stores the summary it rendered as a custom XML part, with a digest of the
text it wrote (docs/docx.md). Reading a document:

- the content is always read (:mod:`.content`);
- each text the content shows as the writer would have written it from the embedded
  model (same words, formatting and links) takes the model's own source, so untouched
  text keeps its exact Markdown;
- metadata the document does not show (people's roles and organizations, the language,
  the summary's own labels) come from the model, where the text still agrees;
- anything else is the document's: where it differs from the model, a warning says so
  and which one won.

An unedited document therefore reads back as exactly the embedded model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import replace

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import warning
from gfmdreport.formats.docx.ooxml.customxml import MODEL_TAG
from gfmdreport.formats.docx.ooxml.customxml import is_model_part
from gfmdreport.formats.docx.ooxml.customxml import model_digest
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML
from gfmdreport.formats.docx.ooxml.package import Package
from gfmdreport.formats.docx.ooxml.package import parse_part
from gfmdreport.formats.docx.read.content import ContentReader
from gfmdreport.formats.docx.read.content import find_people
from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.read.markup import comparable
from gfmdreport.formats.docx.read.markup import key
from gfmdreport.formats.docx.read.markup import plain_text as plain
from gfmdreport.formats.docx.read.markup import source_runs as runs
from gfmdreport.formats.docx.read.markup import squeeze
from gfmdreport.formats.docx.text import strip_unfit
from gfmdreport.inline import link_target
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time_range
from gfmdreport.labels import summary_labels
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import SessionSummary
from gfmdreport.model import map_texts
from gfmdreport.model import walk_texts
from gfmdreport.recognize import people as people_mod
from gfmdreport.recognize.text import Notes


@dataclass
class Embedded:
    """The model part of a document gfmdreport wrote."""

    part: str
    summary: SessionSummary | None
    digest: str = ""
    problem: str | None = None
    """Why the model cannot be used, if it cannot."""
    changed: bool = False
    """The model part was edited on its own since it was written: its JSON is not what
    its model digest says (documents written before the model digest cannot tell)."""


def find_model(package: Package) -> Embedded | None:
    """The embedded model, if the document has one (the part related from the main
    document first, then any custom XML part in the model's namespace)."""
    related = package.related(package.main, RT_CUSTOM_XML)
    others = sorted(n for n in package.names if n.startswith("customXml/") and
                    n.endswith(".xml") and "/_rels/" not in n and n not in related)
    for name in [*related, *others]:
        blob = package.read(name)
        if not is_model_part(blob):
            continue
        root = parse_part(blob, name, package.path)
        if root.tag != MODEL_TAG:
            continue
        return _model(package, name, root)
    return None


def _model(package: Package, name: str, root) -> Embedded:
    version = root.get("version", "")
    if version != "1":
        return Embedded(name, None, problem=f"it is of version {version or '?'}, which this "
                        "gfmdreport does not know")
    try:
        data = json.loads(root.text or "")
    except (ValueError, RecursionError) as exc:
        return Embedded(name, None, problem=f"it is not valid JSON ({exc})")
    from gfmdreport.formats.interchange.schema import check

    problems = check(data, lambda _at, _key=False: Location(package.path))
    if problems:
        return Embedded(name, None, problem=f"it does not have the interchange shape "
                        f"({problems[0].message})")
    try:
        summary = SessionSummary.from_dict(data, source=package.path)
    except (KeyError, TypeError, ValueError, RecursionError) as exc:
        return Embedded(name, None, problem=f"it cannot be read ({exc})")
    stored = root.get("model-digest")
    changed = stored is not None and stored != model_digest(root.text or "")
    return Embedded(name, summary, root.get("digest", ""), changed=changed)


# ---- what the writer shows of a text ------------------------------------------------------

def shown(source: str, language: str) -> tuple:
    """What the DOCX writer puts in the document for inline source, in the form
    :func:`.markup.comparable` gives: text typeset for the language, characters Word
    cannot hold removed, links it cannot write left as text."""
    from gfmdreport.typography import apply

    pieces = []
    for run in runs(source):
        if run.line_break:
            pieces.append(Piece(" "))
            continue
        href = link_target(run.href) if run.href is not None else None
        pieces.append(Piece(apply(strip_unfit(run.text), language), run.bold, run.italic,
                            run.code, href))
    return key(pieces)


def _shown_plain(text: str, language: str) -> str:
    from gfmdreport.typography import apply

    return squeeze(apply(strip_unfit(text), language))


# ---- combining ------------------------------------------------------------------------

def shown_headings(model: SessionSummary) -> frozenset[str]:
    """The model's section headings as the document shows them (white space squeezed):
    such a heading stays a heading on reading, even one that reads "Question 2: …"."""
    from gfmdreport.model import Heading

    return frozenset(_shown_plain(plain(b.text), model.language) for b in model.body
                     if isinstance(b, Heading))


def combine(model: SessionSummary, content: SessionSummary, reader: ContentReader,
            *, unedited_text: bool, model_changed: bool = False, creator: str = "",
            part: str = "") -> tuple[SessionSummary, list[Diagnostic]]:
    """The summary of an edited (or unedited) document gfmdreport wrote: ``content`` as
    the document shows it, ``model`` as embedded in it. Returns the summary and its
    warnings: the content reader's that still apply, and those saying where the two
    disagreed and which one won.

    ``model_changed``: the model part was edited apart from the document (its digest
    says so); then what it says is taken only where the document agrees or cannot
    show it: its language and labels where the document shows them otherwise, and its
    people whom the document does not name (``creator``: the document's author) are
    the document's, each difference said."""
    path = content.source
    notes: list[Diagnostic] = []
    language = model.language
    sources: dict[tuple, str] = {}
    by_path: dict[tuple, tuple[str, tuple]] = {}
    for ref in walk_texts(model):
        seen = shown(ref.text, language)
        sources.setdefault(seen, ref.text)
        by_path[ref.path] = (ref.text, seen)

    def source(text: str, ref) -> str:
        # The model's text at the same place first: two texts that look alike (``São #``
        # and ``São \\#``) each keep their own source.
        seen = comparable(text)
        own = by_path.get(ref.path)
        if own is not None and own[1] == seen:
            return own[0]
        return sources.get(seen, text)

    result = map_texts(content, source)

    fields, from_model = _metadata(model, content, reader, language)
    if from_model:  # what the content reader said of the date line no longer applies
        notes += [d for d in content.diagnostics if d.rule != "docx-date"]
    else:
        notes += content.diagnostics
    labels = model.labels
    if model_changed:
        language = _shown_language(model, content, reader)
        labels = _shown_labels(model, reader)
    chairs, rapporteurs, people_notes = _people(model, result, path,
                                                strict=model_changed, creator=creator)
    notes += people_notes
    result = replace(result, **fields, language=language, labels=labels,
                     chairs=chairs, rapporteurs=rapporteurs)

    from gfmdreport.diff import diff

    changes = [] if result == model else diff(model, result)
    first = (changes[0].new_location or changes[0].old_location) if changes else None
    where = first if first is not None and first.path == path else Location(path)
    listed = "; ".join(f"{c.where} {c.kind}" for c in changes[:5])
    more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
    count = f"{len(changes)} difference{'s' if len(changes) > 1 else ''}"
    if model_changed:
        differed = f": {count} ({listed}{more}), each as the document shows it" \
            if changes else "; it agrees with what the document shows"
        notes.append(warning(
            "docx-model-changed",
            f"the model embedded in the document ({part or 'its custom XML part'}) was "
            f"edited apart from the document's text, so the document wins wherever the "
            f"two disagree{differed}", where if changes else Location(path),
            "do not edit the embedded model; see the differences with 'gfmdreport "
            "diff NOTES THIS.docx'"))
    if changes and not (model_changed and unedited_text):
        if unedited_text:
            what = "its styles, lists or formatting were changed (not its text)"
        else:
            what = "it was edited"
        notes.append(warning(
            "docx-edited",
            f"{what} since gfmdreport wrote it: {count} from the model embedded in it "
            f"({listed}{more}); the document wins, the model supplies only what the "
            "document does not show (people's roles and organizations, language, labels)",
            where, "see the changes with 'gfmdreport diff NOTES THIS.docx'"))
    return result, notes


_WHEN_LABELS = ("date_format", "time_format", "time_range", "months", "first_day")
"""The labels the date, time and venue line shows."""


def _shown_language(model: SessionSummary, content: SessionSummary,
                    reader: ContentReader) -> str:
    """The model's language, unless the document is written in another one."""
    from gfmdreport.formats.docx.text import word_language

    tag = (reader.doc.language or "").lower()
    if tag and word_language(model.language).lower() != tag:
        return content.language
    return model.language


def _shown_labels(model: SessionSummary, reader: ContentReader):
    """The model's own labels, less those the document shows otherwise: the question
    label its questions do not start with, the date words its date line does not use."""
    from gfmdreport.typography import apply

    labels = dict(model.labels)
    question = labels.get("question")
    if question is not None and not all(
            squeeze(line).startswith(squeeze(apply(f"{question} {number}", model.language)))
            for number, line in reader.question_lines):
        del labels["question"]
    if any(key in labels for key in _WHEN_LABELS) and reader.details_text is not None \
            and reader.details_text != _details(model):
        for key in _WHEN_LABELS:
            labels.pop(key, None)
    return labels


def _details(model: SessionSummary) -> str:
    """The date, time and venue line as the writer prints it from ``model``."""
    labels = summary_labels(model)
    language = model.language
    date = format_date(model.date, language, labels) if model.date else ""
    time = format_time_range(model.start_time, model.end_time, language, labels) \
        if model.time else ""
    when = ", ".join(x for x in (date, time) if x)
    return "\n".join(squeeze(x) for x in (when, model.venue) if x)


def _metadata(model: SessionSummary, content: SessionSummary, reader: ContentReader,
              language: str) -> tuple[dict, bool]:
    """The metadata fields, and whether the date line is the model's, as written."""
    fields = {}
    for key_ in ("title", "session"):
        ours = getattr(model, key_)
        fields[key_] = ours if _shown_plain(ours, language) == getattr(content, key_) \
            else getattr(content, key_)
    labels = summary_labels(model)
    date = format_date(model.date, language, labels) if model.date else ""
    time = format_time_range(model.start_time, model.end_time, language, labels) \
        if model.time else ""
    written = _details(model)
    details = reader.details_text
    if details is not None and details == written:
        fields.update(date=model.date, start_time=model.start_time,
                      end_time=model.end_time, venue=model.venue)
        return fields, True
    fields.update(date=content.date, start_time=content.start_time,
                  end_time=content.end_time, venue=content.venue)
    text = details or ""
    if not content.date and date and squeeze(date) in text:
        fields["date"] = model.date
    if not content.time and time and squeeze(time) in text:
        fields.update(start_time=model.start_time, end_time=model.end_time)
    if not content.venue and model.venue and squeeze(model.venue) in text:
        fields["venue"] = model.venue
    return fields, False


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


def _people(model: SessionSummary, result: SessionSummary, path: str | None, *,
            strict: bool = False, creator: str = ""):
    """The chairs and rapporteurs: the model's, less those the document's text no
    longer names (where the model's text named them), plus those an edited paragraph
    names anew. ``strict`` (the model was edited on its own): a person neither the text
    nor the author (``creator``) names is left out, and a role or organization the
    document's text gives otherwise than the model (which the text does not hold) is
    the text's."""
    notes: list[Diagnostic] = []
    old_text = _name(" ".join(plain(r.text) for r in walk_texts(model)))
    new_paragraphs = [b for b in result.body if isinstance(b, Paragraph)]
    new_text = _name(" ".join(plain(r.text) for r in walk_texts(result)))
    shown_people = _name(f"{new_text} {creator}")
    told: dict[str, Person] = {}
    if strict:
        found = []
        for paragraph in new_paragraphs:
            found += find_people(paragraph.text, paragraph.loc or Location(path))
        for group in people_mod.collect(found, Notes(path)):
            told.update((_name(p.name), p) for p in group)
    kept: dict[str, list[Person]] = {"chair": [], "rapporteur": []}
    for kind, people in (("chair", model.chairs), ("rapporteur", model.rapporteurs)):
        for person in people:
            name = _name(person.name)
            if strict and name and name not in (shown_people if kind == "rapporteur"
                                                else new_text):
                notes.append(warning(
                    "docx-people", f"{kind} {person.display_name}, in the embedded model, "
                    "is named nowhere in the document (its text or its author); left out, "
                    "since the model was edited apart from the document", Location(path),
                    f"add the {kind} to the notes if that is wrong"))
                continue
            if name and name in old_text and name not in new_text:
                notes.append(warning(
                    "docx-people", f"{kind} {person.display_name}, in the embedded model, "
                    "is no longer named in the document's text; left out (the document "
                    "wins)", Location(path), f"add the {kind} back to the notes if that is "
                    "wrong"))
                continue
            if strict and name in told:
                person = _as_told(person, told[name], new_text)
            where = next((p.loc for p in new_paragraphs if name and
                          name in _name(plain(p.text))), None)
            kept[kind].append(replace(person, loc=where) if where else person)
    old_paragraphs = {p.text for p in model.paragraphs}
    edited = [p for p in new_paragraphs if p.text not in old_paragraphs]
    found = []
    for paragraph in edited:
        found += find_people(paragraph.text, paragraph.loc or Location(path))
    chairs, rapporteurs = people_mod.collect(found, Notes(path))
    known = {_name(p.name) for group in kept.values() for p in group}
    for kind, people in (("chair", chairs), ("rapporteur", rapporteurs)):
        for person in people:
            if _name(person.name) in known:
                continue
            known.add(_name(person.name))
            kept[kind].append(person)
            notes.append(warning(
                "docx-people", f"{person.display_name}, named as {kind} in an edited "
                f"paragraph, is added to the {kind}s (the document wins over the embedded "
                "model)", person.loc or Location(path),
                f"check the {kind}'s name, role and organization"))
    return tuple(kept["chair"]), tuple(kept["rapporteur"]), notes


def _as_told(person: Person, told: Person, text: str) -> Person:
    """A person of an edited model as the document's text tells of them: a role or
    organization that the text does not hold, where the text gives another, is the
    text's (and so is the honorific the text gives)."""
    changes = {}
    for field_ in ("role", "organization", "honorific"):
        ours, theirs = getattr(person, field_), getattr(told, field_)
        if theirs and ours != theirs and _name(ours) not in text:
            changes[field_] = theirs
    return replace(person, **changes) if changes else person
