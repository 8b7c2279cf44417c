"""The API resources of the transfer domain, one module per resource: exports (actions, milestones), import
(the template, importing a file of actions).

Each module declares its routes and shapes; tracker.transfer.init_app declares them on the API blueprint."""
