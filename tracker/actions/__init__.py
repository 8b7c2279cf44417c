"""Actions of a workstream, their milestones, progress log, evidence and indicators."""
