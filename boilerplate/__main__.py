"""``python -m boilerplate`` is the command-line interface."""

from .cli import main

raise SystemExit(main())
