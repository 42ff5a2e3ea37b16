"""German messages that views can still translate (a primitive: services, ``wording`` and
``config_check`` build them, ``leerstand.i18n.translate`` shows them).

A ``Text`` is the German string (services and their tests use it as it is) and keeps its msgid
and parameters, so that a view can show it in the visitor's language with
``leerstand.i18n.translate``. ``scripts/i18n`` extracts ``Text("…")`` like ``_("…")``."""

from __future__ import annotations


class Text(str):
    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Text:
        obj = super().__new__(cls, msgid % params if params else msgid)
        obj.msgid, obj.params = msgid, params
        return obj
