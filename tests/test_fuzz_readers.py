"""Fuzzing every reader (issue 15): arbitrary bytes and arbitrary values never raise anything but
docexam's typed errors, and each call ends within a bound.

Readers: lesson TOML, drill scenario TOML, template.json, a zones JSON file,
specimen sidecars, workshop exports, packs, images, training database URLs
and files. Each gets arbitrary bytes and a valid file with one value (or a
few bytes) replaced by arbitrary ones: huge and non-finite numbers, lone
surrogates, NUL, deep nesting, wrong types.

In CI each reader runs :data:`EXAMPLES` examples, derandomized (the same ones
every run; a few seconds each). A longer run, with fresh random examples::

    DOCEXAM_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest -q -p no:randomly tests/test_fuzz_readers.py

(its figures are in the README, "Hostile files").
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from docexam.errors import DocexamError
from docexam.formats.reading import read_json
from docexam.imaging import load_image
from docexam.lessons.format import load_lesson
from docexam.drill.scenario import load_scenario
from docexam.paths import lessons_dir
from docexam.specimens.model import load_template, parse_zones
from docexam.specimens.registry import load_specimen

from sharing_fixtures import DRILL, HOLDER, TEMPLATE

#: examples per reader and kind in CI; DOCEXAM_FUZZ_EXAMPLES for a longer run
EXAMPLES = int(os.environ.get("DOCEXAM_FUZZ_EXAMPLES", "25"))
#: the longest one call may take (a hang or a backtracking scanner fails the test; the
#: machine running CI is shared, so the bound is generous: a call takes milliseconds)
BOUND_S = 10.0
LONG_RUN = "DOCEXAM_FUZZ_EXAMPLES" in os.environ

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def only_typed_errors(read, *args, **kwargs):
    """Call ``read``; anything but a DocexamError, or a call longer than BOUND_S, fails the test."""
    start = time.perf_counter()
    try:
        read(*args, **kwargs)
    except DocexamError as exc:
        message = str(exc)
        assert message and "Traceback" not in message
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_S, f"{read.__name__} took {elapsed:.1f} s"


# ------------------------------------------------------------------ values

_texts = st.one_of(st.text(max_size=40),
                   st.sampled_from(["\ud800", "a\x00b", "\ufeff", "e\u0301", "=cmd|' /C calc'!A0", "x" * 5000,
                                    "../../etc/passwd", "9999-12-31T23:59:59-14:00", "0000-00-00", "nl\n"]))
_numbers = st.one_of(st.integers(), st.integers(min_value=2**62, max_value=2**70), st.floats(allow_nan=True),
                     st.sampled_from([10**400, -(2**63) - 1, 1e308 * 10, float("nan")]))
_scalars = st.one_of(st.none(), st.booleans(), _numbers, _texts)
JSON_VALUES = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_texts, inner, max_size=4)), max_leaves=12)


def _paths(doc, prefix=()):
    """Every place in ``doc`` a value can be put (each key and index, nested)."""
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from _paths(value, prefix + (i,))


def _replaced(doc, path, value):
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


def json_text(doc, path, value) -> str:
    """``doc`` with ``value`` at ``path``, as JSON text (NaN, surrogates and huge numbers written as such)."""
    return json.dumps(_replaced(doc, path, value), allow_nan=True)


def mutated(data: bytes, edits) -> bytes:
    """``data`` with byte edits: (position fraction, bytes to put there, bytes to drop)."""
    out = bytearray(data)
    for where, put, drop in edits:
        at = int(where * len(out))
        out[at:at + drop] = put
    return bytes(out)


BYTE_EDITS = st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8), st.integers(0, 16)), min_size=1, max_size=4)
HOSTILE_CHUNKS = st.sampled_from([b"[" * 5000, b"{" * 3000, b"9" * 5000, b"\xff\xfe", b"\x00", b"\\ud800",
                                  b"[" + b" " * 20000, b'"' * 999, b"1e999", b"NaN", b"\xef\xbb\xbf"])
FILE_BYTES = st.one_of(st.binary(max_size=2000), st.builds(lambda a, b: a + b, st.binary(max_size=64), HOSTILE_CHUNKS))


# --------------------------------------------------------------- TOML files

def _toml_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string, but for escapes TOML lacks (a parse error then)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_literal(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_literal(v)}" for k, v in value.items() if v is not None) + "}"
    return '""'


def toml_with(text: str, line_pick: float, value) -> str:
    """``text`` with the value of one of its ``key = value`` lines replaced by ``value``."""
    lines = text.splitlines()
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*[A-Za-z_][\w-]*\s*=", line)]
    i = keyed[min(int(line_pick * len(keyed)), len(keyed) - 1)]
    key = lines[i].split("=", 1)[0]
    lines[i] = f"{key}= {_toml_literal(value)}"
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def lesson_text() -> str:
    return sorted(lessons_dir().glob("*.toml"))[0].read_text(encoding="utf-8")


@FUZZ
@given(data=FILE_BYTES)
def test_lesson_reader_on_any_bytes(folder, data):
    (folder / "lesson.toml").write_bytes(data)
    only_typed_errors(load_lesson, folder / "lesson.toml")


@FUZZ
@given(line=st.floats(0, 1), value=JSON_VALUES, edits=st.one_of(st.just([]), BYTE_EDITS))
def test_lesson_reader_on_any_value(folder, lesson_text, line, value, edits):
    text = toml_with(lesson_text, line, value)
    (folder / "lesson.toml").write_bytes(mutated(text.encode("utf-8", "surrogatepass"), edits))
    only_typed_errors(load_lesson, folder / "lesson.toml")


@FUZZ
@given(data=FILE_BYTES)
def test_drill_scenario_reader_on_any_bytes(folder, data):
    (folder / "drill.toml").write_bytes(data)
    only_typed_errors(load_scenario, folder / "drill.toml")


@FUZZ
@given(line=st.floats(0, 1), value=JSON_VALUES, edits=st.one_of(st.just([]), BYTE_EDITS))
def test_drill_scenario_reader_on_any_value(folder, line, value, edits):
    text = toml_with(DRILL, line, value)
    (folder / "drill.toml").write_bytes(mutated(text.encode("utf-8", "surrogatepass"), edits))
    only_typed_errors(load_scenario, folder / "drill.toml")


# --------------------------------------------------- templates, zones, sidecars

def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), 200, np.uint8)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def template_folder(folder) -> Path:
    out = folder / "demo-card"
    out.mkdir()
    (out / "visible.png").write_bytes(_png(*TEMPLATE["size_px"]))
    (out / "template.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    return out


def _load_template_text(template_folder: Path, text: bytes):
    (template_folder / "template.json").write_bytes(text)
    try:
        load_template(template_folder)
    finally:
        (template_folder / "template.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")


@FUZZ
@given(data=FILE_BYTES)
def test_template_reader_on_any_bytes(template_folder, data):
    only_typed_errors(_load_template_text, template_folder, data)


@FUZZ
@given(where=st.sampled_from(list(_paths(TEMPLATE))), value=JSON_VALUES)
def test_template_reader_on_any_value(template_folder, where, value):
    only_typed_errors(_load_template_text, template_folder, json_text(TEMPLATE, where, value).encode())


def _read_zones(path: Path):
    parse_zones(read_json(path), path, size=tuple(TEMPLATE["size_px"]))


@FUZZ
@given(data=FILE_BYTES)
def test_zones_reader_on_any_bytes(folder, data):
    (folder / "zones.json").write_bytes(data)
    only_typed_errors(_read_zones, folder / "zones.json")


@FUZZ
@given(where=st.sampled_from(list(_paths(TEMPLATE["zones"]))), value=JSON_VALUES)
def test_zones_reader_on_any_value(folder, where, value):
    (folder / "zones.json").write_text(json_text(TEMPLATE["zones"], where, value), encoding="utf-8")
    only_typed_errors(_read_zones, folder / "zones.json")


SIDECAR = {"template": TEMPLATE["id"], "authentic": False, "capture": {"kind": "flat"}, "holder": HOLDER, "mrz": [],
           "anomalies": [{"family": "personalization", "technique": "photo-substitution", "zone": "portrait",
                          "bbox": [20, 50, 90, 150], "note": "The photo's edges are cut."}],
           "mask": "demo.mask.png"}


@pytest.fixture(scope="module")
def sidecar_folder(folder, template_folder) -> tuple[Path, object]:
    out = folder / "specimens"
    out.mkdir()
    (out / "demo.png").write_bytes(_png(*TEMPLATE["size_px"]))
    return out, load_template(template_folder)


@FUZZ
@given(data=FILE_BYTES)
def test_sidecar_reader_on_any_bytes(sidecar_folder, data):
    out, template = sidecar_folder
    (out / "demo.json").write_bytes(data)
    only_typed_errors(load_specimen, out / "demo.json", template=template)


@FUZZ
@given(where=st.sampled_from(list(_paths(SIDECAR))), value=JSON_VALUES)
def test_sidecar_reader_on_any_value(sidecar_folder, where, value):
    out, template = sidecar_folder
    (out / "demo.json").write_text(json_text(SIDECAR, where, value), encoding="utf-8")
    only_typed_errors(load_specimen, out / "demo.json", template=template)


# ------------------------------------------------------------ workshop exports

@pytest.fixture(scope="module")
def export_and_record(folder):
    """A clean export of a small workshop, and a second database to import it into."""
    from docexam.training import TrainingRecord, kdf
    from docexam.training.exchange import export_data

    cost, kdf.SCRYPT_N = kdf.SCRYPT_N, 2**8
    try:
        with TrainingRecord.open(f"sqlite:///{folder / 'laptop.sqlite3'}") as laptop:
            ws = laptop.create_workshop(title="Document examination", place="Poipet", province="Banteay Meanchey",
                                        start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 5),
                                        trainers=["Sok Dara"], code="KK-01")
            me = laptop.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="1234")
            laptop.join_workshop(me.id, ws.code)
            laptop.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=5, overall=4, comments="Useful.")
            doc = export_data(laptop, ws.code)
    finally:
        kdf.SCRYPT_N = cost
    record = TrainingRecord.open(f"sqlite:///{folder / 'hq.sqlite3'}")
    yield doc, record
    record.close()


@FUZZ
@given(data=FILE_BYTES)
def test_workshop_export_reader_on_any_bytes(folder, export_and_record, data):
    _, record = export_and_record
    (folder / "export.json").write_bytes(data)
    only_typed_errors(record.import_workshop, folder / "export.json", allow_unverified=True)


@FUZZ
@given(data=st.data(), value=JSON_VALUES)
def test_workshop_export_reader_on_any_value(folder, export_and_record, data, value):
    doc, record = export_and_record
    where = data.draw(st.sampled_from([p for p in _paths(doc) if p[:1] != ("format",)]))
    (folder / "export.json").write_text(json_text(doc, where, value), encoding="utf-8")
    only_typed_errors(record.import_workshop, folder / "export.json", allow_unverified=True)


# ----------------------------------------------------------------------- packs

@pytest.fixture(scope="module")
def pack_bytes(tmp_path_factory) -> bytes:
    from docexam.sharing.pack import export_pack
    from sharing_fixtures import make_all

    home = tmp_path_factory.mktemp("pack-home")
    saved = os.environ.get("DOCEXAM_HOME")
    os.environ["DOCEXAM_HOME"] = str(home)
    try:
        make_all()
        return export_pack(home / "a.dxpack", origin="fuzz").path.read_bytes()
    finally:
        if saved is None:
            os.environ.pop("DOCEXAM_HOME")
        else:
            os.environ["DOCEXAM_HOME"] = saved


def _open_pack(path: Path):
    from docexam.sharing.container import open_pack

    open_pack(path, require_trust=False)


@FUZZ
@given(data=FILE_BYTES)
def test_pack_reader_on_any_bytes(folder, data):
    (folder / "p.dxpack").write_bytes(data)
    only_typed_errors(_open_pack, folder / "p.dxpack")


@FUZZ
@given(edits=BYTE_EDITS)
def test_pack_reader_on_a_damaged_pack(folder, pack_bytes, edits):
    (folder / "p.dxpack").write_bytes(mutated(pack_bytes, edits))
    only_typed_errors(_open_pack, folder / "p.dxpack")


# ---------------------------------------------------------------------- images

@pytest.fixture(scope="module")
def image_files() -> list[bytes]:
    out = []
    for fmt in ("PNG", "JPEG", "TIFF"):
        buf = io.BytesIO()
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 60, 3), np.uint8)).save(buf, fmt)
        out.append(buf.getvalue())
    return out


@FUZZ
@given(data=FILE_BYTES)
def test_image_reader_on_any_bytes(data):
    only_typed_errors(load_image, data, name="upload")


@FUZZ
@given(which=st.integers(0, 2), edits=BYTE_EDITS)
def test_image_reader_on_a_damaged_image(image_files, which, edits):
    only_typed_errors(load_image, mutated(image_files[which], edits), name="upload")


# ------------------------------------------------------------------- databases

@FUZZ
@given(scheme=st.one_of(st.sampled_from(["mysql", "oracle", "mssql+pyodbc", "sqlite+x", "postgresql+nope", "",
                                         "http", "file"]), st.text(max_size=12)),
       rest=st.text(max_size=40))
def test_database_url_on_any_text(scheme, rest):
    from docexam.training import TrainingRecord

    url = f"{scheme}://{rest}"
    if re.match(r"(?i)\s*(sqlite|postgres)", url):
        return  # would open a file or a server named by fuzz: the file case is below
    only_typed_errors(TrainingRecord.open, url)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 5))
@given(data=FILE_BYTES)
def test_database_file_of_any_bytes(folder, data):
    from docexam.training import TrainingRecord

    path = folder / "any.sqlite3"
    path.write_bytes(data)

    def open_and_close(url):
        TrainingRecord.open(url).close()

    try:
        only_typed_errors(open_and_close, f"sqlite:///{path}")
    finally:
        path.unlink(missing_ok=True)
