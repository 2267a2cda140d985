"""Lesson files: every shipped lesson validates; broken files are refused with file and line."""

from __future__ import annotations

import pytest

from docexam.errors import InvalidFieldError, UnknownNameError
from docexam.lessons.format import ITEM_TYPES, find_lesson, key_lines, load_lessons, parse_lesson
from docexam.paths import lessons_dir
from docexam.specimens.techniques import TECHNIQUES

GOOD = '''\
id = "demo"
title = "Demo"
title_km = "សាកល្បង"
topic = "review"
objectives = ["See one forgery."]
objectives_km = ["មើលការក្លែងបន្លំមួយ។"]
item_types = ["verdict", "locate"]

[specimens]
techniques = ["photo-substitution"]

[[figures]]
id = "pic"
kind = "crop"
technique = "photo-substitution"
caption = "A photo."

[[sections]]
heading = "Look"
text = """
Look closely.
kind = "not a key, inside a text"
"""
figures = ["pic"]
'''


def test_every_shipped_lesson_validates():
    lessons = load_lessons(lessons_dir())
    assert len(lessons) >= 7
    topics = {le.topic for le in lessons}
    assert {"substrates", "printing", "security-printing", "personalization", "mrz", "uv-ir",
            "review"} <= topics
    for le in lessons:
        assert le.title_km and len(le.objectives_km) == len(le.objectives)
        assert set(le.item_types) <= set(ITEM_TYPES)
        assert all(t in TECHNIQUES for t in le.specimens.techniques)
    # between them, the lessons use every item type and name every technique
    assert {t for le in lessons for t in le.item_types} == set(ITEM_TYPES)
    named = {t for le in lessons for t in le.specimens.techniques}
    assert named == set(TECHNIQUES)


def test_parse_good_lesson():
    lesson = parse_lesson(GOOD, "demo.toml")
    assert lesson.id == "demo" and lesson.item_types == ("verdict", "locate")
    assert lesson.specimens.techniques == ("photo-substitution",) and lesson.specimens.genuine
    assert lesson.figure("pic").kind == "crop"
    assert "Look closely." in lesson.sections[0].text
    with pytest.raises(UnknownNameError):
        lesson.figure("nope")
    assert find_lesson("demo", [lesson]) is lesson
    with pytest.raises(UnknownNameError, match="unknown lesson 'x'"):
        find_lesson("x", [lesson])


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, field, needle", [
    ('kind = "crop"', 'kind = "zoom"', "figures[0].kind", 'kind = "zoom"'),
    ('topic = "review"', 'topic = "review"\ntopics = 3', "topics", "topics = 3"),
    ('techniques = ["photo-substitution"]', 'techniques = ["photo-swap"]', "specimens.techniques[0]",
     "photo-swap"),
    ('item_types = ["verdict", "locate"]', 'item_types = "verdict"', "item_types", "item_types"),
    ('figures = ["pic"]', 'figures = ["pics"]', "sections[0].figures[0]", 'figures = ["pics"]'),
    ('objectives_km = ["មើលការក្លែងបន្លំមួយ។"]', 'objectives_km = ["a", "b"]', "objectives_km",
     "objectives_km"),
    ('title = "Demo"', 'title = ""', "title", 'title = ""'),
    ('caption = "A photo."\n', 'caption = "A photo."\noverlay = "yes"\n', "figures[0].overlay", "overlay ="),
])
def test_invalid_lesson_names_file_line_and_key(old, new, field, needle):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(InvalidFieldError) as info:
        parse_lesson(text, "lessons/bad.toml")
    err = info.value
    assert err.path == "lessons/bad.toml" and err.field == field
    assert err.line == _line_of(text, needle)
    assert str(err).startswith(f"lessons/bad.toml: line {err.line}: {field}: ")


def test_missing_key_points_at_its_table():
    text = GOOD.replace('caption = "A photo."\n', "")
    with pytest.raises(InvalidFieldError) as info:
        parse_lesson(text, "x.toml")
    assert info.value.field == "figures[0].caption" and info.value.line == _line_of(text, "[[figures]]")
    with pytest.raises(InvalidFieldError) as info:
        parse_lesson(GOOD.replace('title_km = "សាកល្បង"\n', ""), "x.toml")
    assert info.value.field == "title_km" and info.value.line == 1


def test_toml_syntax_error_has_line():
    text = GOOD.replace('title = "Demo"', 'title = "Demo')
    with pytest.raises(InvalidFieldError) as info:
        parse_lesson(text, "x.toml")
    assert info.value.field == "TOML" and info.value.line == _line_of(text, 'title = "Demo')


def test_duplicate_id_across_files(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text("# a copy\n" + GOOD, encoding="utf-8")
    with pytest.raises(InvalidFieldError) as info:
        load_lessons(tmp_path)
    assert info.value.path == str(tmp_path / "b.toml") and info.value.line == 2
    assert "already used by a.toml" in str(info.value)


def test_key_lines_skips_multiline_strings():
    lines = key_lines(GOOD)
    assert lines["figures[0].kind"] == _line_of(GOOD, 'kind = "crop"')
    assert "sections[0].kind" not in lines
    assert lines["sections[0].figures"] == _line_of(GOOD, 'figures = ["pic"]')


def test_every_shipped_lesson_is_in_khmer():
    # each section, objective and caption: a Khmer trainee reads the lesson in Khmer, not English
    for le in load_lessons(lessons_dir()):
        assert le.missing_khmer() == [], f"{le.path}: {le.missing_khmer()}"
        for sec in le.sections:  # not a stub: about as much Khmer as English (Khmer runs 0.6-1.3x the letters)
            assert len(sec.text_km) > 0.6 * len(sec.text), f"{le.path}: section {sec.heading!r} looks half-translated"


def test_lessons_check_warns_about_a_section_without_khmer(tmp_path, capsys):
    from docexam.cli import main
    path = tmp_path / "demo.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["lessons", "check", str(path)]) == 0  # a warning, not a refusal
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{path}: ok (demo)", f"{path}: warning: no Khmer for section 1 'Look': heading_km, text_km",
                   f"{path}: warning: no Khmer for figure 'pic': caption_km"]
