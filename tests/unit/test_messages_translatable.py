"""Every message a form can show is translatable: services and primitives raise user-facing
errors with a ``Text`` (msgid + parameters), never with a bare or formatted German string that
would stay German in the English interface. Checked on the source, so that a new
``raise ServiceError(f"…")`` fails here before it reaches a user."""

import ast
import pathlib

from leerstand.messages import Text

ROOT = pathlib.Path(__file__).resolve().parents[2] / "leerstand"
SCANNED = ("services", "spatial", "api", "wording.py")
USER_ERRORS = {
    "ServiceError",
    "NotFound",
    "Conflict",
    "ParamError",
    "ExportRefused",
    "CellProblem",
    "ImportProblem",
    "AnswerErrors",
    "InvalidReset",
    "GeometryError",
    "UnknownCRSError",
}


def _plain_string(node: ast.AST) -> bool:
    """A literal, an f-string, a concatenation or ``"…".format(…)`` / ``"…" % …`` of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_string(node.left) or _plain_string(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _plain_string(node.func.value)
    return False


def _offences(path: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in USER_ERRORS and node.exc.args and _plain_string(node.exc.args[0]):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def _files():
    for entry in SCANNED:
        target = ROOT / entry
        yield from [target] if target.is_file() else sorted(target.rglob("*.py"))


def test_user_errors_are_raised_with_translatable_text():
    offences = [hit for path in _files() for hit in _offences(path)]
    assert offences == []


def test_the_check_catches_each_plain_form():
    source = """
raise ServiceError("Bitte wählen.")
raise ServiceError(f"Baujahr {year} geht nicht.")
raise ParamError("a" + b)
raise NotFound("{}".format(x))
raise ServiceError(Text("Bitte wählen."))
raise ServiceError(MESSAGE)
raise KeyError("not a user message")
"""
    path = ROOT / "services" / "_probe.py"
    tree_hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr
            tree_hits.append(name in USER_ERRORS and _plain_string(node.exc.args[0]))
    assert tree_hits == [True, True, True, True, False, False, False]
    assert not path.exists()


def test_text_keeps_numbers_as_values_and_writes_them_german():
    message = Text("Fläche %(area)s m², Baujahr %(year)s", area=1234.5, year=1890)
    assert message == "Fläche 1.234,5 m², Baujahr 1890"
    assert message.params == {"area": 1234.5, "year": 1890}
