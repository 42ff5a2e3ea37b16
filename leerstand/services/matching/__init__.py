"""Matching (Treffer) of proposals (Ideen) and units: candidates in SQL, score and
reasons, staff review, stored matches that follow data changes."""
