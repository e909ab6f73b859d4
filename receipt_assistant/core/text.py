"""Text normalization for OCR output of Japanese receipts.

Tesseract's jpn model puts a space between every two Japanese characters,
reads digits as circled digits (②) and mixes full- and half-width forms.
Parsers only ever see text that went through :func:`normalize`.
"""

from __future__ import annotations

import re
import unicodedata

# Hiragana, katakana (incl. half-width after NFKC), CJK ideographs, the long
# vowel mark and CJK punctuation.
_CJK = r"\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff61-\uff9f"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def is_cjk(ch: str) -> bool:
    return bool(re.match(rf"[{_CJK}]", ch))


# Half-width katakana print the voicing mark as a character of its own
# (ｷﾞ = ｷ + ﾞ); OCR reads that mark as a quote, backtick or tilde.
_LOOSE_DAKUTEN = re.compile(r"([カ-トハ-ホウ])[`´~〜\"“”゛ﾞ]")


def _voiced(m: re.Match[str]) -> str:
    composed = unicodedata.normalize("NFC", m.group(1) + "\u3099")
    return composed if len(composed) == 1 else m.group(0)


def normalize(text: str) -> str:
    """NFKC, unify spaces, and drop the spaces Tesseract puts around Japanese."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return _LOOSE_DAKUTEN.sub(_voiced, text)


# --- OCR confusion repair -------------------------------------------------
#
# Tesseract's jpn model confuses digits with letters and with Japanese marks
# that look the same.  Repairs here are one character for one character, so
# a span found in repaired text is also a span of the original text.

_DIGITS = "0123456789"
_ZERO_LIKE = "Oo"
_ONE_LIKE = "lI"
_DASH_ONE_LIKE = "ー一"
_YEN_MARKS = "¥\\"


def _is_digit(chars: list[str], j: int) -> bool:
    return 0 <= j < len(chars) and chars[j] in _DIGITS


def _digit_left(chars: list[str], i: int) -> bool:
    """A digit right before i, or a digit before a thousands separator."""
    return _is_digit(chars, i - 1) or (
        i >= 2 and chars[i - 1] in ",." and _is_digit(chars, i - 2)
    )


def _digit_right(chars: list[str], i: int) -> bool:
    return _is_digit(chars, i + 1) or (
        i + 2 < len(chars) and chars[i + 1] in ",." and _is_digit(chars, i + 2)
    )


def _foreign_letter(chars: list[str], j: int) -> bool:
    """A Latin letter that cannot itself be a misread digit: we are inside a word."""
    if not 0 <= j < len(chars):
        return False
    c = chars[j]
    return c.isascii() and c.isalpha() and c not in _ZERO_LIKE + _ONE_LIKE


def _between_date_marks(chars: list[str], i: int) -> bool:
    """A lone character where a date puts a number: ``月l日``, ``/O/``."""
    return 0 < i < len(chars) - 1 and chars[i - 1] in "年月/" and chars[i + 1] in "月日/"


def _era_year(chars: list[str], i: int) -> bool:
    """A lone character where an era puts its year: ``令和$年``."""
    return 0 < i < len(chars) - 1 and chars[i - 1] in "和成" and chars[i + 1] == "年"


def _grouped_after(chars: list[str], i: int) -> bool:
    """``ー,000`` or ``ー0,000``: a well-formed thousands group follows."""
    rest = "".join(chars[i + 1 : i + 8])
    return re.match(r"\d{0,2}[,.]\d{3}", rest) is not None


def repair_digits(text: str, *, dashes: bool = True) -> str:
    """Turn letters that OCR put in place of digits back into digits.

    Only characters touching a digit run change (``2O24`` → ``2024``,
    ``5,00O`` → ``5,000``, ``¥ー,000`` → ``¥1,000``), so words such as
    ``Amazon`` or ``No.1`` are left alone.  ``dashes`` also repairs ``ー``/``一``
    read for ``1``; turn it off where a dash can be a separator (dates).
    """
    chars = list(text)
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(chars):
            new = None
            if c in _ZERO_LIKE + _ONE_LIKE:
                near = _digit_left(chars, i) or _digit_right(chars, i) or _between_date_marks(chars, i)
                if near and not (_foreign_letter(chars, i - 1) or _foreign_letter(chars, i + 1)):
                    new = "0" if c in _ZERO_LIKE else "1"
            elif c in "|!" and _between_date_marks(chars, i):
                new = "1"  # a stroke alone where a date puts its month or day: 2024年!月26日
            elif c in "$S" and _era_year(chars, i):
                new = "5"  # 令和$年12月11日 (a month or day's $ stays unknown: the weekday names it)
            elif c == "|":
                if (_digit_left(chars, i) or (i and chars[i - 1] in _YEN_MARKS)) and _digit_right(
                    chars, i
                ):
                    new = "1"
            elif dashes and c in _DASH_ONE_LIKE:
                after_yen = i > 0 and chars[i - 1] in _YEN_MARKS and (
                    _digit_right(chars, i) or _is_digit(chars, i + 1)
                )
                inside = _is_digit(chars, i - 1) and (
                    _digit_right(chars, i) or (i + 1 < len(chars) and chars[i + 1] in "年月日")
                )
                prev_kana = i > 0 and is_katakana(chars[i - 1])
                grouped = not prev_kana and not _is_digit(chars, i - 1) and _grouped_after(chars, i)
                if after_yen or inside or grouped:
                    new = "1"
            if new is not None:
                chars[i] = new
                changed = True
    return "".join(chars)


# --- Katakana look-alikes ---------------------------------------------------

# Kanji and hiragana that OCR returns for the katakana they look like.
_KANA_LOOKALIKES = {
    "力": "カ",
    "卜": "ト",
    "口": "ロ",
    "工": "エ",
    "二": "ニ",
    "夕": "タ",
    "一": "ー",
    "八": "ハ",
    "才": "オ",
    "へ": "ヘ",
    "べ": "ベ",
    "ぺ": "ペ",
    "り": "リ",
}
_DASHES = "-‐‑‒–—―−~〜"


def is_katakana(ch: str) -> bool:
    """Katakana letters and the long-vowel mark (not the middle dot ・)."""
    return "\u30a1" <= ch <= "\u30fa" or ch in "ーヽヾ"


def canonical_katakana(text: str) -> str:
    """Replace look-alike kanji, hiragana and dashes next to katakana by the katakana.

    ``ギフ卜力一ド`` and ``ギフトカ-ド`` both become ``ギフトカード`` so a fuzzy
    match only has to forgive real misreadings.  Characters away from katakana
    are kept (``一丁目``, ``入口``), since there they are probably right.
    """
    chars = list(text)
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(chars):
            target = _KANA_LOOKALIKES.get(c)
            if target is None and c in _DASHES:
                # A dash is a long-vowel mark only between two katakana.
                if 0 < i < len(chars) - 1 and is_katakana(chars[i - 1]) and is_katakana(chars[i + 1]):
                    target = "ー"
                if target is None:
                    continue
            elif target is None:
                continue
            else:
                left = i > 0 and is_katakana(chars[i - 1])
                right = i + 1 < len(chars) and is_katakana(chars[i + 1])
                if not (left or right):
                    continue
            chars[i] = target
            changed = True
    return "".join(chars)
