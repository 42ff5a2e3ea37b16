"""Staff views (issue 4): to be built."""

from leerstand.views.staff import bp  # noqa: F401
