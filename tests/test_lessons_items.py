"""Quiz items from annotated specimens: every type, stable ids, keys kept apart; the CLI."""

from __future__ import annotations

import json
import sys

import pytest

from docexam.cli import main
from docexam.lessons import (ITEM_TYPES, SpecimenFilter, SpecimenSourceError, default_specimens, draw_quiz,
                             find_item, generate_items, lesson_items, load_lessons, load_specimen_folder,
                             parse_lesson, resolve_figures)
from docexam.lessons.items import Item
from docexam.mrz.text import parse
from docexam.paths import lessons_dir
from docexam.specimens.techniques import TECHNIQUES
from test_lessons_support import build_library


@pytest.fixture
def library(tmp_path, docexam_home):
    return build_library(docexam_home, tmp_path / "lib")


@pytest.fixture
def specimens(library):
    return load_specimen_folder(library)


@pytest.fixture
def items(specimens):
    return {item.id: item for item in generate_items(specimens)}


def test_every_item_type_is_generated(items):
    assert {item.type for item in items.values()} == set(ITEM_TYPES)


def test_ids_are_stable_and_derived_from_specimen_type_anomaly(specimens, items):
    assert "f-multi:technique:1" in items and "f-photo:locate" in items and "g1:verdict" in items
    again = generate_items(list(reversed(specimens)))
    assert [i.as_dict() for i in again] == [items[k].as_dict() for k in sorted(items)]


def test_public_view_has_no_key_and_no_feedback(items):
    for item in items.values():
        shown = json.dumps(item.public())
        assert "key" not in item.public() and "feedback" not in item.public()
        assert "note" not in shown and "cut edges" not in shown
        assert item.feedback["what"] and "overlays" in item.feedback


def test_item_roundtrips_through_json(items):
    item = items["f-multi:locate"]
    assert Item.from_dict(json.loads(json.dumps(item.as_dict()))) == item


def test_verdict(items):
    assert items["g1:verdict"].key == {"kind": "choice", "answer": "genuine"}
    forged = items["f-photo:verdict"]
    assert forged.key["answer"] == "forged" and forged.feedback["why"] == "The photo has cut edges."
    assert forged.feedback["overlays"][0]["bbox"] == [25, 45, 85, 135]
    assert forged.shown["images"]["uv"].endswith("f-photo.uv.png")


def test_locate_targets_every_anomaly_with_mask(items):
    key = items["f-multi:locate"].key
    assert [t["mask_label"] for t in key["targets"]] == [1, 2]
    assert key["mask"].endswith("f-multi.mask.png") and key["tolerance_px"] > 0


def test_family_technique_light(items):
    assert items["f-multi:family:0"].key["answer"] == "substrate"
    assert items["f-multi:family:1"].shown["highlight"] == [100, 60, 220, 75]
    tech = items["f-halftone:technique:0"]
    options = [o["id"] for o in tech.shown["options"]]
    assert tech.key["answer"] == "halftone-reproduction" and len(options) == 4 == len(set(options))
    # plausible distractors: the other printing techniques
    assert {TECHNIQUES[o].family for o in options} == {"printing"}
    light = items["f-multi:light:0"]  # erasure: UV best, visible also shows it
    assert light.key == {"kind": "choice", "answer": "uv", "partial": {"visible": 0.5}}


def test_compare_pairs_genuine_and_forged_of_same_template_and_capture(items):
    item = items["f-photo:compare:g2"]
    pair = item.shown["pair"]
    genuine_side = item.key["answer"]
    assert pair[genuine_side]["specimen"] == "g2"
    assert "f-phone:compare:g3-phone" in items  # phone capture paired with the phone capture


def test_mrz_items(items):
    real = items["f-mrz:mrz"]  # the specimen's own MRZ has a wrong date-of-birth check digit
    assert real.key["answer"] == "date_of_birth" and real.shown["question"] == "mrz-check-digit"
    cd = items["g1:mrz:check-digit"]
    failing = [k for k, ok in parse(cd.shown["mrz"]).checks.items() if not ok]
    assert failing == [cd.key["answer"]]
    field = items["g1:mrz:field"]
    parsed = parse(field.shown["mrz"])
    assert parsed.valid  # check digits are right; only the comparison reveals it
    assert field.shown["printed"]["surname"] == "ERIKSSON"
    assert field.key["answer"] in field.shown["printed"]
    assert "MRZ says" in field.feedback["what"]


def test_phone_captures_only_get_whole_document_items(items):
    phone = {i.type for i in items.values() if i.specimens[0] == "f-phone"}
    assert phone == {"verdict", "compare", "mrz"}


def test_selection_and_types(specimens):
    only = generate_items(specimens, types=["technique"],
                          selection=SpecimenFilter(techniques=("data-alteration",), genuine=False))
    assert [i.id for i in only] == ["f-multi:technique:1"]
    with pytest.raises(ValueError, match="types"):
        generate_items(specimens, types=["essay"])
    with pytest.raises(ValueError, match="tolerance_px"):
        generate_items(specimens, tolerance_px=-1)


def test_lesson_items_and_quiz(specimens):
    lessons = load_lessons(lessons_dir())
    mrz = next(le for le in lessons if le.topic == "mrz")
    pool = lesson_items(mrz, specimens)
    assert pool and all(i.topic == "mrz" and i.type in mrz.item_types for i in pool)
    quiz = draw_quiz(pool, seed=3, count=5)
    assert [i.id for i in quiz] == [i.id for i in draw_quiz(list(reversed(pool)), seed=3, count=5)]
    assert len({i.type for i in quiz}) == len({i.type for i in pool})  # types take turns
    assert find_item(pool, quiz[0].id) == quiz[0]
    with pytest.raises(Exception, match="unknown quiz item"):
        find_item(pool, "nope:verdict")


def test_quiz_never_reveals_a_later_answer(specimens):
    from docexam.lessons.quiz import REVEALING_TYPES, reveal_last

    items = generate_items(specimens)
    for seed in range(5):
        quiz = draw_quiz(items, seed=seed)
        for i, item in enumerate(quiz):
            if item.type in REVEALING_TYPES:
                assert not any(set(later.specimens) & set(item.specimens) for later in quiz[i + 1:]
                               if later.type not in REVEALING_TYPES)
    by_id = {i.id: i for i in items}
    order = reveal_last([by_id["f-photo:technique:0"], by_id["g1:verdict"], by_id["f-photo:locate"]])
    assert [i.id for i in order] == ["g1:verdict", "f-photo:locate", "f-photo:technique:0"]


def test_figures_resolve_to_specimens(specimens):
    lesson = next(le for le in load_lessons(lessons_dir()) if le.id == "photo-substitution")
    figures = {f["id"]: f for f in resolve_figures(lesson, specimens)}
    portrait = figures["portrait"]
    assert [p["role"] for p in portrait["panels"]] == ["genuine", "forged"]
    assert portrait["panels"][1]["specimen"] == "f-photo"
    assert portrait["panels"][0]["crop"] == [20, 40, 90, 140]  # the template's portrait zone
    assert figures["ghost"]["missing"]  # no ghost-image specimen in this small library


def test_default_specimens_injected_and_unavailable(specimens, monkeypatch, docexam_home):
    assert default_specimens(library=lambda: specimens[:2]) == specimens[:2]
    monkeypatch.setitem(sys.modules, "docexam.synth.library", None)
    with pytest.raises(SpecimenSourceError, match="--specimens"):
        default_specimens()


# ---------------------------------------------------------------------------
# CLI

def test_cli_list_json_contract(library, capsys):
    assert main(["lessons", "list", "--json", "--specimens", str(library)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 7
    for row in rows:
        assert list(row) == ["id", "title", "topic", "items", "item_types"]
        assert isinstance(row["items"], int) and row["item_types"]
    review = next(r for r in rows if r["topic"] == "review")
    specimens = load_specimen_folder(library)
    assert review["items"] == len(generate_items(specimens))


def test_cli_list_refuses_invalid_lesson(tmp_path, library, capsys, monkeypatch):
    folder = tmp_path / "lessons"
    folder.mkdir()
    text = (lessons_dir() / "01-substrates.toml").read_text(encoding="utf-8")
    bad = text.replace('topic = "substrates"', 'topic = "substrates"\ncolour = "red"')
    (folder / "01-substrates.toml").write_text(bad, encoding="utf-8")
    monkeypatch.setenv("DOCEXAM_LESSONS", str(folder))
    assert main(["lessons", "list", "--json", "--specimens", str(library)]) == 2
    err = capsys.readouterr().err
    line = bad.splitlines().index('colour = "red"') + 1
    assert f"01-substrates.toml: line {line}: colour: unknown key" in err
    assert err.count("\n") == 1


def test_cli_quiz_and_show(library, capsys):
    assert main(["lessons", "quiz", "mrz-check-digits", "--seed", "1", "--count", "3", "--json",
                 "--specimens", str(library)]) == 0
    quiz = json.loads(capsys.readouterr().out)
    assert len(quiz) == 3 and all("key" not in q and "feedback" not in q for q in quiz)
    assert main(["lessons", "show", "mrz-check-digits", "--specimens", str(library)]) == 0
    assert "check digit" in capsys.readouterr().out
    assert main(["lessons", "show", "mrz-check-digits", "--lang", "km", "--specimens", str(library)]) == 0
    assert "លេខផ្ទៀងផ្ទាត់" in capsys.readouterr().out
    assert main(["lessons", "show", "nope", "--specimens", str(library)]) == 2
    assert "unknown lesson 'nope'" in capsys.readouterr().err


def test_parse_lesson_is_usable_without_files():
    lesson = parse_lesson('id = "x"\ntitle = "X"\ntitle_km = "X"\ntopic = "t"\nobjectives = ["o"]\n'
                          'objectives_km = ["o"]\nitem_types = ["verdict"]\n[[sections]]\n'
                          'heading = "h"\ntext = "t"\n')
    assert lesson_items(lesson, []) == []
