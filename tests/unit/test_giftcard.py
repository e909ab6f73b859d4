"""Which lines prove an Amazon gift card was bought, and which only pay with one."""

from __future__ import annotations

import pytest

from receipt_assistant.core.giftcard import (
    is_other_brand,
    is_payment_line,
    match_brand,
    match_gift_card,
)
from receipt_assistant.core.text import normalize


@pytest.mark.parametrize(
    "text",
    [
        # Amazon receipt item names
        pytest.param("Amazonギフトカード(Eメールタイプ) - Amazonベーシック", id="email-basic"),
        pytest.param("Amazonギフトカード(印刷タイプ)", id="print"),
        pytest.param("Amazonギフトカード(チャージタイプ)", id="charge"),
        pytest.param("Amazonギフトカード(ボックスタイプ) - Amazonベーシック", id="box"),
        pytest.param("Amazonギフトカード(封筒タイプ)", id="envelope"),
        pytest.param("Amazonギフト券(Eメールタイプ) - Amazonベーシック", id="old-name"),
        pytest.param("Amazonギフト券 - Eメールタイプ", id="old-name-dash"),
        pytest.param("Amazonギフトカード チャージタイプ(直接アカウントに残高追加)", id="charge-balance-add"),
        pytest.param("1 点 Amazonギフトカード(Eメールタイプ) ￥ 5,000", id="with-qty-and-price"),
        pytest.param("Amazon.co.jp Gift Card - E-mail", id="english"),
        pytest.param("Amazon ギ フ ト カ ー ド ( E メ ー ル タ イ プ )", id="tesseract-spaces"),
        # Shop slips
        pytest.param("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000", id="halfwidth-kana"),
        pytest.param("ｱﾏｿﾞﾝｷﾞﾌﾄ券 ¥3,000", id="halfwidth-kana-ken"),
        pytest.param("ＡＭＡＺＯＮ　ＰＯＳＡ ¥10,000", id="fullwidth-posa"),
        pytest.param("AMAZON POSA", id="posa"),
        pytest.param("ｱﾏｿﾞﾝ ﾊﾞﾘｱﾌﾞﾙ ¥7,000", id="variable"),
        pytest.param("Amazonギフトカード 5000円", id="with-denomination"),
        pytest.param("Amazonギフト券(Loppi)", id="kiosk"),
        pytest.param("Loppi Amazon¥ 7 k ¥12,500", id="kiosk-gift-word-lost"),
        pytest.param("Famiポート Amazon ¥5,000", id="famiport"),
        pytest.param("アマゾンギフト ¥3,000", id="truncated-column"),
        pytest.param("Amazonギフトカードバリアブル", id="variable-katakana"),
        # OCR garbles
        pytest.param("Arnazonギフトカード", id="rn-for-m"),
        pytest.param("Amaz0nギフトカード", id="zero-for-o"),
        pytest.param("Amazomギフトカード", id="m-for-n"),
        pytest.param("Amazn ギフトカード", id="dropped-letter"),
        pytest.param("Ammazonギフトカード", id="extra-letter"),
        pytest.param("Amazonギフ卜カード", id="kanji-to"),
        pytest.param("Amazonギフト力ード", id="kanji-ka"),
        pytest.param("Amazonギフトカ一ド", id="kanji-one"),
        pytest.param("Amazonギフトカ-ド", id="hyphen"),
        pytest.param("Amazonギフトカド", id="dropped-kana"),
        pytest.param("Amazonギフトカーード", id="extra-kana"),
        pytest.param("Amazonギフト巻", id="ken-as-maki"),
        pytest.param("アマソンギフトカード", id="lost-dakuten"),
        pytest.param("ーロッビーアマソンキフト¥10,000", id="lost-dakuten-on-gi-too"),
        pytest.param("アマソゾ-ンキーフトカート-っらoe", id="halfwidth-dakuten-split-off"),
        pytest.param("AMAZ0N P0SA", id="posa-zeros"),
        pytest.param("A M A Z O N POSA ¥3,000", id="spaced-letters"),
        pytest.param("ZON POSA 10000", id="name-cut-by-column"),
        pytest.param("Amazonギフトムトカード", id="split-character"),
        pytest.param("Amazonギフムト券", id="split-character-ken"),
        pytest.param("1点Aazonaギフトカード(Eメールタイプ- \\ 2,000", id="dash-before-yen-is-not-a-discount"),
        # Half-width ｱﾏｿﾞﾝ ﾊﾞﾘｱﾌﾞﾙｶｰﾄﾞ / ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ as Tesseract reads it widened:
        # ｿﾞ becomes one or two letters, ｱ comes back small.
        pytest.param("ァマソーン~リアブルカード ¥45,600", id="halfwidth-small-a-and-long-mark"),
        pytest.param("ァマソレンハーリアブルカート ¥27,600", id="halfwidth-dakuten-as-re"),
        pytest.param("アマフリンバリアブルカード ¥5,000", id="halfwidth-so-as-two-letters"),
        pytest.param("アマンリンギフトカードバリアフル¥10,000", id="halfwidth-n-before-so"),
        pytest.param("アマソン“ンギフトカード ¥3,000", id="halfwidth-dakuten-as-quote"),
        # ... and at its own width: ﾏ merged into ｱ, ﾝ read as ッ, ｶ as か.
        pytest.param("アゾッギフトかド¥3,000", id="halfwidth-narrow-ma-lost"),
        pytest.param("アリゾッギフトかード ¥3,000", id="halfwidth-narrow-ma-as-ri"),
        pytest.param("Amazonギフトかード", id="ka-as-hiragana"),
        # A Loppi sheet's ﾛｯﾋﾟｰ ｱﾏｿﾞﾝｷﾞﾌﾄ: the kiosk named in katakana beside a garbled brand
        pytest.param("ロッビーアマヅンギフト¥14,0003JE", id="loppi-in-katakana"),
    ],
)
def test_gift_card_purchase(text: str) -> None:
    score = match_gift_card(normalize(text))
    assert score is not None and 0.7 <= score <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        # A photographed till slip's Amazonｷﾞﾌﾄｶｰﾄﾞ: half the name, and ｷﾞﾌﾄｶｰﾄﾞ's tail with its middle garbled
        pytest.param("azonセむフトォード“ Y5 ,.000ま", id="half-name-garbled-tail"),
        pytest.param("azont”フト#ド\\5 , 000非", id="half-name-with-debris-garbled-tail"),
    ],
)
def test_half_a_name_beside_a_garbled_card_word_counts_as_doubtful(text: str) -> None:
    score = match_gift_card(normalize(text))
    assert score is not None and 0.5 <= score < 0.7


@pytest.mark.parametrize(
    "text",
    [
        # Paying with a card or balance
        pytest.param("Amazonギフト券・Amazonショッピングカードの金額: -¥ 1,000", id="amazon-balance-row"),
        pytest.param("Amazonギフトカードの金額: -￥ 500", id="amazon-balance-row-new"),
        pytest.param("ギフト券残高", id="balance"),
        pytest.param("Amazonギフト券残高", id="amazon-balance"),
        pytest.param("Amazonギフトカード残高の利用", id="balance-used"),
        pytest.param("お支払い方法: Amazonギフトカード", id="payment-method"),
        pytest.param("支払方法 Amazonギフト券", id="payment-method-short"),
        pytest.param("Amazonギフトカード ご利用額 ¥1,000", id="amount-used"),
        pytest.param("Amazonギフト券・Amazonショッピ-\\ 18740", id="balance-row-cut"),
        # Other brands
        pytest.param("JCBｷﾞﾌﾄｶｰﾄﾞ 3枚 ¥3,000", id="jcb-tender"),
        pytest.param("iTunesギフトカード ¥3,000", id="itunes"),
        pytest.param("App Store & iTunes ギフトカード", id="app-store"),
        pytest.param("Apple Gift Card ¥5,000", id="apple"),
        pytest.param("Google Play ギフトカード ¥1,500", id="google-play"),
        pytest.param("QUOカード ¥1,000", id="quo"),
        pytest.param("nanacoギフト ¥1,000", id="nanaco"),
        pytest.param("WebMoneyプリペイドカード", id="webmoney"),
        pytest.param("LINEプリペイドカード ¥1,500", id="line"),
        pytest.param("楽天ギフトカード ¥3,000", id="rakuten"),
        pytest.param("ニンテンドープリペイドカード", id="nintendo"),
        pytest.param("PlayStation Store チケット", id="playstation"),
        # Not a gift card at all
        pytest.param("Amazon.co.jp", id="site-name"),
        pytest.param("ギフトカード ¥5,000", id="no-brand"),
        pytest.param("Amazonプライム会費", id="prime"),
        pytest.param("Loppi Amazon.co.jp 代金お支払い ¥3,980", id="loppi-pays-an-amazon-order"),
        pytest.param("Loppi チケット ¥5,500", id="loppi-other-product"),
        pytest.param("Amazonポイント: -￥ 500", id="points"),
        pytest.param("Amazonマスターカード", id="credit-card"),
        pytest.param("アマニ油 ¥498", id="similar-katakana"),
        pytest.param("領収書", id="receipt-title"),
        pytest.param("請求先住所Amazonギフト-\\ 506", id="payment-row-cut-short-by-ocr"),
        pytest.param("", id="empty"),
        # The loose half-width forms of the brand need a gift-card word beside them,
        # and a full one: other half-width items and other brands stay out.
        pytest.param("アマニ>申バラエティ¥498", id="halfwidth-other-item"),
        pytest.param("アマソーン ¥498", id="halfwidth-brand-alone"),
        pytest.param("アリゾッ ギフト ¥1,000", id="halfwidth-brand-weak-gift-word"),
        pytest.param("アマフリンチャージ ¥1,000", id="halfwidth-brand-charge-word"),
        pytest.param("アリゾナギフトカード ¥3,000", id="arizona"),
        pytest.param("ディがニーギフトかド\\3,000", id="halfwidth-other-brand-card"),
        pytest.param("ｸﾞｰｸﾞﾙﾌﾟﾚｲｷﾞﾌﾄｶｰﾄﾞ ¥3,000", id="halfwidth-google-play"),
        pytest.param("ｱｲﾁｭｰﾝｽﾞｶｰﾄﾞ ¥1,500", id="halfwidth-itunes"),
        pytest.param("アッゥッフプブルキフトカート¥S, 000 xx", id="halfwidth-apple-garbled-past-its-name"),
        pytest.param("アゾッギフトかド利用 ¥3,000", id="halfwidth-garbled-used-to-pay"),
        # Neither half a name with debris before it nor フト…ド without the brand
        pytest.param("ソフトボード ¥1,500", id="soft-board"),
        pytest.param("RY Aフト#ド¥5,000(%)", id="garbled-tail-without-brand"),
        pytest.param("nazonフト#ド ¥3,000", id="debris-before-half-name"),
    ],
)
def test_not_a_gift_card_purchase(text: str) -> None:
    assert match_gift_card(normalize(text)) is None


def test_exact_scores_higher_than_garbled() -> None:
    exact = match_gift_card("Amazonギフトカード")
    garbled = match_gift_card("Amazomギフトカド")
    assert exact is not None and garbled is not None and exact > garbled


def test_brand_and_gift_word_must_be_close() -> None:
    text = "Amazon.co.jp アカウントの設定やご注文の確認はこちら 季節のおすすめ ギフトカード"
    assert match_gift_card(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("お支払い方法: Amazonギフトカード", True, id="payment-method"),
        pytest.param("Amazonギフト券・Amazonショッピングカードの金額: -¥ 1,000", True, id="balance-row"),
        pytest.param("ギフト券残高 ¥0", True, id="balance"),
        pytest.param("お預り ¥10,000", True, id="tendered"),
        pytest.param("お釣り ¥5,000", True, id="change"),
        pytest.param("Amazonギフトカード(チャージタイプ) 残高に追加", False, id="charge-purchase"),
        pytest.param("Amazonギフトカード(Eメールタイプ)", False, id="item"),
        pytest.param("ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ¥5,000", False, id="slip-item"),
    ],
)
def test_is_payment_line(text: str, expected: bool) -> None:
    assert is_payment_line(normalize(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("iTunes Card", True, id="itunes"),
        pytest.param("Google Play", True, id="google"),
        pytest.param("QUOカード", True, id="quo"),
        pytest.param("Amazonギフトカード", False, id="amazon"),
        pytest.param("Online order", False, id="line-inside-word"),
    ],
)
def test_is_other_brand(text: str, expected: bool) -> None:
    assert is_other_brand(normalize(text)) is expected


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        pytest.param("ＡＭＡＺＯＮ", True, id="fullwidth"),
        pytest.param("ｱﾏｿﾞﾝ", True, id="halfwidth-kana"),
        pytest.param("Arnazon", True, id="rn"),
        pytest.param("amusing", False, id="two-letters-off"),
        pytest.param("ローソン", False, id="other-word"),
    ],
)
def test_match_brand(text: str, hit: bool) -> None:
    assert (match_brand(normalize(text)) is not None) is hit


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1点4ヵazogのギフトカード(チャージタイプ) - \\ 59,290", id="italic-debris"),
        pytest.param("1点Aヵazoロ0ギフトカード(呑芥タイプ-読代月\\ 30,000", id="italic-debris-2"),
        pytest.param("1点4ヵazoヵギフトルト券(6Eメールタイプ) -5 ¥ 52,000", id="italic-debris-half-read-gift-word"),
        pytest.param("1無4nazonギフト券(晋篇タイプ) ¥ 30,000", id="italic-ken"),
        pytest.param("1点ギフトカード(Eメールタイプ)", id="brand-lost-type-kept"),
    ],
)
def test_garbled_item_names_count_only_on_an_amazon_page(text: str) -> None:
    assert match_gift_card(normalize(text)) is None
    score = match_gift_card(normalize(text), amazon_page=True)
    assert score is not None and score < 0.8


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ギフトカード・ギフト券", id="navigation"),
        pytest.param("Google Playギフトカード(Eメールタイプ)", id="other-brand-sold-on-amazon"),
        pytest.param("お支払い方法: ギフトカード", id="payment"),
        pytest.param("ギフトカード ¥5,000", id="no-debris-no-type"),
    ],
)
def test_amazon_page_leniency_has_limits(text: str) -> None:
    assert match_gift_card(normalize(text), amazon_page=True) is None


@pytest.mark.parametrize(
    "text",
    [
        # ｷﾞﾌﾄｶｰﾄﾞ after a clearly read brand, as Tesseract garbles it on a slip photo.
        pytest.param("AMACONf 7トかカド¥3,000", id="tail-after-latin-debris"),
        pytest.param("Amazon 7トカード ¥5,000", id="tail-seven-for-fu"),
        pytest.param("Amazonも刈-ド", id="card-after-one-letter-debris"),
        pytest.param("AMAZON f`カード ¥3,000", id="card-after-symbol-debris"),
        pytest.param("アマゾンも刈ード ¥10,000", id="katakana-brand-card-after-debris"),
    ],
)
def test_half_read_gift_word_after_a_clear_brand(text: str) -> None:
    score = match_gift_card(normalize(text))
    assert score is not None and score < 0.9


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Amazonカード ¥3,000", id="card-without-debris"),
        pytest.param("Amazon カード", id="card-spaced"),
        pytest.param("Amazonのカード", id="particle-no"),
        pytest.param("Amazonアプリカード", id="katakana-word-between"),
        pytest.param("Amazon紙カード", id="kanji-between"),
        pytest.param("Amazon Mastercard も刈-ド", id="credit-card"),
        pytest.param("Amazonも刈-ド お支払", id="payment"),
        pytest.param("AMACNf`フトかド ¥3,000", id="brand-too-garbled"),
        pytest.param("アマノーンも刈ード ¥3,000", id="loose-brand-needs-clear-gift-word"),
        pytest.param("iTunesも刈-ド ¥3,000", id="itunes"),
        pytest.param("Google Playf 7トかカド ¥3,000", id="google-play"),
        pytest.param("ＬＩＮＥも刈-ド ¥3,000", id="line"),
        pytest.param("Appleも刈-ド ¥3,000", id="apple"),
        pytest.param("ニンテンドーも刈-ド ¥3,000", id="nintendo"),
        pytest.param("Amazon Echo Dot ¥5,980", id="product"),
        pytest.param("Amazon Fire TV Stick カード ¥4,980", id="product-long-debris"),
        pytest.param("も刈-ド ¥3,000", id="no-brand"),
    ],
)
def test_half_read_gift_word_needs_a_clear_brand_right_before(text: str) -> None:
    assert match_gift_card(normalize(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        # ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ with its voicing marks read as 。 or lost and its narrow letters as look-alikes.
        pytest.param("アマヅ。ンギフトあート5000 ¥ 5,000", id="voicing-mark-as-full-stop"),
        pytest.param("7ィヅッキフト#ート5000 ¥5,000 ※", id="a-as-seven-n-as-small-tsu"),
        pytest.param("アマシンキフトカート ¥3,000", id="n-as-shi-voicing-lost"),
        pytest.param("アマゾ ハリアフル ¥10,000", id="variable-card-n-lost"),
        pytest.param("7ヱヅッキフト券3000 ¥3,000 ※", id="gift-ticket-after-a-garbled-brand"),
    ],
)
def test_half_width_name_matched_by_its_shape(text: str) -> None:
    score = match_gift_card(normalize(text))
    assert score is not None and score < 0.9


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("アマゾンプライムカード ¥4,900", id="another-amazon-card"),
        pytest.param("アップルギフトカード ¥3,000", id="apple"),
        pytest.param("アイチューンズギフトカード ¥3,000", id="itunes"),
        pytest.param("ナナコギフトカード ¥3,000", id="nanaco"),
        pytest.param("アマゾン 払込票 ¥3,000", id="no-gift-word"),
        pytest.param("キフトカート ¥3,000", id="no-brand"),
        pytest.param("アマゾン 北海道産じゃがいものポテトチップス キフトカート", id="brand-too-far"),
    ],
)
def test_shape_match_needs_both_brand_and_gift_word(text: str) -> None:
    assert match_gift_card(normalize(text)) is None


@pytest.mark.parametrize(
    ("readings", "found"),
    [
        pytest.param(["AMNMONfフト-ド\\3,000非", "ズVAズJギフトカード ¥3,000"], True, id="brand_garbled_word_clear"),
        pytest.param(["MAZONf フト-ド\\5,000非", "ギフトカード ¥5,000"], True, id="brand_missing_its_first_letter"),
        pytest.param(["Gooqle Play ¥3,000非", "ギフトカード ¥3,000"], False, id="another_issuer_garbled"),
        pytest.param(["ITUNESS ¥3,000非", "ギフトカード ¥3,000"], False, id="another_issuer_misspelt"),
        pytest.param(["AMNMONfフト-ド\\3,000", "ズVAズJギフトカード ¥3,000"], False, id="not_marked_untaxed"),
    ],
)
def test_a_garbled_latin_brand_counts_on_an_untaxed_card_row_named_a_card_by_another_pass(readings: list[str],
                                                                                            found: bool) -> None:
    """A person reading AMNMON on an untaxed ¥3,000 row that another look shows as ギフトカード sees an Amazon card."""
    from receipt_assistant.core.giftcard import match_gift_card_row

    untaxed = any("非" in r for r in readings)
    assert (match_gift_card_row(readings, untaxed_price=untaxed) is not None) is found
