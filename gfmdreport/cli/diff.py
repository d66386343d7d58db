"""The ``gfmdreport diff OLD NEW`` command: what changed between two summaries, in any
input formats (notes against the Word file an officer edited, last year's report against
this year's …).

The comparison itself is :func:`gfmdreport.diff.diff`; this module reads the two inputs,
prints the changes as text or JSON and exits like diff(1): 0 when the summaries are the
same, 1 when they differ, 2 when an input cannot be read or the command is wrong.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from gfmdreport import hookimpl

CONTEXT_WORDS = 6
"""Words of unchanged text shown on each side of a change inside a long text."""
SHORT = 100
"""Texts up to this long are shown whole, old and new; longer ones as a word diff."""

_MARK = {"added": "+", "removed": "-", "changed": "~"}
_COLOUR = {"added": "green", "removed": "red", "changed": "yellow"}


@hookimpl
def register_commands(cli):
    import click

    @cli.command("diff")
    @click.argument("old", metavar="OLD")
    @click.argument("new", metavar="NEW")
    @click.option("-f", "--from", "from_", metavar="FORMAT",
                  help="Input format of both files (default: from each file's suffix).")
    @click.option("--from-old", metavar="FORMAT", help="Input format of OLD.")
    @click.option("--from-new", metavar="FORMAT", help="Input format of NEW.")
    @click.option("--format", "output_format", type=click.Choice(["text", "json"]),
                  default="text", show_default=True,
                  help="text: for people; json: for machines.")
    @click.option("-q", "--quiet", is_flag=True,
                  help="Do not print what the readers noticed in the inputs.")
    @click.option("-o", "--output", metavar="FILE",
                  help="Write a redline to FILE: NEW with every change from OLD shown "
                  "(its format from the suffix: .docx, .html, .md).")
    @click.option("-t", "--to", metavar="FORMAT",
                  help="The redline's format: docx (Word tracked changes), html "
                  "(<ins>/<del>), md (CriticMarkup).")
    @click.option("--author", metavar="NAME",
                  help="The redline's changes are by NAME (default: $GFMDREPORT_AUTHOR, "
                  "else the user's name).")
    @click.option("--reference-doc", metavar="FILE",
                  help="The Word redline's template (styles, page setup), as for render.")
    @click.pass_context
    def diff_command(ctx: click.Context, old: str, new: str, from_: str | None,
                     from_old: str | None, from_new: str | None, output_format: str,
                     quiet: bool, output: str | None, to: str | None, author: str | None,
                     reference_doc: str | None) -> None:
        """Show what changed from OLD to NEW (files in any input format, or - for
        standard input): metadata, chairs and rapporteurs, paragraphs (by number),
        questions, takeaways and table items, each added, removed or changed.

        With -o FILE or -t FORMAT, write a redline instead of the listing: NEW with
        every change from OLD shown, as Word tracked changes that a reviewer accepts or
        rejects one by one (docx), as a page with insertions and deletions marked
        (html), or as CriticMarkup (md).

        Exit status: 0 when they are the same, 1 when they differ, 2 when an input
        cannot be read or the command is wrong.
        """
        from gfmdreport.diagnostics import GfmdError
        from gfmdreport.diagnostics import InputError
        from gfmdreport.diagnostics import printable
        from gfmdreport.diff import counts
        from gfmdreport.diff import diff

        plugins = ctx.find_root().obj
        try:
            for name in (from_, from_old, from_new):
                if name:
                    plugins.registry.reader(name)  # an unknown format, before reading
            if "-" == old == new:
                raise _usage("standard input can be only one of OLD and NEW")
            redline = _redline_format(output, to, plugins) if output or to else None
            if reference_doc and redline != "docx":
                raise _usage("--reference-doc applies to a Word redline only (-t docx)")
            if (author or reference_doc) and redline is None:
                raise _usage("--author and --reference-doc apply to a redline: give -o "
                             "FILE or -t FORMAT")
            before = _load(old, from_old or from_, plugins)
            after = _load(new, from_new or from_, plugins)
            if redline is not None:
                _write_redline(before, after, redline, output, plugins, quiet,
                               author=author, reference_doc=reference_doc)
        except GfmdError as exc:
            if isinstance(exc, InputError):
                for diagnostic in exc.diagnostics:
                    click.echo(str(diagnostic), err=True)
            else:
                click.echo(f"gfmdreport: error: {exc}", err=True)
            ctx.exit(2)
        if not quiet:
            for summary in (before, after):
                for diagnostic in summary.diagnostics:
                    click.echo(str(diagnostic), err=True)
        changes = diff(before, after)
        tally = counts(changes)
        if redline is not None:
            ctx.exit(1 if changes else 0)
        if output_format == "json":
            click.echo(json.dumps({
                "version": 1, "old": old, "new": new, "equal": not changes,
                "summary": tally, "changes": [c.to_dict() for c in changes],
            }, indent=2, ensure_ascii=False))
        elif changes:
            click.echo(click.style(f"--- {printable(old)}", bold=True))
            click.echo(click.style(f"+++ {printable(new)}", bold=True))
            for change in changes:
                for line in text_lines(change):
                    click.echo(line)
            parts = [f"{n} {kind}" for kind, n in tally.items() if n]
            total = len(changes)
            click.echo(f"{total} difference{'s' if total > 1 else ''}: {', '.join(parts)}")
        ctx.exit(1 if changes else 0)


def _redline_format(output: str | None, to: str | None, plugins: Any) -> str:
    """The redline's format: ``-t``, else the output file's suffix."""
    from pathlib import Path

    registry = plugins.registry
    if to is None:
        writer = registry.writer_for_name(Path(output).name) if output and \
            output != "-" else None
        if writer is None:
            raise _usage("give the redline's format with -t/--to (docx, html or md)")
        to = writer.name
    writer = registry.writer(to)
    if writer.redline is None:
        able = sorted(name for name, w in registry.writers.items() if w.redline)
        raise _usage(f"format '{to}' cannot show changes; a redline is written as "
                     f"{', '.join(able)}")
    if writer.binary and output in (None, "-") and sys.stdout.isatty():
        raise _usage(f"format '{to}' is binary: write it to a file with -o FILE")
    return writer.name


def _write_redline(before, after, to: str, output: str | None, plugins: Any, quiet: bool,
                   **options: Any) -> None:
    from gfmdreport import pipeline
    from gfmdreport.cli.common import deliver
    from gfmdreport.cli.common import print_diagnostics

    rendered = pipeline.render_redline(before, after, to, plugins=plugins, **options)
    if not quiet:
        print_diagnostics(rendered.diagnostics)
    deliver(rendered.data, output)


def _usage(message: str):
    from gfmdreport.diagnostics import UsageError

    return UsageError(message)


def _load(path: str, from_: str | None, plugins: Any):
    from gfmdreport import pipeline

    if path == "-":
        if not from_:
            raise _usage("reading standard input needs its format: --from-old, --from-new "
                         "or --from")
        return pipeline.loads(sys.stdin.buffer.read(), from_, path="<stdin>",
                              plugins=plugins)
    return pipeline.load(path, from_, plugins=plugins)


def text_lines(change) -> list[str]:
    """A change as lines of text: a header (mark, where, place), then its text."""
    import click

    mark = click.style(_MARK[change.kind], fg=_COLOUR[change.kind], bold=True)
    location = change.new_location if change.kind != "removed" else change.old_location
    head = f"{mark} {change.where}"
    if change.detail:
        head += f" ({change.detail})"
    if location is not None and location.line is not None:
        head += click.style(f"  [{location.path or '<input>'}:{location.line}]", dim=True)
    lines = [head]
    old, new = change.old, change.new
    if change.kind == "added":
        lines.append(f"    {new}")
    elif change.kind == "removed":
        lines.append(f"    {old}")
    elif old is not None and new is not None and change.what in ("chair", "rapporteur"):
        pass  # the detail says it
    elif old is not None and new is not None and max(len(old), len(new)) <= SHORT:
        if old.split() == new.split():  # the change is in characters that do not show
            old, new = visible(old), visible(new)
        lines.append(click.style(f"    - {old}", fg="red"))
        lines.append(click.style(f"    + {new}", fg="green"))
    elif old is not None and new is not None:
        lines.append("    " + word_diff(old, new))
    return lines


_INVISIBLE = {"\u00a0": "⟨nbsp⟩", "\u202f": "⟨nnbsp⟩", "\u2007": "⟨figure space⟩",
              "\u200b": "⟨zero width⟩", "\u00ad": "⟨soft hyphen⟩", "\t": "⟨tab⟩"}


def visible(text: str) -> str:
    """Text with the characters that print as nothing or as a plain space named, so
    that a change to one of them can be seen."""
    return "".join(_INVISIBLE.get(ch, ch) for ch in text)


def word_diff(old: str, new: str) -> str:
    """The words that changed, as ``[-old-]{+new+}``, with a few words of context around
    each change and ``…`` for the unchanged text between."""
    import click

    from gfmdreport.diff import word_changes

    parts = word_changes(old, new)
    if all(op == "equal" for op, _ in parts):
        return "(only the spacing differs)"
    out: list[str] = []
    for k, (op, text) in enumerate(parts):
        if op == "delete":
            out.append(click.style(f"[-{visible(text)}-]", fg="red"))
        elif op == "insert":
            mark = click.style(f"{{+{visible(text)}+}}", fg="green")
            if k and parts[k - 1][0] == "delete":
                out[-1] += mark  # a replacement reads as one: [-old-]{+new+}
            else:
                out.append(mark)
        else:
            words = text.split()
            first, last = k == 0, k == len(parts) - 1
            keep_before = 0 if first else CONTEXT_WORDS
            keep_after = 0 if last else CONTEXT_WORDS
            if len(words) <= keep_before + keep_after + 1:
                out.append(text)
                continue
            shown = []
            if keep_before:
                shown.append(" ".join(words[:keep_before]))
            shown.append("…")
            if keep_after:
                shown.append(" ".join(words[-keep_after:]))
            out.append(" ".join(shown))
    return " ".join(out)
