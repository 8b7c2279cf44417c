"""Narratives of a report period: each workstream's assessment by its co-leads and the executive summary by the
admins, in French and Dutch (English optional), saved as versions and frozen into the report at generation."""
