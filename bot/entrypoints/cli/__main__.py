"""`python -m bot.entrypoints.cli ...`"""

from bot.entrypoints.cli.main import main

raise SystemExit(main())
