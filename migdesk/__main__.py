"""`python -m migdesk` is the same as the `migdesk` command."""

from migdesk.cli import main

raise SystemExit(main())
