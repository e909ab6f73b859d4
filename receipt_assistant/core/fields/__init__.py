"""Choosing a field's value the way a person does: every candidate, weighed by evidence.

One module per field. Each is pure: OCR lines in, a choice out, with the
names of the pieces of evidence that chose it, so the results page, the
staff review and ``check --json`` can say why a value was taken.
"""
