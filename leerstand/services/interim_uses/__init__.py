"""Interim uses (Zwischennutzungen): recording (from a match or a unit), planned vs
running, the end with its outcome, and the reminder mails."""
