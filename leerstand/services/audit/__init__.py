"""The audit log (Protokoll): writing append-only events, and reading them as German
sentences with labels, values and filters."""
