"""The API resources of the agreements domain, one module per resource: agreements, workstreams (with their
co-leads and commitments).

Each module declares its routes and shapes; tracker.agreements.init_app declares them on the API blueprint."""
