"""Vocabulary for synthetic receipts: names, places, shops and items.

All people, addresses and numbers are invented; shop chains are real because the
checker has to recognise them.
"""

from __future__ import annotations

import random

SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤",
            "吉田", "山本", "松本", "井上", "木村", "林", "清水", "山崎", "森", "池田"]
GIVEN = ["太郎", "花子", "健一", "美咲", "翔太", "陽子", "大輔", "由美", "拓也", "愛",
         "直樹", "恵", "誠", "さくら", "亮", "裕子", "一郎", "真由美", "蓮", "結衣"]

# (prefecture, city/ward, town, postal prefix, phone area code)
PLACES = [
    ("東京都", "新宿区", "西新宿", "160", "03"),
    ("東京都", "渋谷区", "道玄坂", "150", "03"),
    ("東京都", "世田谷区", "三軒茶屋", "154", "03"),
    ("東京都", "八王子市", "旭町", "192", "042"),
    ("神奈川県", "横浜市西区", "南幸", "220", "045"),
    ("神奈川県", "川崎市中原区", "小杉町", "211", "044"),
    ("埼玉県", "さいたま市大宮区", "桜木町", "330", "048"),
    ("千葉県", "千葉市中央区", "富士見", "260", "043"),
    ("大阪府", "大阪市北区", "梅田", "530", "06"),
    ("大阪府", "堺市堺区", "南瓦町", "590", "072"),
    ("京都府", "京都市下京区", "四条通", "600", "075"),
    ("兵庫県", "神戸市中央区", "三宮町", "650", "078"),
    ("愛知県", "名古屋市中村区", "名駅", "450", "052"),
    ("福岡県", "福岡市博多区", "博多駅前", "812", "092"),
    ("北海道", "札幌市中央区", "北五条西", "060", "011"),
    ("宮城県", "仙台市青葉区", "中央", "980", "022"),
    ("広島県", "広島市中区", "紙屋町", "730", "082"),
    ("静岡県", "静岡市葵区", "紺屋町", "420", "054"),
]

BRANCH_SUFFIXES = ["店", "店", "店", "駅前店", "一丁目店", "中央店", "北口店", "南店"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def place(rng: random.Random) -> tuple[str, str, str, str, str]:
    return rng.choice(PLACES)


def address_lines(rng: random.Random) -> tuple[str, str, str]:
    """Postal code, street address, building (may be empty)."""
    pref, city, town, postal, _ = place(rng)
    code = f"〒{postal}-{rng.randrange(10000):04d}"
    street = f"{pref}{city}{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    building = rng.choice(["", "", f"コーポ{rng.choice(['青葉', '桜', '緑'])} {rng.randint(1, 5)}0{rng.randint(1, 9)}",
                           f"サンハイツ{rng.randint(1, 12)}0{rng.randint(1, 9)}号室"])
    return code, street, building


def phone(rng: random.Random, area: str | None = None) -> str:
    area = area or place(rng)[4]
    mid_len = max(2, min(4, 6 - len(area)))
    return f"{area}-{rng.randrange(10 ** mid_len):0{mid_len}d}-{rng.randrange(10000):04d}"


def invoice_number(rng: random.Random) -> str:
    return "T" + "".join(str(rng.randrange(10)) for _ in range(13))


# Shop chains: canonical name, ways the name is printed at the top, layout family.
CHAINS: list[dict] = [
    {"name": "セブン-イレブン", "logos": ["セブン-イレブン", "7-ELEVEn", "セブン－イレブン"], "style": "cvs",
     "kiosk": None, "company": "株式会社セブン-イレブン・ジャパン", "weight": 3},
    {"name": "ファミリーマート", "logos": ["FamilyMart", "ファミリーマート"], "style": "cvs",
     "kiosk": "Famiポート", "company": "株式会社ファミリーマート", "weight": 3},
    {"name": "ローソン", "logos": ["LAWSON", "ローソン"], "style": "cvs",
     "kiosk": "Loppi", "company": "株式会社ローソン", "weight": 3},
    {"name": "ミニストップ", "logos": ["MINISTOP", "ミニストップ"], "style": "cvs",
     "kiosk": None, "company": "ミニストップ株式会社", "weight": 1.5},
    {"name": "デイリーヤマザキ", "logos": ["デイリーヤマザキ", "Daily YAMAZAKI"], "style": "cvs",
     "kiosk": None, "company": "山崎製パン株式会社", "weight": 0.7},
    {"name": "セイコーマート", "logos": ["セイコーマート", "Seicomart"], "style": "cvs",
     "kiosk": None, "company": "株式会社セコマ", "weight": 0.5},
    {"name": "ウエルシア", "logos": ["ウエルシア薬局", "welcia ウエルシア"], "style": "drug",
     "kiosk": None, "company": "ウエルシア薬局株式会社", "weight": 1.5},
    {"name": "マツモトキヨシ", "logos": ["マツモトキヨシ", "matsukiyo"], "style": "drug",
     "kiosk": None, "company": "株式会社マツモトキヨシ", "weight": 1.5},
    {"name": "ツルハドラッグ", "logos": ["ツルハドラッグ"], "style": "drug",
     "kiosk": None, "company": "株式会社ツルハ", "weight": 1},
    {"name": "スギ薬局", "logos": ["スギ薬局"], "style": "drug",
     "kiosk": None, "company": "株式会社スギ薬局", "weight": 0.8},
    {"name": "イオン", "logos": ["AEON", "イオン"], "style": "super",
     "kiosk": None, "company": "イオンリテール株式会社", "weight": 1.5},
    {"name": "イトーヨーカドー", "logos": ["イトーヨーカドー", "IY イトーヨーカドー"], "style": "super",
     "kiosk": None, "company": "株式会社イトーヨーカ堂", "weight": 0.8},
    {"name": "ドン・キホーテ", "logos": ["ドン・キホーテ", "驚安の殿堂 ドン・キホーテ"], "style": "super",
     "kiosk": None, "company": "株式会社ドン・キホーテ", "weight": 0.8},
]

# Amazon gift-card lines as different POS systems print them. {amt} is the face
# value where a system prints it in the name.
GIFT_SPELLINGS_FIXED = [
    "Amazonギフトカード", "Amazonギフトカード {amt}円", "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ", "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ{amt}",
    "ＡＭＡＺＯＮギフトカード", "ＡＭＡＺＯＮ　ＰＯＳＡ", "AMAZON POSA {amt}", "Amazon POSAカード",
    "アマゾンギフトカード", "Amazonギフト券", "ｱﾏｿﾞﾝｷﾞﾌﾄ券 {amt}", "Amazon ｷﾞﾌﾄｶｰﾄﾞ",
    "ＰＯＳＡ　Ａｍａｚｏｎ", "AMAZONｷﾞﾌﾄｶｰﾄﾞ",
]
GIFT_SPELLINGS_VARIABLE = [
    "Amazonギフトカード バリアブル", "ｱﾏｿﾞﾝｷﾞﾌﾄｶｰﾄﾞ ﾊﾞﾘｱﾌﾞﾙ", "ＡＭＡＺＯＮ　バリアブル",
    "AMAZON POSA ﾊﾞﾘｱﾌﾞﾙ", "Amazonｷﾞﾌﾄ ﾊﾞﾘｱﾌﾞﾙ", "ｱﾏｿﾞﾝ ﾊﾞﾘｱﾌﾞﾙｶｰﾄﾞ",
]
GIFT_SPELLINGS_KIOSK = {
    "Loppi": ["Loppi Amazonギフト", "ﾛｯﾋﾟｰ ｱﾏｿﾞﾝｷﾞﾌﾄ", "Loppi Amazonギフトカード"],
    "Famiポート": ["Famiポート Amazon", "ﾌｧﾐﾎﾟｰﾄ ｱﾏｿﾞﾝｷﾞﾌﾄ", "Famiポート Amazonギフトカード"],
}

# Cards of other brands: (printed name, brand) — never an Amazon gift card.
OTHER_CARDS = [
    ("iTunesカード", "iTunes"), ("App Store & iTunes", "iTunes"), ("Apple Gift Card", "Apple"),
    ("ｱｯﾌﾟﾙｷﾞﾌﾄｶｰﾄﾞ", "Apple"), ("Google Play ギフトコード", "Google Play"),
    ("ｸﾞｰｸﾞﾙﾌﾟﾚｲ ｶｰﾄﾞ", "Google Play"), ("GooglePlay POSA", "Google Play"),
    ("QUOカード", "QUO"), ("ｸｵｶｰﾄﾞ 1000", "QUO"), ("ﾆﾝﾃﾝﾄﾞｰﾌﾟﾘﾍﾟｲﾄﾞ", "Nintendo"),
    ("楽天ポイントギフトカード", "Rakuten"), ("PlayStation Store ﾁｹｯﾄ", "PlayStation"),
]

# Everyday shop items: (name, price, reduced tax rate 8%).
SHOP_ITEMS = [
    ("おにぎり 鮭", 160, True), ("ﾂﾅﾏﾖおにぎり", 140, True), ("緑茶 500ml", 140, True),
    ("ｺｰﾋｰ M", 150, True), ("ホットコーヒーＲ", 110, True), ("ﾐﾈﾗﾙｳｫｰﾀｰ", 108, True),
    ("サンドイッチ", 298, True), ("からあげ弁当", 498, True), ("牛乳 1000ml", 238, True),
    ("ﾁｮｺﾚｰﾄ", 128, True), ("ポテトチップス", 158, True), ("のど飴", 198, True),
    ("ﾃｨｯｼｭﾍﾟｰﾊﾟｰ 5P", 398, False), ("ボールペン 黒", 165, False), ("レジ袋 L", 5, False),
    ("単3電池 4本", 528, False), ("ﾏｽｸ 30枚", 658, False), ("ハンドソープ", 248, False),
    ("目薬", 698, False), ("歯ブラシ", 198, False), ("洗剤 詰替", 328, False),
    ("ﾊﾞｯﾃﾘｰ充電器", 2480, False), ("雑誌", 780, True), ("アイスクリーム", 176, True),
]

# Items for Amazon orders that are not gift cards: (title, price, seller).
AMAZON_ITEMS = [
    ("ハリー・ポッターと賢者の石 (文庫)", 1078, "Amazon.co.jp"),
    ("Anker PowerCore 10000 モバイルバッテリー", 2990, "AnkerDirect"),
    ("ロジクール ワイヤレスマウス M185", 1480, "Amazon.co.jp"),
    ("【Amazon.co.jp限定】 天然水 2L×9本", 1098, "Amazon.co.jp"),
    ("エレコム USB-C ケーブル 1.0m", 980, "Amazon.co.jp"),
    ("キングジム テプラ テープカートリッジ", 1320, "Amazon.co.jp"),
    ("Echo Dot 第5世代 スマートスピーカー", 7480, "Amazon.co.jp"),
    ("Fire TV Stick 第3世代", 4980, "Amazon.co.jp"),
    ("サーモス 真空断熱ケータイマグ 500ml", 2680, "Amazon.co.jp"),
    ("マンガでわかる統計学 (単行本)", 2200, "Amazon.co.jp"),
    ("パナソニック エネループ 単3形 4本", 1650, "Amazon.co.jp"),
    ("無印良品 ノート A5", 590, "良品計画"),
    ("キッチンペーパー 4ロール×6パック", 1580, "Amazon.co.jp"),
    ("SanDisk microSDXC 128GB", 1980, "Amazon.co.jp"),
]
DIGITAL_ITEMS = [
    ("Kindle版 ワンピース 108 (ジャンプコミックスDIGITAL)", 528),
    ("Kindle版 嫌われる勇気", 1485),
    ("Audible オーディオブック 1冊", 1500),
    ("Amazon Music Unlimited 個人プラン", 1080),
]

GIFT_TYPES = ["Eメールタイプ", "印刷タイプ", "チャージタイプ", "ボックスタイプ", "封筒タイプ",
              "カードタイプ", "グリーティングカードタイプ"]
GIFT_SUFFIXES = [" - Amazonベーシック", " - Amazonベーシック", "", " - お祝い", " - ありがとう",
                 " - 誕生日", " - Amazonロゴ", " - ブラック"]

PROSE = [
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。",
    "何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。",
    "今日は朝から雨が降っていたので、一日中家で本を読んで過ごしました。",
    "来週の会議では新しいプロジェクトの進め方について話し合う予定です。",
    "駅前の商店街に新しいパン屋ができたので、週末に行ってみようと思います。",
    "春になると公園の桜が一斉に咲き、多くの人が花見に訪れます。",
    "この資料は社内向けの説明用であり、外部への配布はご遠慮ください。",
    "夏休みの自由研究として、近所の川に住む生き物を調べることにした。",
    "山の上から見た景色はとても美しく、疲れを忘れるほどだった。",
    "明日の天気は晴れのち曇り、夕方から所により雨が降るでしょう。",
    "図書館の開館時間は午前九時から午後八時までとなっております。",
    "お問い合わせは平日の午前十時から午後五時までにお願いいたします。",
]
