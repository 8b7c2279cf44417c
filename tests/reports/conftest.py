"""Fixtures for report tests: the real agreement (its term ended on 2026-09-22) and a coordinator to own actions."""

from __future__ import annotations

import pytest
from flask import Flask

from tests import factories
from tracker.agreements.models import Agreement


@pytest.fixture
def agreement(app: Flask) -> Agreement:
    return factories.load_agreement(ended=True)
