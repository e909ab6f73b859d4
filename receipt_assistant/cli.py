"""Command line: a thin adapter over :mod:`receipt_assistant.core.api`.

The contract of ``check`` (arguments, JSON, exit codes) is documented in
docs/cli.md; other tools depend on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import locale
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from receipt_assistant import __version__
from receipt_assistant.core.api import (
    BUDGET_S,
    ENV_BUDGET,
    CheckOptions,
    Reading,
    check_files,
    default_budget,
    make_engine,
)
from receipt_assistant.core.engine_tesserocr import TesserocrEngine
from receipt_assistant.core.errors import EXIT_CHECKS_FAILED, EXIT_OK, EXIT_USAGE, ReceiptError
from receipt_assistant.core.fields.amount import explain
from receipt_assistant.core.ocr import OcrEngine, engine_description
from receipt_assistant.core.settings import Settings
from receipt_assistant.core.tesseract import doctor_report, probe

if TYPE_CHECKING:  # bundling and verifying are imported by their commands: `check` starts sooner
    from receipt_assistant.core.verify import Verification

KIND_NAMES = {
    "ja": {"amazon": "Amazon.co.jp の領収書・注文明細", "store": "お店のレシート", "unknown": "不明（領収書の形式が分かりません）"},
    "en": {"amazon": "Amazon.co.jp receipt / order details", "store": "shop slip", "unknown": "unknown (layout not recognized)"},
}
LABELS = {
    "ja": {"kind": "種類", "date": "購入日", "amount": "金額", "gift_card": "ギフトカードの購入", "order_number": "注文番号",
           "store": "店舗", "quality": "画像", "checks": "チェック", "result": "結果", "yes": "あり", "no": "なし",
           "missing": "見つかりません", "ok": "OK", "ng": "要確認", "error": "エラー", "quality_ok": "問題なし"},
    "en": {"kind": "Kind", "date": "Date", "amount": "Amount", "gift_card": "Gift-card purchase", "order_number": "Order number",
           "store": "Store", "quality": "Image", "checks": "Checks", "result": "Result", "yes": "yes", "no": "no",
           "missing": "not found", "ok": "OK", "ng": "needs attention", "error": "Error", "quality_ok": "no problems"},
}

BUNDLE_LABELS = {
    "ja": {"saved": "保存しました", "fingerprint": "確認コード", "intact": "改ざん・破損なし", "yes": "はい", "no": "いいえ",
           "created": "作成", "declared": "申告", "read": "読み取り", "correction": "修正", "override": "警告を承知で使用",
           "differs": "読み直すと違う値", "agrees": "読み直した値は一致しました", "reread_error": "読み直せません",
           "send": "このファイルをショップに送り、確認コードをメッセージに書き添えてください。"},
    "en": {"saved": "Saved", "fingerprint": "Fingerprint", "intact": "Intact", "yes": "yes", "no": "no",
           "created": "Created", "declared": "Declared", "read": "Read", "correction": "Correction",
           "override": "Used despite warning", "differs": "Differs when read again",
           "agrees": "Reading again agrees", "reread_error": "Could not read again",
           "send": "Send this file to the shop and write the fingerprint in your message."},
}


def _default_lang() -> str:
    """Japanese first: English only when the system asks for it."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "ja"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "en" if loc.lower().startswith("en") else "ja"


def _yen(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("円", "").replace("¥", "").strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of yen: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the amount must be positive")
    return value


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the time allowed must be positive")
    return value


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the tolerance cannot be negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="receipt-assistant",
        description="Read Amazon.co.jp receipts and shop slips offline and check the proof of a gift-card purchase.",
    )
    parser.add_argument("--version", action="version", version=f"receipt-assistant {__version__}")
    parser.add_argument("--lang", choices=("ja", "en"), default=None, help="language of messages (default: system)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (repeat for debug)")
    parser.add_argument("--smoke-test", type=Path, metavar="FILE", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="read receipt images and check date, amount and gift-card line")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="one JSON object per input on stdout")
    check.add_argument("--kind", choices=("auto", "amazon", "store"), default="auto")
    check.add_argument("--expect-amount", type=_yen, metavar="YEN")
    check.add_argument("--expect-date", type=_iso_date, metavar="YYYY-MM-DD")
    check.add_argument("--date-tolerance", type=_days, default=0, metavar="DAYS")
    check.add_argument("--together", action="store_true", help="all FILEs are pages of one receipt")
    check.add_argument("--budget", type=_seconds, default=None, metavar="SECONDS",
                       help="time allowed per receipt; past it the results so far are given, with a note "
                            f"(default: {BUDGET_S:g}, or ${ENV_BUDGET})")
    check.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    bundle = sub.add_parser("bundle", help="read, check and write one evidence bundle")
    bundle.add_argument("files", nargs="+", metavar="FILE")
    bundle.add_argument("--route", choices=("amazon", "store"), required=True)
    bundle.add_argument("--amount", type=_yen, required=True, metavar="YEN")
    bundle.add_argument("--date", type=_iso_date, required=True, metavar="YYYY-MM-DD")
    bundle.add_argument("--name")
    bundle.add_argument("--email")
    bundle.add_argument("--reference", help="the shop's reception number")
    bundle.add_argument("--out", required=True, metavar="DIR")
    bundle.add_argument("--json", action="store_true")
    bundle.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    verify = sub.add_parser("verify", help="check that bundles are intact and show what they hold")
    verify.add_argument("bundles", nargs="+", metavar="BUNDLE")
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--reread", action="store_true", help="read the images again and compare")

    review = sub.add_parser("review", help="staff: check bundles, decide, export the record")
    review.add_argument("targets", nargs="*", metavar="FOLDER|BUNDLE")
    review.add_argument("--batch", metavar="FOLDER", help="verify every bundle in FOLDER without a window")
    review.add_argument("--reread", action="store_true", help="with --batch: read every image again")
    review.add_argument("--jobs", type=int, default=None, metavar="N", help="with --batch: processes (default: all cores)")
    review.add_argument("--csv", metavar="OUT.csv", help="with --batch: write the record as CSV (Excel)")
    review.add_argument("--json-out", metavar="OUT.json", help="with --batch: write the record as JSON")

    doctor = sub.add_parser("doctor", help="show which Tesseract and languages were found")
    doctor.add_argument("--json", action="store_true")

    guides_ = sub.add_parser("guides", help="list the wizard's guides in the chosen language")
    guides_.add_argument("--json", action="store_true")
    return parser


def _report(reading: Reading, lang: str) -> str:
    lab = LABELS[lang]
    out = [reading.source]
    if reading.error:
        out.append(f"  {lab['error']}: {reading.error.message.text(lang)}")
        return "\n".join(out)
    out.append(f"  {lab['kind']}: {KIND_NAMES[lang][reading.kind]}")
    f = reading.fields
    for name in ("date", "amount", "gift_card", "order_number", "store"):
        fld = getattr(f, name)
        if name == "gift_card":
            value = lab["yes"] if fld.value else lab["no"]
        elif fld.value is None:
            value = lab["missing"]
        elif name == "amount":
            value = f"¥{fld.value:,}"
        else:
            value = str(fld.value)
        where = f"  「{fld.text}」" if fld.text and fld.value not in (None, False) else ""
        conf = f" ({fld.confidence:.0%})" if fld.value not in (None, False) else ""
        if name in ("order_number", "store") and fld.value is None:
            continue
        out.append(f"  {lab[name]}: {value}{conf}{where}")
        why = explain(fld.evidence) if fld.value not in (None, False) else None
        if why is not None:
            out.append(f"    {why.text(lang)}")
    if reading.quality.problems:
        out.append(f"  {lab['quality']}:")
        out.extend(f"    - {p.message.text(lang)}" for p in reading.quality.problems)
    else:
        out.append(f"  {lab['quality']}: {lab['quality_ok']}")
    out.append(f"  {lab['checks']}:")
    out.extend(f"    {'✓' if c.ok else '✗'} {c.message.text(lang)}" for c in reading.checks)
    out.append(f"  {lab['result']}: {lab['ok'] if reading.ok else lab['ng']}")
    return "\n".join(out)


def _exit_code(reading: Reading) -> int:
    if reading.error is not None:
        return EXIT_USAGE
    return EXIT_OK if reading.ok else EXIT_CHECKS_FAILED


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    options = CheckOptions(
        kind=args.kind,
        expect_amount=args.expect_amount,
        expect_date=args.expect_date,
        date_tolerance=args.date_tolerance,
        reference=args.today,
        budget_s=args.budget or default_budget(),
    )
    groups: list[list[str]] = [args.files] if args.together else [[f] for f in args.files]
    engine: OcrEngine | None = None
    try:
        engine = make_engine(Settings.load())
    except ReceiptError:
        pass  # PDFs with a text layer can still be read; others report the fix one by one
    code = EXIT_OK
    for group in groups:
        reading = check_files(group, options=options, engine=engine)
        code = max(code, _exit_code(reading))
        _emit(reading.to_json(lang) if args.json else _report(reading, lang))
    return code


def _emit(result: dict | str) -> None:
    """One result on stdout: a JSON line, or the readable report."""
    print(json.dumps(result, ensure_ascii=False) if isinstance(result, dict) else result, flush=True)


def cmd_bundle(args: argparse.Namespace, lang: str) -> int:
    from receipt_assistant.core.bundle import Declared, create_bundle

    declared = Declared(args.route, args.amount, args.date, args.name, args.email, args.reference)
    result = create_bundle(args.files, declared, args.out, today=args.today)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
    else:
        lab = BUNDLE_LABELS[lang]
        print(_report(result.reading, lang))
        print(f"{lab['saved']}: {result.path}")
        print(f"{lab['fingerprint']}: {result.fingerprint}")
        print(lab["send"])
    return EXIT_OK if result.reading.ok else EXIT_CHECKS_FAILED


def _verify_report(v: Verification, lang: str) -> str:
    lab = BUNDLE_LABELS[lang]
    d = v.to_json(lang)
    out = [v.path, f"  {lab['intact']}: {lab['yes'] if v.intact else lab['no']}"]
    out.extend(f"    ✗ {p['message']}" for p in d["problems"])
    if v.manifest is None:
        return "\n".join(out)
    out.append(f"  {lab['fingerprint']}: {v.fingerprint}")
    out.append(f"  {lab['created']}: {d['created_at']} (receipt-assistant {d['app_version']})")
    decl = d["declared"]
    out.append(f"  {lab['declared']}: {decl['route']}, ¥{decl['amount']:,}, {decl['purchase_date']}"
               + "".join(f", {decl[k]}" for k in ("name", "email", "reference") if decl[k]))
    read = d["read"]
    amount = f"¥{read['amount']:,}" if isinstance(read["amount"], int) else "—"
    out.append(f"  {lab['read']}: {d['kind']}, {read['date'] or '—'}, {amount}, "
               f"{LABELS[lang]['gift_card']} {LABELS[lang]['yes'] if read['gift_card'] else LABELS[lang]['no']}"
               + "".join(f", {read[k]}" for k in ("order_number", "store") if read[k]))
    out.extend(f"    {'✓' if c['ok'] else '✗'} {c['message_ja'] if lang == 'ja' else c['message_en']}"
               for c in d["checks"] or [])
    for c in d["corrections"] or []:
        out.append(f"  {lab['correction']}: {c['field']} {c['value_read']!r} → {c['value_given']!r} ({c['at']})")
    for o in d["overrides"] or []:
        out.append(f"  {lab['override']}: {o['problem']} ({o['at']})")
    if v.reread is not None:
        if v.reread:
            out.extend(f"  {lab['differs']}: {x.field} {x.in_bundle!r} → {x.today!r}" for x in v.reread)
        else:
            out.append(f"  {lab['agrees']}")
    if v.reread_error:
        out.append(f"  {lab['reread_error']}: {v.reread_error.text(lang)}")
    return "\n".join(out)


def cmd_verify(args: argparse.Namespace, lang: str) -> int:
    from receipt_assistant.core.verify import verify_bundle

    engine: OcrEngine | None = None
    if args.reread:
        engine = make_engine(Settings.load())
    code = EXIT_OK
    for path in args.bundles:
        v = verify_bundle(path, reread=args.reread, engine=engine)
        if v.problems and v.problems[0].id == "unreadable":
            code = max(code, EXIT_USAGE)
        elif not v.ok:
            code = max(code, EXIT_CHECKS_FAILED)
        _emit(v.to_json(lang) if args.json else _verify_report(v, lang))
    return code


def cmd_review(args: argparse.Namespace, lang: str) -> int:
    from receipt_assistant.core import review

    if not args.batch:
        from receipt_assistant.gui.app import run_review

        targets = [Path(t) for t in args.targets]
        folders = [t for t in targets if t.is_dir()]
        return run_review(lang, folders[0] if folders else None, [t for t in targets if not t.is_dir()])
    folder = Path(args.batch)
    if not folder.is_dir():
        print(f"フォルダがありません: {folder}" if lang == "ja" else f"No such folder: {folder}", file=sys.stderr)
        return EXIT_USAGE
    store = review.Store()

    def bar(done: int, total: int, _path: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        entries = review.batch(folder, store, reread=args.reread, jobs=args.jobs, progress=bar)
    finally:
        print(file=sys.stderr)
    if args.csv:
        review.export_csv(entries, Path(args.csv), lang)
    if args.json_out:
        review.export_json(entries, Path(args.json_out), lang)
    store.close()
    if store.skipped_rows:
        n = len(store.skipped_rows)
        print(f"確認の記録のうち {n} 件が壊れていて表示できません（ほかの記録と判断はそのままです）。" if lang == "ja"
              else f"{n} rows of the review record are damaged and were left out (the others and their decisions "
                   "are intact).", file=sys.stderr)
    # Info flags (a later copy exists, no confirmation code entered yet) leave the verdict as it is.
    counts = {v: sum(1 for e in entries if e.verdict == v) for v in ("green", "amber", "red")}
    broken = sum(1 for e in entries if not e.value("intact"))
    labels = {k: m.text(lang) for k, m in review.VERDICT_LABELS.items()}
    print(f"{len(entries)} " + ("件" if lang == "ja" else "bundles") + ": " +
          ", ".join(f"{labels[k]} {n}" for k, n in counts.items()) +
          (f" （破損・改ざん {broken}）" if lang == "ja" else f" (not intact: {broken})"))
    for e in entries:
        if e.verdict != "green":
            print(f"  {Path(e.path).name}: " +
                  " / ".join(f.message.text(lang) for f in e.flags if f.severity != "info"))
    return EXIT_OK if broken == 0 else EXIT_CHECKS_FAILED


def cmd_doctor(args: argparse.Namespace, lang: str) -> int:
    settings = Settings.load()
    info = probe(settings.tesseract_path)
    try:
        engine: OcrEngine | None = make_engine(settings)
    except ReceiptError:
        engine = None
    in_process = isinstance(engine, TesserocrEngine)
    ok = engine is not None
    if args.json:
        data = info.to_json()
        data["engine"] = None if engine is None else ("tesserocr" if in_process else "pytesseract")
        data["engine_description"] = None if engine is None else engine_description(engine)
        if isinstance(engine, TesserocrEngine):
            # The Tesseract program is not needed then; its absence is no problem.
            data.update(version=engine.version, engine_version=engine.wrapper_version,
                        tessdata_dir=engine.tessdata_dir, languages=engine.installed_languages,
                        ok=True, problem=None, problem_ja=None)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK if ok else EXIT_CHECKS_FAILED
    ja = lang != "en"
    label = "読み取りエンジン: " if ja else "Engine: "
    if isinstance(engine, TesserocrEngine):
        print(label + engine.description + ("（このプログラムの中で動きます）" if ja else ""))
        print(("言語データ: " if ja else "Language data: ") + engine.tessdata_dir)
        print(("言語: " if ja else "Languages: ") + ", ".join(engine.installed_languages))
        print("状態: 問題ありません（日本語と英語を読めます）。" if ja else "Status: OK (can read Japanese and English).")
        program = info.path or ("見つかりません（使いません）" if ja else "not found (not needed)")
        print(("Tesseract プログラム（予備）: " if ja else "Tesseract program (fallback): ") + program)
    else:
        if engine is not None:
            print(label + engine_description(engine))
        print(doctor_report(info, lang))
    return EXIT_OK if ok else EXIT_CHECKS_FAILED


def cmd_guides(args: argparse.Namespace, lang: str) -> int:
    from receipt_assistant.core.guides import GUIDE_IDS, load_guide

    listed = []
    for guide_id in GUIDE_IDS:
        guide = load_guide(guide_id, lang)
        pictures = [s.image for s in guide.steps if s.image]
        missing = [p.name for p in pictures if not p.is_file()]
        listed.append({"id": guide.id, "lang": guide.lang, "title": guide.title, "steps": len(guide.steps),
                       "pictures": len(pictures), "missing_pictures": missing})
    if args.json:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        for g in listed:
            print(f"{g['id']} ({g['lang']}): {g['title']}")
    return EXIT_OK if not any(g["missing_pictures"] for g in listed) else EXIT_CHECKS_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    # First: in a frozen app on Windows and macOS a worker process of
    # `review --batch` starts here, and only this turns it into that worker.
    multiprocessing.freeze_support()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=(logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 3)],
        format="%(levelname)s %(name)s: %(message)s",
    )
    lang = args.lang or _default_lang()
    if args.command is None:
        from receipt_assistant.gui.app import run

        return run(lang, smoke_test=args.smoke_test)
    try:
        if args.command == "check":
            return cmd_check(args, lang)
        if args.command == "bundle":
            return cmd_bundle(args, lang)
        if args.command == "verify":
            return cmd_verify(args, lang)
        if args.command == "review":
            return cmd_review(args, lang)
        if args.command == "doctor":
            return cmd_doctor(args, lang)
        if args.command == "guides":
            return cmd_guides(args, lang)
    except KeyboardInterrupt:
        print("中止しました。" if lang == "ja" else "Stopped.", file=sys.stderr)
        return 130
    except ReceiptError as exc:
        print(exc.text(lang), file=sys.stderr)
        return exc.exit_code
    parser.print_help()
    return EXIT_USAGE
