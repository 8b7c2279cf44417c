"""Reading the audit trail: the history of an object, and the administrators' log with its CSV export.

The trail is split by direction, not by topic: writing it is framework (`tracker.core.audit`: the entry model,
`record`, and the write guards every audited change passes, which every domain uses and which knows none);
reading it is this package, an entry point above the domains, since showing an entry means naming its actor,
agreement, entity, verb and fields in the reader's language (`display.py`, `fields.py`).
"""
