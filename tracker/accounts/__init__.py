"""People: accounts, roles, login sessions and personal API tokens."""
