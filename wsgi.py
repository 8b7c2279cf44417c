"""The WSGI entry point (gunicorn wsgi:app) and the `flask --app wsgi` CLI. It never starts the scheduler."""

from tracker import create_app
from workflows.cli import register_cli

app = create_app()
register_cli(app)
