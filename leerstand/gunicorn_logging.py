"""A gunicorn logger class whose access log masks owner secrets (``/antwort/<secret>`` →
``/antwort/***``, see ``leerstand.log_masking``). gunicorn's ``access_log_format`` cannot
rewrite paths, so the masking happens in the log atoms:

    gunicorn --logger-class leerstand.gunicorn_logging.MaskingLogger --access-logfile - …"""

from __future__ import annotations

from gunicorn.glogging import Logger

from leerstand.log_masking import mask


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
