"""The API resources of the action domain, one module per resource: actions (with their transitions and
approvals), milestones, progress updates, indicators (with their measurements).

Each module declares its routes and shapes; tracker.actions.init_app declares them on the API blueprint."""
