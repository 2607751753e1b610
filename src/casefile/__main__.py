"""``python -m casefile``."""

from __future__ import annotations

from casefile.cli import main

if __name__ == "__main__":
    main()
