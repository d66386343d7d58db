"""The main document part written block by block as it is made, never whole in memory.

A document's body is built one block of the summary at a time (a paragraph with its
lettered items, a question with its takeaways, the closing table); each is serialised,
deflated into the part and counted in the body's digest as soon as it is complete, and
then dropped. The part is the template's document with the blocks in its body: its
opening (the root element, which declares the namespaces) and its close (the section
properties) come from the prepared template, once.
"""

from __future__ import annotations

import zlib

from lxml import etree

from gfmdreport.formats.docx.ooxml.customxml import BodyDigest
from gfmdreport.formats.docx.ooxml.ns import R_NS
from gfmdreport.formats.docx.ooxml.ns import W_NS
from gfmdreport.formats.docx.ooxml.package import ZipMember
from gfmdreport.formats.docx.ooxml.schema import element

_DECLARATIONS = (f' xmlns:w="{W_NS}"'.encode(), f' xmlns:r="{R_NS}"'.encode())
"""What lxml declares on each block serialised alone; the document's root declares
them already (a prepared template's root always binds ``w`` and ``r``)."""


BATCH = 64
"""How many top-level elements of the body are serialised together."""


class PartStream:
    """A ZIP member deflated as its bytes come."""

    def __init__(self, name: str, level: int):
        self.name = name
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._chunks: list[bytes] = []
        self._crc = 0
        self._size = 0

    def write(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        out = self._deflate.compress(data)
        if out:
            self._chunks.append(out)

    def member(self) -> ZipMember:
        self._chunks.append(self._deflate.flush())
        return ZipMember(self.name, b"".join(self._chunks), self._crc, self._size)


class BodyStream:
    """The main document part, its body's blocks added one at a time.

    :attr:`holder` is where a block is built (a ``w:body`` that binds ``w`` and ``r``,
    so that hyperlinks get the ``r`` prefix); :meth:`flush` writes what it holds."""

    def __init__(self, name: str, head: bytes, tail: bytes, level: int):
        self._part = PartStream(name, level)
        self._part.write(head)
        self._tail = tail
        self.digest = BodyDigest()
        self.holder = element("w:body", nsmap={"w": W_NS, "r": R_NS})

    def ready(self) -> None:
        """Write what :attr:`holder` holds once it holds :data:`BATCH` blocks (a block of
        the summary is a paragraph with its items, a question with its takeaways, a
        table): memory holds a few blocks, and a small document is serialised at once."""
        if len(self.holder) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the blocks built in :attr:`holder` and empty it."""
        holder = self.holder
        if not len(holder):
            return
        pieces = []
        for block in holder:
            self.digest.add(block)
            data = etree.tostring(block, encoding="UTF-8")
            end = data.index(b">")
            head = data[:end]
            for declaration in _DECLARATIONS:
                head = head.replace(declaration, b"", 1)
            pieces.append(head)
            pieces.append(data[end:])
        self._part.write(b"".join(pieces))
        holder.clear()

    def finish(self) -> ZipMember:
        """The part, closed with the template's section properties."""
        self.flush()
        self._part.write(self._tail)
        return self._part.member()
