"""Page tests reuse the people around one workstream (see tests/actions/conftest.py)."""

from tests.actions.conftest import Team, team  # noqa: F401
