"""Framework pieces shared by every domain package, with no domain rule: database base, clock, errors, audit
recording, lifecycle engine, forms, text cleaning, pagination, uploads, versioning."""
