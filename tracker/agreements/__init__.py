"""Agreements, the parties that signed them, their workstreams and commitments."""
