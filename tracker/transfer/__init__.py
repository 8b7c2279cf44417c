"""Import and export of actions and milestones as CSV and XLSX."""
