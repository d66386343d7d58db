"""``gfmdreport serve``: the rapporteur's editor in the browser, with the report beside the
notes.

A local web application (Starlette on uvicorn): the notes on the left, the report as the
HTML writer renders it on the right, every diagnostic under the editor, the finished
report in any format in one click, and, given a folder, its notes files to open and save.
Nothing here prints or exits: the command (:mod:`gfmdreport.cli.serve`) starts the server.

- :mod:`.settings`  what the command decides (folder, address, tokens, writer options)
- :mod:`.app`       the application: routes, middleware, start and stop of the workers
- :mod:`.routes`    the endpoints
- :mod:`.security`  host, token, origin and CSRF checks, headers, request bodies
- :mod:`.folder`    the notes files of FOLDER: listing, reading and saving beneath it
- :mod:`.workers`   the render worker processes (a slow render never blocks the server)
- :mod:`.jobs`      what a worker does: preview, export, check, import
- :mod:`.notes`     small pure helpers: the report's file name, the language key,
                    the source line of each preview element
- ``static/``       the page: HTML, CSS, JavaScript, and CodeMirror (vendored, MIT)
"""

from __future__ import annotations
