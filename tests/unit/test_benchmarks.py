"""`make bench` starts: every benchmark imports what it uses and answers --help."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["run", "retake", "review"])
def test_each_benchmark_starts(name: str) -> None:
    importlib.import_module(f"benchmarks.{name}")
    done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout
