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
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML
from gfmdreport.formats.docx.ooxml.package import Package
from gfmdreport.formats.docx.ooxml.package import parse_part
from gfmdreport.formats.docx.read.content import ContentReader
from gfmdreport.formats.docx.read.content import find_people
from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.read.markup import comparable
from gfmdreport.formats.docx.read.markup import key
from gfmdreport.formats.docx.read.markup import squeeze
from gfmdreport.formats.docx.text import strip_unfit
from gfmdreport.inline import link_target
from gfmdreport.inline import plain
from gfmdreport.inline import runs
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
    return Embedded(name, summary, root.get("digest", ""))


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

def combine(model: SessionSummary, content: SessionSummary, reader: ContentReader,
            *, unedited_text: bool) -> tuple[SessionSummary, list[Diagnostic]]:
    """The summary of an edited (or unedited) document gfmdreport wrote: ``content`` as
    the document shows it, ``model`` as embedded in it. Returns the summary and its
    warnings: the content reader's that still apply, and those saying where the two
    disagreed and which one won."""
    path = content.source
    notes: list[Diagnostic] = []
    language = model.language
    sources: dict[tuple, str] = {}
    for ref in walk_texts(model):
        sources.setdefault(shown(ref.text, language), ref.text)
    result = map_texts(content, lambda s, _: sources.get(comparable(s), s))

    fields, from_model = _metadata(model, content, reader, language)
    if from_model:  # what the content reader said of the date line no longer applies
        notes += [d for d in content.diagnostics if d.rule != "docx-date"]
    else:
        notes += content.diagnostics
    chairs, rapporteurs, people_notes = _people(model, result, path)
    notes += people_notes
    result = replace(result, **fields, language=model.language, labels=model.labels,
                     chairs=chairs, rapporteurs=rapporteurs)

    from gfmdreport.diff import diff

    changes = diff(model, result)
    if changes:
        first = changes[0].new_location or changes[0].old_location
        where = first if first is not None and first.path == path else Location(path)
        listed = "; ".join(f"{c.where} {c.kind}" for c in changes[:5])
        more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
        if unedited_text:
            what = "its styles, lists or formatting were changed (not its text)"
        else:
            what = "it was edited"
        count = f"{len(changes)} difference{'s' if len(changes) > 1 else ''}"
        notes.append(warning(
            "docx-edited",
            f"{what} since gfmdreport wrote it: {count} from the model embedded in it "
            f"({listed}{more}); the document wins, the model supplies only what the "
            "document does not show (people's roles and organizations, language, labels)",
            where, "see the changes with 'gfmdreport diff NOTES THIS.docx'"))
    return result, notes


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
    when = ", ".join(x for x in (date, time) if x)
    written = "\n".join(squeeze(x) for x in (when, model.venue) if x)
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


def _people(model: SessionSummary, result: SessionSummary, path: str | None):
    """The chairs and rapporteurs: the model's, less those the document's text no
    longer names (where the model's text named them), plus those an edited paragraph
    names anew."""
    notes: list[Diagnostic] = []
    old_text = _name(" ".join(plain(r.text) for r in walk_texts(model)))
    new_paragraphs = [b for b in result.body if isinstance(b, Paragraph)]
    new_text = _name(" ".join(plain(r.text) for r in walk_texts(result)))
    kept: dict[str, list[Person]] = {"chair": [], "rapporteur": []}
    for kind, people in (("chair", model.chairs), ("rapporteur", model.rapporteurs)):
        for person in people:
            name = _name(person.name)
            if name and name in old_text and name not in new_text:
                notes.append(warning(
                    "docx-people", f"{kind} {person.display_name}, in the embedded model, "
                    "is no longer named in the document's text; left out (the document "
                    "wins)", Location(path), f"add the {kind} back to the notes if that is "
                    "wrong"))
                continue
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

