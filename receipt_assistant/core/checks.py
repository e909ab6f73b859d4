"""Plain-language checks over what was read.

Each check says one calm sentence in Japanese and English and names the values
it looked at, so a customer knows what to fix and staff can see later why a
receipt passed or failed.  A value that was not read fails its check: "we could
not see it" must never look like "it is fine".
"""

from __future__ import annotations

from datetime import date

from receipt_assistant.core.extract import Extraction
from receipt_assistant.core.model import Check, Message


def _ja_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _ja_yen(v: int) -> str:
    return f"{v:,}円"


def _en_yen(v: int) -> str:
    return f"¥{v:,}"


def _date_found(ex: Extraction) -> Check:
    d = ex.fields.date.value
    if d is not None:
        return Check("date_found", True, Message(
            f"購入日は {_ja_date(d)} と読み取りました。",
            f"The purchase date reads {d.isoformat()}.",
        ))
    if ex.future_date is not None:
        f = ex.future_date
        return Check("date_found", False, Message(
            f"読み取った日付 {_ja_date(f)} は今日より後なので、購入日として使えません。"
            "日付の部分がはっきり写っているか確認してください。",
            f"The date read, {f.isoformat()}, is after today, so it cannot be the purchase date. "
            "Please check that the date is clearly visible.",
        ))
    if ex.kind == "amazon":
        return Check("date_found", False, Message(
            "注文日が読み取れませんでした。領収書の上のほうにある「注文日」が写っているか確認してください。",
            "The order date could not be read. Please check that the 注文日 (order date) "
            "near the top of the receipt is in the picture.",
        ))
    return Check("date_found", False, Message(
        "購入日が読み取れませんでした。日付の行が写っているか確認してください。",
        "The purchase date could not be read. Please check that the line with the date is in the picture.",
    ))


def _amount_found(ex: Extraction) -> Check:
    v = ex.fields.amount.value
    if v is None:
        label_ja = "「ご請求額」か「注文合計」" if ex.kind == "amazon" else "「合計」"
        label_en = "ご請求額 or 注文合計" if ex.kind == "amazon" else "合計 (total)"
        return Check("amount_found", False, Message(
            f"合計金額が読み取れませんでした。{label_ja}の行が写っているか確認してください。",
            f"The total could not be read. Please check that the {label_en} line is in the picture.",
        ))
    total = ex.order_total
    if ex.amount_label == "billed" and total is not None and total != v:
        return Check("amount_found", True, Message(
            f"ご請求額は {_ja_yen(v)} と読み取りました(注文合計 {_ja_yen(total)} のうち、"
            "ポイントや残高で支払った分を除いた金額です)。",
            f"The amount charged reads {_en_yen(v)} (the order total {_en_yen(total)} "
            "less what points or balance paid).",
        ))
    if ex.amount_label == "subtotal":
        return Check("amount_found", True, Message(
            f"合計の行が見つからなかったため、小計 {_ja_yen(v)} を金額としました。",
            f"No total line was found, so the subtotal {_en_yen(v)} was taken as the amount.",
        ))
    return Check("amount_found", True, Message(
        f"金額は {_ja_yen(v)} と読み取りました。",
        f"The amount reads {_en_yen(v)}.",
    ))


def _gift_card_found(ex: Extraction) -> Check:
    f = ex.fields.gift_card
    if f.value is True:
        return Check("gift_card_found", True, Message(
            f"Amazonギフトカードを購入した行が見つかりました:「{f.text}」",
            f"Found the line showing an Amazon gift card purchase: \"{f.text}\".",
        ))
    if ex.gift_payment_text:
        return Check("gift_card_found", False, Message(
            "Amazonギフトカードは支払いに使われた行としてだけ書かれていて、"
            f"購入した商品の行は見つかりませんでした(「{ex.gift_payment_text}」)。",
            "An Amazon gift card appears only as a way of paying, not as an item bought "
            f"(\"{ex.gift_payment_text}\").",
        ))
    return Check("gift_card_found", False, Message(
        "Amazonギフトカードを購入したことを示す行が見つかりませんでした。"
        "商品名の行が写っているか確認してください。",
        "No line shows an Amazon gift card being bought. "
        "Please check that the line with the item name is in the picture.",
    ))


def _date_not_future(ex: Extraction, reference: date) -> Check:
    d = ex.fields.date.value
    if d is None:
        if ex.future_date is not None:
            f = ex.future_date
            return Check("date_not_future", False, Message(
                f"読み取った日付 {_ja_date(f)} は今日({_ja_date(reference)})より後です。",
                f"The date read, {f.isoformat()}, is after today ({reference.isoformat()}).",
            ))
        return Check("date_not_future", False, Message(
            "日付が読み取れなかったため、未来の日付でないかを確かめられません。",
            "No date was read, so it cannot be checked against today.",
        ))
    if d > reference:
        return Check("date_not_future", False, Message(
            f"購入日 {_ja_date(d)} が今日({_ja_date(reference)})より後になっています。",
            f"The purchase date {d.isoformat()} is after today ({reference.isoformat()}).",
        ))
    return Check("date_not_future", True, Message(
        f"購入日 {_ja_date(d)} は今日以前の日付です。",
        f"The purchase date {d.isoformat()} is not in the future.",
    ))


def _amount_matches(ex: Extraction, expected: int) -> Check:
    v = ex.fields.amount.value
    if v is None:
        return Check("amount_matches", False, Message(
            f"金額が読み取れなかったため、{_ja_yen(expected)} と一致するか確かめられません。",
            f"The amount was not read, so it cannot be compared with {_en_yen(expected)}.",
        ))
    if v == expected:
        return Check("amount_matches", True, Message(
            f"読み取った金額 {_ja_yen(v)} は、お知らせいただいた {_ja_yen(expected)} と一致します。",
            f"The amount read, {_en_yen(v)}, matches the expected {_en_yen(expected)}.",
        ))
    total = ex.order_total
    if ex.amount_label == "billed" and total == expected:
        return Check("amount_matches", True, Message(
            f"注文合計 {_ja_yen(total)} は、お知らせいただいた {_ja_yen(expected)} と一致します"
            f"(ご請求額 {_ja_yen(v)} はポイントや残高の利用後の金額です)。",
            f"The order total {_en_yen(total)} matches the expected amount "
            f"(the {_en_yen(v)} charged is after points or balance).",
        ))
    return Check("amount_matches", False, Message(
        f"読み取った金額 {_ja_yen(v)} は、お知らせいただいた {_ja_yen(expected)} と一致しません。",
        f"The amount read, {_en_yen(v)}, does not match the expected {_en_yen(expected)}.",
    ))


def _date_matches(ex: Extraction, expected: date, tolerance: int) -> Check:
    d = ex.fields.date.value
    if d is None:
        return Check("date_matches", False, Message(
            f"日付が読み取れなかったため、{_ja_date(expected)} と一致するか確かめられません。",
            f"The date was not read, so it cannot be compared with {expected.isoformat()}.",
        ))
    gap = abs((d - expected).days)
    within = f"({tolerance}日以内)" if tolerance else ""
    within_en = f" (within {tolerance} days)" if tolerance else ""
    if gap <= tolerance:
        return Check("date_matches", True, Message(
            f"購入日 {_ja_date(d)} は、お知らせいただいた {_ja_date(expected)} と一致します{within}。",
            f"The purchase date {d.isoformat()} matches the expected {expected.isoformat()}{within_en}.",
        ))
    return Check("date_matches", False, Message(
        f"購入日 {_ja_date(d)} は、お知らせいただいた {_ja_date(expected)} と{gap}日ずれています。",
        f"The purchase date {d.isoformat()} is {gap} days from the expected {expected.isoformat()}.",
    ))


def _gift_price_matches_total(ex: Extraction) -> Check:
    """Compare the card's price with the total *before* points or balance.

    Amazon's ご請求額 is lower than the item price when points paid part of
    the order, which is legitimate; the order total is the fair comparison.
    """
    price = ex.gift_price or 0
    amount = ex.fields.amount.value
    total = ex.order_total if ex.order_total is not None else amount
    qty = max(ex.gift_quantity, 1)
    if total in (price, price * qty) or (len(ex.gift_rows) > 1 and total == sum(ex.gift_rows)):
        if amount is not None and amount < total:
            return Check("gift_price_matches_total", True, Message(
                f"ギフトカードの価格 {_ja_yen(price)} は注文合計 {_ja_yen(total)} と一致します"
                f"(ご請求額 {_ja_yen(amount)} はポイントや残高の利用後の金額です)。",
                f"The gift card's price {_en_yen(price)} matches the order total {_en_yen(total)} "
                f"(the {_en_yen(amount)} charged is after points or balance).",
            ))
        return Check("gift_price_matches_total", True, Message(
            f"ギフトカードの価格 {_ja_yen(price)} は合計 {_ja_yen(total)} と一致します。",
            f"The gift card's price {_en_yen(price)} matches the total {_en_yen(total)}.",
        ))
    return Check("gift_price_matches_total", False, Message(
        f"ギフトカードの価格 {_ja_yen(price)} と合計 {_ja_yen(total)} が一致しません。"
        "ほかの商品も一緒に買った場合はこのままで問題ありません。",
        f"The gift card's price {_en_yen(price)} differs from the total {_en_yen(total)}. "
        "That is expected if other items were bought at the same time.",
    ))


def run_checks(
    ex: Extraction,
    *,
    reference: date,
    expect_amount: int | None = None,
    expect_date: date | None = None,
    date_tolerance: int = 0,
) -> list[Check]:
    """The checks a reviewer reads, in a fixed order.

    ``expect_amount``/``expect_date`` are what the customer says they paid and
    when; their checks appear only when given.  The price check appears only
    when both the card's price and a total were read.
    """
    checks = [
        _date_found(ex),
        _amount_found(ex),
        _gift_card_found(ex),
        _date_not_future(ex, reference),
    ]
    if expect_amount is not None:
        checks.append(_amount_matches(ex, expect_amount))
    if expect_date is not None:
        checks.append(_date_matches(ex, expect_date, max(date_tolerance, 0)))
    if ex.gift_price is not None and ex.fields.amount.value is not None:
        checks.append(_gift_price_matches_total(ex))
    return checks
