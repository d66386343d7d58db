"""Hook specifications: the whole plugin API, and nothing else.

A plugin is a module (or object) with functions marked ``@gfmdreport.hookimpl`` and
named after these hooks, declared under the ``gfmdreport`` entry-point group. An
implementation may take any subset of a hook's arguments, so new arguments can be added
later without breaking plugins.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import pluggy

if TYPE_CHECKING:
    from gfmdreport.event import AnnexSection
    from gfmdreport.event import Proceedings
    from gfmdreport.hooks.registry import Language
    from gfmdreport.hooks.registry import Reader
    from gfmdreport.hooks.registry import Rule
    from gfmdreport.hooks.registry import Writer
    from gfmdreport.model import SessionSummary

hookspec = pluggy.HookspecMarker("gfmdreport")
hookimpl = pluggy.HookimplMarker("gfmdreport")


@hookspec
def register_readers(register: Callable[[Reader], None]) -> None:
    """Provide input formats.

    Call ``register(Reader(...))`` once per format. The core checks the object, names
    the plugin that provided it, and refuses a format name another plugin already took
    (block that plugin to replace it).

    .. code-block:: python

        @hookimpl
        def register_readers(register):
            register(Reader(name="csv", suffixes=(".csv",), read=read_csv,
                            description="Session notes as CSV"))
    """


@hookspec
def register_writers(register: Callable[[Writer], None]) -> None:
    """Provide output formats.

    Call ``register(Writer(...))`` once per format. A writer receives the summary and
    a mapping of options and returns the output as bytes; it never opens the output
    path itself (the core writes atomically). Import heavy libraries inside the write
    function, not at module level, so that listing formats stays fast.

    .. code-block:: python

        @hookimpl
        def register_writers(register):
            register(Writer(name="txt", suffix=".txt", media_type="text/plain",
                            write=write_text, description="Plain text"))
    """


@hookspec
def register_rules(register: Callable[[Rule], None]) -> None:
    """Provide validation rules.

    Call ``register(Rule(...))`` once per rule. A rule has an id (``GFMD101`` style or a
    short slug), a default severity, a one-line description and a ``check(summary)``
    function yielding :class:`~gfmdreport.hooks.registry.Finding` objects.
    """


@hookspec
def register_languages(register: Callable[[Language], None]) -> None:
    """Provide the labels of a language the core does not know (it knows en, fr, es).

    Call ``register(Language(code="de", labels={...}))`` with the keys of
    :data:`gfmdreport.labels.KEYS` (``question``, ``convergence``, ``months``,
    ``date_format``, …); keys left out fall back to English. Writers then print that
    language's labels for summaries whose ``language`` is the code.
    """


@hookspec(firstresult=True)
def detect_format(path: Path, head: bytes) -> str | None:
    """Name the reader for an input whose format was not given with ``--from``.

    ``head`` is the first 4 KiB of the file. Return a reader name, or ``None`` to let
    other plugins decide. The first non-``None`` answer wins; the built-in sniffer
    (by suffix) runs last.
    """


@hookspec
def prepare_summary(summary: SessionSummary) -> SessionSummary | None:
    """Transform a summary after reading and before validation and rendering.

    Return a new summary (the model is immutable: use :func:`dataclasses.replace`), or
    ``None`` to leave it as it is. Implementations run one after the other, each on the
    result of the previous one.
    """


@hookspec
def extend_annex(proceedings: Proceedings) -> AnnexSection | list[AnnexSection] | None:
    """Add sections to the annex of an event's proceedings (``gfmdreport compile``).

    ``proceedings`` holds every session's summary (``proceedings.chapters``). Return an
    :class:`~gfmdreport.AnnexSection` (a title, paragraphs and a list, as inline
    source), a list of them, or ``None``. They follow the consolidated tables and the
    index of chairs and rapporteurs, in the order the plugins answer.

    .. code-block:: python

        @hookimpl
        def extend_annex(proceedings):
            governments = sorted({p.organization for s in proceedings.summaries
                                  for p in s.chairs if p.organization})
            return AnnexSection("Participating governments",
                                items=tuple(Item(g) for g in governments))
    """


@hookspec
def batch_worker() -> AbstractContextManager[Any] | None:
    """Hold something for the whole life of a worker process of ``batch`` (and
    ``validate -j``).

    Return a context manager, or ``None``. Each worker enters it once, after building
    its plugins and before its first input, and exits it when it stops: its inputs are
    done, or the run is stopped (Ctrl-C, SIGTERM). Every input the worker converts in
    between is converted in that same process, so a writer can keep something costly to
    start (a helper program) across documents instead of starting it for each one, and
    stop it on exit. Start nothing on entry that the run may not need (start it at the
    first write); the exit must not raise. Outside batch workers (``render``, the API)
    the hook is not called, so writers work without it.

    .. code-block:: python

        @hookimpl
        def batch_worker():
            return keep_the_helper_running()  # a contextlib.contextmanager
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add subcommands to the ``gfmdreport`` command line.

    ``cli`` is the :class:`click.Group`; decorate functions with ``@cli.command()``.
    Commands print and exit through click, like the built-in ones.
    """
