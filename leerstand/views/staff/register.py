"""Stub: to be implemented."""

from flask import render_template_string

from leerstand.views.staff import bp


@bp.get("/register")
def register():
    return render_template_string(
        '{% extends "base.html" %}{% block content %}in Arbeit{% endblock %}'
    )
