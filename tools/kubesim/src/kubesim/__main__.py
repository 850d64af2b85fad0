"""Allow ``python -m kubesim serve ...``."""

from kubesim.cli import main

raise SystemExit(main())
