"""Who may see personal data (``security.may_see_personal``): every staff role but "analyst";
initiatives (another login type) never on the staff side."""

from __future__ import annotations

import pytest

from leerstand.models import Initiative, User
from leerstand.security import may_see_personal


@pytest.mark.parametrize("role", ["admin", "staff", "viewer", "dpo"])
def test_staff_roles_with_personal_data(role):
    assert may_see_personal(User(role=role)) is True


def test_analyst_sees_no_personal_data():
    assert may_see_personal(User(role="analyst")) is False


def test_unknown_role_and_initiatives_see_none():
    assert may_see_personal(User(role="guest")) is False
    assert may_see_personal(Initiative(name="Kunstverein")) is False
