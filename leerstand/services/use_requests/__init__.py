"""Use requests (Anfragen) to owners: sending by mail or letter, secrets (link token,
answer code), the owner's answer online or on paper/phone, contact log, reminders."""
