"""Pieces shared by every domain package: database base, clock, errors, permissions, audit."""
