"""`docexam mrz read`: JSON shape, batches, unusable files."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from docexam.cli import main
from docexam.mrz import compose
from docexam.mrz.glyphs import render_mrz

LINES = compose("TD3", document_code="P", issuing_state="UTO", surname="Eriksson", given_names="Anna Maria",
                document_number="L898902C3", nationality="UTO", date_of_birth="1974-08-12", sex="F",
                date_of_expiry="2012-04-15", optional="ZE184226B")

CONTRACT_FIELDS = {"surname", "given_names", "document_number", "nationality", "date_of_birth", "sex",
                   "date_of_expiry"}


@pytest.fixture
def images(tmp_path):
    mrz = tmp_path / "passport.png"
    Image.fromarray(render_mrz(LINES, pitch=16)).save(mrz)
    blank = tmp_path / "blank.jpg"
    Image.new("RGB", (320, 200), (250, 250, 245)).save(blank)
    text = tmp_path / "notes.png"
    text.write_text("this is not an image\n")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    return {"mrz": str(mrz), "blank": str(blank), "text": str(text), "empty": str(empty),
            "missing": str(tmp_path / "missing.jpg")}


def _objects(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_json_shape(images, capsys):
    assert main(["mrz", "read", images["mrz"], "--json"]) == 0
    (obj,) = _objects(capsys.readouterr().out)
    assert obj["image"] == images["mrz"] and obj["found"] is True and obj["format"] == "TD3"
    assert obj["lines"] == LINES and obj["valid"] is True
    assert obj["checks"] == {"document_number": True, "date_of_birth": True, "date_of_expiry": True,
                             "optional": True, "composite": True}
    assert set(obj["fields"]) >= CONTRACT_FIELDS
    assert obj["fields"]["surname"] == "ERIKSSON" and obj["fields"]["given_names"] == "ANNA MARIA"
    assert obj["fields"]["date_of_birth"] == "740812" and obj["fields"]["date_of_expiry"] == "120415"
    assert isinstance(obj["timings_ms"]["total"], float)


def test_no_mrz_is_found_false_and_exit_0(images, capsys):
    assert main(["mrz", "read", images["blank"], "--json"]) == 0
    (obj,) = _objects(capsys.readouterr().out)
    assert obj["found"] is False and obj["lines"] == [] and obj["valid"] is False


def test_human_summary(images, capsys):
    assert main(["mrz", "read", images["mrz"], images["blank"]]) == 0
    out = capsys.readouterr().out
    assert "TD3 MRZ, all check digits valid" in out and LINES[1] in out and "ERIKSSON" in out
    assert "no MRZ found" in out


def test_batch_with_a_bad_file(images, capsys):
    status = main(["mrz", "read", images["mrz"], images["text"], images["blank"], "--json"])
    assert status == 2
    captured = capsys.readouterr()
    objs = _objects(captured.out)
    assert [o["image"] for o in objs] == [images["mrz"], images["text"], images["blank"]]
    assert objs[0]["valid"] is True and objs[2]["found"] is False
    assert objs[1]["found"] is False and "error" in objs[1] and "not an image" in objs[1]["error"]
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and images["text"] in err[0]


@pytest.mark.parametrize("which, problem", [("empty", "empty"), ("text", "not an image"), ("missing", "not found")])
def test_unusable_single_file_is_one_line_and_exit_2(images, capsys, which, problem):
    assert main(["mrz", "read", images[which], "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and images[which] in lines[0] and problem in lines[0]
    assert "Traceback" not in captured.err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["mrz", "read"])
    assert exc.value.code == 2
