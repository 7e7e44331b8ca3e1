"""The project stands alone: its code, tests, templates, notebooks, benchmarks and docs cite
only documents in the repository (docs/methodology.md, docs/architecture.md), never an
internal contract a reader cannot open. Fast: reads text files only."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

FOLDERS = ("rcmmodel", "tests", "templates", "notebooks", "benchmarks", "docs", "scenarios")
# Built in two halves so that this file does not contain the word it looks for.
NEEDLE = "SP" + "EC"
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".hypothesis", ".pytest_cache"}


def _text_files():
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or SKIP_DIRS & set(path.parts):
                continue
            data = path.read_bytes()
            if b"\0" in data[:8192]:
                continue                          # images, workbooks: not text
            try:
                yield path, data.decode("utf-8")
            except UnicodeDecodeError:
                continue                          # latin-1 X12 samples: data, not prose


def test_no_file_cites_an_internal_document():
    found = [f"{path.relative_to(ROOT)}:{n}"
             for path, text in _text_files() for n, line in enumerate(text.splitlines(), 1)
             if NEEDLE in line]
    found += [f"README.md:{n}" for n, line in
              enumerate((ROOT / "README.md").read_text(encoding="utf-8").splitlines(), 1)
              if NEEDLE in line]
    assert found == [], found


@pytest.mark.parametrize("name", ["docs/methodology.md", "docs/architecture.md",
                                  "CONTRIBUTING.md"])
def test_the_documents_cited_are_there_and_linked(name):
    assert (ROOT / name).is_file(), name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"({name})" in readme, f"README.md does not link {name}"


def test_every_methodology_section_cited_exists():
    """A citation such as 'docs/methodology.md §7' names a section that is there."""
    import re

    sections = set(re.findall(r"^## (\d+)\. ", (ROOT / "docs" / "methodology.md")
                              .read_text(encoding="utf-8"), flags=re.M))
    cited = {m for _, text in _text_files()
             for m in re.findall(r"methodology\.md §(\d+)", text)}
    assert cited and cited <= sections, sorted(cited - sections)
