"""receipt-assistant: offline proof of an Amazon gift-card purchase."""

import os

# numpy's OpenBLAS starts a thread per core when it loads: a fifth of a
# second of CPU in every `check` process, for matrix work the app never does
# (its arrays go through OpenCV). The variable must be set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
