"""The WSGI entry point (gunicorn wsgi:app) and the `flask --app wsgi` CLI. It never starts the scheduler."""

import gc

# Starting builds a few hundred thousand objects (modules, models, routes) that live as long as the process. The
# cyclic garbage collector would walk them again and again while they are made (a tenth of the CPU a worker or a
# `flask` command spends before it starts), then at each full collection while serving: pause it while they are
# made, then set them aside (freeze) so that collections only look at what comes after.
_collecting = gc.isenabled()
gc.disable()
try:
    from tracker import create_app
    from workflows.cli import register_cli

    app = create_app()
    register_cli(app)
finally:
    gc.freeze()
    if _collecting:
        gc.enable()
