"""Write the DOCX fixtures that the tests cannot make themselves.

``password.docx``: the example session as gfmdreport renders it, encrypted with the
password ``secret`` the way Word does (ECMA-376 agile encryption, an OLE compound file).
Making it needs msoffcrypto-tool, which gfmdreport itself does not use::

    python -m venv /tmp/crypt && /tmp/crypt/bin/pip install msoffcrypto-tool
    PYTHONPATH=. /tmp/crypt/bin/python tests/docx/make_fixtures.py DOCX

where DOCX is the output of ``gfmdreport render examples/gcm-cluster-3.yaml -o x.docx``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(source: str) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(Path(source).read_bytes())
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", out)
    (HERE / "password.docx").write_bytes(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1])
