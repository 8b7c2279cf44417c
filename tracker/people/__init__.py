"""People administration: what admins do to the people of their party (invite, change, deactivate and hand
over, name co-leads) and the pages reached from a mailed link (invitation, password reset).

It spans accounts, actions, agreements and mail, so it sits above them: `accounts/` keeps the person
(model, login, profile, tokens, signed links) and knows none of them.
"""
