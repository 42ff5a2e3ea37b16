"""Owners answer use requests without an account: ``/antwort`` (code from a letter) and
``/antwort/<secret>`` (personal link). To be built (issue 4)."""

from flask import Blueprint

bp = Blueprint("owner", __name__)
