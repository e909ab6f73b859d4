"""Seeded synthetic receipts with ground truth: Amazon.co.jp receipt pages
(screenshots, photos of a monitor, text-layer PDFs), shop slips (flat and
photographed) and negatives.

Needs the ``test`` extra for the Japanese fonts. Amazon pages need Qt (a
QGuiApplication is created on the offscreen platform when none exists).
"""

from receipt_assistant.synth.batch import generate, plan, read_truth
from receipt_assistant.synth.model import CATEGORIES, KINDS, Truth

__all__ = ["CATEGORIES", "KINDS", "Truth", "generate", "plan", "read_truth"]
