"""Shop slips as thermal POS printers really print them, with consistent arithmetic.

The older generator in ``slip.py`` draws tidy text that Tesseract reads
almost perfectly, so a reader tuned on it learns nothing about real slips.
Here a slip is printed the way a receipt printer does it: a grid of dots
(8 per mm), a 24-dot gothic font made heavier by striking each dot twice,
double-width and double-height rows made by repeating dots (so the total
row comes out blocky and bold), a picture logo, barcodes and QR codes; and
its content follows the chains' layouts: yen before the number, price marks
(軽, *, ※, 外, (非)), 内税 and 外税 blocks, payment rows that repeat the
total, the cash handed over and the change, an attached credit-card slip,
point and coupon dates that are not the purchase date, adverts below the
total. Every money row comes from one ledger, so the slip's own sums hold:
items less discounts (plus 外税) make the total, cash less change makes it,
the 内税 bases add up to it, and a payment row repeats it.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from receipt_assistant.synth import data, fonts
from receipt_assistant.synth.model import Truth, choose_weighted, random_date, reiwa, weekday, yen

# ---------------------------------------------------------------- vocabulary

# Chains by family, in the spirit of the real ones (branches are made up).
# ``gift``: the family sells Amazon gift cards; ``pay``: payment habits.
FAMILIES: dict[str, dict[str, Any]] = {
    "cvs": {"weight": 5, "gift": True, "long": False, "outer": 0.0},
    "hundred": {"weight": 1.5, "gift": False, "long": False, "outer": 1.0},
    "drug": {"weight": 2.5, "gift": True, "long": True, "outer": 0.5},
    "super": {"weight": 2.5, "gift": True, "long": True, "outer": 0.6},
}

REAL_CHAINS: list[dict[str, Any]] = [
    {"name": "セブン-イレブン", "family": "cvs", "logo": ["7-ELEVEn", "セブン-イレブン"], "kiosk": None,
     "oazukari_goukei": False},
    {"name": "ファミリーマート", "family": "cvs", "logo": ["FamilyMart", "ファミリーマート"], "kiosk": "Famiポート",
     "oazukari_goukei": False},
    {"name": "ローソン", "family": "cvs", "logo": ["LAWSON", "ローソン"], "kiosk": "Loppi", "oazukari_goukei": True},
    {"name": "ミニストップ", "family": "cvs", "logo": ["MINISTOP"], "kiosk": None, "oazukari_goukei": False},
    {"name": "デイリーヤマザキ", "family": "cvs", "logo": ["DailyYAMAZAKI"], "kiosk": None, "oazukari_goukei": False},
    {"name": "ローソンストア100", "family": "hundred", "logo": ["LAWSON STORE100"], "kiosk": None,
     "oazukari_goukei": True},
    {"name": "ダイソー", "family": "hundred", "logo": ["DAISO"], "kiosk": None, "oazukari_goukei": False},
    {"name": "セリア", "family": "hundred", "logo": ["Seria"], "kiosk": None, "oazukari_goukei": False},
    {"name": "ウエルシア", "family": "drug", "logo": ["welcia", "ウエルシア"], "kiosk": None, "oazukari_goukei": False},
    {"name": "マツモトキヨシ", "family": "drug", "logo": ["matsukiyo", "マツモトキヨシ"], "kiosk": None,
     "oazukari_goukei": False},
    {"name": "ツルハドラッグ", "family": "drug", "logo": ["TSURUHA", "ツルハドラッグ"], "kiosk": None,
     "oazukari_goukei": False},
    {"name": "スギ薬局", "family": "drug", "logo": ["スギ薬局"], "kiosk": None, "oazukari_goukei": False},
    {"name": "イオン", "family": "super", "logo": ["AEON", "イオン"], "kiosk": None, "oazukari_goukei": False},
    {"name": "イトーヨーカドー", "family": "super", "logo": ["IY", "イトーヨーカドー"], "kiosk": None,
     "oazukari_goukei": False},
    {"name": "西友", "family": "super", "logo": ["SEIYU", "西友"], "kiosk": None, "oazukari_goukei": False},
    {"name": "ライフ", "family": "super", "logo": ["LIFE", "ライフ"], "kiosk": None, "oazukari_goukei": False},
]

# Items per family: (name, unit price as printed, reduced rate 8 %).
CVS_ITEMS = [
    ("おにぎり 鮭", 160, True), ("ﾂﾅﾏﾖおにぎり", 138, True), ("緑茶 600ml", 140, True), ("ｺｰﾋｰR", 120, True),
    ("ﾎｯﾄｺｰﾋｰL", 180, True), ("天然水 550ml", 108, True), ("ミックスサンド", 298, True),
    ("からあげクン", 238, True), ("幕の内弁当", 550, True), ("ｶﾌｪﾗﾃ", 196, True), ("ﾁｮｺﾊﾞｰ", 128, True),
    ("ポテトチップス", 158, True), ("ﾌﾟﾘﾝ", 183, True), ("ﾒﾛﾝﾊﾟﾝ", 145, True), ("ﾚｼﾞ袋 M", 3, False),
    ("ﾎﾞｰﾙﾍﾟﾝ 黒", 165, False), ("単3ｱﾙｶﾘ 4本", 528, False), ("ﾏｽｸ 7枚", 327, False), ("週刊誌", 450, False),
    ("ライター", 138, False), ("ﾏﾙﾁｺﾋﾟｰ", 10, False), ("ｺﾞﾐ袋 45L", 298, False),
]
HUNDRED_ITEMS = [
    ("収納ボックス", 100), ("ｷｯﾁﾝｽﾎﾟﾝｼﾞ", 100), ("ﾏｽｷﾝｸﾞﾃｰﾌﾟ", 100), ("ﾌｫﾄﾌﾚｰﾑ", 100), ("ﾒﾓ帳 A6", 100),
    ("ｹｰﾌﾞﾙﾀｲ", 100), ("USBｹｰﾌﾞﾙ", 300), ("ﾊﾝｶﾞｰ 5P", 100), ("園芸用土", 100), ("ﾀｯﾊﾟｰ 3P", 100),
    ("ﾏｸﾞｶｯﾌﾟ", 200), ("ﾗﾝﾁｮﾝﾏｯﾄ", 100), ("ﾃｨｯｼｭｹｰｽ", 100), ("電池ﾎﾞﾀﾝ", 100), ("ﾌﾞｯｸｴﾝﾄﾞ", 100),
]
DRUG_ITEMS = [
    ("ﾛｷｿﾆﾝS 12錠", 648, False), ("目薬 ｸｰﾙ", 498, False), ("ﾊﾝﾄﾞｿｰﾌﾟ詰替", 254, False),
    ("ｼｬﾝﾌﾟｰ 詰替", 398, False), ("ﾎﾞﾃﾞｨｿｰﾌﾟ", 428, False), ("歯磨き粉", 198, False), ("ﾄｲﾚｯﾄﾍﾟｰﾊﾟｰ12R", 498, False),
    ("ﾃｨｯｼｭ 5箱", 328, False), ("洗濯洗剤", 358, False), ("ﾏｽｸ 50枚", 598, False), ("ﾋﾞﾀﾐﾝC", 880, False),
    ("ﾘｯﾌﾟｸﾘｰﾑ", 380, False), ("ｻﾗﾀﾞﾁｷﾝ", 198, True), ("牛乳 1L", 228, True), ("ﾖｰｸﾞﾙﾄ", 158, True),
    ("食パン 6枚", 168, True), ("ｶｯﾌﾟ麺", 128, True), ("お茶 2L", 158, True), ("ﾌﾟﾛﾃｲﾝﾊﾞｰ", 148, True),
]
SUPER_ITEMS = [
    ("国産豚ﾛｰｽ", 498, True), ("若鶏もも肉", 386, True), ("ｷｬﾍﾞﾂ", 198, True), ("たまねぎ 3玉", 258, True),
    ("にんじん", 158, True), ("ﾊﾞﾅﾅ", 178, True), ("卵 10個", 258, True), ("豆腐", 68, True), ("納豆 3P", 98, True),
    ("牛乳", 215, True), ("食パン", 138, True), ("鮭切身", 398, True), ("ﾋﾞｰﾙ 350ml", 218, False),
    ("ﾁｭｰﾊｲ 500ml", 178, False), ("ｷｯﾁﾝﾍﾟｰﾊﾟｰ", 298, False), ("食器用洗剤", 168, False), ("ｱｲｽｸﾘｰﾑ", 138, True),
    ("ﾖｰｸﾞﾙﾄ 4P", 128, True), ("冷凍餃子", 198, True), ("ｶﾚｰﾙｳ", 228, True), ("米 5kg", 2380, True),
    ("ﾄﾏﾄ", 298, True), ("ﾚｼﾞ袋", 5, False), ("醤油 1L", 298, True),
]

# Amazon gift-card lines in more ways than the older generator knows.
REAL_GIFT_FIXED = data.GIFT_SPELLINGS_FIXED + [
    "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ {amt}円", "POSA Amazon {amt}", "ＡＭＡＺＯＮギフトカード　{amt}", "Amazonｷﾞﾌﾄｶｰﾄﾞ",
    "ｱﾏｿﾞﾝ ｷﾞﾌﾄｶｰﾄﾞ", "AMAZON GIFT CARD",
]
REAL_GIFT_VARIABLE = data.GIFT_SPELLINGS_VARIABLE + [
    "ｱﾏｿﾞﾝｷﾞﾌﾄ ﾊﾞﾘｱﾌﾞﾙ", "Amazon ﾊﾞﾘｱﾌﾞﾙ POSA", "ＡＭＡＺＯＮ　ＰＯＳＡ　バリアブル",
]
EMONEY = ["nanaco", "WAON", "交通系IC", "PayPay", "電子マネー", "iD", "QUICPay", "楽天Edy", "d払い"]


@dataclass
class Item:
    name: str
    unit: int
    qty: int = 1
    tax: str = "10"  # "10" | "8" | "non"
    discount: int = 0  # yen off this line (printed as a row below it)

    @property
    def total(self) -> int:
        return self.unit * self.qty


@dataclass
class Ledger:
    """Every money value the slip prints, from which all its rows are written."""

    items: list[Item]
    tax_mode: str  # "inner" (prices include tax) | "outer" (tax added at the end)
    net: dict[str, int]  # per rate, items less discounts
    tax: dict[str, int]
    total: int
    cash: int | None = None
    change: int | None = None
    payment: str = "cash"  # cash | emoney | credit | giftcard | amazonpay
    method: str = ""
    paid_by_method: int | None = None  # the payment row's value
    slip_discount: tuple[str, int, int] | None = None  # (rate group, yen off, percent) after the 小計

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [[i.name, i.unit, i.qty, i.tax, i.discount] for i in self.items],
            "tax_mode": self.tax_mode, "net": dict(self.net), "tax": dict(self.tax), "total": self.total,
            "cash": self.cash, "change": self.change, "payment": self.payment, "method": self.method,
            "paid_by_method": self.paid_by_method, "slip_discount": self.slip_discount,
        }


@dataclass
class Row:
    """One printed row. ``size``: n, wide (double width), tall (double height), big (both)."""

    kind: str  # text | pair | rule | blank | logo | barcode | qr | box_top | box_bottom | cut
    left: str = ""
    right: str = ""
    align: str = "left"
    size: str = "n"
    bold: bool = False
    role: str = ""  # date | total | cash | change | payment | gift | card_amount | card_date | expiry | ...


@dataclass
class RealSlip:
    rows: list[Row]
    columns: int
    paper_mm: int
    chain: dict[str, Any]
    ledger: Ledger
    truth: Truth


# ---------------------------------------------------------------- helpers


def cells(text: str) -> int:
    """Printer cells of ``text``: full-width and ambiguous characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "FWA" else 1 for ch in text)


_FW = str.maketrans("0123456789,", "０１２３４５６７８９，")


def money(amount: int, style: str = "yen") -> str:
    """A yen amount the way slips print it; negative for discounts."""
    sign = "-" if amount < 0 else ""
    v = yen(abs(amount))
    return {"yen": f"{sign}¥{v}", "fwyen": f"{sign}￥{v}", "en": f"{sign}{v}円", "bare": f"{sign}{v}",
            "fw": f"{sign}￥{v.translate(_FW)}"}[style]


def spaced(text: str) -> str:
    return " ".join(text)


def _gift_variable(rng: random.Random) -> int:
    """A バリアブル card's value (1,500-50,000 yen): mostly round sums under 10,000."""
    r = rng.random()
    if r < 0.5:
        return rng.randrange(3, 21) * 500
    if r < 0.8:
        return rng.randrange(10, 51) * 1000
    return rng.randrange(1500, 50001)


def date_forms(d: dt.date, hh: int, mm: int) -> list[tuple[str, str, float]]:
    """The top date line in the forms real slips use: (text, name, weight)."""
    wd = weekday(d)
    return [
        (f"{d.year}年{d.month:02d}月{d.day:02d}日({wd}) {hh:02d}:{mm:02d}", "kanji-zero", 4),
        (f"{d.year}年{d.month:2d}月{d.day:2d}日 ({wd}) {hh:02d}:{mm:02d}", "kanji-padded", 3),
        (f"{d.year}年{d.month}月{d.day}日({wd}) {hh:02d}:{mm:02d}", "kanji", 2),
        (f"{d.year}/{d.month:02d}/{d.day:02d}({wd}) {hh:02d}:{mm:02d}", "slash-wd", 3),
        (f"{d.year}/{d.month:02d}/{d.day:02d} {hh:02d}:{mm:02d}", "slash", 1.5),
        (f"{d.year % 100:02d}-{d.month:02d}-{d.day:02d} {hh:02d}:{mm:02d}", "yy-mm-dd", 1.2),
        (f"令和{reiwa(d.year)}年{d.month}月{d.day}日({wd}) {hh:02d}:{mm:02d}", "reiwa", 1),
        (f"{d.year}年{d.month:02d}月{d.day:02d}日 {hh:02d}時{mm:02d}分", "kanji-jikan", 0.8),
    ]


def _cash(rng: random.Random, total: int) -> int:
    if rng.random() < 0.25:
        return total
    step = choose_weighted(rng, [(10, 1), (100, 2), (500, 1), (1000, 4), (5000, 1.5), (10000, 1)])
    cash = -(-total // step) * step
    if cash == total and rng.random() < 0.5:
        cash += step
    return cash


# ---------------------------------------------------------------- ledger


def _pick_items(rng: random.Random, family: str, n: int) -> list[Item]:
    out = []
    for _ in range(n):
        if family == "hundred":
            name, price = rng.choice(HUNDRED_ITEMS)
            reduced = False
        else:
            pool = {"cvs": CVS_ITEMS, "drug": DRUG_ITEMS, "super": SUPER_ITEMS}[family]
            name, price, reduced = rng.choice(pool)
        qty = choose_weighted(rng, [(1, 10), (2, 1.2), (3, 0.4)])
        out.append(Item(name, price, qty, "8" if reduced else "10"))
    return out


def build_ledger(rng: random.Random, family: str, mode: str, chain: dict[str, Any],
                 notes: list[str]) -> tuple[Ledger, str | None]:
    """Items, tax and payment for one slip; returns the ledger and the gift line printed."""
    items: list[Item] = []
    gift_line = None
    if mode == "gift":
        kiosk = chain["kiosk"] if chain["kiosk"] and rng.random() < 0.3 else None
        if kiosk:
            amt = rng.choice([3000, 5000, 10000]) if rng.random() < 0.4 else _gift_variable(rng)
            gift_line = rng.choice(data.GIFT_SPELLINGS_KIOSK[kiosk])
            notes.append(f"{kiosk} kiosk sheet")
        elif rng.random() < 0.6:
            amt = rng.choice([3000, 5000, 10000])
            gift_line = rng.choice(REAL_GIFT_FIXED).format(amt=amt)
            notes.append("fixed POSA")
        else:
            amt = _gift_variable(rng)
            gift_line = rng.choice(REAL_GIFT_VARIABLE)
            notes.append("variable POSA")
        items.append(Item(gift_line, amt, 2 if rng.random() < 0.08 and amt <= 10000 else 1, "non"))
    elif mode == "other_brand":
        name, brand = rng.choice(data.OTHER_CARDS)
        amt = rng.choice([1000, 1500, 3000, 5000, 10000]) if rng.random() < 0.7 else _gift_variable(rng)
        items.append(Item(name, amt, 1, "non"))
        notes.append(f"other brand card: {brand}")
    long = FAMILIES[family]["long"]
    if mode in ("gift", "other_brand"):
        n_extra = choose_weighted(rng, [(0, 4), (1, 3), (2, 2), (4, 1)] + ([(9, 1.5), (16, 1.5)] if long else []))
    else:
        n_extra = rng.randint(2, 6) if not long else rng.randint(8, 26)
    items += _pick_items(rng, family, n_extra)
    if mode == "paid_with_giftcard" and sum(i.total for i in items) < 2000:
        items.append(Item("ﾌﾟﾛﾃｲﾝ 1kg" if family != "hundred" else "収納ﾗｯｸ", 3980 if family != "hundred" else 500,
                          1, "10"))
    if len(items) > 2 and rng.random() < 0.5:
        head, rest = items[:1], items[1:]
        rng.shuffle(rest)
        items = rest[:len(rest) // 2] + head + rest[len(rest) // 2:] if rng.random() < 0.5 else head + rest
    # Discounts on some everyday lines (supermarkets and drugstores mostly).
    for it in items:
        if it.tax != "non" and it.total >= 100 and rng.random() < (0.25 if family in ("super", "drug") else 0.05):
            it.discount = min(it.total - 1, rng.choice([10, 20, 30, 50, 100, it.total // 5]))
    outer = family != "cvs" and rng.random() < FAMILIES[family]["outer"]
    net = {r: sum(i.total - i.discount for i in items if i.tax == r) for r in ("10", "8", "non")}
    net = {r: v for r, v in net.items() if v}
    # A discount on the whole purchase (member day, a coupon) after the 小計,
    # taken off the larger taxed group, so the 小計 printed is not the total.
    slip_discount: tuple[str, int, int] | None = None
    taxed = [r for r in ("8", "10") if net.get(r, 0) >= 200]
    if family in ("super", "drug") and taxed and rng.random() < 0.3:
        r = max(taxed, key=lambda k: net[k])
        pct = rng.choice([3, 5, 10])
        slip_discount = (r, net[r] * pct // 100, pct)
        net[r] -= slip_discount[1]
        notes.append("discount on the whole purchase")
    if outer:
        tax = {r: v * int(r) // 100 for r, v in net.items() if r != "non"}
        total = sum(net.values()) + sum(tax.values())
    else:
        tax = {r: v * int(r) // (100 + int(r)) for r, v in net.items() if r != "non"}
        total = sum(net.values())
    ledger = Ledger(items, "outer" if outer else "inner", net, tax, total, slip_discount=slip_discount)

    if mode == "paid_with_giftcard":
        if rng.random() < 0.5:
            ledger.payment, ledger.method = "amazonpay", "Amazon Pay"
            ledger.paid_by_method = total
            notes.append("paid with Amazon Pay")
        else:
            ledger.payment = "giftcard"
            ledger.method = rng.choice(["JCBｷﾞﾌﾄｶｰﾄﾞ", "VJAｷﾞﾌﾄｶｰﾄﾞ", "全国百貨店共通商品券", "ｷﾞﾌﾄｶｰﾄﾞ"])
            ledger.paid_by_method = min(total, 1000 * max(1, min(5, total // 1000)))
            rest = total - ledger.paid_by_method
            if rest:
                ledger.cash = _cash(rng, rest)
                ledger.change = ledger.cash - rest
            notes.append("gift card used as payment")
        return ledger, gift_line
    how = choose_weighted(rng, [("cash", 6 if mode == "gift" else 4), ("emoney", 2), ("credit", 2)])
    if how == "cash":
        ledger.cash = _cash(rng, total)
        ledger.change = ledger.cash - total
    else:
        ledger.payment = how
        ledger.method = rng.choice(EMONEY) if how == "emoney" else "クレジット"
        ledger.paid_by_method = total
    return ledger, gift_line


# ---------------------------------------------------------------- rows


def _price_text(rng: random.Random, it: Item, style: str, marks: dict[str, str], amount: int | None = None) -> str:
    v = it.total if amount is None else amount
    if it.tax == "non":
        return money(v, style) + marks["non"]
    if it.tax == "8":
        m = marks["8"]
        if m == "*":
            return "*" + money(v, "bare")
        return money(v, style) + m
    m = marks["10"]
    if m == "外前":  # this printer puts the mark before the price: 外¥100
        return "外" + money(v, style)
    return money(v, style) + m


def compose(rng: random.Random, mode: str = "gift", family: str | None = None) -> RealSlip:
    """A whole slip: header, items, totals, payment, extras. ``mode``: gift | plain | other_brand |
    paid_with_giftcard."""
    fams = [(f, v["weight"]) for f, v in FAMILIES.items() if mode != "gift" or v["gift"]]
    family = family or choose_weighted(rng, fams)
    chain = rng.choice([c for c in REAL_CHAINS if c["family"] == family])
    paper_mm = 80 if rng.random() < 0.8 else 58
    columns = 48 if paper_mm == 80 else 32
    notes: list[str] = [f"{family} slip", f"{paper_mm} mm paper"]
    ledger, gift_line = build_ledger(rng, family, mode, chain, notes)
    d = random_date(rng)
    hh, mm = rng.randint(6, 23), rng.randrange(60)
    style = "yen" if rng.random() < 0.78 else ("fwyen" if rng.random() < 0.6 else "en")
    if family == "drug" and rng.random() < 0.3:
        style = "en"
    marks = {"8": rng.choice(["軽", "軽", "*", "※", " 軽"]), "10": rng.choice(["", "", "", "外" if ledger.tax_mode == "outer"
                                                                                 else ""]),
             "non": rng.choice(["(非)", "非", " 非", "※"])}
    if marks["10"] == "外" and rng.random() < 0.5:
        marks["10"] = "外前"
    if family == "hundred" and ledger.tax_mode == "outer":
        marks["10"] = rng.choice(["外", "外前"])
    rows: list[Row] = []
    add = rows.append
    ms = functools.partial(money, style=style)
    doubles: list[str] = []

    # Header: the logo picture, branch, address, phone, registration number.
    add(Row("logo", rng.choice(chain["logo"])))
    pref, city, town, _, area = data.place(rng)
    branch = town + rng.choice(data.BRANCH_SUFFIXES)
    add(Row("text", rng.choice([f"{chain['name']} {branch}", branch, f"{chain['name']}{branch}"]), align="center"))
    addr = f"{pref}{city}{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    if cells(addr) > columns:
        add(Row("text", f"{pref}{city}", align="center"))
        add(Row("text", addr[len(pref) + len(city):], align="center"))
    else:
        add(Row("text", addr, align="center"))
    tel = data.phone(rng, area)
    add(Row("text", rng.choice([f"電話:{tel}", f"TEL {tel}", f"TEL:{tel}", f"電話 {tel}"]), align="center"))
    if rng.random() < 0.9:
        add(Row("text", f"登録番号 {data.invoice_number(rng)}", align="center" if rng.random() < 0.6 else "left"))
    add(Row("blank"))
    forms = date_forms(d, hh, mm)
    date_text, date_form, _ = choose_weighted(rng, [(f, f[2]) for f in forms])
    reg = rng.choice([f"レジ{rng.randint(1, 6)}", f"レジ#{rng.randint(1, 6)}", f"POS{rng.randint(1, 9):02d}"])
    staff = rng.choice([f"責No.{rng.randrange(1000):03d}", f"担当:{rng.choice(data.SURNAMES)}",
                        f"責:{rng.randrange(100000):05d}"])
    if cells(date_text) + cells(reg) + 2 <= columns and rng.random() < 0.35:
        add(Row("pair", date_text, reg, role="date"))
        add(Row("pair", staff, f"No.{rng.randrange(10000):04d}"))
    else:
        add(Row("text", date_text, role="date"))
        add(Row("pair", f"{reg} {staff}", f"No.{rng.randrange(10000):04d}"))
    # The boxed heading between rules of '='.
    heading = rng.choice(["領 収 書", "領収書", "領 収 証", "領収証", "レシート"])
    if rng.random() < 0.85:
        boxed = rng.random() < 0.4
        add(Row("box_top") if boxed else Row("rule", "="))
        add(Row("text", heading, align="center", size=rng.choice(["big", "big", "wide", "n"]), bold=True))
        add(Row("box_bottom") if boxed else Row("rule", "="))
    else:
        add(Row("rule", "-"))

    # Items, each with its mark; quantities on a second row; discounts below.
    off_label, off_bare = rng.choice(["  値引", "  割引", "  値引額", "  ｸｰﾎﾟﾝ値引"]), rng.random() < 0.5
    for it in ledger.items:
        price = _price_text(rng, it, style, marks)
        role = "gift" if it.tax == "non" and gift_line and it.name == gift_line else ""
        name = it.name
        if it.tax == "8" and marks["8"] == "*" and rng.random() < 0.3:
            name = "*" + name
        if it.qty > 1:
            add(Row("text", name, role=role))
            add(Row("pair", f"  {it.qty}{rng.choice(['コ', '個', '点'])}X単{yen(it.unit)}", price))
        else:
            add(Row("pair", name, price, role=role))
        if it.discount:
            add(Row("pair", off_label, f"-{it.discount}" if off_bare else money(-it.discount, style)))

    # Totals.
    n_pieces = sum(i.qty for i in ledger.items)
    add(Row("rule", "-") if rng.random() < 0.5 else Row("blank"))
    net_sum = sum(ledger.net.values())
    if ledger.slip_discount:
        r, off, pct = ledger.slip_discount
        add(Row("pair", rng.choice(["小計", "小 計", f"小計({n_pieces}点)"]), ms(net_sum + off), role="subtotal"))
        add(Row("pair", rng.choice([f"会員様割引 {pct}%", f"ｸｰﾎﾟﾝ割引 {pct}%", f"{pct}%OFF"]),
                rng.choice([f"-{off}", ms(-off)])))
    if ledger.tax_mode == "outer":
        for r in ("8", "10", "non"):
            if r not in ledger.net:
                continue
            lab = {"8": "小 計(税抜 8%)", "10": "小 計(税抜10%)", "non": "小 計(非課税)"}[r]
            add(Row("pair", lab, ms(ledger.net[r])))
        tax_label = rng.choice(["消費税等({r:>2}%)", "外税({r}%)", "消費税等 {r}%"])
        for r in ("8", "10"):
            if r in ledger.tax:
                add(Row("pair", tax_label.format(r=r), ms(ledger.tax[r])))
    elif not ledger.slip_discount and rng.random() < 0.35:
        add(Row("pair", rng.choice(["小計", "小 計", f"小計({n_pieces}点)", "小計(税込)"]), ms(net_sum)))
    total_label = rng.choice(["合　計", "合 計", "合計", "合　計"] + (["お買上計", "お支払合計"] if family != "cvs" else []))
    total_size = choose_weighted(rng, [("big", 8), ("tall", 1.5), ("n", 0.5)])
    add(Row("pair", total_label, ms(ledger.total), size=total_size, bold=True, role="total"))
    doubles.append("total")
    # Tax block under the total.
    if ledger.tax_mode == "inner":
        for r in ("10", "8"):
            if r not in ledger.net:
                continue
            form = rng.choice(["a", "b", "c"])
            if form == "a":
                add(Row("pair", f"(税率{r:>2}%対象", f"{ms(ledger.net[r])})", role="tax_base"))
                add(Row("pair", f"(内消費税等{r:>2}%", f"{ms(ledger.tax[r])})"))
            elif form == "b":
                add(Row("pair", f"({r}%対象", f"{ms(ledger.net[r])})", role="tax_base"))
                add(Row("pair", "(内消費税等", f"{ms(ledger.tax[r])})"))
            else:
                add(Row("pair", f"{r}%対象計", ms(ledger.net[r]), role="tax_base"))
                add(Row("pair", f"{r}%税合計", ms(ledger.tax[r])))
        if "non" in ledger.net and rng.random() < 0.85:
            add(Row("pair", rng.choice(["(非課税対象", "(非課税", "(非課税計"]), f"{ms(ledger.net['non'])})",
                    role="tax_base"))
    elif rng.random() < 0.5:
        for r in ("10", "8"):
            if r in ledger.tax:
                add(Row("pair", f"{r}%税合計", ms(ledger.tax[r])))

    # Payment.
    big_pay = rng.random() < 0.5
    if ledger.payment == "cash":
        if chain["oazukari_goukei"] and rng.random() < 0.75:
            add(Row("pair", "お預り合計", ms(ledger.cash), size="big" if big_pay else "n", bold=big_pay, role="cash"))
            add(Row("pair", "  現金", ms(ledger.cash)))
            add(Row("pair", rng.choice(["お　釣", "お 釣", "お釣"]), ms(ledger.change),
                    size="big" if big_pay else "n", bold=big_pay, role="change"))
        else:
            dep = rng.choice(["お預り", "お 預 り", "お預り現金", "お預かり", "現金"])
            chg = rng.choice(["お釣", "お　　釣", "お釣り", "釣銭"])
            add(Row("pair", dep, ms(ledger.cash), size="big" if big_pay else "n", bold=big_pay, role="cash"))
            add(Row("pair", chg, ms(ledger.change), size="big" if big_pay else "n", bold=big_pay, role="change"))
        if big_pay:
            doubles += ["cash", "change"]
    elif ledger.payment in ("emoney", "credit", "amazonpay"):
        label = {"credit": rng.choice(["クレジット支払", "クレジット", "ｸﾚｼﾞｯﾄ", "クレジット電子マネー"]),
                 "emoney": rng.choice([f"{ledger.method}支払", ledger.method, f"{ledger.method} 支払"]),
                 "amazonpay": rng.choice(["Amazon Pay", "AmazonPay支払", "ｺｰﾄﾞ決済(Amazon Pay)"])}[ledger.payment]
        size = "big" if big_pay and cells(label) + cells(ms(ledger.total)) + 1 <= columns // 2 else "n"
        add(Row("pair", label, ms(ledger.paid_by_method), size=size, bold=size != "n", role="payment"))
        if size != "n":
            doubles.append("payment")
        if ledger.payment == "emoney" and rng.random() < 0.6:
            add(Row("pair", rng.choice(["残高", "ご利用後残高", "カード残高"]), ms(rng.randrange(50, 30000))))
        add(Row("pair", rng.choice(["お釣り", "お釣", "お 釣"]), ms(0), role="change"))
    else:  # giftcard used to pay
        add(Row("pair", f"{ledger.method} {ledger.paid_by_method // 1000}枚", ms(ledger.paid_by_method),
                role="payment"))
        if ledger.cash is not None:
            add(Row("pair", "現金", ms(ledger.cash), role="cash"))
            add(Row("pair", "お釣り", ms(ledger.change), role="change"))
        else:
            add(Row("pair", "お釣り", ms(0), role="change"))
    if rng.random() < 0.7:
        add(Row("pair", rng.choice(["買上点数", "お買上点数", "点数"]), f"{n_pieces}点"))

    # Card activation, points, slip numbers.
    if mode == "gift" and rng.random() < 0.5:
        add(Row("rule", "-"))
        add(Row("text", rng.choice(["POSAカード有効化", "ｶｰﾄﾞ有効化(ｱｸﾃｨﾍﾞｰﾄ)", "POSA ACTIVATION"])))
        add(Row("pair", "承認番号", f"{rng.randrange(1000000):06d}"))
        add(Row("pair", "カード番号", f"****{rng.randrange(10000):04d}"))
    if family in ("drug", "super") or rng.random() < 0.3:
        exp = _later(rng, d, 180, 540)
        add(Row("pair", rng.choice(["ポイントカード", "会員番号"]), f"****{rng.randrange(10000):04d}"))
        add(Row("pair", "今回ポイント", f"{ledger.total // 100}P"))
        add(Row("pair", "累計ポイント", f"{yen(rng.randrange(50, 20000))}P"))
        add(Row("text", rng.choice([f"ポイント期限 {exp.year}/{exp.month:02d}/{exp.day:02d}",
                                    f"ポイント有効期限 {exp.year}年{exp.month}月{exp.day}日"]), role="expiry"))
        notes.append("point expiry date printed")
    add(Row("pair", rng.choice(["伝票番号", "取引番号", "No"]),
            f"{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(10000):04d}"))
    if rng.random() < 0.7:
        add(Row("barcode"))
    add(Row("text", rng.choice(["毎度ありがとうございます", "またのご来店をお待ちしております",
                                "ありがとうございました"]), align="center"))

    # The credit-card slip printed below.
    if ledger.payment == "credit":
        _card_slip(rng, rows, d, hh, mm, ledger.total, columns)
        notes.append("credit-card slip attached")

    # Coupons, QR codes and adverts below the total on long slips.
    if FAMILIES[family]["long"] or rng.random() < 0.15:
        for _ in range(rng.randint(2, 4) if FAMILIES[family]["long"] else 1):
            _advert(rng, rows, d, columns)
        notes.append("adverts below")

    truth = Truth(
        kind="store", date=d.isoformat(), amount=ledger.total, gift_card=mode == "gift", order_number=None,
        store=chain["name"], category="real_scan", notes="; ".join(notes), variant=f"real-{family}",
        extra={"date_form": date_form, "date_text": date_text, "family": family, "money_style": style,
               "ledger": ledger.to_json(), "double_rows": doubles,
               **({"gift_line": gift_line} if gift_line else {})},
    )
    if mode == "plain":
        truth.add_note("no gift card")
    return RealSlip(rows, columns, paper_mm, chain, ledger, truth)


def _later(rng: random.Random, d: dt.date, lo: int, hi: int) -> dt.date:
    return d + dt.timedelta(days=rng.randint(lo, hi))


def _card_slip(rng: random.Random, rows: list[Row], d: dt.date, hh: int, mm: int, total: int, columns: int) -> None:
    add = rows.append
    add(Row("cut"))
    add(Row("text", rng.choice(["クレジットカード売上票", "ご利用明細 (お客様控え)", "クレジット売上票"]), align="center",
            size="wide" if columns >= 40 else "n", bold=True))
    add(Row("text", "(お客様控え)", align="center"))
    use = rng.choice([f"{d.year}/{d.month:02d}/{d.day:02d} {hh:02d}:{mm:02d}", f"{d.year}年{d.month:02d}月{d.day:02d}日",
                      f"{d.year % 100:02d}/{d.month:02d}/{d.day:02d}"])
    add(Row("pair", "ご利用日", use, role="card_date"))
    add(Row("pair", "カード会社", rng.choice(["VISA", "JCB", "MasterCard", "AMEX", "三井住友カード"])))
    add(Row("pair", "会員番号", rng.choice([f"****{rng.randrange(10000):04d}",
                                         f"************{rng.randrange(10000):04d}",
                                         f"XXXX-XXXX-XXXX-{rng.randrange(10000):04d}"])))
    exp = _later(rng, d, 300, 1800)
    add(Row("pair", "有効期限", rng.choice(["XX/XX", f"{exp.month:02d}/{exp.year % 100:02d}"]), role="expiry"))
    add(Row("pair", "承認番号", spaced(f"{rng.randrange(1000000):06d}") if rng.random() < 0.3
            else f"{rng.randrange(1000000):06d}"))
    add(Row("pair", "伝票番号", f"{rng.randrange(100000):05d}"))
    add(Row("pair", "支払区分", "一括"))
    amount = rng.choice([money(total, "fw"), money(total, "yen"), money(total, "fwyen")])
    if "￥" in amount and rng.random() < 0.35:
        amount = "￥" + spaced(amount[1:])
    add(Row("pair", rng.choice(["支払金額", "金額", "ご利用金額"]), amount, role="card_amount"))
    add(Row("text", "上記正に領収いたしました", align="center"))


def _advert(rng: random.Random, rows: list[Row], d: dt.date, columns: int) -> None:
    add = rows.append
    kind = rng.choice(["coupon", "app", "survey"])
    add(Row("rule", rng.choice(["*", "-", "="])))
    if kind == "coupon":
        exp = _later(rng, d, 7, 60)
        add(Row("text", rng.choice(["★次回使えるクーポン★", "＜お得なクーポン＞", "☆割引券☆"]), align="center",
                size="wide" if columns >= 40 else "n", bold=True))
        off = rng.choice(["100円引", "5%OFF", "ポイント5倍", "200円引"])
        add(Row("text", f"{rng.choice(['お会計', 'お買上げ'])}{rng.choice(['1,000', '2,000', '3,000'])}円以上で{off}",
                align="center"))
        add(Row("text", rng.choice([f"有効期限 {exp.year}年{exp.month}月{exp.day}日まで",
                                    f"有効期限:{exp.year}/{exp.month:02d}/{exp.day:02d}"]), align="center",
                role="expiry"))
        add(Row("barcode"))
    elif kind == "app":
        add(Row("text", rng.choice(["公式アプリで毎日お得!", "アプリ会員募集中!", "LINEお友だち登録で特典"]), align="center",
                bold=True))
        add(Row("text", "QRコードから今すぐ登録", align="center"))
        add(Row("qr"))
    else:
        add(Row("text", "アンケートにご協力ください", align="center"))
        add(Row("text", f"ID:{rng.randrange(10 ** 8):08d}", align="center"))
        add(Row("qr"))


# ---------------------------------------------------------------- printing


DOT_CELL = 12  # a half-width cell, in dots
DOT_LINE = 24  # the font's height, in dots


@dataclass
class Printer:
    """One printer's font and feed, at 8 dots per mm."""

    font: fonts.FontFile
    size: int  # the font size the 24-dot glyphs were cut from
    gap: int  # dots of paper fed between rows
    heavy: bool  # every dot struck twice (emphasised print everywhere)
    threshold: int

    @property
    def pitch(self) -> int:
        return DOT_LINE + self.gap


def random_printer(rng: random.Random) -> Printer:
    font = choose_weighted(rng, [(fonts.noto_sans(), 5), (fonts.wqy(), 3)])
    return Printer(font=font, size=rng.randint(19, 22), gap=rng.randint(5, 10), heavy=rng.random() < 0.55,
                   threshold=rng.randint(90, 140))


@functools.lru_cache(maxsize=4096)
def _glyph(ch: str, font: fonts.FontFile, size: int, threshold: int, heavy: bool) -> np.ndarray:
    w = 2 if unicodedata.east_asian_width(ch) in "FWA" else 1
    img = Image.new("L", (w * DOT_CELL, DOT_LINE), 0)
    draw = ImageDraw.Draw(img)
    f = fonts.pil_font(font, size)
    if ch in "=-*":
        # Rules are printed edge to edge, cell after cell.
        if ch == "=":
            draw.rectangle([0, 9, w * DOT_CELL - 1, 10], fill=255)
            draw.rectangle([0, 14, w * DOT_CELL - 1, 15], fill=255)
        elif ch == "-":
            draw.rectangle([1, 12, w * DOT_CELL - 2, 13], fill=255)
        else:
            draw.text((w * DOT_CELL / 2, DOT_LINE / 2), ch, font=f, fill=255, anchor="mm")
    else:
        draw.text((w * DOT_CELL / 2, DOT_LINE * 0.47), ch, font=f, fill=255, anchor="mm")
    a = np.asarray(img) >= threshold
    if heavy:
        a = a | _shift(a, 1, 1)
    return a


def _shift(a: np.ndarray, n: int, axis: int) -> np.ndarray:
    """``a`` moved ``n`` dots right (axis 1) or down (axis 0), without wrapping round."""
    out = np.zeros_like(a)
    if axis == 1:
        out[:, n:] = a[:, :-n]
    else:
        out[n:, :] = a[:-n, :]
    return out


def _row_bitmap(text: str, columns: int, pr: Printer, bold: bool) -> np.ndarray:
    out = np.zeros((DOT_LINE, columns * DOT_CELL), bool)
    col = 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "FWA" else 1
        if col + w > columns:
            break
        if ch != " ":
            out[:, col * DOT_CELL:(col + w) * DOT_CELL] |= _glyph(ch, pr.font, pr.size, pr.threshold, pr.heavy or bold)
        col += w
    if bold:
        out = out | _shift(out, 1, 1) | _shift(out, 1, 0)
    return out


def _layout(row: Row, columns: int) -> list[str]:
    if row.kind == "rule":
        ch = row.left or "-"
        return [ch * (columns // cells(ch))]
    if row.kind == "text":
        t, w = row.left, cells(row.left)
        if row.align == "center":
            t = " " * max(0, (columns - w) // 2) + t
        elif row.align == "right":
            t = " " * max(0, columns - w) + t
        return [t]
    lw, rw = cells(row.left), cells(row.right)
    if lw + rw + 1 <= columns:
        return [row.left + " " * (columns - lw - rw) + row.right]
    return [row.left, " " * max(0, columns - rw) + row.right]


def _logo(rng: random.Random, text: str, width: int) -> np.ndarray:
    """A chain's logo as a picture: inverse block, stripes, emblem or outlined letters."""
    h = rng.randint(70, 120)
    img = Image.new("L", (width, h), 0)
    d = ImageDraw.Draw(img)
    style = rng.choice(["block", "stripes", "emblem", "outline"])
    face = fonts.dejavu("DejaVuSans-Bold") if text.isascii() and fonts.dejavu("DejaVuSans-Bold") else fonts.noto_sans()
    size = int(h * 0.55)
    f = fonts.pil_font(face, size)
    while d.textlength(text, font=f) > width * 0.7 and size > 16:
        size -= 2
        f = fonts.pil_font(face, size)
    tw = d.textlength(text, font=f)
    cx, cy = width / 2, h / 2
    if style == "block":
        pad = rng.randint(10, 24)
        d.rounded_rectangle([cx - tw / 2 - pad, 4, cx + tw / 2 + pad, h - 4], radius=rng.randint(0, 18), fill=255)
        d.text((cx, cy), text, font=f, fill=0, anchor="mm")
    elif style == "stripes":
        for k in range(3):
            y = 6 + k * (h - 12) // 3
            d.rectangle([cx - tw / 2 - 40, y, cx - tw / 2 - 12, y + (h - 12) // 3 - 5], fill=255)
        d.text((cx + 14, cy), text, font=f, fill=255, anchor="mm", stroke_width=2, stroke_fill=255)
    elif style == "emblem":
        r = h // 2 - 4
        ex = cx - tw / 2 - r - 8
        d.ellipse([ex - r, cy - r, ex + r, cy + r], fill=255)
        d.ellipse([ex - r // 2, cy - r // 2, ex + r // 2, cy + r // 2], fill=0)
        d.text((cx + r // 2, cy), text, font=f, fill=255, anchor="mm", stroke_width=1, stroke_fill=255)
    else:
        d.text((cx, cy), text, font=f, fill=0, anchor="mm", stroke_width=3, stroke_fill=255)
        d.text((cx, cy), text, font=f, fill=0, anchor="mm")
        d.line([cx - tw / 2, h - 6, cx + tw / 2, h - 6], fill=255, width=3)
    return np.asarray(img) >= 128


def _barcode(rng: random.Random, width: int) -> np.ndarray:
    h = rng.randint(50, 80)
    out = np.zeros((h + 6, width), bool)
    x = int(width * rng.uniform(0.12, 0.25))
    end = width - x
    while x < end:
        bw = rng.choice([2, 2, 4, 6])
        out[3:h, x:x + bw] = True
        x += bw + rng.choice([2, 2, 4, 6])
    return out


def _qr(rng: random.Random, width: int) -> np.ndarray:
    n, mod = 25, rng.randint(4, 6)
    m = np.array([[rng.random() < 0.5 for _ in range(n)] for _ in range(n)])
    for oy, ox in ((0, 0), (0, n - 7), (n - 7, 0)):
        m[oy:oy + 7, ox:ox + 7] = False
        m[oy:oy + 7, ox] = m[oy:oy + 7, ox + 6] = True
        m[oy, ox:ox + 7] = m[oy + 6, ox:ox + 7] = True
        m[oy + 2:oy + 5, ox + 2:ox + 5] = True
    big = np.kron(m, np.ones((mod, mod), bool))
    out = np.zeros((big.shape[0] + 12, width), bool)
    x0 = (width - big.shape[1]) // 2
    out[6:6 + big.shape[0], x0:x0 + big.shape[1]] = big
    return out


@dataclass
class Printed:
    """The dots a printer laid down (True = black), and where each row landed."""

    dots: np.ndarray  # (h, w) bool, paper included
    boxes: list[tuple[int, int, str, str]] = field(default_factory=list)  # (top, bottom, role, text)
    margin_x: int = 0


def print_slip(slip: RealSlip, rng: random.Random, pr: Printer | None = None) -> Printed:
    """Lay the rows down as dots on paper 80 or 58 mm wide (640 or 464 dots)."""
    pr = pr or random_printer(rng)
    cols = slip.columns
    line_w = cols * DOT_CELL
    paper_w = 640 if slip.paper_mm == 80 else 464
    mx = (paper_w - line_w) // 2
    parts: list[np.ndarray] = [np.zeros((rng.randint(30, 70), line_w), bool)]
    boxes: list[tuple[int, int, str, str]] = []
    y = parts[0].shape[0]

    def put(a: np.ndarray, role: str = "", text: str = "") -> None:
        nonlocal y
        parts.append(a)
        if role or text:
            boxes.append((y, y + a.shape[0], role, text))
        y += a.shape[0]

    box_from = 0
    for row in slip.rows:
        if row.kind == "box_top":
            box_from = len(parts)
        if row.kind == "blank":
            put(np.zeros((pr.pitch // 2, line_w), bool))
        elif row.kind == "logo":
            put(_logo(rng, row.left, line_w), "logo", row.left)
            put(np.zeros((pr.gap * 2, line_w), bool))
        elif row.kind == "barcode":
            put(_barcode(rng, line_w))
            digits = " ".join(f"{rng.randrange(10 ** 4):04d}" for _ in range(3))
            put(_pad(_row_bitmap(" " * ((cols - len(digits)) // 2) + digits, cols, pr, False), pr.gap))
        elif row.kind == "qr":
            put(_qr(rng, line_w))
        elif row.kind in ("box_top", "box_bottom"):
            a = np.zeros((pr.gap + 4, line_w), bool)
            inset = line_w // 6
            if row.kind == "box_top":
                a[-3:, inset:line_w - inset] = True
            else:
                a[:3, inset:line_w - inset] = True
            put(a)
            if row.kind == "box_bottom":
                # The box's sides, through the rows it encloses.
                for p in parts[box_from:]:
                    rows_ = slice(0, 3) if p is a else slice(-3, None) if p is parts[box_from] else slice(None)
                    p[rows_, inset:inset + 3] = True
                    p[rows_, line_w - inset - 3:line_w - inset] = True
        elif row.kind == "cut":
            a = np.zeros((pr.pitch * 2, line_w), bool)
            a[pr.pitch - 1:pr.pitch + 1, ::8] = True
            a[pr.pitch - 1:pr.pitch + 1, 1::8] = True
            a[pr.pitch - 1:pr.pitch + 1, 2::8] = True
            put(a)
        else:
            wide = row.size in ("wide", "big")
            tall = row.size in ("tall", "big")
            c = cols // 2 if wide else cols
            for text in _layout(row, c):
                a = _row_bitmap(text, c, pr, row.bold)
                if wide:
                    a = np.repeat(a, 2, axis=1)
                if tall:
                    a = np.repeat(a, 2, axis=0)
                if a.shape[1] < line_w:
                    a = np.pad(a, ((0, 0), (0, line_w - a.shape[1])))
                put(_pad(a, pr.gap), row.role, text.strip())
    parts.append(np.zeros((rng.randint(60, 140), line_w), bool))
    body = np.concatenate(parts, axis=0)
    dots = np.zeros((body.shape[0], paper_w), bool)
    dots[:, mx:mx + line_w] = body
    return Printed(dots, boxes, mx)


def _pad(a: np.ndarray, gap: int) -> np.ndarray:
    top = gap // 2
    return np.pad(a, ((top, gap - top), (0, 0)))


def thermal_paper(printed: Printed, rng: random.Random, nrng: np.random.RandomState,
                  scale: float = 1.0) -> Image.Image:
    """The printed paper as RGBA at ``scale`` pixels per dot: dot gain, a worn head, paper tone.

    The alpha channel is the paper's outline (its torn top and cut bottom).
    """
    a = printed.dots.astype(np.float32)
    h, w = a.shape
    faded = rng.random() < 0.25
    if faded:
        # Old or cheap paper: the print has gone grey and some dots did not take.
        a *= nrng.rand(h, w) > rng.uniform(0.03, 0.15)
    a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.45, 0.75))
    a = np.clip(a * rng.uniform(1.2, 1.6), 0, 1)
    if faded:
        a *= rng.uniform(0.5, 0.75)
    # A worn thermal head prints a few columns lighter, the whole slip a little unevenly.
    cols = np.ones(w, np.float32)
    for _ in range(rng.randint(0, 4)):
        c, cw = rng.randrange(w), rng.randint(1, 6)
        cols[c:c + cw] *= rng.uniform(0.45, 0.85)
    density = rng.uniform(0.78, 1.0) * (1.0 - 0.15 * _smooth(nrng, h, w, 6))
    a = a * cols[None, :] * density
    if scale != 1.0:
        size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
        a = cv2.resize(a, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
        h, w = a.shape
    paper = np.array(rng.choice([(252, 252, 250), (248, 248, 246), (250, 249, 244), (245, 246, 248)]), np.float32)
    ink = np.array(rng.choice([(25, 25, 30), (40, 38, 48), (55, 50, 60), (20, 20, 20)]), np.float32)
    grain = (nrng.standard_normal((h, w)).astype(np.float32) * 1.5)[..., None]
    rgb = paper[None, None, :] * (1 - a[..., None]) + ink[None, None, :] * a[..., None] + grain
    alpha = np.full((h, w), 255, np.uint8)
    tooth = max(3, w // 80)
    for x in range(w):
        k = int(2 + 3 * abs(((x % (2 * tooth)) - tooth) / tooth) + nrng.randint(0, 2))
        alpha[:k, x] = 0
    alpha[h - 2:, :] = 0
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    img.putalpha(Image.fromarray(alpha))
    return img


def _smooth(nrng: np.random.RandomState, h: int, w: int, cells_: int) -> np.ndarray:
    g = nrng.rand(max(2, cells_ * h // max(w, 1)), cells_).astype(np.float32)
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)


def scan(printed: Printed, rng: random.Random, nrng: np.random.RandomState) -> tuple[Image.Image, list[str]]:
    """A flatbed or scanner-app scan at about 200 dpi: 640-700 px wide for 80 mm paper.

    On white (the paper's edge barely shows), on the grey of a scanner lid,
    or cut out on a transparent background (an RGBA PNG).
    """
    paper_w = printed.dots.shape[1]
    bg = choose_weighted(rng, [("white", 4), ("grey", 3), ("transparent", 2)])
    if paper_w >= 600:
        scale = rng.uniform(640, 700) / paper_w if bg == "white" else rng.uniform(600, 650) / paper_w
    else:
        scale = rng.uniform(0.98, 1.12)
    paper = thermal_paper(printed, rng, nrng, scale)
    notes = [f"scan on {bg}", f"{scale * 203:.0f} dpi"]
    pw, ph = paper.size
    if bg == "white":
        canvas = Image.new("RGBA", (pw + 2 * rng.randint(0, 12), ph + 2 * rng.randint(0, 20)), (255, 255, 255, 255))
    else:
        want_w = max(pw + 20, rng.randint(640, 700))
        my = rng.randint(10, 60)
        fill = (0, 0, 0, 0) if bg == "transparent" else (*(rng.randint(175, 215),) * 3, 255)
        canvas = Image.new("RGBA", (want_w, ph + 2 * my), fill)
    canvas.alpha_composite(paper, ((canvas.width - pw) // 2, (canvas.height - ph) // 2))
    if rng.random() < 0.5:
        angle = rng.uniform(-1.2, 1.2)
        fill = (0, 0, 0, 0) if bg == "transparent" else canvas.getpixel((0, 0))
        canvas = canvas.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
        notes.append(f"tilt {-angle:.1f}")
    arr = np.asarray(canvas).astype(np.float32)
    arr[..., :3] = cv2.GaussianBlur(arr[..., :3], (0, 0), rng.uniform(0.3, 0.6))
    arr[..., :3] += nrng.standard_normal(arr.shape[:2]).astype(np.float32)[..., None] * rng.uniform(0.5, 2.0)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGBA")
    if bg != "transparent":
        out = out.convert("RGB")
    return out, notes


def need_rows(printed: Printed) -> tuple[int, int]:
    """The dot rows a photo must keep: from the date down to the last row with the total, gift or payment."""
    tops = [t for t, _, role, _ in printed.boxes if role == "date"]
    bottoms = [b for _, b, role, _ in printed.boxes if role in ("total", "gift", "payment", "cash", "change")]
    return (min(tops) if tops else 0) - 8, max(bottoms) + 8
