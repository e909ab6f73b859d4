"""Smoke test of the frozen app, as a customer's and a staff member's computer would run it.

    python tools/dist_check.py dist/receipt-assistant      (make dist-check)

Runs the console executable: --version, doctor --json (engine and the jpn,
eng and osd data inside the app), guides in English, check --json on the
committed samples (values as their truth says), bundle, verify and
review --batch (worker processes of the frozen app); then opens the windowed
executable offscreen and times its first window. The app runs with a home
folder whose name is Japanese, as on a Japanese Windows account. Exit code 0
only when everything passed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"
FIRST_WINDOW_S = 2.0
EXE = ".exe" if sys.platform == "win32" else ""


def _run(cmd: list[str], env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout,
                          check=False)


def main(folder: str) -> int:
    app = Path(folder)
    cli = str(app / f"receipt-assistant-cli{EXE}")
    gui = str(app / f"receipt-assistant{EXE}")
    failures: list[str] = []

    def expect(ok: bool, what: str) -> None:
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "山田 花子"
        home.mkdir()
        env = {**os.environ, "RECEIPT_ASSISTANT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
               "PYTHONUTF8": "1"}
        env.pop("TESSDATA_PREFIX", None)
        env.pop("RECEIPT_ASSISTANT_TESSERACT", None)

        r = _run([cli, "--version"], env)
        expect(r.returncode == 0 and "receipt-assistant" in r.stdout, f"--version: {r.stdout.strip()}")

        r = _run([cli, "doctor", "--json"], env)
        try:
            doctor = json.loads(r.stdout)
        except ValueError:
            doctor = {}
        langs = set(doctor.get("languages") or [])
        expect(r.returncode == 0 and {"jpn", "eng", "osd"} <= langs,
               f"doctor: engine {doctor.get('engine')!r}, languages {sorted(langs)}, data {doctor.get('tessdata_dir')!r}")

        r = _run([cli, "--lang", "en", "guides", "--json"], env)
        try:
            listed = json.loads(r.stdout)
        except ValueError:
            listed = []
        expect(r.returncode == 0 and len(listed) >= 5 and {g["lang"] for g in listed} == {"en"},
               f"guides in English: {[g['title'] for g in listed][:2]}… {r.stderr.strip()[:200]}")

        truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
        for t in truth:
            r = _run([cli, "check", "--json", "--today", "2026-11-01", str(SAMPLES / t["file"])], env)
            try:
                got = json.loads(r.stdout.splitlines()[0])
                fields = got["fields"]
                values = (fields["date"]["value"], fields["amount"]["value"], bool(fields["gift_card"]["value"]))
            except (ValueError, KeyError, IndexError, TypeError):
                values = None
            want = (t["date"], t["amount"], t["gift_card"])
            expect(values == want, f"check {t['file']}: {values} (truth {want})")

        out = home / "送る"
        out.mkdir()
        sample = SAMPLES / "amazon-receipt.png"
        r = _run([cli, "bundle", "--json", "--route", "amazon", "--amount", "5000", "--date", "2026-05-22",
                  "--name", "山田 花子", "--out", str(out), "--today", "2026-11-01", str(sample)], env)
        bundles = sorted(out.glob("*.receipt.zip")) if out.is_dir() else []
        expect(r.returncode == 0 and len(bundles) == 1, f"bundle: {[b.name for b in bundles]} {r.stderr.strip()[:200]}")
        if bundles:
            r = _run([cli, "verify", "--json", str(bundles[0])], env)
            try:
                intact = json.loads(r.stdout.splitlines()[0])["intact"]
            except (ValueError, KeyError, IndexError):
                intact = None
            expect(r.returncode == 0 and intact is True, f"verify: intact {intact}")
            record = home / "record.json"
            r = _run([cli, "review", "--batch", str(out), "--jobs", "2", "--json-out", str(record)], env)
            try:
                rows = json.loads(record.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                rows = []
            expect(r.returncode == 0 and [row["verdict_id"] for row in rows] == ["green"],
                   f"review --batch in 2 processes: {[row['verdict_id'] for row in rows]} {r.stderr.strip()[-200:]}")

        shown = home / "first-window.txt"
        start = time.time()
        proc = subprocess.Popen([gui, "--smoke-test", str(shown)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        # The app writes the clock time at which its first window was on screen.
        seconds = float(shown.read_text(encoding="utf-8")) - start if shown.is_file() else None
        wall = time.time() - start
        expect(proc.returncode == 0 and seconds is not None,
               f"window: opened and closed (exit {proc.returncode}, {wall:.1f} s in all) "
               f"{err.decode('utf-8', 'replace').strip()[:300]}")
        if seconds is not None:
            expect(seconds <= FIRST_WINDOW_S, f"first window after {seconds:.2f} s (target {FIRST_WINDOW_S:g} s)")

    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "dist/receipt-assistant"))
