"""docs/formats.md and docs/schemas/ are what the format models say; the shipped files follow them.

Regenerate with ``python -m docexam.formats`` after changing a model.
"""

from __future__ import annotations

import json
import tomllib

import pytest

from conftest import REPO
from docexam.formats.docs import FORMATS, generated_part, json_schema, markdown

REGENERATE = "docs/formats.md or docs/schemas/ drift from docexam/formats: run `python -m docexam.formats`"


def test_formats_md_is_generated_from_the_models():
    assert generated_part((REPO / "docs" / "formats.md").read_text(encoding="utf-8")) == markdown(), REGENERATE


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.schema_name)
def test_json_schema_is_generated_from_the_model(fmt):
    committed = json.loads((REPO / "docs" / "schemas" / f"{fmt.schema_name}.json").read_text(encoding="utf-8"))
    assert committed == json_schema(fmt), REGENERATE


def _schema(name: str) -> dict:
    return json.loads((REPO / "docs" / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def test_shipped_files_follow_the_published_schemas():
    jsonschema = pytest.importorskip("jsonschema")
    checked = 0
    for path in sorted((REPO / "specimens" / "templates").glob("*/template.json")):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), _schema("template"))
        checked += 1
    for path in sorted((REPO / "lessons").glob("*.toml")):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), _schema("lesson"))
        checked += 1
    library = json.loads((REPO / "specimens" / "library" / "library.json").read_text(encoding="utf-8"))
    jsonschema.validate(library, _schema("library"))
    assert checked >= 9


def test_published_schemas_refuse_what_the_models_refuse():
    jsonschema = pytest.importorskip("jsonschema")
    template = json.loads((REPO / "specimens" / "templates" / "uto-td3" / "template.json").read_text())
    for change in ({"dpi": "600"}, {"format": "TD9"}, {"images": {"xray": "x.png"}}, {"zones": []}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**template, **change}, _schema("template"))


def test_code_cites_the_formats_document_not_an_outside_contract():
    cited = [p.relative_to(REPO).as_posix() for p in (REPO / "docexam").rglob("*.py")
             if "CONTRACTS.md" in p.read_text(encoding="utf-8")]
    docs = [p.name for p in (REPO / "docs").glob("*.md") if "CONTRACTS.md" in p.read_text(encoding="utf-8")]
    assert cited == [] and docs == []
    assert "CONTRACTS.md" not in (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
