"""Cross-cutting web pieces: layout, language, security headers, error pages, health."""
