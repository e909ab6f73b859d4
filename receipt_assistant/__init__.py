"""receipt-assistant: offline proof of an Amazon gift-card purchase."""

__version__ = "0.1.0"
