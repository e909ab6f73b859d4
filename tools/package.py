"""Sizes of the frozen app, and the file customers download for this OS.

    python tools/package.py size dist/receipt-assistant
    python tools/package.py installer dist/receipt-assistant

`installer` makes, next to the app folder: on Windows the per-user
installer (Inno Setup's iscc, packaging/windows/receipt-assistant.iss, LZMA),
on macOS a disk image of the .app (hdiutil, LZMA), on Linux a .tar.xz. It
fails when the download is over the size customers are promised.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_DOWNLOAD_MB = 200
DISPLAY_NAME = "購入証明アシスタント"


def _mb(n: int) -> str:
    return f"{n / 1e6:.0f} MB"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _version() -> str:
    sys.path.insert(0, str(ROOT))
    from receipt_assistant import __version__

    return __version__


def _arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x64" if sys.platform == "win32" else "x86_64", "aarch64": "arm64"}.get(machine, machine)


def installer(app: Path) -> Path:
    out = app.parent
    stem = f"receipt-assistant-{_version()}"
    if sys.platform == "win32":
        iscc = shutil.which("iscc") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
        subprocess.run([iscc, f"/DAppVersion={_version()}", f"/DSourceDir={app.resolve()}",
                        f"/DOutputDir={out.resolve()}", str(ROOT / "packaging" / "windows" / "receipt-assistant.iss")],
                       check=True)
        return out / f"{stem}-windows-x64-setup.exe"
    if sys.platform == "darwin":
        bundle = out / f"{DISPLAY_NAME}.app"
        target = out / f"{stem}-macos-{_arch()}.dmg"
        target.unlink(missing_ok=True)
        staging = out / "dmg"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        shutil.copytree(bundle, staging / bundle.name, symlinks=True)
        (staging / "Applications").symlink_to("/Applications")
        subprocess.run(["hdiutil", "create", "-volname", DISPLAY_NAME, "-srcfolder", str(staging),
                        "-format", "ULMO", "-ov", str(target)], check=True)
        shutil.rmtree(staging)
        return target
    # xz: a third smaller than gzip on this folder of libraries (162 MB against 227 MB).
    target = out / f"{stem}-linux-{_arch()}.tar.xz"
    if shutil.which("tar") and shutil.which("xz"):
        subprocess.run(["tar", "-I", "xz -T0 -6", "-cf", str(target), "-C", str(app.parent), app.name], check=True)
    else:
        with tarfile.open(target, "w:xz", preset=6) as tar:
            tar.add(app, arcname=app.name)
    return target


def main(argv: list[str]) -> int:
    what, app = argv[0], Path(argv[1] if len(argv) > 1 else "dist/receipt-assistant")
    if not app.is_dir():
        print(f"{app} is not there: run `make dist` first.", file=sys.stderr)
        return 2
    print(f"app folder {app}: {_mb(folder_bytes(app))} unpacked")
    if what == "size":
        return 0
    target = installer(app)
    size = target.stat().st_size
    print(f"download {target.name}: {_mb(size)} (at most {MAX_DOWNLOAD_MB} MB)")
    return 0 if size <= MAX_DOWNLOAD_MB * 1e6 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
