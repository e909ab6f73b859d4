"""Does a line say an Amazon gift card was bought?

The line that proves the purchase is spelled many ways (Amazonギフトカード,
Amazonギフト券, ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ, ＡＭＡＺＯＮ ＰＯＳＡ, ｱﾏｿﾞﾝ ﾊﾞﾘｱﾌﾞﾙ) and OCR garbles
it further (Arnazon, ギフ卜力一ド).  Two things must be near each other: the
Amazon brand and a gift-card word.  Lines that *pay* with a gift card (tender
rows, Amazon's balance rows) and other brands' cards are not purchases.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz import fuzz

from receipt_assistant.core.text import canonical_katakana

# How far apart (in characters) the brand and the gift word may be.
_MAX_GAP = 12


class _Hit(NamedTuple):
    score: float  # 0..1
    start: int
    end: int
    loose: bool = False  # a garbled form that counts only beside a strong gift-card word


def _fuzzy(needle: str, hay: str, threshold: float) -> _Hit | None:
    """Best window of ``hay`` within one OCR error of ``needle``."""
    n = len(needle)
    best: _Hit | None = None
    # OCR drops a character or splits one in two (italics especially).
    for size in (n - 1, n, n + 1, n + 2):
        if size < 2 or size > len(hay):
            continue
        for i in range(len(hay) - size + 1):
            window = hay[i : i + size]
            if window[0] not in needle and window[-1] not in needle:
                continue
            r = fuzz.ratio(needle, window)
            if r >= threshold and (best is None or r > best.score * 100):
                best = _Hit(r / 100, i, i + size)
    return best


def _latin_view(text: str) -> str:
    """Lower-case Latin with the usual letter confusions undone; same length."""
    low = text.lower()
    low = low.replace("rn", "m\0").replace("vv", "w\0")
    return low.translate(str.maketrans({"0": "o", "1": "l", "|": "l"}))


def _brand(canon: str) -> list[_Hit]:
    hits: list[_Hit] = []
    latin = _latin_view(canon)
    for m in re.finditer(r"[a-z\0]{4,}", latin):
        word = m.group().replace("\0", "")
        if word.startswith("amazon") or word.endswith("amazon"):
            k = m.group().find("amazon")
            hits.append(_Hit(1.0, m.start() + max(k, 0), m.start() + max(k, 0) + 6))
            continue
        h = _fuzzy("amazon", word, 80)
        if h:
            hits.append(_Hit(h.score, m.start() + h.start, m.start() + h.end))
    # A slip's narrow column or a crop can cut the name: "ZON POSA", "AMAZ".
    for m in re.finditer(r"(?<![a-z\0])[a-z]{3,7}(?![a-z\0])", latin):
        w = m.group()
        if w != "amazon" and ("amazon".startswith(w) or "amazon".endswith(w)):
            hits.append(_Hit(0.5, m.start(), m.end()))
        elif len(w) > 4:  # or followed by a letter of debris (a quote read as t: "azont")
            part = next((p for p in _AMAZON_PARTS if w.startswith(p) and len(w) - len(p) <= 2), None)
            if part is not None:
                hits.append(_Hit(0.5, m.start(), m.start() + len(part)))
    # Half-width ｱﾏｿﾞﾝ comes back with its dakuten as a letter of its own.
    for m in re.finditer(r"アマ[ゾソ]{1,2}ー?[ンソ]", canon):
        hits.append(_Hit(1.0 if m.group() == "アマゾン" else 0.85, m.start(), m.end()))
    if not hits:
        hits.extend(_Hit(score, m.start(), m.end(), loose=True) for pattern, score in _HALF_WIDTH_BRAND
                    for m in pattern.finditer(canon))
    if not hits:
        h = _fuzzy("アマゾン", canon, 75)
        if h:
            hits.append(h)
    return hits


# Four or five letters of the name in a row, longest first.
_AMAZON_PARTS = ("amazo", "mazon", "amaz", "mazo", "azon")

# ｱﾏｿﾞﾝ in a till's narrow half-width letters, as OCR garbles it (they only
# count next to a gift-card word). Read widened, ｿﾞ turns into any one or two
# letters (ｿ and its voicing mark: ソリ, フリ, ンゾ, ソレ) and ｱ may come back
# small; read at its own width, ﾏ merges into ｱ and ﾝ is read as ッ.
_HALF_WIDTH_BRAND: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"[アァ]マ[ァ-ヺ\"“”'`~〜]{1,2}?ー?ン"), 0.75),
    (re.compile(r"ア[ァ-ヺ]?[ゾヅ][ッツ]"), 0.7),
)

# Gift words: strong ones name a gift card; weak ones only do next to the brand
# on a till slip (an item column too narrow for the full name).
_STRONG_TERMS = ("ギフトカード", "バリアブル", "ギフトコード")
_STRONG_RE = re.compile(
    r"ギフ.?[券巻劵]|ギ.{1,2}ト[券巻劵]|(?i:posa)|(?i:gift\s*(?:card|certificate|code|voucher))"
    # ｷﾞﾌﾄｶｰﾄﾞ read with its dakuten lost or split off: キーフトカート
    # (ｶ narrow enough to pass for the hiragana か).
    r"|[ギキ]ー?フ[トド][カ力か]ー?[ドト]"
    # A kiosk sheet (Loppi, Famiポート) names the card by the kiosk: "Loppi Amazonギフト".
    r"|(?i:loppi|famiport|fami\s?ポート)|ファミ?ポート|ロッ[ピビ]ー"
)
# ｷﾞﾌﾄｶｰﾄﾞ right after a clearly read Amazon, garbled past the gift-card
# words above: its tail ﾌﾄｶｰﾄﾞ with ｷﾞ read as Latin debris ("f 7トかカド"), or
# only ｶｰﾄﾞ left after one to three letters of debris ("Amazonも刈-ド").
_HALF_READ_TAIL = re.compile(r"\s?[^\u30a0-\u30ff\u4e00-\u9fff]{0,3}?[フ7]ト[カ力か刈]{1,2}ー?[ドト]")
_HALF_READ_CARD = re.compile(r"\s?([^\s\d¥\\]{1,3})[カ力か刈][ー\-−一~]?[ドト]")


def _half_read_gift_word(canon: str, brands: list[_Hit]) -> float:
    """Score of a garbled ｷﾞﾌﾄｶｰﾄﾞ directly after a clear brand, else 0.

    Debris holds no kanji, and before ｶｰﾄﾞ it holds a letter that is not
    katakana and is not the particle の, so a real word in between
    (Amazonアプリカード, Amazon紙カード, Amazonのカード) does not count.
    """
    best = 0.0
    for b in brands:
        if b.loose or b.score < 0.8:
            continue
        if _HALF_READ_TAIL.match(canon, b.end):
            best = max(best, 0.5 * b.score + 0.5 * 0.75)
            continue
        m = _HALF_READ_CARD.match(canon, b.end)
        debris = m.group(1) if m else ""
        if (m and debris != "の" and any(not ("\u30a0" <= c <= "\u30ff") for c in debris)
                and not any("\u4e00" <= c <= "\u9fff" for c in debris)):
            best = max(best, 0.5 * b.score + 0.5 * 0.7)
    return best


# The tail of ｷﾞﾌﾄｶｰﾄﾞ with its middle garbled (フト#ド, フトォード, フト#カード)
# counts as weak too: like ギフト alone it needs the brand beside it.
_WEAK_RE = re.compile(r"[ギキ]フト|ギフ|チャージ|(?i:gift)|フト[^\s\d¥\\]{1,3}?ド")
# ｶｰﾄﾞ alone (カート, カ-ド): a card word only on a row priced like a gift card (see match_gift_card_row).
_CARD_WORD = re.compile(r"[カ力か][ー\-−一]?[ドト]")
_TYPE_RE = re.compile(r"(?:Eメール|メール|印刷|チャージ|ボックス|封筒|カード|シート|ギフトボックス)タイプ|(?i:e-?mail|print)")


def _terms(canon: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for term in _STRONG_TERMS:
        h = _fuzzy(term, canon, 80)
        if h:
            hits.append(h)
    # The Latin view keeps offsets, so "P0SA" is found as "posa" in place.
    latin = _latin_view(canon)
    for view in (canon, latin):
        for m in _STRONG_RE.finditer(view):
            hits.append(_Hit(1.0, m.start(), m.end()))
    if not hits:
        for m in _WEAK_RE.finditer(canon):
            hits.append(_Hit(0.7, m.start(), m.end()))
    return hits


_OTHER_BRANDS = re.compile(
    r"(?i:itunes|apple|app\s*store|google|jcb|quo|nanaco|web\s*money|\bline\b|rakuten|nintendo|"
    r"playstation|\bpsn\b|steam|xbox|vanilla|\bvisa\b|master\s*card|\bedy\b|suica|waon|bitcash|"
    r"uber|netflix|spotify|hulu|\bdmm\b|u-next|abema|pokemon|mobage)"
    r"|クオ|ナナコ|ウェブマネー|ライン|楽天|ニンテンドー|任天堂|プレイステーション|プレステ|Vプリカ|"
    r"バニラ|アップル|グーグル|図書|ビットキャッシュ|ポケモン|商品券"
)

_PAYMENT = re.compile(
    r"残高(?!へ?に?の?(?:追加|チャージ|入金))|の金額|ショッピ|(?:券|カード)・(?i:amazon)|支払|払込|払い込|"
    r"利用|使用|充当|預[りリか]|釣|決済|引落|還元|[-−▲△][¥\\]\s?\d|"
    r"(?i:paid|payment|balance|applied|redeem|tender)"
)

# Site navigation (a screenshot of the order page rather than the receipt).
_NAVIGATION = re.compile(r"カートに入れ|アカウント&リスト|アカウントサービス|タイムセール|ベストセラー|注文履歴|お届け先|ランキング|ログイン|検索")


def is_payment_line(text: str) -> bool:
    """True for lines that pay *with* a card or balance, not buy one.

    ``お支払い方法: Amazonギフトカード``, ``Amazonギフト券・Amazonショッピングカード
    の金額: -¥ 1,000`` and ``ギフト券残高`` record how an order was paid; the
    チャージタイプ product name's 「残高追加」 is a purchase and is not matched.
    """
    return _PAYMENT.search(canonical_katakana(text)) is not None


def is_other_brand(text: str) -> bool:
    """A card of another issuer (iTunes, Google Play, QUO, JCB, ...)."""
    return _OTHER_BRANDS.search(canonical_katakana(text)) is not None


def match_brand(text: str) -> float | None:
    """How surely the text names Amazon (0..1), or None."""
    hits = _brand(_squeeze_letters(canonical_katakana(text)))
    return max(h.score for h in hits) if hits else None


def match_gift_card(text: str, *, amazon_page: bool = False) -> float | None:
    """Score (0..1) that ``text`` is an item line for an Amazon gift card, else None.

    Needs the Amazon brand and a gift-card word close together, so neither a
    stray ``Amazon.co.jp`` header nor another issuer's ``ギフトカード`` counts.
    ``amazon_page`` says the page is an Amazon order: its item names are set in
    italics, which OCR often turns into noise ("Aヵazoロ0ギフトカード"), so there
    a gift-card word after Latin-looking debris, or with a card type, is enough.
    """
    canon = canonical_katakana(text)
    if _PAYMENT.search(canon) or _OTHER_BRANDS.search(canon) or _NAVIGATION.search(canon):
        return None
    score = _pair_score(canon)
    if score is None and amazon_page:
        score = _garbled_item_score(canon)
    return score


def _garbled_item_score(canon: str) -> float | None:
    terms = [t for t in _terms(canon) if t.score >= 0.7 and not canon[t.start : t.end].isascii()]
    for t in terms:
        before = canon[max(0, t.start - 10) : t.start]
        debris = sum(c.isascii() and c.isalpha() for c in before) >= 3
        typed = re.search(r"タイプ|(?i:type)", canon[t.end : t.end + 20]) is not None
        # A half-read gift word needs both signs; a clear one needs either.
        if debris and typed:
            return 0.7
        if t.score >= 0.8 and (debris or typed):
            return 0.65
    return None


def mentions_gift_card(text: str) -> bool:
    """The line names an Amazon gift card, whether it buys one or pays with one."""
    canon = canonical_katakana(text)
    return not _OTHER_BRANDS.search(canon) and _pair_score(canon) is not None


def match_gift_card_row(readings: Sequence[str], *, brand_alone: bool = False,
                        untaxed_price: bool = False) -> float | None:
    """Score that several readings of one slip row, taken together, name an Amazon gift card.

    Each pass garbles a till's narrow letters differently: one reads the brand
    (ｱﾏｿﾞﾝ as ァマンーン) and loses the card word, another reads the card word
    (ｷﾞﾌﾄ券 as ギ7ト券) and loses the brand. A row is one item's name, so the
    brand in one reading and the gift word in another make the pair. Any
    reading that pays with a card or names another issuer rules the row out.
    ``brand_alone`` lets a clearly read brand with no gift word count at half
    weight, as a priced item row of a slip that names Amazon and nothing else.
    ``untaxed_price``: the row prints a card's price marked untaxed (非), as a
    gift card is; then a garbled brand (アマヅ…) in one reading and a gift word
    or ｶｰﾄﾞ in another make the pair, which without the price needs a clear word.
    """
    seen = [_row_reading(t) for t in readings]
    if any(ruled_out for ruled_out, _, _ in seen):
        return None
    brands = [h for _, found, _ in seen for h in found]
    terms = [h for _, _, found in seen for h in found]
    best = _best_pair(brands, terms, max_gap=None)
    if not best and untaxed_price:
        # ｶｰﾄﾞ alone (カート, カ-ド) names a card there too, and a Latin word of
        # the name's length, nearer AMAZON than any other issuer, names the brand.
        cards = [_Hit(0.6, m.start(), m.end()) for t in readings
                 for m in _CARD_WORD.finditer(canonical_katakana(t))]
        brands = brands + [h for t in readings for h in _garbled_latin_brand(t) + _garbled_kana_brand(t)]
        best = 0.85 * _best_pair([b._replace(loose=False) for b in brands], terms + cards, max_gap=None)
    if not best and brand_alone:
        best = max((0.5 * b.score for b in brands if not b.loose and b.score >= 0.8), default=0.0)
    return round(best, 3) if best else None


# Other issuers' Latin names, to tell a garbled AMAZON from a garbled one of theirs.
_OTHER_LATIN = ("itunes", "apple", "google", "rakuten", "nintendo", "playstation", "steam", "xbox", "vanilla",
                "netflix", "spotify", "webmoney", "bitcash", "pokemon", "line", "uber", "hulu", "abema")


def _garbled_latin_brand(text: str) -> list[_Hit]:
    """A Latin word five to seven letters long, two thirds AMAZON and nearer it than any other issuer (AMNMON)."""
    hits = []
    latin = _latin_view(_squeeze_letters(canonical_katakana(text)))
    for m in re.finditer(r"[a-z]{5,9}", latin):
        run = m.group()
        if any(fuzz.ratio(other, run) >= 65 for other in _OTHER_LATIN):
            continue
        # Letters of debris may stick to either end ("amnmonf").
        windows = [(run[i:j], i) for i in range(len(run)) for j in range(i + 5, min(len(run), i + 7) + 1)]
        near, i = max(((fuzz.ratio("amazon", w), i) for w, i in windows), default=(0.0, 0))
        if near >= 65 and all(fuzz.ratio(other, run) < near for other in _OTHER_LATIN):
            hits.append(_Hit(0.6, m.start() + i, m.start() + i + 6))
    return hits


# ｱﾏｿﾞﾝ (five narrow glyphs, its voicing mark one of them) garbled to three to five letters, ア first
# (or its narrow form's look-alike 7) and ッ, ツ or ン last, right before the gift word (アゲッギ2ト券,
# 7アッギフト, アパゾアッギフト).
_KANA_BRAND_BEFORE_WORD = re.compile(r"[ア7][ァ-ヺ]{1,3}[ッツン](?=\s?[ギキ])")


def _garbled_kana_brand(text: str) -> list[_Hit]:
    """ｱﾏｿﾞﾝ as a till's narrow letters come back, right before the card word, on a row no other issuer names."""
    canon = canonical_katakana(text)
    return [_Hit(0.6, m.start(), m.end()) for m in _KANA_BRAND_BEFORE_WORD.finditer(canon)]


@functools.lru_cache(maxsize=4096)
def _row_reading(text: str) -> tuple[bool, tuple[_Hit, ...], tuple[_Hit, ...]]:
    """One reading of a row: whether it rules the row out, its brand hits and its gift-word hits.

    Kept, since each reading is weighed in several rows' groups and passes.
    """
    canon = _squeeze_letters(canonical_katakana(text))
    if _PAYMENT.search(canon) or _OTHER_BRANDS.search(canon) or _NAVIGATION.search(canon):
        return True, (), ()
    brands, terms = _brand(canon), _terms(canon)
    # The name matched by its shape (see _SAME_SHAPE): a loose brand, a gift word that needs a clear one.
    shape_brand, shape_terms = _shape_hits(canon)
    if not brands and shape_brand is not None:
        brands.append(shape_brand)
    if not terms:
        terms.extend(_Hit(0.7, t.start, t.end) for t in shape_terms)
    return False, tuple(brands), tuple(terms)


def _best_pair(brands: Sequence[_Hit], terms: Sequence[_Hit], *, max_gap: int | None) -> float:
    """The best score of a brand and a gift word (a loose brand only beside a clear word), within ``max_gap``."""
    best = 0.0
    for b in brands:
        for t in terms:
            if b.loose and t.score < 0.8:
                continue
            if max_gap is None or max(t.start - b.end, b.start - t.end, 0) <= max_gap:
                best = max(best, 0.5 * b.score + 0.5 * t.score)
    return best


def _squeeze_letters(text: str) -> str:
    """Join Latin letters OCR spaced out one by one: "A M A Z 0 N" → "AMAZ0N"."""
    return re.sub(r"(?<![A-Za-z0-9])(?:[A-Za-z0-9] ){3,}[A-Za-z0-9](?![A-Za-z0-9])",
                  lambda m: m.group().replace(" ", ""), text)


# A till prints the card's name in half-width katakana, whose voicing marks
# are glyphs of their own: OCR drops them or reads them as punctuation, and
# mistakes the narrow letters for their look-alikes (ｿ ﾂ ﾝ ｼ ｯ; ｱ for 7; ｶ for
# 力 or か). In this view of a line all of those are one letter, so the name
# is matched by its shape: アマソソ for アマゾン, キフトカート for ギフトカード.
_SAME_SHAPE = str.maketrans({
    "ツ": "ソ", "ン": "ソ", "シ": "ソ", "ッ": "ソ", "ノ": "ソ",
    "ァ": "ア", "7": "ア", "ィ": "イ", "力": "カ", "か": "カ", "卜": "ト",
    "一": "ー", "-": "ー", "−": "ー", "~": "ー", "〜": "ー",
})
_VOICING_MARKS = re.compile(r"[\u3099\u309a゛゜ﾞﾟ。、・`'\"“”]")
_SHAPE_BRAND = "アマソソ"
_SHAPE_TERMS = ("キフトカート", "ハリアフル")
_SHAPE_TICKET = re.compile(r"キフト[券巻劵]")  # ギフト券: too short to be one letter off


def _shape_view(canon: str) -> str:
    """The line with voicing marks dropped and look-alike letters made one."""
    return _VOICING_MARKS.sub("", unicodedata.normalize("NFD", canon)).translate(_SAME_SHAPE)


def _shape_hits(canon: str) -> tuple[_Hit | None, list[_Hit]]:
    """The brand (loose, 0.7) and the gift words (0.8 of their likeness) matched by their shapes, in the shape view.

    Each may be one letter off (ギフト券, too short for that, only whole).
    A brand that lost its マ, the one letter of its shape other issuers'
    names do not share, is one letter off only in that letter's place
    (アイソソ): ｱｯﾌﾟﾙ garbled to アッゥッ (アソゥソ) is as near otherwise.
    """
    view = _shape_view(canon)
    brand = _fuzzy(_SHAPE_BRAND, view, 75)
    if brand is not None and "マ" not in view[brand.start : brand.end] and not _one_letter_swapped(
            view[brand.start : brand.end], _SHAPE_BRAND):
        brand = None
    terms = [t for t in (_fuzzy(term, view, 80) for term in _SHAPE_TERMS) if t is not None]
    terms += [_Hit(1.0, m.start(), m.end()) for m in _SHAPE_TICKET.finditer(view)]
    return (None if brand is None else _Hit(0.7, brand.start, brand.end, loose=True),
            [_Hit(0.8 * t.score, t.start, t.end) for t in terms])


def _one_letter_swapped(window: str, name: str) -> bool:
    """``window`` is ``name`` with one letter read as another, in its place."""
    return len(window) == len(name) and sum(a != b for a, b in zip(window, name, strict=True)) <= 1


def _shape_pair_score(canon: str) -> float:
    """Score of the brand and a gift word matched by their shapes (see _SAME_SHAPE), else 0.

    Both must be there, close together, so this counts only what a clear
    reading would have paired.
    """
    brand, terms = _shape_hits(canon)
    if brand is None:
        return 0.0
    return _best_pair([brand._replace(loose=False)], terms, max_gap=_MAX_GAP)


def _pair_score(canon: str) -> float | None:
    canon = _squeeze_letters(canon)
    brands = _brand(canon)
    best = _best_pair(brands, _terms(canon), max_gap=_MAX_GAP)
    if best == 0.0:
        best = _half_read_gift_word(canon, brands)
    if best == 0.0:
        best = _shape_pair_score(canon)
    if best == 0.0:
        return None
    if _TYPE_RE.search(canon):
        best = min(1.0, best + 0.05)
    return round(best, 3)
