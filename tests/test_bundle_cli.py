"""`receipt-assistant bundle` and `verify` end to end, with the real Tesseract on committed samples."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.tesseract, pytest.mark.xdist_group("tesseract")]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
TRUTH = {t["file"]: t for t in json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "receipt_assistant", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    t = TRUTH["store-slip-photo.jpg"]
    out = tmp_path_factory.mktemp("bundles")
    res = _cli("bundle", "--json", "--route", "store", "--amount", str(t["amount"]), "--date", t["date"],
               "--name", "山田 花子", "--reference", "R-42", "--out", str(out), str(SAMPLES / t["file"]))
    assert res.returncode == 0, res.stdout + res.stderr
    row = json.loads(res.stdout)
    return Path(row["path"]), row, t


def test_bundle_prints_its_path_and_fingerprint(made) -> None:
    path, row, t = made
    assert path.exists() and path.name.startswith(f"{t['date']}_{t['amount']}yen_")
    assert len(row["fingerprint"]) == 14 and row["ok"] is True


def test_verify_reports_an_intact_bundle_and_what_it_proves(made) -> None:
    path, row, t = made
    res = _cli("verify", "--json", str(path))
    assert res.returncode == 0, res.stdout
    v = json.loads(res.stdout)
    assert v["intact"] and v["fingerprint"] == row["fingerprint"]
    assert v["declared"]["amount"] == t["amount"] and v["declared"]["reference"] == "R-42"
    assert v["read"]["amount"] == t["amount"] and v["read"]["date"] == t["date"] and v["read"]["gift_card"] is True
    assert all(c["ok"] for c in v["checks"])
    text = _cli("--lang", "en", "verify", str(path))
    assert "Intact: yes" in text.stdout and row["fingerprint"] in text.stdout


def test_reread_agrees_and_then_catches_an_edited_value(made, tmp_path: Path) -> None:
    path, _, t = made
    agrees = _cli("verify", "--json", "--reread", str(path))
    assert agrees.returncode == 0, agrees.stdout
    assert json.loads(agrees.stdout)["reread"] == []

    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    manifest = json.loads(dict(members)["manifest.json"])
    manifest["reading"]["fields"]["amount"]["value"] = t["amount"] * 10
    edited = tmp_path / "edited.receipt.zip"
    with zipfile.ZipFile(edited, "w") as zf:
        for name, data in members:
            zf.writestr(name, json.dumps(manifest).encode() if name == "manifest.json" else data)
    res = _cli("verify", "--json", "--reread", str(edited))
    assert res.returncode == 1
    v = json.loads(res.stdout)
    assert v["intact"] is True  # every file matches its hash...
    assert v["reread"] == [{"field": "amount", "in_bundle": t["amount"] * 10, "today": t["amount"]}]  # ...but not the reading


def test_verify_exit_codes(made, tmp_path: Path) -> None:
    path, _, _ = made
    junk = tmp_path / "junk.receipt.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    res = _cli("verify", str(path), str(junk))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    missing = _cli("verify", str(tmp_path / "nothing.receipt.zip"))
    assert missing.returncode == 2
    bad = _cli("bundle", "--route", "moon", "--amount", "1", "--date", "2024-01-01", "--out", str(tmp_path), "x.png")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
