"""The JSON API under /api/v1/: bearer tokens, OpenAPI 3.1 document, docs page, problem+json errors."""
