"""The timeline as a picture: export --format svg, and the figure in the HTML letter."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import Run

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def mexican_case(run: Run, case_file: Path) -> Path:
    run("add-signatory", "--name", "Artículo 19", "--lead")
    run("add-concern", "--title", "Vigilancia ilegal <script>", "--category", "fundamental-freedoms")
    run("add-concern", "--title", "Acceso a la información", "--category", "access-to-information")
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab & «Bitter Sweet» </text>", "--concern", "vig")
    run("add-event", "--date", "2017-02", "--title", "Periodistas denuncian ataques", "--concern", "vig")
    run("add-event", "--date", "2016-05/2017-03", "--title", "Campaña de mensajes", "--concern", "vig")
    run("add-event", "--date", "2017-06-19", "--title", "The New York Times publica")
    first = run("add-demand", "--date", "2017-02-16", "--to", "SETP", "--subject", "Investigar").stdout.strip()
    run("add-demand", "--date", "2017-03-01", "--to", "INAI", "--subject", "Información pública")
    run("respond", first, "--date", "2017-06-01", "--status", "refused")
    return case_file


def test_svg_export_draws_lanes_marks_and_bars(run: Run, mexican_case: Path) -> None:
    text = run("export", "--format", "svg", "--as-of", "2017-07-01").stdout
    root = ElementTree.fromstring(text)  # well-formed: user text is escaped
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and "Surveillance" in root.find(f"{SVG}title").text  # type: ignore[union-attr]
    description = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert "4 events in 3 lanes" in description and "2 demands (1 unanswered on 1 July 2017)" in description
    lanes = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g") if group.get("class") == "lane"]  # type: ignore[union-attr]
    assert lanes == ["Vigilancia ilegal <script>", "Acceso a la información", "Other events"]
    events = [group for group in root.iter(f"{SVG}g") if group.get("class") == "event"]
    assert len(events) == 4
    demands = {
        group.get("class"): group.find(f"{SVG}title").text
        for group in root.iter(f"{SVG}g")
        if "demand" in (group.get("class") or "")
    }  # type: ignore[union-attr]
    assert "(refused)" in demands["demand"]  # the reply refused: not shown as an answer
    assert "unanswered, 122 days" in demands["demand unanswered"]  # 2017-03-01 to 2017-07-01
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp; «Bitter Sweet» &lt;/text&gt;" in text
    # The month-long and year-long events are bars over their period; the day is a dot.
    assert len([e for e in events if e.find(f"{SVG}rect") is not None]) == 2


def test_svg_is_deterministic_and_follows_the_letter_date(run: Run, mexican_case: Path) -> None:
    first = run("export", "--format", "svg", "--as-of", "2017-07-01").stdout
    assert run("export", "--format", "svg", "--as-of", "2017-07-01").stdout == first
    later = run("export", "--format", "svg", "--as-of", "2017-09-01").stdout
    assert later != first and "unanswered, 184 days" in later


def test_svg_shows_the_case_as_it_stood_on_the_letter_date(run: Run, mexican_case: Path) -> None:
    # On 2017-05-23 the refusal of 2017-06-01 had not come, and the event of 2017-06-19 had not happened.
    text = run("export", "--format", "svg", "--as-of", "2017-05-23").stdout
    root = ElementTree.fromstring(text)
    description = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert "3 events in 2 lanes" in description and "2 demands (2 unanswered on 23 May 2017)" in description
    assert "from 1 May 2016 to 23 May 2017." in description  # nothing drawn after the letter
    assert "The New York Times" not in text and "(answered)" not in text
    assert "unanswered, 96 days" in text  # 2017-02-16 to 2017-05-23


def test_svg_counts_one_thing_in_the_singular(run: Run, case_file: Path) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "Hecho")
    run("add-demand", "--date", "2017-05-22", "--to", "SETP", "--subject", "Investigar")
    english = ElementTree.fromstring(run("export", "--format", "svg", "--as-of", "2017-05-23").stdout)
    assert "1 event in 1 lane by concern, and 1 demand (1 unanswered" in english.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert "unanswered, 1 day)" in ElementTree.tostring(english, encoding="unicode")
    french = run("export", "--format", "svg", "--as-of", "2017-05-22", "--language", "fr").stdout
    assert "1 fait sur 1 ligne par préoccupation et 1 demande (1 sans réponse" in french
    assert "sans réponse, 0 jour)" in french


def test_svg_in_spanish_and_an_empty_case(run: Run, case_file: Path) -> None:
    empty = run("export", "--format", "svg", "--as-of", "2017-07-01", "--language", "es").stdout
    root = ElementTree.fromstring(empty)
    assert "0 hechos" in root.find(f"{SVG}desc").text  # type: ignore[union-attr]


def test_html_letter_has_the_timeline_figure(run: Run, mexican_case: Path) -> None:
    page = run("export", "--format", "html", "--as-of", "2017-07-01").stdout
    figure = re.search(r"<figure class=\"timeline\">.*?</figure>", page, re.DOTALL)
    assert figure is not None
    assert "<svg" in figure.group(0) and 'role="img"' in figure.group(0) and "<script" not in page


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert is not installed")
def test_svg_renders(run: Run, mexican_case: Path, isolated: Path) -> None:
    svg = isolated / "timeline.svg"
    run("export", "--format", "svg", "--as-of", "2017-07-01", "--output", str(svg))
    png = isolated / "timeline.png"
    subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True)
    assert png.read_bytes().startswith(b"\x89PNG")


def test_texts_escaped_together_are_each_escaped() -> None:
    from html import escape

    from casefile.exchange.svg import _escaped_all

    texts = ["1. 2017: <b>a</b> & 'b' \"c\"", "", "line\nbreak <x>", "plain"]
    assert _escaped_all(texts) == [escape(text) for text in texts]
    assert _escaped_all(texts[:1] + texts[3:]) == [escape(texts[0]), "plain"]
    assert _escaped_all([]) == []
