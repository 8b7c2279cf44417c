"""The site's own pages: the home page (a person's work), the language switch and the health check.

They reach into accounts (the chosen language, who is an administrator) and workspace (the home page), so they
sit above every domain, unlike `tracker.web` (layout, languages, errors, security headers), which knows none.
Their blueprint keeps the name « web »: its endpoints (web.index, web.set_language, web.healthz) are linked
from every page.
"""
