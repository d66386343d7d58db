"""What the steps of reading a Word document's content share: where their warnings go
(each located at the paragraph it concerns: line = the paragraph's ordinal in the
document, counting from 1), and the paragraphs' text as inline source."""

from __future__ import annotations

from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import warning
from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.read.markup import to_source
from gfmdreport.recognize.text import Notes


class Context:
    """The document's path, its warnings, and the paragraphs whose formatting was
    dropped."""

    def __init__(self, path: str | None, *, contract: bool, keep_empty: bool,
                 split_breaks: bool = True):
        self.path = path
        self.notes = Notes(path)
        self.contract = contract
        """The document uses the house-style contract (docs/docx.md)."""
        self.keep_empty = keep_empty
        self.split_breaks = split_breaks
        """Whether a line break (Shift+Enter) in a takeaway or a table cell parts two
        items (not in a document whose text is as the writer wrote it)."""
        self.question_lines: list[tuple[int, str]] = []
        """Each question's number and its paragraph's text, label included."""
        self.dropped_markup: list[int] = []
        """The paragraphs whose formatting could not be written as Markdown."""

    def at(self, ordinal: int | None) -> Location:
        return Location(self.path, ordinal) if ordinal else Location(self.path)

    def warn(self, rule: str, message: str, ordinal: int | None, hint: str | None = None):
        self.notes.found.append(warning(rule, message, self.at(ordinal), hint))

    def source(self, pieces: list[Piece], ordinal: int) -> str:
        text, dropped = to_source(pieces)
        if dropped:
            self.dropped_markup.append(ordinal)
        return text
