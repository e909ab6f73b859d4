"""The seeded generator of test material: mix, determinism, decodable output, truth."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pypdfium2 = pytest.importorskip("pypdfium2")
pytest.importorskip("pylopdf_fonts_jp")
pytest.importorskip("paperang_p2_fonts_cjk")

from PIL import Image, ImageOps  # noqa: E402

from receipt_assistant.synth import CATEGORIES, Truth, batch, generate, plan, read_truth  # noqa: E402
from receipt_assistant.synth.model import EARLIEST, TODAY  # noqa: E402

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
    assert {t.category for _, t in results} == set(CATEGORIES)


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
