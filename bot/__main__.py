"""Allow ``python -m bot`` as an alias for the ``briefbot`` command."""

from bot.cli.main import main

raise SystemExit(main())
