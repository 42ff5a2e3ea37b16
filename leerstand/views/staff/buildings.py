"""Buildings (Gebäude) and their units (Nutzungseinheiten): create, read-only pages (for
viewers too, with the record's history), edit.

Thin views: parse the form, call ``leerstand.services.register.buildings``, commit once. A bad input
re-renders the form with the German message and the user's input (422); a stale version
re-renders it with HTTP 409. Nothing is written in either case."""

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.security import editor_required
from leerstand.services import municipality as municipality_service
from leerstand.services.register import buildings as service
from leerstand.services.register import record_pages
from leerstand.services.towns.settings import form_start
from leerstand.spatial import crs
from leerstand.spatial.geometry import from_db, to_geojson
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp

ALLEE_CENTER = (51.7192, 11.2265)


def _mid() -> int:
    return current_user.municipality_id


def _decimal_text(value, places: int = 1) -> str:
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def building_form(building) -> dict:
    point = from_db(building.location)
    footprint = to_geojson(building.footprint)
    return {
        "street": building.street,
        "house_number": building.house_number,
        "postcode": building.postcode,
        "place": building.place,
        "district_id": str(building.district_id or ""),
        "coord_crs": "4326",
        "coord_x": f"{point.x:.6f}",
        "coord_y": f"{point.y:.6f}",
        "footprint_geojson": json.dumps(footprint) if footprint else "",
        "parcel_id": building.parcel_id or "",
        "alkis_id": building.alkis_id or "",
        "listed": "1" if building.listed else "",
        "condition": building.condition or "",
        "year_built": "" if building.year_built is None else str(building.year_built),
        "notes": building.notes or "",
        "version": str(building.version),
    }


def unit_form(unit) -> dict:
    form = {
        key: getattr(unit, key) or ""
        for key in ("name", "kind", "floor", "vacancy_state", "owner_expectation")
    }
    for key in ("vacant_since", "available_from", "available_to"):
        value = getattr(unit, key)
        form[key] = value.isoformat() if value else ""
    for key in (*service.UNIT_FLAGS, "publishable"):
        form[key] = "1" if getattr(unit, key) else ""
    form.update(
        area_m2=_decimal_text(unit.area_m2),
        rent_eur_month=_decimal_text(unit.rent_eur_month, 2),
        suitable_uses=list(unit.suitable_uses or []),
        public_description=unit.public_description or "",
        internal_notes=unit.internal_notes or "",
        version=str(unit.version),
    )
    return form


def _building_page(form: dict, building=None, error: str | None = None, status: int = 200):
    html = render_template(
        "staff/building_form.html",
        form=form,
        building=building,
        error=error,
        districts=service.districts(db.session, _mid()),
        crs_choices=crs.offered_choices(),
        center=form_start(current_user.municipality, ALLEE_CENTER),
    )
    return html, status


def _unit_page(form: dict, building, unit=None, error: str | None = None, status: int = 200):
    html = render_template(
        "staff/unit_form.html", form=form, building=building, unit=unit, error=error
    )
    return html, status


@bp.route("/gebaeude/neu", methods=["GET", "POST"])
@editor_required
def building_new():
    if request.method == "GET":
        municipality = municipality_service.get(db.session, _mid())
        defaults = {"coord_crs": "4326", "postcode": municipality.postcode or ""}
        return _building_page({**defaults, "place": municipality.name})
    form = request.form.to_dict()
    try:
        building = service.create_building(db.session, current_user.id, _mid(), form)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _building_page(form, error=message, status=status)
    flash(_("Gebäude gespeichert. Legen Sie jetzt die erste Nutzungseinheit an."), "success")
    return redirect(url_for("staff.unit_new", building_id=building.id))


@bp.get("/gebaeude/<int:building_id>")
def building_view(building_id: int):
    building = service.get_building(db.session, _mid(), building_id)
    point = from_db(building.location)
    footprint = to_geojson(building.footprint)
    return render_template(
        "staff/building_view.html",
        building=building,
        location=[point.y, point.x],
        footprint=json.dumps(footprint) if footprint else "",
        history=record_pages.building_history(db.session, building),
        planned=record_pages.building_planned(db.session, building, local_today()),
    )


@bp.get("/einheiten/<int:unit_id>")
def unit_view(unit_id: int):
    """The unit read-only, for everyone on the staff side; editing is ``unit_edit``."""
    unit = service.get_unit(db.session, _mid(), unit_id)
    building = unit.building
    point = from_db(building.location)
    footprint = to_geojson(building.footprint)
    return render_template(
        "staff/unit_view.html",
        page=record_pages.unit_page(db.session, unit, local_today()),
        unit=unit,
        building=building,
        today=local_today(),
        location=[point.y, point.x],
        footprint=json.dumps(footprint) if footprint else "",
    )


@bp.route("/gebaeude/<int:building_id>/bearbeiten", methods=["GET", "POST"])
@editor_required
def building_edit(building_id: int):
    building = service.get_building(db.session, _mid(), building_id)
    if request.method == "GET":
        return _building_page(building_form(building), building)
    form = request.form.to_dict()
    try:
        service.update_building(db.session, current_user.id, building, form)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _building_page(form, building, error=message, status=status)
    flash(_("Gebäude gespeichert."), "success")
    return redirect(url_for("staff.building_view", building_id=building.id))


@bp.route("/gebaeude/<int:building_id>/einheiten/neu", methods=["GET", "POST"])
@editor_required
def unit_new(building_id: int):
    building = service.get_building(db.session, _mid(), building_id)
    if request.method == "GET":
        return _unit_page({"vacancy_state": "vacant", "owner_expectation": "unknown"}, building)
    form = {**request.form.to_dict(), "suitable_uses": request.form.getlist("suitable_uses")}
    try:
        service.create_unit(db.session, current_user.id, building, form)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _unit_page(form, building, error=message, status=status)
    flash(_("Nutzungseinheit gespeichert."), "success")
    return redirect(url_for("staff.building_view", building_id=building.id))


@bp.route("/einheiten/<int:unit_id>/bearbeiten", methods=["GET", "POST"])
@editor_required
def unit_edit(unit_id: int):
    unit = service.get_unit(db.session, _mid(), unit_id)
    building = unit.building
    if request.method == "GET":
        return _unit_page(unit_form(unit), building, unit)
    form = {**request.form.to_dict(), "suitable_uses": request.form.getlist("suitable_uses")}
    try:
        service.update_unit(db.session, current_user.id, unit, form)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _unit_page(form, building, unit, error=message, status=status)
    flash(_("Nutzungseinheit gespeichert."), "success")
    return redirect(url_for("staff.unit_view", unit_id=unit.id))
