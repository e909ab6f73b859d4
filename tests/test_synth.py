"""The seeded generator of test material: mix, determinism, decodable output, truth."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pypdfium2 = pytest.importorskip("pypdfium2")
pytest.importorskip("pylopdf_fonts_jp")
pytest.importorskip("paperang_p2_fonts_cjk")

from PIL import Image, ImageOps  # noqa: E402

from receipt_assistant.synth import (  # noqa: E402
    CATEGORIES,
    Truth,
    batch,
    generate,
    photo,
    plan,
    read_truth,
    real,
)
from receipt_assistant.synth.model import DEFAULT_CATEGORIES, EARLIEST, REAL_CATEGORIES, TODAY  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
ORDER_NUMBER = re.compile(r"^(\d{3}|D01)-\d{7}-\d{7}$")
SEED, COUNT = 11, 20

pytestmark = pytest.mark.xdist_group("synth")


def _pdf_text(path: Path) -> str:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        parts = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            parts.append(tp.get_text_range())
            tp.close()
            page.close()
        return "\n".join(parts)
    finally:
        doc.close()


def _pdf_pages(path: Path) -> int:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[Path, Truth]]]:
    out = tmp_path_factory.mktemp("synth")
    return out, generate(out, seed=SEED, count=COUNT)


def test_plan_keeps_the_category_mix() -> None:
    jobs = plan(1, 120)
    counts = collections.Counter(j.category for j in jobs)
    assert counts == {"screenshot": 48, "photo": 42, "pdf": 6, "negative": 24}
    assert [(j.recipe, j.seed) for j in jobs] == [(j.recipe, j.seed) for j in plan(1, 120)]
    assert [j.seed for j in jobs] != [j.seed for j in plan(2, 120)]
    negatives = collections.Counter(j.kind for j in jobs if j.category == "negative")
    assert set(negatives) == {"amazon", "store", "unknown"}


def test_plan_filters_by_kind_and_rejects_unknown_names() -> None:
    jobs = plan(1, 30, kinds=["store"])
    assert jobs and {j.kind for j in jobs} == {"store"}
    assert not any(j.category == "screenshot" for j in jobs)
    with pytest.raises(ValueError):
        plan(1, 10, kinds=["bank"])


def test_every_category_is_produced(made: tuple[Path, list[tuple[Path, Truth]]]) -> None:
    _, results = made
    assert len(results) == COUNT
    assert {t.category for _, t in results} == set(DEFAULT_CATEGORIES)


def test_truth_file_matches_the_files(made: tuple[Path, list[tuple[Path, Truth]]]) -> None:
    out, results = made
    rows = read_truth(out / "truth.jsonl")
    assert [name for name, _ in rows] == [p.name for p, _ in results]
    assert [t for _, t in rows] == [t for _, t in results]
    for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert {"file", "kind", "date", "amount", "gift_card", "order_number", "store", "category", "notes"} <= set(row)


def test_outputs_decode(made: tuple[Path, list[tuple[Path, Truth]]]) -> None:
    _, results = made
    for path, truth in results:
        assert path.exists() and path.stat().st_size > 1000, path
        if path.suffix == ".pdf":
            assert _pdf_pages(path) >= 1
            continue
        with Image.open(path) as im:
            im.load()
            upright = ImageOps.exif_transpose(im)
            assert min(upright.size) >= 300, path
            if "12 MP" in truth.notes:
                assert sorted(upright.size) == [3024, 4032]


def test_text_layer_pdfs_carry_the_receipt(made: tuple[Path, list[tuple[Path, Truth]]]) -> None:
    _, results = made
    pdfs = [(p, t) for p, t in results if p.suffix == ".pdf" and "text layer" in t.notes
            and "no text layer" not in t.notes]
    if not pdfs:
        pytest.skip("this small batch drew only image-only PDFs")
    for path, truth in pdfs:
        text = _pdf_text(path)
        assert "注文" in text
        assert truth.order_number in text


def test_truth_values_are_consistent(made: tuple[Path, list[tuple[Path, Truth]]]) -> None:
    _, results = made
    for path, t in results:
        assert t.kind in ("amazon", "store", "unknown"), path
        if t.kind == "unknown":
            assert (t.date, t.amount, t.gift_card) == (None, None, False)
            continue
        day = dt.date.fromisoformat(t.date)
        assert EARLIEST <= day < TODAY, path
        # Zero is a real ご請求額 when gift-card balance paid the whole order.
        assert isinstance(t.amount, int) and t.amount >= 0
        if t.kind == "amazon":
            assert ORDER_NUMBER.match(t.order_number), path
            assert t.store is None
        else:
            assert t.order_number is None and t.store
        if t.category == "negative":
            assert not t.gift_card, path
        else:
            assert t.gift_card and t.amount > 0, path
        assert t.rotation in (0, 90, 180, 270)


def test_same_seed_gives_the_same_bytes(made: tuple[Path, list[tuple[Path, Truth]]], tmp_path: Path) -> None:
    out, results = made
    jobs = batch.plan(SEED, COUNT)
    # One job per recipe keeps this quick while covering PNG, JPEG and both kinds of PDF.
    seen: set[str] = set()
    picked = [j for j in jobs if not (j.recipe in seen or seen.add(j.recipe))]
    by_name = {p.name: (p, t) for p, t in results}
    for job in picked:
        again, truth = batch.make(job, tmp_path)
        first, first_truth = by_name[again.name]
        assert again.read_bytes() == first.read_bytes(), again.name
        assert truth == first_truth


def test_another_seed_gives_other_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path_a, truth_a = batch.make(batch.plan(1, 5, categories=["screenshot"])[0], tmp_path / "a")
    path_b, truth_b = batch.make(batch.plan(2, 5, categories=["screenshot"])[0], tmp_path / "b")
    assert path_a.read_bytes() != path_b.read_bytes()
    assert truth_a != truth_b


def test_committed_samples_are_small_and_described() -> None:
    truth_file = SAMPLES / "truth.json"
    if not truth_file.exists():
        pytest.skip("samples not generated (python -m receipt_assistant.synth.samples)")
    rows = read_truth(truth_file)
    names = {name for name, _ in rows}
    assert {"amazon-receipt.png", "store-slip.png", "store-slip-photo.jpg", "amazon-order-summary.pdf",
            "not-a-receipt.png"} <= names
    total = 0
    for name, truth in rows:
        path = SAMPLES / name
        size = path.stat().st_size
        total += size
        assert size <= 300_000, name
        if path.suffix == ".pdf":
            assert "注文" in _pdf_text(path)
        else:
            with Image.open(path) as im:
                im.load()
        assert truth.category in CATEGORIES
    assert total <= 1_500_000


def test_exif_orientation_is_written_for_sideways_photos() -> None:
    import io

    from receipt_assistant.synth.photo import PhotoResult

    stored = Image.new("RGB", (40, 20), (200, 200, 200))  # as the sensor stored it: sideways
    data = PhotoResult(stored, rotation=0, exif_orientation=6).jpeg_bytes()
    with Image.open(io.BytesIO(data)) as im:
        assert im.getexif().get(0x0112) == 6
        assert ImageOps.exif_transpose(im).size == (20, 40)


# ---------------------------------------------------------------- realistic slips

MODES = ("gift", "plain", "other_brand", "paid_with_giftcard")
REAL_SEEDS = range(60)


def _yen(text: str) -> int:
    """The value of a printed amount: ¥1,234 / ￥１，２３４ / ￥ ６ ４ ７ / 1,234円 / *138 / ¥196軽 / 外¥100."""
    digits = re.sub(r"[^0-9-]", "", unicodedata.normalize("NFKC", text))
    return int(digits)


def _date_of(text: str) -> dt.date:
    """The date a slip's date row prints, in any of the forms the generator uses."""
    t = unicodedata.normalize("NFKC", text)
    if m := re.match(r"令和(\d+)年\s*(\d+)月\s*(\d+)日", t):
        return dt.date(2018 + int(m[1]), int(m[2]), int(m[3]))
    if m := re.match(r"(\d{4})[年/]\s*(\d+)[月/]\s*(\d+)", t):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"(\d{2})-(\d{2})-(\d{2})", t)
    assert m, text
    return dt.date(2000 + int(m[1]), int(m[2]), int(m[3]))


def _slips() -> list[real.RealSlip]:
    import random

    out = []
    for seed in REAL_SEEDS:
        rng = random.Random(seed)
        out.append(real.compose(rng, MODES[seed % len(MODES)]))
    return out


def test_realistic_slips_add_up() -> None:
    """Items less discounts (plus 外税) make the total; so do cash less change, the 内税 bases and the payment row."""
    seen = collections.Counter()
    for s in _slips():
        lg = s.ledger
        goods = sum(i.total - i.discount for i in lg.items)
        if lg.slip_discount:
            goods -= lg.slip_discount[1]
            seen["slip discount"] += 1
        assert sum(lg.net.values()) == goods
        if lg.tax_mode == "outer":
            assert lg.total == goods + sum(lg.tax.values())
            assert all(lg.tax[r] == lg.net[r] * int(r) // 100 for r in lg.tax)
        else:
            assert lg.total == goods
            assert all(lg.tax[r] == lg.net[r] * int(r) // (100 + int(r)) for r in lg.tax)
        if lg.payment == "cash":
            assert lg.cash - lg.change == lg.total and lg.change >= 0
        elif lg.payment == "giftcard":
            rest = lg.total - lg.paid_by_method
            assert (lg.cash or 0) - (lg.change or 0) == rest
        else:
            assert lg.paid_by_method == lg.total
        assert s.truth.amount == lg.total > 0
        seen[lg.tax_mode] += 1
        seen[lg.payment] += 1
    # The set covers both tax systems and every way of paying.
    assert {"inner", "outer", "cash", "emoney", "credit", "slip discount"} <= set(seen)


def test_realistic_slips_print_their_truth() -> None:
    """What the rows print is the truth: the top date, the total, the gift line, and sums that agree."""
    for s in _slips():
        t = s.truth
        rows = s.rows
        date_rows = [r for r in rows if r.role == "date"]
        assert len(date_rows) == 1 and _date_of(date_rows[0].left).isoformat() == t.date
        assert rows.index(date_rows[0]) < 12  # near the top
        total = [r for r in rows if r.role == "total"]
        assert len(total) == 1 and _yen(total[0].right) == t.amount
        assert total[0].size in ("big", "tall", "n") and total[0].bold
        assert re.match(r"^(合[　 ]?計|お買上計|お支払合計)$", total[0].left)
        gift = [r for r in rows if r.role == "gift"]
        assert bool(gift) == t.gift_card
        if gift:
            assert gift[0].left.lstrip("*") == t.extra["gift_line"]
        lg = s.ledger
        bases = [_yen(r.right) for r in rows if r.role == "tax_base"]
        if lg.tax_mode == "inner" and len(bases) == len(lg.net):
            assert sum(bases) == t.amount
        cash = [r for r in rows if r.role == "cash"]
        change = [r for r in rows if r.role == "change"]
        if lg.payment == "cash":
            assert _yen(cash[0].right) - _yen(change[0].right) == t.amount
        for r in rows:
            if r.role in ("payment",) and lg.payment != "giftcard":
                assert _yen(r.right) == t.amount
            if r.role == "card_amount":
                assert _yen(r.right) == t.amount
            if r.role == "card_date":
                short = re.fullmatch(r"\d{2}/\d{2}/\d{2}", r.right)  # yy/mm/dd
                assert _date_of(r.right.replace("/", "-") if short else r.right).isoformat() == t.date
            if r.role == "expiry" and re.search(r"\d{4}", r.left + r.right):
                assert _date_of(re.sub(r"^\D+", "", r.left + r.right)).isoformat() != t.date
        # Yen before the number is the rule, 円 after it the exception.
        assert t.extra["money_style"] in ("yen", "fwyen", "en")


def test_realistic_negatives_carry_no_gift_line_but_look_close() -> None:
    """Slips without a gift card, with another brand's card, or paid with Amazon Pay print no Amazon card line."""
    kinds = collections.Counter()
    for s in _slips():
        text = "\n".join(r.left + " " + r.right for r in s.rows)
        if s.truth.gift_card:
            assert s.truth.extra["gift_line"] in text
            continue
        assert not any(r.role == "gift" for r in s.rows)
        if "paid with Amazon Pay" in s.truth.notes:
            assert "Amazon" in text  # an Amazon word that is a payment, not a purchase
            kinds["amazon pay"] += 1
        elif "other brand card" in s.truth.notes:
            assert any(name in text for name, _ in real.data.OTHER_CARDS)
            kinds["other brand"] += 1
        else:
            kinds["plain"] += 1
    assert len(kinds) == 3


def test_double_size_rows_are_printed_twice_as_large() -> None:
    import random

    rng = random.Random(5)
    s = real.compose(rng, "gift")
    printed = real.print_slip(s, rng)
    heights = {role: b - t for t, b, role, _ in printed.boxes}
    normal = min(b - t for t, b, role, _ in printed.boxes if role == "")
    total_row = next(r for r in s.rows if r.role == "total")
    if total_row.size in ("big", "tall"):
        assert heights["total"] >= 2 * real.DOT_LINE > normal - 1
    assert printed.dots.shape[1] in (640, 464)


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Truth]]:
    """One scan, one photo and one thumbnail of a seeded realistic set."""
    out = tmp_path_factory.mktemp("real")
    jobs = plan(3, 40, categories=REAL_CATEGORIES)
    assert {j.category for j in jobs} == set(REAL_CATEGORIES)
    wanted = {"scan": lambda j: j.recipe.endswith("-scan"), "photo": lambda j: j.recipe == "real-gift-photo",
              "thumbnail": lambda j: j.recipe == "real-thumbnail"}
    return {name: batch.make(next(j for j in jobs if ok(j)), out) for name, ok in wanted.items()}


def test_realistic_files_look_like_customers_files(realistic: dict[str, tuple[Path, Truth]], tmp_path: Path) -> None:
    path, truth = realistic["scan"]
    with Image.open(path) as im:
        assert im.mode in ("RGB", "RGBA")
        wide = "80 mm" in truth.notes
        assert (600 <= im.width <= 720) if wide else (440 <= im.width <= 720)
        assert im.height > im.width
    assert truth.category == "real_scan" and truth.amount and truth.date
    path, truth = realistic["photo"]
    with Image.open(path) as im:
        size = ImageOps.exif_transpose(im).size
    assert size in [f for f, _ in photo.REAL_FRAMES]
    assert truth.category == "real_photo" and truth.gift_card
    path, truth = realistic["thumbnail"]
    with Image.open(path) as im:
        assert max(im.size) <= 270
    # Nobody can read a thumbnail: the truth is that nothing is there to read.
    assert (truth.date, truth.amount, truth.gift_card) == (None, None, False)
    assert truth.extra["unreadable"] and truth.extra["slip_amount"] > 0
    # Same seed, same bytes.
    job = next(j for j in plan(3, 40, categories=REAL_CATEGORIES) if j.recipe.endswith("-scan"))
    again, again_truth = batch.make(job, tmp_path)
    assert again.read_bytes() == realistic["scan"][0].read_bytes()
    assert again_truth == realistic["scan"][1]


def test_a_photo_keeps_the_rows_that_carry_the_truth() -> None:
    """Whatever the framing (filling the frame, small in it), the date-to-payment rows are in the photo, readable."""
    import random

    settings = collections.Counter()
    for seed in range(40):
        rng = random.Random(seed)
        printed = real.print_slip(real.compose(rng, "gift"), rng)
        ph, pw = printed.dots.shape
        top, bottom = real.need_rows(printed)
        frame = photo.plan_frame(rng, (pw, ph), (top, bottom), setting="fill" if seed % 2 else None)
        settings[frame.setting] += 1
        w, h = frame.size
        first, last = frame.crop or (0, ph)
        for row in (top, bottom):
            y = frame.centre[1] + (row - (first + last) / 2) * frame.scale
            assert 0 <= y <= h, (seed, frame)
        assert 20 * frame.scale >= 13 - 1e-6
        if frame.setting == "fill":
            # No table: the paper runs past the frame's top and bottom.
            assert frame.centre[1] - (last - first) / 2 * frame.scale <= 0
            assert frame.centre[1] + (last - first) / 2 * frame.scale >= h - 1
    assert settings["fill"] >= 5 and len(settings) >= 3
