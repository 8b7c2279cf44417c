from tests.actions.conftest import Team, team  # noqa: F401  (the same people as the action tests)
