"""Ground truth for one generated file, and small helpers shared by the generators."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass, field
from typing import Any

# The newest date a generated receipt may carry; dates are drawn from the three
# years before it so that nothing is in the future for the checker.
TODAY = dt.date(2026, 11, 1)
EARLIEST = dt.date(2023, 11, 2)

CATEGORIES = ("screenshot", "photo", "pdf", "negative", "real_scan", "real_photo")
# What a batch holds unless asked otherwise. The realistic slips (real_scan,
# real_photo: thermal print, real layouts, photos as customers take them) are
# a set of their own, so that a seed's old set stays the same files.
DEFAULT_CATEGORIES = ("screenshot", "photo", "pdf", "negative")
REAL_CATEGORIES = ("real_scan", "real_photo")
KINDS = ("amazon", "store", "unknown")


@dataclass
class Truth:
    """What a perfect reader should get from one generated file.

    ``amount`` is the ご請求額 of an Amazon page when the page shows one (else
    注文合計) and the 合計 of a shop slip. ``store`` is the chain's canonical
    name for slips and ``None`` for Amazon pages. ``rotation`` is how far (in
    degrees, clockwise) the content was turned, so an upright copy needs the
    opposite turn; a smaller "tilt N" in ``notes`` is also clockwise degrees.
    ``extra`` holds details for reading misses (date form, gift-card line, ...).
    """

    kind: str  # "amazon" | "store" | "unknown"
    date: str | None
    amount: int | None
    gift_card: bool
    order_number: str | None
    store: str | None
    category: str  # one of CATEGORIES
    notes: str = ""
    rotation: int = 0
    variant: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Truth:
        names = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in names})

    def add_note(self, note: str) -> None:
        self.notes = f"{self.notes}; {note}" if self.notes else note


WEEKDAYS = "月火水木金土日"


def random_date(rng: random.Random, start: dt.date = EARLIEST, end: dt.date = TODAY) -> dt.date:
    """A day in [start, end), never after TODAY."""
    end = min(end, TODAY)
    span = (end - start).days
    return start + dt.timedelta(days=rng.randrange(max(span, 1)))


def yen(amount: int) -> str:
    return f"{amount:,}"


def reiwa(year: int) -> int:
    return year - 2018


def weekday(d: dt.date) -> str:
    return WEEKDAYS[d.weekday()]


def choose_weighted(rng: random.Random, options: list[tuple[Any, float]]) -> Any:
    values = [o for o, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights, k=1)[0]
