"""What runs on time: the scheduler process, its jobs, the run ledger and the leader lock."""
