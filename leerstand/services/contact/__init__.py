"""Owner contact (Ansprache): contact cases with their state machine and append-only
contact events; the lists and counts of cases."""
