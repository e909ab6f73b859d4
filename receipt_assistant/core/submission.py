"""What the shop will see, said plainly before the customer sends a bundle.

A customer who sends a bundle should not be surprised by what staff find in
it: a value they typed rather than one read from the image, a gift-card line
that was never found, an amount that differs from the one they declared. This
module turns the reading, the corrections, the declaration and the overrides
into one sentence each (Japanese and English), with the wizard page that can
put it right. The wizard's summary and done pages and the bundle's
summary.html all say the same sentences, so what the customer was told is
what the shop reads.

Works on the JSON shapes (``Field.to_json()``, ``Correction.to_json()``,
``Declared.to_json()``, ``Override.to_json()``) so a saved manifest or a
draft gives the same lines as a live reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from receipt_assistant.core.amounts import find_amounts
from receipt_assistant.core.model import Message
from receipt_assistant.core.text import normalize, repair_digits

# A value read with less confidence than this is shown as "please check"
# against the image (docs/benchmarks.md: asking for a retake instead was
# wrong too often on photos that were read right).
DOUBT_BELOW = 0.6

NO_GIFT_LINE_QUESTION = Message(
    "これは、ギフトカードを買ったときのレシート（領収書）ですか？",
    "Is this the receipt from when you bought the gift card?",
)

# Only what the shop really does (docs: staff check submissions by eye, beside
# the values read): no promise about how long it takes or what they decide.
NO_GIFT_LINE_CONSEQUENCE = Message(
    "ギフトカードの行は、ギフトカードを買ったことを示す大切な部分です。"
    "このまま送ることもできますが、その場合はショップの担当者が画像を見て確認します。"
    "「戻る」で、その行がはっきり写った画像や、ギフトカードを買ったときのレシートを追加できます。",
    "The gift-card line is what shows that a gift card was bought. "
    "You can send the bundle as it is; shop staff will then look at the image themselves. "
    "You can go back and add a clearer image of that line, or the receipt from the gift-card purchase.",
)

_LABELS = {"date": ("購入日", "purchase date"), "amount": ("金額", "amount")}

# Plain names for the quality problems a customer may have chosen to keep.
_PROBLEMS = {
    "too_small": ("文字が小さい", "text too small"),
    "too_far": ("レシートが遠い", "slip too far away"),
    "blurred": ("ぼやけ", "blurred"),
    "too_dark": ("暗すぎる", "too dark"),
    "washed_out": ("白っぽく薄い", "washed out"),
    "low_contrast": ("文字が薄い", "faint text"),
    "cut_off": ("レシートが切れている", "slip cut off"),
    "steep": ("斜めから撮影", "taken at a steep angle"),
    "glare": ("光の反射", "glare"),
    "low_confidence": ("読み取りにくい", "hard to read"),
    "not_a_receipt": ("レシートに見えない", "does not look like a receipt"),
    "screen_photo": ("画面を撮影した写真", "photo of a screen"),
}


@dataclass(frozen=True)
class FieldState:
    """How one value stands: read, doubtful, typed by the customer, or absent."""

    state: str  # read | doubt | corrected | missing
    value: Any  # what counts: the customer's value when corrected, else the value read
    read: Any  # the value read (None, or False for the gift card, when nothing was read)


@dataclass(frozen=True)
class SummaryLine:
    """One sentence of the summary, with how it looks and where to fix it."""

    id: str
    state: str  # ok | check | typed | missing
    message: Message
    fix: str | None  # images | results | details, or None


def field_state(name: str, field: dict[str, Any], correction: dict[str, Any] | None) -> FieldState:
    """Classify one field so every page says the same thing about it.

    The gift-card line is never typed by the customer: a correction for it is
    ignored. A correction that gives the value already read changes nothing.
    """
    conf = float(field.get("confidence") or 0.0)
    if name == "gift_card":
        found = field.get("value") is True
        if not found:
            return FieldState("missing", False, False)
        return FieldState("read" if conf >= DOUBT_BELOW else "doubt", True, True)
    read = field.get("value")
    if read is None and correction is not None:
        read = correction.get("value_read")
    if correction is not None:
        given = correction.get("value_given")
        if given is not None and not _same(name, given, read):
            return FieldState("corrected", given, read)
    if read is None:
        return FieldState("missing", None, None)
    return FieldState("read" if conf >= DOUBT_BELOW else "doubt", read, read)


def summary_lines(
    fields: dict[str, Any],
    corrections: list[dict[str, Any]],
    declared: dict[str, Any] | None,
    overrides: list[dict[str, Any]],
    *,
    unread: bool = False,
) -> list[SummaryLine]:
    """The sentences the shop will see, in a fixed order.

    Date, amount, gift card; then where the declared amount or date differs
    from the one that counts; then images kept although a retake was asked.
    ``unread``: nothing could be read (no OCR), so the gift card was not
    looked for and a first line says staff will check the image.
    """
    by_field = {c.get("field"): c for c in corrections}  # the last correction of a field wins
    states = {name: field_state(name, fields.get(name) or {}, by_field.get(name)) for name in ("date", "amount")}
    lines: list[SummaryLine] = []
    if unread:
        lines.append(SummaryLine("unread", "check", Message(
            "画像の文字を自動で読み取れなかったため、ショップの担当者が画像を見て確認します。",
            "The text in the images could not be read automatically, so shop staff will check the images "
            "themselves.",
        ), None))
    for name in ("date", "amount"):
        lines.append(_value_line(name, states[name]))
    if not unread:
        gift = fields.get("gift_card") or {}
        lines.append(_gift_line(field_state("gift_card", gift, None), plain_quote("gift_card", gift)))
    if declared is not None:
        lines += _differences(states, declared)
    if overrides:
        lines.append(_retake_line(overrides))
    return lines


def plain_quote(name: str, field: dict[str, Any]) -> str:
    """What a value's line says, cleaned for a person: the value itself, not OCR's spelling of it.

    The picture of the line is shown beside it; this is the words a customer
    would read there (``Amazonギフトカード ¥40,000``), never ``ギフムカード(交勇) \\ 40.000``.
    """
    value = field.get("value")
    if value in (None, False):
        return ""
    if name == "gift_card":
        marked = [a for a in find_amounts(repair_digits(normalize(field.get("text") or ""))) if a.marked]
        price = f" ¥{marked[-1].value:,}" if marked and marked[-1].value >= 100 else ""
        return "Amazonギフトカード" + price
    if name == "amount" and isinstance(value, int):
        return f"¥{value:,}"
    return str(value)


def lines_from_manifest(manifest: dict[str, Any]) -> list[SummaryLine]:
    """The summary lines of a saved bundle (its manifest records no "unread" flag)."""
    return summary_lines(manifest["reading"]["fields"], manifest.get("corrections") or [],
                         manifest.get("declared"), manifest.get("overrides") or [])


# --- sentences -----------------------------------------------------------------


def _value_line(name: str, s: FieldState) -> SummaryLine:
    ja, en = _LABELS[name]
    if s.state == "read":
        return SummaryLine(f"{name}_read", "ok", Message(
            f"{ja} {_ja(name, s.value)} は画像から読み取りました。",
            f"The {en} {_en(name, s.value)} was read from the image.",
        ), None)
    if s.state == "doubt":
        return SummaryLine(f"{name}_doubt", "check", Message(
            f"{ja}は画像から {_ja(name, s.value)} と読み取りましたが、はっきりしません。画像と見比べて確かめてください。",
            f"The {en} was read from the image as {_en(name, s.value)}, but not clearly. "
            "Please compare it with the image.",
        ), "results")
    if s.state == "corrected" and s.read is None:
        return SummaryLine(f"{name}_corrected", "typed", Message(
            f"{ja} {_ja(name, s.value)} はお客様が入力しました（画像からは読み取れませんでした）。",
            f"You typed the {en} {_en(name, s.value)} (it could not be read from the image).",
        ), None)
    if s.state == "corrected":
        return SummaryLine(f"{name}_corrected", "typed", Message(
            f"{ja}は画像から {_ja(name, s.read)} と読み取りましたが、お客様が {_ja(name, s.value)} に直しました。",
            f"The {en} was read from the image as {_en(name, s.read)}; you changed it to {_en(name, s.value)}.",
        ), None)
    return SummaryLine(f"{name}_missing", "missing", Message(
        f"{ja}は画像から読み取れず、入力もされていません。",
        f"The {en} could not be read from the image and has not been typed in.",
    ), "results")


def _gift_line(s: FieldState, text: str) -> SummaryLine:
    if s.state == "missing":
        return SummaryLine("gift_card_missing", "missing", Message(
            "ギフトカードの行が画像に見つかりませんでした。",
            "The gift-card line was not found in the image.",
        ), "images")
    quoted_ja = f"「{text}」" if text else ""
    quoted_en = f" (\"{text}\")" if text else ""
    if s.state == "doubt":
        return SummaryLine("gift_card_doubt", "check", Message(
            f"ギフトカードらしい行{quoted_ja}が見つかりましたが、はっきり読み取れませんでした。",
            f"A line that looks like the gift card{quoted_en} was found, but it could not be read clearly.",
        ), "images")
    return SummaryLine("gift_card_read", "ok", Message(
        f"ギフトカードの行{quoted_ja}が画像に見つかりました。",
        f"The gift-card line{quoted_en} was found in the image.",
    ), None)


def _differences(states: dict[str, FieldState], declared: dict[str, Any]) -> list[SummaryLine]:
    out: list[SummaryLine] = []
    for name, key, id_ in (("amount", "amount", "amount_differs"), ("date", "purchase_date", "date_differs")):
        s, said = states[name], declared.get(key)
        if said is None or s.value is None or _same(name, said, s.value):
            continue
        ja, en = _LABELS[name]
        src_ja = "お客様が直した" if s.state == "corrected" else "画像から読み取った"
        src_en = "the one you corrected" if s.state == "corrected" else "the one read from the image"
        out.append(SummaryLine(id_, "check", Message(
            f"申告した{ja} {_ja(name, said)} は、{src_ja}{ja} {_ja(name, s.value)} と違います。",
            f"The {en} you declared, {_en(name, said)}, differs from {src_en}, {_en(name, s.value)}.",
        ), "details"))
    return out


def _retake_line(overrides: list[dict[str, Any]]) -> SummaryLine:
    kept: dict[str, list[tuple[str, str]]] = {}
    for o in overrides:
        names = _PROBLEMS.get(str(o.get("problem")), ("画像の問題", "an image problem"))
        problems = kept.setdefault(str(o.get("note") or ""), [])
        if names not in problems:
            problems.append(names)
    ja = "、".join(f"{f}: {'・'.join(p[0] for p in ps)}" if f else "・".join(p[0] for p in ps)
                  for f, ps in kept.items())
    en = "; ".join(f"{f}: {', '.join(p[1] for p in ps)}" if f else ", ".join(p[1] for p in ps)
                   for f, ps in kept.items())
    which = "the image as it was" if len(kept) == 1 else "the images as they were"
    return SummaryLine("retake_skipped", "check", Message(
        f"撮り直しをおすすめした画像を、そのまま使いました（{ja}）。",
        f"You used {which} although a retake was suggested ({en}).",
    ), "images")


# --- values --------------------------------------------------------------------


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return None


def _as_int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    try:
        return int(str(v).replace(",", "").replace("円", "").replace("¥", "").strip())
    except ValueError:
        return None


def _same(name: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if name == "date":
        da, db = _as_date(a), _as_date(b)
        return da == db if da is not None and db is not None else str(a) == str(b)
    if name == "amount":
        ia, ib = _as_int(a), _as_int(b)
        return ia == ib if ia is not None and ib is not None else str(a) == str(b)
    return bool(a == b)


def _ja(name: str, v: Any) -> str:
    """As core.checks writes values in Japanese: 2024年5月1日, 5,000円."""
    if name == "date":
        d = _as_date(v)
        return f"{d.year}年{d.month}月{d.day}日" if d else str(v)
    n = _as_int(v)
    return f"{n:,}円" if n is not None else str(v)


def _en(name: str, v: Any) -> str:
    """As core.checks writes values in English: 2024-05-01, ¥5,000."""
    if name == "date":
        d = _as_date(v)
        return d.isoformat() if d else str(v)
    n = _as_int(v)
    return f"¥{n:,}" if n is not None else str(v)
