"""The Qt-free core: loading, reading, extracting and checking receipts.

Nothing in this package may import Qt; an import-linter contract enforces it.
"""
