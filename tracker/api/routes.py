"""Collects the API views onto the blueprint (importing a module registers its routes)."""

from tracker.api import actions, agreements, docs, indicators, progress, reports, transfer, writes  # noqa: F401
from tracker.api.blueprint import bp

__all__ = ["bp"]
