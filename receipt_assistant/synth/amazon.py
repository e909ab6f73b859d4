"""Amazon.co.jp receipt pages (領収書/購入明細書 and the 2025 printable order summary).

The page is written as HTML and laid out by Qt's rich-text engine, which
handles the old table layout, italics and Japanese line breaking well enough
to look like a browser; the screenshot's browser frame is drawn with Pillow.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from receipt_assistant.synth import data, fonts
from receipt_assistant.synth.model import TODAY, Truth, choose_weighted, random_date, yen

# ---------------------------------------------------------------- the order


@dataclass
class AmazonItem:
    title: str
    price: int  # unit price
    qty: int = 1
    seller: str = "Amazon Japan G.K."
    condition: str | None = "新品"
    gift: bool = False


@dataclass
class Shipment:
    date: dt.date
    items: list[AmazonItem]


@dataclass
class AmazonOrder:
    order_date: dt.date
    order_number: str
    shipments: list[Shipment]
    shipping_fee: int
    points: int
    gift_balance: int  # paid from Amazon gift-card balance
    payment: str
    card_last4: str | None
    name: str
    address: tuple[str, str, str]
    digital: bool
    title: str  # 領収書/購入明細書 | 購入明細書
    layout: str  # classic | summary2025
    show_billed: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(i.price * i.qty for s in self.shipments for i in s.items)

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee

    @property
    def billed(self) -> int:
        return self.total - self.points - self.gift_balance

    @property
    def has_gift_card(self) -> bool:
        return any(i.gift for s in self.shipments for i in s.items)


def _order_number(rng: random.Random, digital: bool) -> str:
    head = "D01" if digital else rng.choice(["249", "250", "503", "249", "250"])
    return f"{head}-{rng.randrange(10 ** 7):07d}-{rng.randrange(10 ** 7):07d}"


def _gift_item(rng: random.Random, d: dt.date) -> AmazonItem:
    gtype = choose_weighted(rng, [(t, w) for t, w in zip(data.GIFT_TYPES, [6, 2, 2, 1.5, 1.5, 0.7, 0.5], strict=True)])
    old_name = rng.random() < (0.6 if d < dt.date(2024, 3, 1) else 0.12)
    base = "Amazonギフト券" if old_name else "Amazonギフトカード"
    title = f"{base}({gtype}){rng.choice(data.GIFT_SUFFIXES)}"
    if gtype in ("Eメールタイプ", "チャージタイプ", "印刷タイプ"):
        r = rng.random()
        if r < 0.6:
            price = rng.choice([1000, 2000, 3000, 5000, 10000, 15000, 20000, 30000, 50000])
        elif r < 0.85:
            price = rng.randrange(1, 100) * 1000
        else:
            price = rng.randrange(500, 100001)
    else:
        price = rng.choice([3000, 5000, 10000, 20000, 30000, 50000])
    qty = 1 if rng.random() < 0.9 else rng.randint(2, 3)
    return AmazonItem(title, price, qty, "Amazon Japan G.K.", "新品" if rng.random() < 0.8 else None, True)


def _product(rng: random.Random) -> AmazonItem:
    title, price, seller = rng.choice(data.AMAZON_ITEMS)
    seller = "アマゾンジャパン合同会社" if seller == "Amazon.co.jp" and rng.random() < 0.5 else seller
    return AmazonItem(title, price, 1 if rng.random() < 0.85 else 2, seller, "新品")


def build_order(rng: random.Random, mode: str = "gift") -> AmazonOrder:
    """An order. ``mode``: gift | product | paid_with_giftcard | digital."""
    digital = mode == "digital"
    layout = "classic"
    d = random_date(rng, end=TODAY - dt.timedelta(days=6))
    if d >= dt.date(2025, 3, 1) and rng.random() < 0.35 and not digital:
        layout = "summary2025"
    notes: list[str] = []
    items: list[AmazonItem] = []
    if mode == "gift":
        items.append(_gift_item(rng, d))
        if rng.random() < 0.12:
            items.append(_product(rng))
            notes.append("gift card with another item")
        elif rng.random() < 0.08:
            items.append(_gift_item(rng, d))
            notes.append("two gift-card lines")
    elif digital:
        title, price = rng.choice(data.DIGITAL_ITEMS)
        items.append(AmazonItem(title, price, 1, "Amazon Services International LLC", None))
    else:
        for _ in range(rng.choice([1, 1, 2, 3])):
            items.append(_product(rng))

    # Shipments: each a few days after the order, never before it.
    shipments: list[Shipment] = []
    if len(items) > 1 and not digital and rng.random() < 0.4:
        split = rng.randint(1, len(items) - 1)
        groups = [items[:split], items[split:]]
    else:
        groups = [items]
    last = d
    for g in groups:
        last = last + dt.timedelta(days=rng.randint(0 if digital else 1, 3))
        shipments.append(Shipment(min(last, TODAY - dt.timedelta(days=1)), g))

    shipping_fee = 0 if mode in ("gift", "digital") or rng.random() < 0.7 else rng.choice([350, 410, 460])
    payment_kind = choose_weighted(rng, [("card", 8), ("cvs", 1.2), ("cod", 0.3), ("paypay", 0.5)])
    if mode == "paid_with_giftcard":
        payment_kind = choose_weighted(rng, [("card", 5), ("balance", 2)])
    last4 = f"{rng.randrange(10000):04d}"
    brand = rng.choice(["Visa", "Mastercard", "JCB", "American Express", "Amazon Mastercard"])
    payment = {
        "card": f"{brand} | 末尾: {last4}",
        "cvs": "コンビニ・ATM・ネットバンキング・電子マネー払い",
        "cod": "代金引換",
        "paypay": "PayPay残高等",
        "balance": "Amazonギフトカード",
    }[payment_kind]
    title = "購入明細書" if payment_kind in ("cvs", "cod") else "領収書/購入明細書"
    if title == "購入明細書":
        notes.append("購入明細書 (paid at convenience store / COD)")

    order = AmazonOrder(
        order_date=d,
        order_number=_order_number(rng, digital),
        shipments=shipments,
        shipping_fee=shipping_fee,
        points=0,
        gift_balance=0,
        payment=payment,
        card_last4=last4 if payment_kind == "card" else None,
        name=data.person(rng),
        address=data.address_lines(rng),
        digital=digital,
        title=title,
        layout=layout,
        notes=notes,
    )
    if rng.random() < (0.2 if mode == "gift" else 0.15) and payment_kind == "card":
        order.points = min(order.total - 1, rng.choice([1, 50, 100, 120, 300, 500, 1000, rng.randint(1, 2000)]))
        notes.append("points used")
    if mode == "paid_with_giftcard":
        if payment_kind == "balance":
            order.gift_balance = order.total
        else:
            order.gift_balance = rng.randint(1, max(1, order.total - 1))
        notes.append("gift card used as payment")
    if layout == "summary2025" and order.points == 0 and order.gift_balance == 0 and rng.random() < 0.5:
        order.show_billed = False
    return order


def truth_for(order: AmazonOrder, category: str) -> Truth:
    amount = order.billed if order.show_billed else order.total
    t = Truth(
        kind="amazon",
        date=order.order_date.isoformat(),
        amount=amount,
        gift_card=order.has_gift_card,
        order_number=order.order_number,
        store=None,
        category=category,
        notes="; ".join(order.notes),
        variant=f"amazon-{order.layout}" + ("-digital" if order.digital else ""),
        extra={"title": order.title, "items": [i.title for s in order.shipments for i in s.items]},
    )
    if not order.has_gift_card:
        t.add_note("digital order" if order.digital else "no gift card in order")
    return t


# ---------------------------------------------------------------- HTML


@dataclass
class PageStyle:
    width: int  # CSS px
    font_px: int
    dpr: float
    families: list[str]
    border: str
    date_form: str  # kanji | slash
    colon: str
    total_label: str
    chrome: str  # none | desktop | desktop+taskbar | phone
    header_date_pad: bool = False


def random_style(rng: random.Random, *, pdf: bool = False) -> PageStyle:
    fams = fonts.ensure_qt_fonts()
    cjk = fams["wqy"] if pdf else choose_weighted(
        rng, [(fams["noto_sans"], 6), (fams["wqy"], 3), (fams["noto_serif"], 0.7)])
    # One family that covers Latin and Japanese: with a Latin family first, Qt
    # picks the fallback for Japanese glyphs from whatever its font cache holds,
    # and line heights (so the picture for a seed) would change run to run.
    families = [cjk]
    width = choose_weighted(rng, [(rng.randint(420, 560), 2), (rng.randint(700, 1000), 4),
                                  (rng.randint(1000, 1400), 3)])
    font_px = rng.randint(11, 20)
    if width < 600:
        font_px = min(font_px, 15)
    chrome = choose_weighted(rng, [("none", 4), ("desktop", 3), ("desktop+taskbar", 1), ("phone", 1.5)])
    dpr = 1.0
    if chrome == "phone":
        width = rng.randint(390, 430)
        font_px = rng.randint(11, 14)
        dpr = rng.choice([2.0, 3.0])
    elif rng.random() < 0.25:
        dpr = rng.choice([1.25, 1.5, 2.0])
    if width * dpr > 2400:
        dpr = 1.0
    return PageStyle(
        width=width,
        font_px=font_px,
        dpr=dpr,
        families=families,
        border=rng.choice(["#999999", "#bbbbbb", "#dddddd", "#cccccc", "#666666", "#e3e3e3"]),
        date_form=rng.choice(["kanji", "kanji", "slash"]),
        colon=rng.choice(["：", ":", "： "]),
        total_label=rng.choice(["注文合計", "注文の合計"]),
        chrome="none" if pdf else chrome,
        header_date_pad=rng.random() < 0.3,
    )


def _date(d: dt.date, form: str, pad: bool = False) -> str:
    if form == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if pad:
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    return f"{d.year}年{d.month}月{d.day}日"


def _price(rng: random.Random, amount: int, negative: bool = False) -> str:
    sign = "-" if negative else ""
    sep = "\u00a0" if rng.random() < 0.85 else ""
    return f"{sign}￥{sep}{yen(amount)}"


def _e(s: str) -> str:
    return html.escape(s, quote=False)


def _items_table(rng: random.Random, sh: Shipment, st: PageStyle, italic: bool) -> str:
    rows = [f'<tr><td><b>{"注文商品" if rng.random() < 0.8 else "商品"}</b></td>'
            f'<td align="right"><b>価格</b></td></tr>']
    for it in sh.items:
        name = f"<i>{_e(it.title)}</i>" if italic else _e(it.title)
        extra = [f"販売{st.colon} {_e(it.seller)}"]
        if it.condition:
            extra.append(f"コンディション{st.colon} {it.condition}")
        rows.append(
            f'<tr><td valign="top">{it.qty} 点 {name}<br>{"<br>".join(extra)}</td>'
            f'<td align="right" valign="top">{_price(rng, it.price)}</td></tr>')
    return '<table width="100%" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>"


def _summary_rows(rng: random.Random, o: AmazonOrder, st: PageStyle) -> list[tuple[str, str, bool]]:
    c = st.colon
    rows = [(f"商品の小計{c}", _price(rng, o.subtotal), False),
            (f"配送料・手数料{c}", _price(rng, o.shipping_fee), False)]
    if rng.random() < 0.3:
        rows.append((f"注文合計（税込）{c}" if o.layout == "summary2025" else f"注文合計{c}", _price(rng, o.total), False))
    else:
        rows.append((f"注文合計{c}", _price(rng, o.total), False))
    if o.points:
        rows.append((f"Amazonポイント{c}", _price(rng, o.points, True), False))
    if o.gift_balance:
        rows.append((f"Amazonギフト券・Amazonショッピングカードの金額{c}", _price(rng, o.gift_balance, True), False))
    if o.show_billed:
        rows.append((f"ご請求額{c}", _price(rng, o.billed), True))
    return rows


def _summary_table(rows: list[tuple[str, str, bool]], nowrap: bool = False) -> str:
    out = ['<table cellspacing="0" cellpadding="2" align="right">']
    style = ' style="white-space:nowrap"' if nowrap else ""
    for label, value, bold in rows:
        lb, vb = (f"<b>{label}</b>", f"<b>{value}</b>") if bold else (label, value)
        out.append(f'<tr><td align="right"{style}>{lb}</td><td align="right"{style}>{vb}</td></tr>')
    out.append("</table>")
    return "".join(out)


def _address_html(o: AmazonOrder) -> str:
    code, street, building = o.address
    parts = [_e(o.name), code, _e(street)]
    if building:
        parts.append(_e(building))
    parts.append("日本")
    return "<br>".join(parts)


def _box(inner: str, st: PageStyle, width: str = "90%") -> str:
    return (f'<table width="{width}" align="center" border="1" cellspacing="0" cellpadding="6" '
            f'style="border-style:solid; border-color:{st.border}; border-collapse:collapse">'
            f"<tr><td>{inner}</td></tr></table>")


def _logo(rng: random.Random, st: PageStyle) -> str:
    big = int(st.font_px * 2.0)
    return (f'<p><span style="font-size:{big}px; font-weight:bold">amazon</span>'
            f'<span style="font-size:{int(st.font_px * 1.2)}px">.co.jp</span></p>')


def classic_html(rng: random.Random, o: AmazonOrder, st: PageStyle) -> str:
    c = st.colon
    h = int(st.font_px * rng.uniform(1.4, 1.8))
    odate = _date(o.order_date, st.date_form, st.header_date_pad)
    parts = [_logo(rng, st) if rng.random() < 0.8 else "",
             f'<p align="center"><span style="font-size:{h}px; font-weight:bold">{o.title}</span></p>']
    order_label = rng.choice(["Amazon.co.jp注文番号", "注文番号", "Amazon.co.jp 注文番号"])
    header_rows = [f"<b>注文日{c}</b> {odate}" if not o.digital else f"<b>デジタル注文{c}</b> {odate}",
                   f"<b>{order_label}{c}</b> {o.order_number}",
                   f"<b>{st.total_label}{c}</b> {_price(rng, o.total)}"]
    parts.append('<table width="90%" align="center" cellspacing="0" cellpadding="1">'
                 + "".join(f"<tr><td>{r}</td></tr>" for r in header_rows) + "</table><br>")
    italic = rng.random() < 0.92
    for sh in o.shipments:
        if o.digital:
            head = f"<b>デジタル注文{c} {_date(sh.date, st.date_form)}</b>"
        else:
            head = f'<b>{_date(sh.date, "kanji", st.header_date_pad)}に発送済み</b>'
        inner = f'<p align="center" style="font-size:{int(st.font_px * 1.1)}px">{head}</p>'
        inner += _items_table(rng, sh, st, italic)
        if not o.digital:
            inner += (f"<p><b>配送先住所{c}</b><br>{_address_html(o)}</p>"
                      f"<p><b>配送方法{c}</b><br>{rng.choice(['通常配送', 'お急ぎ便', 'Eメール配送', '当日お急ぎ便'])}</p>")
        parts.append(_box(inner, st) + "<br>")
    pay = (f'<p align="center"><b>支払い情報</b></p>'
           f'<table width="100%" cellspacing="0" cellpadding="2"><tr>'
           f'<td valign="top" width="50%"><b>支払い方法{c}</b><br>{_e(o.payment)}<br><br>'
           f"<b>請求先住所</b><br>{_address_html(o)}</td>"
           f'<td valign="top" align="right">{_summary_table(_summary_rows(rng, o, st), st.width >= 800)}</td></tr></table>')
    parts.append(_box(pay, st) + "<br>")
    if o.card_last4 and rng.random() < 0.6:
        brand = o.payment.split(" |")[0]
        lines = "<br>".join(
            f"{brand} 末尾: {o.card_last4}{c} {_date(sh.date, st.date_form)}{c} {_price(rng, o.billed if i == 0 else 0)}"
            for i, sh in enumerate(o.shipments[:1]))
        parts.append(_box(f"<b>クレジットカード取引</b><br>{lines}", st) + "<br>")
    parts.append('<p align="center" style="color:#444">このページを印刷するには、ブラウザの印刷ボタンをクリックしてください。</p>')
    if rng.random() < 0.6:
        parts.append('<p align="center" style="color:#666">利用規約 | プライバシー規約 '
                     f"© 1996-{max(o.order_date.year, 2025)}, Amazon.com, Inc. or its affiliates</p>")
    return _wrap(parts, st)


def summary2025_html(rng: random.Random, o: AmazonOrder, st: PageStyle) -> str:
    """The 2025 「印刷可能な注文概要」: a summary block on top, then the items."""
    c = st.colon
    h = int(st.font_px * rng.uniform(1.5, 1.9))
    title = rng.choice(["注文の概要", "印刷可能な注文概要", "注文内容"])
    odate = _date(o.order_date, "kanji", st.header_date_pad)
    parts = [_logo(rng, st),
             f'<p><span style="font-size:{h}px; font-weight:bold">{title}</span></p>',
             f'<p>注文日{c} {odate}&nbsp;&nbsp;&nbsp;&nbsp;注文番号{c} {o.order_number}</p>']
    top = ('<table width="100%" cellspacing="0" cellpadding="6"><tr>'
           f'<td valign="top"><b>お届け先</b><br>{_address_html(o)}</td>'
           f'<td valign="top"><b>支払い方法</b><br>{_e(o.payment)}</td>'
           f'<td valign="top"><b>注文の概要</b>{_summary_table(_summary_rows(rng, o, st))}</td>'
           "</tr></table>")
    parts.append(_box(top, st, "100%") + "<br>")
    italic = rng.random() < 0.3
    for sh in o.shipments:
        head = f'<b>{_date(sh.date, "kanji")}に発送済み</b>'
        parts.append(_box(f"<p>{head}</p>" + _items_table(rng, sh, st, italic), st, "100%") + "<br>")
    parts.append(f'<p style="color:#666">© 1996-{max(o.order_date.year, 2025)}, Amazon.com, Inc. or its affiliates</p>')
    return _wrap(parts, st)


def _wrap(parts: list[str], st: PageStyle) -> str:
    return f'<html><body style="font-size:{st.font_px}px">' + "".join(parts) + "</body></html>"


def page_html(rng: random.Random, o: AmazonOrder, st: PageStyle) -> str:
    return summary2025_html(rng, o, st) if o.layout == "summary2025" else classic_html(rng, o, st)


# ---------------------------------------------------------------- rendering


def _document(page: str, st: PageStyle, *, for_print: bool = False):  # -> QTextDocument
    from PySide6.QtGui import QFont, QTextDocument

    fonts.ensure_qt_fonts()
    doc = QTextDocument()
    f = QFont()
    f.setFamilies(st.families)
    f.setPixelSize(st.font_px)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    if for_print:
        # A distinct style strategy gives the PDF its own font engines in Qt's
        # cache; shared ones come back with print metrics and would change
        # later screen layouts, so a seed would not give the same picture twice.
        f.setStyleStrategy(QFont.StyleStrategy.ForceOutline)
    doc.setDefaultFont(f)
    doc.setDocumentMargin(max(8, st.width // 40))
    doc.setHtml(page)
    doc.setTextWidth(st.width)
    return doc


def render_page(page: str, st: PageStyle) -> Image.Image:
    """Lay the HTML out at the style's width and paint it; returns an RGB image."""
    from PySide6.QtGui import QColor, QImage, QPainter

    doc = _document(page, st)
    w = int(st.width * st.dpr)
    h = int(doc.size().height() * st.dpr) + 1
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(st.dpr, st.dpr)
    doc.drawContents(p)
    p.end()
    return _qimage_to_pil(img)


def _qimage_to_pil(img) -> Image.Image:
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)
    return Image.fromarray(buf[:, : w * 3].reshape(h, w, 3).copy(), "RGB")


def render_pdf(page: str, st: PageStyle, path: Path, *, printed: dt.datetime, doc_id: str,
               header: tuple[str, str] | None = None, footer_url: str | None = None) -> None:
    """Write the page as an A4 PDF with a real text layer, as a browser's print-to-PDF does.

    The Japanese font is WenQuanYi (TrueType): Qt maps CFF CJK glyphs back to
    Kangxi radicals (⽂ for 文) in the text layer, which would poison it.
    """
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setResolution(96)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(10, 12, 10, 12), QPageLayout.Unit.Millimeter)
    writer.setCreator("Chromium")
    writer.setTitle("Amazon.co.jp - 領収書")
    rect = writer.pageLayout().paintRectPixels(96)
    st_pdf = PageStyle(**{**st.__dict__, "width": rect.width(), "dpr": 1.0})
    doc = _document(page, st_pdf, for_print=True)
    doc.documentLayout().setPaintDevice(writer)
    page_h = rect.height() - 30
    # A page size makes the layout break between lines, never through one.
    doc.setPageSize(QSizeF(rect.width(), page_h))
    n_pages = max(1, doc.pageCount())
    p = QPainter(writer)
    small = QFont()
    small.setFamilies(st_pdf.families)
    small.setStyleStrategy(QFont.StyleStrategy.ForceOutline)
    small.setPixelSize(10)
    for i in range(n_pages):
        if i:
            writer.newPage()
        p.save()
        if header:
            p.setFont(small)
            p.drawText(0, 10, header[0])
            p.drawText(int(rect.width() * 0.4), 10, header[1])
        p.translate(0, 18 - i * page_h)
        doc.drawContents(p, QRectF(0, i * page_h, rect.width(), page_h))
        p.restore()
        if footer_url:
            p.setFont(small)
            p.drawText(0, rect.height() - 4, footer_url)
            p.drawText(rect.width() - 40, rect.height() - 4, f"{i + 1}/{n_pages}")
    p.end()
    del p, writer
    _pin_pdf_metadata(path, printed, doc_id)


_PDF_DATE = re.compile(rb"D:\d{14}Z")
_XMP_DATE = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
_UUID = re.compile(rb"uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def _pin_pdf_metadata(path: Path, printed: dt.datetime, doc_id: str) -> None:
    """Replace Qt's wall-clock dates and random document id so that a seed gives the same bytes.

    Every replacement has the same length, so the cross-reference offsets stay valid.
    """
    raw = path.read_bytes()
    raw = _PDF_DATE.sub(printed.strftime("D:%Y%m%d%H%M%SZ").encode(), raw)
    raw = _XMP_DATE.sub(printed.strftime("%Y-%m-%dT%H:%M:%S+00:00").encode(), raw)
    m = _UUID.search(raw)
    if m:
        old = m.group(1)
        new = doc_id.encode()
        assert len(new) == len(old)
        raw = raw.replace(old, new).replace(old.hex().encode(), new.hex().encode())
    path.write_bytes(raw)


# ---------------------------------------------------------------- browser frame


def page_url(o: AmazonOrder) -> str:
    if o.layout == "summary2025":
        return f"https://www.amazon.co.jp/your-orders/invoice/popover?orderId={o.order_number}"
    if o.digital:
        return f"https://www.amazon.co.jp/gp/digital/your-account/order-summary.html?orderID={o.order_number}&print=1"
    return f"https://www.amazon.co.jp/gp/css/summary/print.html/ref=ppx_yo_dt_b_invoice_o00?ie=UTF8&orderID={o.order_number}"


def add_chrome(shot: Image.Image, st: PageStyle, o: AmazonOrder, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """Draw the browser (or phone) frame around a page screenshot."""
    notes: list[str] = []
    if st.chrome == "none":
        return shot, notes
    s = st.dpr
    font = fonts.pil_font(fonts.noto_sans(), int(13 * s))
    w, h = shot.size
    if st.chrome.startswith("desktop"):
        top = int(76 * s)
        bottom = int(44 * s) if st.chrome.endswith("taskbar") else 0
        out = Image.new("RGB", (w, h + top + bottom), (255, 255, 255))
        out.paste(shot, (0, top))
        d = ImageDraw.Draw(out)
        d.rectangle([0, 0, w, top], fill=(222, 225, 230))
        d.rounded_rectangle([int(8 * s), int(6 * s), min(w - 60, int(260 * s)), int(36 * s)], radius=int(8 * s),
                            fill=(255, 255, 255))
        tab = "Amazon.co.jp - 領収書" if o.layout == "classic" else "Amazon.co.jp - 注文の概要"
        d.text((int(18 * s), int(12 * s)), tab, font=font, fill=(40, 40, 40))
        d.rectangle([0, int(36 * s), w, top], fill=(255, 255, 255))
        d.rounded_rectangle([int(90 * s), int(42 * s), w - int(40 * s), int(70 * s)], radius=int(14 * s),
                            fill=(241, 243, 244))
        url = page_url(o)
        max_chars = max(20, int((w - 140 * s) / (7.2 * s)))
        d.text((int(110 * s), int(47 * s)), url[:max_chars], font=font, fill=(60, 60, 60))
        for i, ch in enumerate("←→"):
            d.text((int((10 + i * 26) * s), int(45 * s)), ch, font=font, fill=(90, 90, 90))
        d.line([0, top - 1, w, top - 1], fill=(200, 200, 200))
        notes.append("browser bar")
        if bottom:
            d.rectangle([0, h + top, w, h + top + bottom], fill=(32, 32, 36))
            shown = o.order_date + dt.timedelta(days=rng.randint(3, 300))
            shown = min(shown, TODAY)
            clock = f"{rng.randint(8, 23)}:{rng.randrange(60):02d}"
            day = f"{shown.year}/{shown.month:02d}/{shown.day:02d}"
            tf = fonts.pil_font(fonts.noto_sans(), int(11 * s))
            d.text((w - int(80 * s), h + top + int(5 * s)), clock, font=tf, fill=(240, 240, 240))
            d.text((w - int(80 * s), h + top + int(22 * s)), day, font=tf, fill=(240, 240, 240))
            notes.append("taskbar clock shows another date")
        return out, notes
    # Phone: status bar on top, Safari's address bar at the bottom.
    top, bottom = int(50 * s), int(80 * s)
    out = Image.new("RGB", (w, h + top + bottom), (255, 255, 255))
    out.paste(shot, (0, top))
    d = ImageDraw.Draw(out)
    bold = fonts.pil_font(fonts.noto_sans(), int(15 * s))
    d.text((int(30 * s), int(14 * s)), f"{rng.randint(8, 23)}:{rng.randrange(60):02d}", font=bold, fill=(0, 0, 0))
    d.rounded_rectangle([w - int(50 * s), int(18 * s), w - int(22 * s), int(32 * s)], radius=int(3 * s),
                        outline=(0, 0, 0), width=max(1, int(s)))
    d.rectangle([w - int(48 * s), int(20 * s), w - int(30 * s), int(30 * s)], fill=(0, 0, 0))
    d.rectangle([0, h + top, w, h + top + bottom], fill=(246, 246, 246))
    d.rounded_rectangle([int(14 * s), h + top + int(10 * s), w - int(14 * s), h + top + int(50 * s)],
                        radius=int(12 * s), fill=(255, 255, 255))
    d.text((int(26 * s), h + top + int(18 * s)), "ぁあ", font=font, fill=(0, 0, 0))
    d.text((w // 2 - int(45 * s), h + top + int(18 * s)), "amazon.co.jp", font=font, fill=(0, 0, 0))
    notes.append("phone screenshot (desktop site)")
    return out, notes
