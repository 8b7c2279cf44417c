"""Mail: rendering per recipient, the outbox written in the caller's transaction, and SMTP delivery."""
