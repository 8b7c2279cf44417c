"""Progress reports: frozen snapshots of an agreement over a period, rendered and signed off by both parties."""
