from receipt_assistant.cli import main

raise SystemExit(main())
