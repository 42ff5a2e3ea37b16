"""Owners (Eigentümer:innen), their links to buildings and their consents (Einwilligungen)."""
