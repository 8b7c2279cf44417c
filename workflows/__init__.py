"""What runs on time: the scheduler process, the run ledger and the leader lock; the jobs are the domains'."""
