"""The HTML export printed to PDF by headless Chromium, as someone printing the letter would.

Needs Debian's ``chromium`` and ``poppler-utils`` (pdfinfo, pdftotext), which ``.ci/run``
installs. Outside CI the test is skipped when they are missing; under CI it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from casefile.store import load
from tests.conftest import DATA, Run

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")


def tool(*names: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path is not None:
            return path
    if os.environ.get("CI"):
        pytest.fail(f"{names[0]} is not installed; .ci/run installs it")
    pytest.skip(f"{names[0]} is not installed (apt-get install chromium poppler-utils)")


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    chromium = tool("chromium", "chromium-browser")
    command = [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.resolve().as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run([tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE).group(1))  # type: ignore[union-attr]
    pages = []
    for number in range(1, count + 1):
        command = [tool("pdftotext"), "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-"]
        pages.append(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return pages


def test_html_letter_prints_to_pdf(run: Run, isolated: Path, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    run("add-event", "--date", "2017-06", "--title", "<script>alert(1)</script> & <img src=x onerror=alert(2)>")
    run("export", "--format", "html", "-o", "letter.html", "--as-of", "2018-07-16")
    pdf = tmp_path / "letter.pdf"
    print_to_pdf(isolated / "letter.html", pdf, tmp_path / "chromium-profile")

    pages = pdf_pages(pdf)
    assert 4 <= len(pages) <= 9, len(pages)
    text = "\n".join(pages)
    flat = " ".join(text.split())
    for heading in ("Who files this letter", "Concerns", "Efforts made in Mexico", "Signatories", "Notes"):
        assert heading in flat
    assert "Subject: Letter of concern under the Policy on Upholding the Values and Principles of OGP" in flat
    for signatory in load(isolated / "casefile.toml").case.signatories:
        assert signatory.name in flat
    assert "Bitter Sweet: Supporters of Mexico's Soda Tax Targeted With NSO Exploit Links" in flat
    assert "515 days have passed as of 16 July 2018" in flat
    assert "<script>alert(1)</script> & <img src=x onerror=alert(2)>" in flat  # shown, not run
    # The annex starts a page of its own, and the endnotes come after it.
    annex = [number for number, page in enumerate(pages) if page.lstrip().startswith("Annex\n")]
    assert len(annex) == 1 and annex[0] >= 3
    assert "Annex" not in "".join(pages[annex[0] - 1].split("\n")[-3:])
    assert "A. Chronology of events and demands" in pages[annex[0]]
    assert any("Notes" in page for page in pages[annex[0] :])
