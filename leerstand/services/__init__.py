"""Domain logic. No Flask request objects here: services take a session and plain values,
raise ``ServiceError`` subclasses with German messages, and only ``flush``."""
