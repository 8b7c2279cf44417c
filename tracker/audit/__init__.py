"""Reading the audit trail: the history of an object, and the administrators' log with its CSV export."""
