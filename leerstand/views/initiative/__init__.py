"""Initiatives' own pages, one blueprint (``bp``): ``account`` (register, confirm, log in,
profile) and ``proposals`` (their proposals: list, create, view, edit, submit, withdraw). Both
import the blueprint from ``common``; nothing imports back, so there is no import circle.

An initiative only ever sees its own profile and proposals: another's id is a 404. Thin views:
parse → ``leerstand.services`` → commit once; bad input re-renders the form with the German
message (422) and nothing is written."""

from leerstand.views.initiative import (  # noqa: F401
    account,
    account_delete,
    email_change,
    my_data,
    proposals,
)
from leerstand.views.initiative.common import bp

__all__ = ["bp"]
