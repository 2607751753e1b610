"""The licence: the full AGPL text ships with the package, named by an SPDX expression."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# SHA-256 of the Free Software Foundation's agpl-3.0.txt, the official plain-text licence.
AGPL_3_SHA256 = "8486a10c4393cee1c25392769ddd3b2d6c242d6ec7928e1414efff7dfb2f07ef"


def test_license_file_is_the_official_agpl_text() -> None:
    text = (ROOT / "LICENSE").read_bytes()
    assert text.startswith(b"                    GNU AFFERO GENERAL PUBLIC LICENSE\n")
    assert hashlib.sha256(text).hexdigest() == AGPL_3_SHA256


def test_pyproject_names_the_licence_by_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "AGPL-3.0-or-later"
    assert project["project"]["license-files"] == ["LICENSE"]
    # PEP 639 expressions need setuptools 77 or newer to build.
    assert "setuptools>=77" in project["build-system"]["requires"]
