"""A stand-in for soffice in tests: logs its call, then converts, hangs or fails as FAKE_SOFFICE_MODE says.

Run as ``python fake_soffice.py <soffice arguments>``. In "ok" mode it writes, for each input,
``<outdir>/<stem>.pdf`` holding the SHA-256 of the input, so a test can tell which PDF came from
which document.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    log = Path(os.environ["FAKE_SOFFICE_LOG"])
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"argv": argv,
                                 "fontconfig": os.environ.get("FONTCONFIG_FILE")}) + "\n")
    mode = os.environ.get("FAKE_SOFFICE_MODE", "ok")
    if mode == "hang":
        time.sleep(120)
        return 0
    if mode == "fail":
        print("Error: source file could not be loaded")
        return 0
    outdir = Path(argv[argv.index("--outdir") + 1])
    inputs = [Path(a) for a in argv if a.endswith(".docx")]
    for source in inputs:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        (outdir / f"{source.stem}.pdf").write_text(f"%PDF-1.4 {digest}\n", encoding="utf-8")
        print(f"convert {source} -> {outdir / (source.stem + '.pdf')} using filter : writer_pdf_Export")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
