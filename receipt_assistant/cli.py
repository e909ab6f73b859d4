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
import os
import sys
from collections.abc import Sequence

from receipt_assistant import __version__
from receipt_assistant.core.api import CheckOptions, Reading, check_files, make_engine
from receipt_assistant.core.errors import EXIT_CHECKS_FAILED, EXIT_OK, EXIT_USAGE, ReceiptError
from receipt_assistant.core.ocr import OcrEngine
from receipt_assistant.core.settings import Settings
from receipt_assistant.core.tesseract import doctor_report, probe

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
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="read receipt images and check date, amount and gift-card line")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="one JSON object per input on stdout")
    check.add_argument("--kind", choices=("auto", "amazon", "store"), default="auto")
    check.add_argument("--expect-amount", type=_yen, metavar="YEN")
    check.add_argument("--expect-date", type=_iso_date, metavar="YYYY-MM-DD")
    check.add_argument("--date-tolerance", type=_days, default=0, metavar="DAYS")
    check.add_argument("--together", action="store_true", help="all FILEs are pages of one receipt")
    check.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    doctor = sub.add_parser("doctor", help="show which Tesseract and languages were found")
    doctor.add_argument("--json", action="store_true")
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
        if args.json:
            print(json.dumps(reading.to_json(lang), ensure_ascii=False), flush=True)
        else:
            print(_report(reading, lang), flush=True)
    return code


def cmd_doctor(args: argparse.Namespace, lang: str) -> int:
    info = probe(Settings.load().tesseract_path)
    if args.json:
        print(json.dumps(info.to_json(), ensure_ascii=False, indent=2))
    else:
        print(doctor_report(info, lang))
    return EXIT_OK if info.ok else EXIT_CHECKS_FAILED


def main(argv: Sequence[str] | None = None) -> int:
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
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "check":
            return cmd_check(args, lang)
        if args.command == "doctor":
            return cmd_doctor(args, lang)
    except KeyboardInterrupt:
        print("中止しました。" if lang == "ja" else "Stopped.", file=sys.stderr)
        return 130
    except ReceiptError as exc:
        print(exc.text(lang), file=sys.stderr)
        return exc.exit_code
    parser.print_help()
    return EXIT_USAGE
