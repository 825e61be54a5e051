"""Measures of the emergency package (spoedpakket) as pluggable policies (issue 4)."""
