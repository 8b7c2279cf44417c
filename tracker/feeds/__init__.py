"""Calendar feeds (RFC 5545): the milestones a person owns or co-leads, for their calendar client."""
