"""Refresh the translation sources from the code and compile them.

    python tools/translations.py

pyside6-lupdate collects every tr() string of receipt_assistant/gui into
resources/translations/receipt_assistant_en.ts (Japanese is the source
language); translations already there are kept; new strings arrive
"unfinished" and must be translated (tests fail until they are). Then
pyside6-lrelease compiles the .qm files the app loads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "receipt_assistant_en.ts"


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "receipt_assistant" / "gui").glob("*.py"))


def main() -> int:
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                    "-source-language", "ja", "-target-language", "en", "-ts", str(TS)], cwd=ROOT, check=True)
    subprocess.run([str(bin_dir / "pyside6-lrelease"), str(TS), "-qm", str(TS.with_suffix(".qm"))],
                   cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
