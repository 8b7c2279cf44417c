"""Scheduling: the job registry each domain declares its jobs in, and the tables the scheduler process keeps
(heartbeats, leader lease, run ledger). The machinery that runs the jobs is `workflows/`, which this package
may not import."""
