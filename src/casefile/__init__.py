"""casefile: keep a coalition's case history in one TOML file and write its letter of concern."""

from __future__ import annotations

__version__ = "0.1.0"
