"""Every model field says what it means, and every nullable one says when it is None.

The field docstrings (a string right under the field) are what the API reference and IDEs show;
the types are the docs' (tests/test_documented_examples.py decodes the docs' examples). A field
typed ``X | None`` must say why in its docstring (the doc line or the state that makes it null),
and the typing check (tests/typing/documented_fields.py) must use every public model.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import attrs
import pytest

import chargeapi
from chargeapi._models import ChargeObject

ROOT = Path(__file__).resolve().parents[1]
MODELS = sorted(
    (
        getattr(chargeapi, name)
        for name in chargeapi.__all__
        if isinstance(getattr(chargeapi, name), type)
        and issubclass(getattr(chargeapi, name), ChargeObject)
        and getattr(chargeapi, name) is not ChargeObject
    ),
    key=lambda cls: cls.__name__,
)


def field_docstrings(cls: type[ChargeObject]) -> dict[str, tuple[str, str | None]]:
    """Each field declared in ``cls``'s own body: its annotation and its docstring."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0]
    assert isinstance(body, ast.ClassDef)
    found: dict[str, tuple[str, str | None]] = {}
    statements = body.body
    for i, statement in enumerate(statements):
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            following = statements[i + 1] if i + 1 < len(statements) else None
            doc = (
                following.value.value
                if isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
                else None
            )
            found[statement.target.id] = (ast.unparse(statement.annotation), doc)
    return found


def test_there_are_models_to_check() -> None:
    assert len(MODELS) >= 45
    assert chargeapi.Invoice in MODELS
    assert chargeapi.TelemetryOdometer in MODELS


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
def test_every_field_has_a_one_line_meaning(model: type[ChargeObject]) -> None:
    declared = field_docstrings(model)
    public = [a.name for a in attrs.fields(model) if not a.name.startswith("_")]
    own = [name for name in public if name in declared]
    assert own, f"{model.__name__} declares no field"
    for name in own:
        annotation, doc = declared[name]
        assert doc, f"{model.__name__}.{name} has no docstring"
        assert len(doc.split("\n\n")[0]) < 300, f"{model.__name__}.{name}: a short meaning first"
        if "None" in annotation.split("|")[-1] or "| None" in annotation:
            assert "None" in doc or "null" in doc, (
                f"{model.__name__}.{name} is {annotation}: its docstring must say when it is None"
            )


def test_the_typing_check_uses_every_public_model() -> None:
    checked = (ROOT / "tests" / "typing" / "documented_fields.py").read_text()
    missing = [cls.__name__ for cls in MODELS if cls.__name__ not in checked]
    assert missing == []
