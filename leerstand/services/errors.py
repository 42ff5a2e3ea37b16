"""Errors that services raise; the message is German text meant for the user."""


class ServiceError(ValueError):
    """Bad input or a forbidden action; nothing has been written."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """The record changed since the user loaded it (optimistic locking)."""
