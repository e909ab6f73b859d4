"""The app's guides, illustrations, translations and icon, installed as package data.

In the repository this folder sits at the top level; the wheel and the frozen
app carry it as ``receipt_assistant.resources``. Its ``samples/`` stay in the
repository for tests and are not installed.
"""
