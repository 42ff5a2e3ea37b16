"""Who may import: admins always, staff when the municipality's ``import_role`` is "staff"."""


def may_import(role: str, import_role: str) -> bool:
    if role == "admin":
        return True
    return role == "staff" and import_role == "staff"
