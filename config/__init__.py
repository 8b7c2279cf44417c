"""Settings and data files of the cooperation tracker (no imports from tracker/ or workflows/)."""
