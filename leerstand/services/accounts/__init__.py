"""Logins of staff and initiatives: password checks with throttling, server-side
sessions, initiative registration, confirmation and profile."""
