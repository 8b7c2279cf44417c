"""The README and the docs link only to files that a clone holds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_relative_links_of_the_readme_and_docs_point_at_files_of_the_repository() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert len(pages) >= 3, "docs/DESIGN.md and docs/CONTRACT.md belong in the repository"
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        targets = re.findall(r"\]\(([^)#\s]+)", text) + re.findall(r"`(\.\./[^`]+)`", text)
        for target in targets:
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            if not (page.parent / target).resolve().is_relative_to(ROOT) or not (page.parent / target).exists():
                broken.append(f"{page.name}: {target}")
    assert not broken, broken
