"""Shop slips (レシート) as a POS printer prints them, drawn with Pillow.

Receipt printers use a fixed grid in which a full-width character takes two
cells and a half-width one takes one, and prices are right-aligned to the last
column; the renderer keeps that grid so OCR meets the same layout as on paper.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from receipt_assistant.synth import data, fonts
from receipt_assistant.synth.model import Truth, choose_weighted, random_date, reiwa, weekday, yen


@dataclass
class SlipLine:
    """One printed row. ``size``: "n" normal, "tall" double height, "big" double both ways."""

    kind: str  # text | pair | rule | blank | logo | barcode
    left: str = ""
    right: str = ""
    align: str = "left"
    size: str = "n"
    bold: bool = False


@dataclass
class Slip:
    lines: list[SlipLine]
    columns: int
    truth: Truth


# ---------------------------------------------------------------- text helpers


def cells(text: str) -> int:
    """Width of ``text`` in printer cells (full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "FWA" else 1 for ch in text)


def _money(rng: random.Random, style: str, amount: int) -> str:
    if style == "yen":
        return f"¥{yen(amount)}"
    if style == "fwyen":
        return f"￥{yen(amount)}"
    if style == "en":
        return f"{yen(amount)}円"
    return yen(amount)


def _date_line(rng: random.Random, d: dt.date, hh: int, mm: int) -> tuple[str, str]:
    """The date as a slip prints it, and a short name for the form."""
    wd = weekday(d)
    forms = [
        (f"{d.year}年{d.month}月{d.day}日({wd}) {hh:02d}:{mm:02d}", "kanji", 4),
        (f"{d.year}年{d.month:2d}月{d.day:2d}日({wd}) {hh:2d}:{mm:02d}", "kanji-padded", 2),
        (f"{d.year}年{d.month:02d}月{d.day:02d}日 {hh:02d}時{mm:02d}分", "kanji-jikan", 1),
        (f"{d.year}/{d.month:02d}/{d.day:02d} {hh:02d}:{mm:02d}", "slash", 3),
        (f"{d.year}/{d.month:02d}/{d.day:02d}({wd}) {hh:02d}:{mm:02d}", "slash-wd", 2),
        (f"{d.year % 100:02d}-{d.month:02d}-{d.day:02d} {hh:02d}:{mm:02d}", "yy-mm-dd", 1.5),
        (f"令和{reiwa(d.year)}年{d.month}月{d.day}日 {hh:02d}:{mm:02d}", "reiwa", 1.5),
        (f"令和{reiwa(d.year)}年{d.month:2d}月{d.day:2d}日({wd})", "reiwa-wd", 0.7),
    ]
    text, name, _ = choose_weighted(rng, [((t, n, w), w) for t, n, w in forms])
    return text, name


def _gift_amount_variable(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return rng.randrange(15, 501) * 100
    if r < 0.85:
        return rng.randrange(2, 51) * 1000
    return rng.randrange(1500, 50001)


@dataclass
class _Item:
    name: str
    unit: int
    qty: int = 1
    tax: str = "10"  # "10" | "8" | "non"

    @property
    def total(self) -> int:
        return self.unit * self.qty


# ---------------------------------------------------------------- slip content


def build_slip(rng: random.Random, mode: str = "gift") -> Slip:
    """Compose a slip. ``mode``: gift | plain | other_brand | paid_with_giftcard."""
    chain = choose_weighted(rng, [(c, c["weight"]) for c in data.CHAINS])
    style = chain["style"]
    columns = rng.choice([32, 32, 36, 40, 42] if style == "cvs" else [36, 40, 42, 48])
    d = random_date(rng)
    hh, mm = rng.randint(7, 22), rng.randrange(60)
    money_style = choose_weighted(rng, [("yen", 5), ("fwyen", 2), ("en", 1.5), ("plain", 1)])
    notes: list[str] = []
    items: list[_Item] = []
    gift = mode == "gift"
    gift_spelling = None

    if gift:
        kiosk = chain["kiosk"] if chain["kiosk"] and rng.random() < 0.35 else None
        r = rng.random()
        if kiosk:
            amt = rng.choice([3000, 5000, 10000]) if rng.random() < 0.4 else _gift_amount_variable(rng)
            gift_spelling = rng.choice(data.GIFT_SPELLINGS_KIOSK[kiosk])
            notes.append(f"{kiosk} kiosk sheet")
        elif r < 0.6:
            amt = rng.choice([3000, 5000, 10000])
            gift_spelling = rng.choice(data.GIFT_SPELLINGS_FIXED).format(amt=amt)
            notes.append("fixed POSA")
        else:
            amt = _gift_amount_variable(rng)
            gift_spelling = rng.choice(data.GIFT_SPELLINGS_VARIABLE)
            notes.append("variable POSA")
        qty = 2 if ("fixed POSA" in notes and rng.random() < 0.12) else 1
        items.append(_Item(gift_spelling, amt, qty, "non"))
        n_extra = choose_weighted(rng, [(0, 6), (1, 2), (2, 1), (3, 0.6), (4, 0.4)])
    elif mode == "other_brand":
        name, brand = rng.choice(data.OTHER_CARDS)
        amt = rng.choice([1000, 1500, 3000, 5000, 10000]) if rng.random() < 0.7 else _gift_amount_variable(rng)
        items.append(_Item(name, amt, 1, "non"))
        notes.append(f"other brand card: {brand}")
        n_extra = choose_weighted(rng, [(0, 5), (1, 2), (2, 1)])
    else:
        n_extra = rng.randint(2, 8)
        if mode == "paid_with_giftcard":
            n_extra = rng.randint(4, 9)

    for _ in range(n_extra):
        name, price, reduced = rng.choice(data.SHOP_ITEMS)
        qty = 2 if rng.random() < 0.12 else 1
        items.append(_Item(name, price, qty, "8" if reduced else "10"))
    if len(items) > 1 and rng.random() < 0.5:
        rng.shuffle(items)
    if mode == "paid_with_giftcard" and sum(i.total for i in items) < 3500:
        items.append(_Item(rng.choice(["ｽｷﾝｹｱｾｯﾄ", "電動歯ブラシ", "ﾌﾟﾛﾃｲﾝ 1kg", "洗剤 まとめ買い"]),
                           rng.choice([2980, 3480, 3980, 4580]), 1, "10"))

    # Drugstores and supermarkets sometimes print prices before tax (外税).
    outside_tax = style != "cvs" and any(i.tax != "non" for i in items) and rng.random() < 0.4
    subtotal = sum(i.total for i in items)
    tax10 = tax8 = 0
    if outside_tax:
        tax10 = sum(i.total for i in items if i.tax == "10") * 10 // 100
        tax8 = sum(i.total for i in items if i.tax == "8") * 8 // 100
        total = subtotal + tax10 + tax8
    else:
        total = subtotal
        tax10 = sum(i.total for i in items if i.tax == "10") * 10 // 110
        tax8 = sum(i.total for i in items if i.tax == "8") * 8 // 108

    L: list[SlipLine] = []
    add = L.append
    m = lambda a: _money(rng, money_style, a)  # noqa: E731

    # Header
    add(SlipLine("logo", rng.choice(chain["logos"])))
    if rng.random() < 0.35 and cells(chain["company"]) <= columns:
        add(SlipLine("text", chain["company"], align="center"))
    pref, city, town, _, area = data.place(rng)
    branch = town + rng.choice(data.BRANCH_SUFFIXES)
    branch_form = rng.choice([f"{chain['name']} {branch}", branch, f"{chain['name']}{branch}"])
    add(SlipLine("text", branch_form, align=rng.choice(["center", "left"])))
    addr = f"{pref}{city}{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    if cells(addr) > columns:
        add(SlipLine("text", f"{pref}{city}", align="center"))
        add(SlipLine("text", addr[len(pref) + len(city):], align="center"))
    else:
        add(SlipLine("text", addr, align="center"))
    tel = data.phone(rng, area)
    add(SlipLine("text", rng.choice([f"TEL {tel}", f"電話:{tel}", f"TEL:{tel}", f"電話 {tel}"]), align="center"))
    if rng.random() < 0.8:
        add(SlipLine("text", f"登録番号 {data.invoice_number(rng)}", align="center"))
    add(SlipLine("blank"))
    date_text, date_form = _date_line(rng, d, hh, mm)
    date_on_top = rng.random() < 0.85
    heading = rng.choice(["領 収 書", "領収書", "領収証", "レシート", "領 収 証"])
    if rng.random() < 0.9:
        add(SlipLine("text", heading, align="center", size=rng.choice(["big", "tall", "n"])))
    if date_on_top:
        add(SlipLine("text", date_text, align=rng.choice(["left", "center"])))
    reg = f"レジ{rng.randint(1, 6):d}"
    staff = f"責:{rng.randrange(1000):03d}"
    add(SlipLine("pair", f"{reg} {staff}", f"No.{rng.randrange(10000):04d}"))
    add(SlipLine("rule", "-"))

    # Items
    non_mark = rng.choice(["非", "非", " 非", "※", "(非)"])
    reduced_mark = rng.choice(["軽", "*", "※軽"])
    for it in items:
        mark = non_mark if it.tax == "non" else (reduced_mark if it.tax == "8" else "")
        if it.qty > 1:
            add(SlipLine("text", it.name))
            add(SlipLine("pair", f"  {it.qty}{rng.choice(['個', '点', 'コ'])} X 単{yen(it.unit)}", m(it.total) + mark))
        else:
            name = it.name
            prefix = "* " if (it.tax == "8" and reduced_mark == "*" and rng.random() < 0.5) else ""
            add(SlipLine("pair", prefix + name, m(it.total) + ("" if prefix else mark)))
    add(SlipLine("rule", "-") if rng.random() < 0.5 else SlipLine("blank"))

    # Totals
    n_pieces = sum(i.qty for i in items)
    sub_label = rng.choice(["小計", "小 計", f"小計 {n_pieces}点"])
    add(SlipLine("pair", sub_label, m(subtotal)))
    if outside_tax:
        if tax10:
            add(SlipLine("pair", "(外税10%)", m(tax10)))
        if tax8:
            add(SlipLine("pair", "(外税8%)", m(tax8)))
    total_label = rng.choice(["合計", "合 計", "合計", "お買上計"]) if style != "cvs" else rng.choice(["合計", "合 計"])
    total_size = choose_weighted(rng, [("big", 4), ("tall", 3), ("n", 3)])
    add(SlipLine("pair", total_label, m(total), size=total_size, bold=rng.random() < 0.4))

    # Tax breakdown
    base10 = sum(i.total for i in items if i.tax == "10")
    base8 = sum(i.total for i in items if i.tax == "8")
    base_non = sum(i.total for i in items if i.tax == "non")
    if outside_tax:
        base10 += tax10
        base8 += tax8
    if base10:
        add(SlipLine("pair", "(10%対象", f"{m(base10)})"))
        add(SlipLine("pair", " (内消費税等", f"{m(tax10)})"))
    if base8:
        add(SlipLine("pair", "(8%対象", f"{m(base8)})"))
        add(SlipLine("pair", " (内消費税等", f"{m(tax8)})"))
    if base_non and rng.random() < 0.8:
        add(SlipLine("pair", rng.choice(["(非課税対象", "(非課税", "(非課税計"]), f"{m(base_non)})"))

    # Tender
    if mode == "paid_with_giftcard":
        card = rng.choice(["JCBｷﾞﾌﾄｶｰﾄﾞ", "VJAｷﾞﾌﾄｶｰﾄﾞ", "UCｷﾞﾌﾄｶｰﾄﾞ", "全国百貨店共通商品券"])
        n = max(1, min(total // 1000, rng.randint(1, 5)))
        add(SlipLine("pair", f"{card} {n}枚", m(n * 1000)))
        rest = total - n * 1000
        if rest > 0:
            cash = _cash_given(rng, rest)
            add(SlipLine("pair", "現金", m(cash)))
            add(SlipLine("pair", "お釣り", m(cash - rest)))
        notes.append("gift card used as payment")
    elif style != "cvs" and rng.random() < 0.25 and not gift:
        add(SlipLine("pair", rng.choice(["クレジット", "ｸﾚｼﾞｯﾄ", "VISA"]), m(total)))
        add(SlipLine("text", f"ｶｰﾄﾞ番号 ************{rng.randrange(10000):04d}"))
    else:
        cash = _cash_given(rng, total)
        dep = rng.choice(["お預り", "お預かり", "現計", "お預り現金"])
        chg = rng.choice(["お釣り", "お釣", "釣銭"])
        add(SlipLine("pair", dep, m(cash)))
        add(SlipLine("pair", chg, m(cash - total), size="tall" if rng.random() < 0.2 else "n"))

    # Footer
    if gift and rng.random() < 0.55:
        add(SlipLine("rule", "-"))
        add(SlipLine("text", rng.choice(["POSAカード有効化", "ｶｰﾄﾞ有効化(ｱｸﾃｨﾍﾞｰﾄ)", "POSA ACTIVATION"])))
        add(SlipLine("pair", "承認番号", f"{rng.randrange(1000000):06d}"))
        add(SlipLine("pair", "カード番号", f"****{rng.randrange(10000):04d}"))
        add(SlipLine("text", "※このレシートは大切に保管してください"[: columns // 2]))
    if style == "drug" and rng.random() < 0.35:
        exp = d.replace(year=d.year + 1, day=min(d.day, 28))
        add(SlipLine("pair", "今回ポイント", f"{total // 100}P"))
        add(SlipLine("pair", "ポイント有効期限", f"{exp.year}/{exp.month:02d}/{exp.day:02d}"))
        notes.append("point expiry date printed")
    if not date_on_top:
        add(SlipLine("blank"))
        add(SlipLine("text", date_text))
    add(SlipLine("blank"))
    add(SlipLine("text", rng.choice(["毎度ありがとうございます", "またのご来店をお待ちしております",
                                     "ありがとうございました", "お買上げありがとうございます"]), align="center"))
    if rng.random() < 0.5:
        add(SlipLine("barcode"))

    truth = Truth(
        kind="store",
        date=d.isoformat(),
        amount=total,
        gift_card=gift,
        order_number=None,
        store=chain["name"],
        category="photo",
        notes="; ".join(notes),
        variant=f"slip-{style}",
        extra={"date_form": date_form, **({"gift_line": gift_spelling} if gift_spelling else {})},
    )
    if mode == "plain":
        truth.add_note("no gift card")
    if len(items) > 1:
        truth.add_note("other items on slip")
    return Slip(L, columns, truth)


def _cash_given(rng: random.Random, total: int) -> int:
    if rng.random() < 0.3:
        return total
    for step in (1000, 5000, 10000):
        if rng.random() < 0.5:
            return -(-total // step) * step + (step if rng.random() < 0.15 else 0)
    return -(-total // 10000) * 10000


# ---------------------------------------------------------------- rendering


@dataclass
class SlipStyle:
    pitch: int  # line pitch in px
    glyph: int  # glyph size in px
    cell_w: float  # width of one half-width cell in px
    cjk: fonts.FontFile
    ascii: fonts.FontFile
    logo: fonts.FontFile
    stroke: int
    ink: int  # 0..255, darkness of the print
    paper: tuple[int, int, int]
    margin: int
    fade: float  # 0..1, how unevenly the thermal head printed


def random_style(rng: random.Random, columns: int, glyph: int | None = None) -> SlipStyle:
    glyph = rng.randint(24, 36) if glyph is None else glyph
    pitch = int(glyph * rng.uniform(1.2, 1.55))
    cjk = choose_weighted(rng, [(fonts.noto_sans(), 5), (fonts.wqy(), 2), (fonts.wqy_mono(), 2),
                                (fonts.noto_serif(), 0.6)])
    ascii_opts = [(cjk, 4)]
    for name, w in (("DejaVuSansMono", 1.5), ("DejaVuSansMono-Bold", 0.7), ("DejaVuSansCondensed", 0.7)):
        ff = fonts.dejavu(name)
        if ff is not None:
            ascii_opts.append((ff, w))
    logo = fonts.dejavu("DejaVuSans-Bold") or fonts.noto_sans()
    paper = rng.choice([(255, 255, 255), (252, 252, 248), (248, 247, 240), (250, 250, 252)])
    return SlipStyle(
        pitch=pitch,
        glyph=glyph,
        cell_w=glyph * rng.uniform(0.5, 0.58),
        cjk=cjk,
        ascii=choose_weighted(rng, ascii_opts),
        logo=logo,
        stroke=1 if rng.random() < 0.2 else 0,
        ink=rng.randint(150, 235),
        paper=paper,
        margin=int(glyph * rng.uniform(0.8, 1.6)),
        fade=rng.uniform(0.0, 0.35),
    )


def _layout(line: SlipLine, columns: int) -> list[str]:
    """Turn a line into fixed-grid strings of at most ``columns`` cells."""
    if line.kind == "rule":
        return [(line.left or "-") * columns]
    if line.kind == "text":
        t = line.left
        w = cells(t)
        if line.align == "center":
            t = " " * max(0, (columns - w) // 2) + t
        elif line.align == "right":
            t = " " * max(0, columns - w) + t
        return [t]
    if line.kind == "pair":
        lw, rw = cells(line.left), cells(line.right)
        if lw + rw + 1 <= columns:
            return [line.left + " " * (columns - lw - rw) + line.right]
        return [line.left, " " * max(0, columns - rw) + line.right]
    return [""]


def _is_latin(ch: str) -> bool:
    return ord(ch) < 0x2000 and ch != "¥"


def _draw_row(draw: ImageDraw.ImageDraw, text: str, x0: float, y_base: int, st: SlipStyle,
              scale_x: float = 1.0) -> None:
    cjk = fonts.pil_font(st.cjk, st.glyph)
    latin = fonts.pil_font(st.ascii, int(st.glyph * (0.95 if st.ascii != st.cjk else 1.0)))
    col = 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "FWA" else 1
        if ch != " ":
            font = latin if _is_latin(ch) else cjk
            cx = x0 + (col + w / 2) * st.cell_w * scale_x
            draw.text((cx, y_base), ch, font=font, fill=255, anchor="ms", stroke_width=st.stroke,
                      stroke_fill=255)
        col += w


def render_slip(slip: Slip, rng: random.Random, nrng: np.random.RandomState,
                style: SlipStyle | None = None) -> Image.Image:
    """The slip as an RGBA image of the paper (alpha marks the torn edges)."""
    st = style or random_style(rng, slip.columns)
    width = int(slip.columns * st.cell_w + 2 * st.margin)
    height = st.margin + st.pitch // 2
    for line in slip.lines:
        if line.kind == "logo":
            height += int(st.pitch * 2.4)
        elif line.kind == "barcode":
            height += int(st.pitch * 2.6)
        elif line.kind == "blank":
            height += st.pitch // 2
        else:
            mult = 2 if line.size in ("tall", "big") else 1
            cols = slip.columns // 2 if line.size == "big" else slip.columns
            height += len(_layout(line, cols)) * st.pitch * mult
    height += st.margin * 2
    ink = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(ink)
    y = st.margin + st.pitch // 2
    asc = int(st.glyph * 0.88)
    for line in slip.lines:
        if line.kind == "logo":
            size = int(st.glyph * rng.uniform(1.5, 2.0))
            font = fonts.pil_font(st.logo if line.left.isascii() else st.cjk, size)
            text_w = draw.textlength(line.left, font=font)
            while text_w > width - 2 * st.margin and size > st.glyph:
                size -= 2
                font = fonts.pil_font(st.logo if line.left.isascii() else st.cjk, size)
                text_w = draw.textlength(line.left, font=font)
            draw.text(((width - text_w) / 2, y + int(st.pitch * 1.7)), line.left, font=font, fill=255,
                      anchor="ls", stroke_width=size // 40, stroke_fill=255)
            y += int(st.pitch * 2.4)
            continue
        if line.kind == "barcode":
            x = int(width * 0.2)
            top, bottom = y + st.pitch * 0.3, y + st.pitch * 2.2
            while x < width * 0.8:
                bw = rng.choice([1, 1, 2, 3]) * max(1, st.glyph // 14)
                draw.rectangle([x, top, x + bw - 1, bottom], fill=255)
                x += bw + rng.choice([1, 2, 3]) * max(1, st.glyph // 14)
            y += int(st.pitch * 2.6)
            continue
        if line.kind == "blank":
            y += st.pitch // 2
            continue
        if line.size == "n":
            for row in _layout(line, slip.columns):
                _draw_row(draw, row, st.margin, y + asc, st)
                y += st.pitch
            continue
        # Double height (and width): draw normally into a strip, then stretch it.
        cols = slip.columns // 2 if line.size == "big" else slip.columns
        sx = 2.0 if line.size == "big" else 1.0
        for row in _layout(line, cols):
            strip = Image.new("L", (width, st.pitch), 0)
            sd = ImageDraw.Draw(strip)
            _draw_row(sd, row, st.margin / sx, asc, st, 1.0)
            if sx != 1.0:
                strip = strip.crop((0, 0, int(width / sx) + 1, st.pitch)).resize(
                    (width, st.pitch), Image.Resampling.BILINEAR)
            strip = strip.resize((width, st.pitch * 2), Image.Resampling.BILINEAR)
            ink.paste(Image.fromarray(np.maximum(np.asarray(ink.crop((0, y, width, y + 2 * st.pitch))),
                                                 np.asarray(strip))), (0, y))
            y += st.pitch * 2

    return _print_on_paper(ink, st, nrng)


def _print_on_paper(ink: Image.Image, st: SlipStyle, nrng: np.random.RandomState) -> Image.Image:
    a = np.asarray(ink, dtype=np.float32) / 255.0
    h, w = a.shape
    if st.fade > 0:
        # A thermal head prints some columns and rows lighter than others.
        cols = 1.0 - st.fade * np.abs(np.sin(np.linspace(0, nrng.uniform(1, 4) * np.pi, w) + nrng.uniform(0, 6)))
        rows = 1.0 - 0.5 * st.fade * nrng.rand(h // 8 + 1).repeat(8)[:h]
        a = a * cols[None, :] * rows[:, None]
    strength = st.ink / 255.0
    paper = np.array(st.paper, dtype=np.float32)
    rgb = paper[None, None, :] * (1.0 - strength * a[..., None])
    # A faint bluish-gray cast of thermal print rather than pure black.
    rgb[..., 2] += 12 * a
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    alpha = np.full((h, w), 255, np.uint8)
    # Torn (serrated) top and bottom edges.
    tooth = max(3, w // 60)
    depth = max(2, st.margin // 4)
    for x in range(w):
        k = depth * abs(((x % (2 * tooth)) - tooth) / tooth)
        k = int(k + nrng.randint(0, 2))
        alpha[:k, x] = 0
        alpha[h - k:, x] = 0
    img.putalpha(Image.fromarray(alpha))
    return img


def flat(img: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """Drop the alpha channel onto a plain background (a scanner-like image)."""
    bg = Image.new("RGB", img.size, background)
    bg.paste(img, mask=img.getchannel("A"))
    return bg
