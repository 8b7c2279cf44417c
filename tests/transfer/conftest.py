"""Import and export tests reuse the people around one workstream (see tests/actions/conftest.py)."""

from pathlib import Path

import pytest

from tests.actions.conftest import Team, team  # noqa: F401 (fixtures used by the tests here)
from tests.factories import AGREEMENT_FILE, load_agreement
from tracker.agreements.models import Agreement


@pytest.fixture
def empty_agreement(request: pytest.FixtureRequest, tmp_path: Path) -> Agreement:
    """A second agreement of the same parties and workstreams, with no action yet."""
    request.getfixturevalue("team")
    copy = tmp_path / "copy.yaml"
    copy.write_text(AGREEMENT_FILE.read_text(encoding="utf-8").replace("slug: idf-bxl-2021", "slug: idf-bxl-copy"))
    return load_agreement(copy)
