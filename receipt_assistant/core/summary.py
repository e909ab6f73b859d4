"""A bundle's summary.html: what the bundle says, readable without the app.

Staff or a lawyer may open a bundle years later on any computer; the summary
repeats the manifest's facts in Japanese (with English labels) as a plain,
self-contained page. Every value is escaped: a bundle's text came from a
customer and from OCR.
"""

from __future__ import annotations

from html import escape
from typing import Any

from receipt_assistant.core.submission import SummaryLine, lines_from_manifest

_FIELD_LABELS = {
    "date": "購入日 (date)",
    "amount": "金額 (amount)",
    "gift_card": "ギフトカードの行 (gift-card line)",
    "order_number": "注文番号 (order number)",
    "store": "店舗 (store)",
}
_DECLARED_LABELS = {
    "route": "購入場所 (route)",
    "amount": "金額 (amount)",
    "purchase_date": "購入日 (purchase date)",
    "name": "お名前 (name)",
    "email": "メール (email)",
    "reference": "受付番号 (reference)",
}
_ROUTES = {"amazon": "Amazon.co.jp", "store": "店舗 (store)"}

_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 60em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.ok { color: #17612b; } .ng { color: #a3161b; font-weight: bold; }
.shop li { margin: 0.4em 0; } .shop .en { color: #555; }
.check, .missing { color: #8a5a00; font-weight: bold; } .typed { color: #1f4f8f; font-weight: bold; }
"""
# The mark before each "what the shop will see" sentence: readable without colour.
_MARKS = {"ok": "✓", "check": "要確認 (check)", "typed": "入力 (typed)", "missing": "なし (missing)"}


def _yen(v: Any) -> str:
    return f"{v:,}円" if isinstance(v, int) and not isinstance(v, bool) else _value(v)


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if v is True:
        return "あり (yes)"
    if v is False:
        return "なし (no)"
    if isinstance(v, int):
        return f"{v:,}"
    return escape(str(v))


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def _shop_lines(lines: list[SummaryLine]) -> str:
    items = "".join(
        f'<li><span class="{escape(ln.state)}">{escape(_MARKS.get(ln.state, ln.state))}</span> '
        f'{escape(ln.message.ja)}<br><span class="en">{escape(ln.message.en)}</span></li>'
        for ln in lines
    )
    return f'<ul class="shop">{items}</ul>'


def render(manifest: dict[str, Any]) -> str:
    """The summary page for a manifest (everything but the summary's own entry)."""
    d = manifest["declared"]
    r = manifest["reading"]
    declared_rows = [
        (_DECLARED_LABELS[k], escape(_ROUTES.get(d[k], str(d[k]))) if k == "route"
         else _yen(d[k]) if k == "amount" else _value(d[k]))
        for k in _DECLARED_LABELS
    ]
    field_rows = []
    for name, label in _FIELD_LABELS.items():
        f = r["fields"][name]
        value = _yen(f["value"]) if name == "amount" else _value(f["value"])
        field_rows.append((label, value, f"{f['confidence']:.0%}", escape(f["text"] or "")))
    check_rows = [
        (f'<span class="{"ok" if c["ok"] else "ng"}">{"OK" if c["ok"] else "NG"}</span>',
         escape(c["message_ja"]), escape(c["message_en"]))
        for c in r["checks"]
    ]
    corrections = [
        (escape(c["field"]), *((_yen if c["field"] == "amount" else _value)(c[k]) for k in ("value_read", "value_given")),
         escape(c["at"]))
        for c in manifest["corrections"]
    ]
    overrides = [(escape(o["problem"]), escape(o["note"]), escape(o["at"])) for o in manifest["overrides"]]
    files = [
        (escape(f["path"]), escape(f["role"]), escape(", ".join(f.get("metadata_removed", [])) or "—"),
         f'<code>{escape(f["sha256"])}</code>')
        for f in manifest["files"]
    ]
    tess = manifest.get("tesseract") or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        "<title>購入証明の控え (proof of purchase)</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>購入証明の控え <small>(proof of purchase)</small></h1>",
        f"<p>作成日時 (created): {escape(manifest['created_at'])} ／ ID: {escape(manifest['bundle_id'])} ／ "
        f"receipt-assistant {escape(manifest['app']['version'])} ／ "
        f"Tesseract {escape(str(tess.get('version', '—')))} {escape(str(tess.get('languages', '')))}</p>",
        "<h2>ショップにお伝えすること <small>(What the shop will see)</small></h2>",
        _shop_lines(lines_from_manifest(manifest)),
        "<h2>お客様の申告 (declared by the customer)</h2>",
        _table(("項目", "値"), declared_rows),
        "<h2>画像から読み取った値 (read from the images)</h2>",
        _table(("項目", "値", "確かさ", "読み取った文字"), field_rows),
        "<h2>確認結果 (checks)</h2>",
        _table(("結果", "内容", "Detail"), check_rows),
        "<h2>お客様による修正 (corrections by the customer)</h2>",
        _table(("項目", "読み取り", "修正後", "日時"), corrections) if corrections else "<p>なし (none)</p>",
        "<h2>警告を確認のうえ使用 (used despite a warning)</h2>",
        _table(("警告", "メモ", "日時"), overrides) if overrides else "<p>なし (none)</p>",
        "<h2>ファイル (files)</h2>",
        _table(("パス", "種類", "削除したメタデータ", "SHA-256"), files),
        "</body></html>",
    ]
    return "\n".join(parts)
