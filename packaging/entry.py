"""The frozen app's entry point: the windowed app and the console CLI both start here.

``main`` calls ``multiprocessing.freeze_support()`` before anything else, so a
worker process of ``review --batch`` becomes that worker.
"""

from receipt_assistant.cli import main

raise SystemExit(main())
