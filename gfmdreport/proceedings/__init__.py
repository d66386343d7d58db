"""Proceedings: many session summaries compiled into the event's report.

A manifest (``proceedings.yaml``, :mod:`.manifest`, its JSON Schema in :mod:`.schema`)
names the event and lists the sessions' summaries in the agenda's order;
:func:`.build.load_proceedings` reads each summary once (in worker processes with
``jobs``), validates each as ``gfmdreport validate`` does and the whole with the
collection rules (:mod:`.rules`); :func:`.build.compile_proceedings` asks the plugins for
their annex sections (``extend_annex``) and hands the :class:`~gfmdreport.Proceedings` to a
writer that declares ``write_proceedings``. docs/proceedings.md is the user's guide.
"""
