"""Write the compiled modules of the HTML writer's built-in templates
(gfmdreport/formats/html/compiled/), after a change to a template or to Jinja2:

    python tools/precompile_html.py

The test suite fails while they are out of date (tests/test_html_precompiled.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jinja2 import FileSystemLoader

from gfmdreport.formats.html import precompiled
from gfmdreport.formats.html.page import template_environment


def main() -> None:
    environment = template_environment(FileSystemLoader(precompiled.HERE))
    for path in precompiled.generate(environment):
        print(path)


if __name__ == "__main__":
    main()
