"""Batch conversion: every input under some files and folders, to several formats, in
parallel, incrementally and safely.

:func:`convert` is the whole engine; ``gfmdreport batch`` is a thin command over it.

- **Discovery** (:mod:`.discover`), shared with ``validate``. Folders are walked
  recursively for files a registered reader takes by name (the longest suffix wins;
  hidden files and folders skipped, ``globs`` to narrow, OUTDIR itself skipped when it
  lies inside a source); a folder that cannot be read is an error. Files named directly
  are always taken. Symbolic links are followed only when they point inside the folder
  being walked, and a file found is read from beneath that folder.
- **Mapping** (:mod:`.plan`). ``SRC/sub/notes.yaml`` becomes ``OUTDIR/sub/notes.<suffix>``
  for each format. Two inputs that would write the same output (also when the names
  differ only in letter case), an output that would overwrite an input, and an output
  outside OUTDIR are failures of those inputs, never an overwrite.
- **Incremental** (:mod:`.manifest`). A manifest in OUTDIR records what each output was
  built from (the input's path, size, mtime and SHA-256, the gfmdreport and plugin
  versions, the writer options, the SHA-256 of file options such as a reference
  document, whether validation ran and a digest of the validation settings that applied
  to the input). An output whose record still matches is up to date and is not rebuilt;
  ``force`` rebuilds everything. A manifest that cannot be saved is a notice, not a stop.
- **Parallel** (:mod:`.pool`, :mod:`.worker`). A pool of worker processes, each building
  its plugins once, converts the inputs that need it; results stream back as they
  finish. A worker that dies (killed, crashed) fails only the input it held; a fresh
  worker takes its place.
- **Safe** (:mod:`.outdir`). OUTDIR is held open and every output folder is reached
  from it with ``O_NOFOLLOW``, so that no component of an output's path can be swapped
  for a link during the run; every output goes through
  :func:`gfmdreport.files.write_atomic` in its folder's descriptor; temporary files of a
  worker that died, or of a run killed before, are removed. Each step (a manifest save)
  puts the outputs written during it on disk at once, before the manifest records them.
  A lock file in OUTDIR stops a second run on the same OUTDIR. Ctrl-C stops the run
  cleanly, and a second one does not cut the clean-up short.

:mod:`.engine` runs all of it. Nothing here prints: progress is reported to a callback
(:mod:`.report`), the outcome returned as a :class:`BatchReport`.
"""

from gfmdreport.batch.engine import convert
from gfmdreport.batch.manifest import MANIFEST_NAME
from gfmdreport.batch.manifest import MANIFEST_VERSION
from gfmdreport.batch.outdir import LOCK_NAME
from gfmdreport.batch.outdir import BatchLocked
from gfmdreport.batch.pool import default_jobs
from gfmdreport.batch.report import CANCELLED
from gfmdreport.batch.report import CONVERTED
from gfmdreport.batch.report import FAILED
from gfmdreport.batch.report import NOT_BUILT
from gfmdreport.batch.report import REPORT_VERSION
from gfmdreport.batch.report import UP_TO_DATE
from gfmdreport.batch.report import WRITTEN
from gfmdreport.batch.report import BatchReport
from gfmdreport.batch.report import Event
from gfmdreport.batch.report import FileResult
from gfmdreport.batch.report import OutputResult
from gfmdreport.batch.report import Progress
from gfmdreport.discover import Source
from gfmdreport.discover import discover
from gfmdreport.discover import read_source
from gfmdreport.discover import reader_names

__all__ = [
    "CANCELLED",
    "CONVERTED",
    "FAILED",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "NOT_BUILT",
    "REPORT_VERSION",
    "UP_TO_DATE",
    "WRITTEN",
    "BatchLocked",
    "BatchReport",
    "Event",
    "FileResult",
    "OutputResult",
    "Progress",
    "Source",
    "convert",
    "default_jobs",
    "discover",
    "read_source",
    "reader_names",
]
