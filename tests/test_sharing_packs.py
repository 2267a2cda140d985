"""Packs between two installations: round trip, no double import, tampering and hostile files refused."""

from __future__ import annotations

import zipfile

import pytest
import sqlalchemy as sa

from docexam.signing import installation_key, sign_document, trust_key
from docexam.sharing import container
from docexam.sharing.container import MAGIC, PackError
from docexam.sharing.content import local_items
from docexam.sharing.pack import export_pack, import_pack, plan_pack, undo_import, verify_pack
from docexam.training import TrainingRecord, schema

from sharing_fixtures import DRILL, make_alert, make_all, tree


@pytest.fixture
def homes(tmp_path, monkeypatch):
    """Installation A (with content and a pack of it) and installation B (empty, trusting A)."""
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("DOCEXAM_HOME", str(a))
    make_all()
    exported = export_pack(tmp_path / "a.dxpack", origin="Banteay Meanchey training office")
    items_a = local_items()
    key_a = installation_key().public_text
    monkeypatch.setenv("DOCEXAM_HOME", str(b))
    trust_key(key_a, "Banteay Meanchey")
    record = TrainingRecord.open(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    yield {"a": a, "b": b, "pack": exported.path, "exported": exported, "items_a": items_a, "record": record,
           "key_a": key_a}
    record.close()


def _imports(record) -> int:
    with record.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(schema.imports))


def test_every_item_arrives_once_and_a_second_import_changes_nothing(homes):
    assert homes["exported"].counts == {"template": 1, "specimen": 2, "lesson": 1, "drill": 1, "alert": 1}
    opened = verify_pack(homes["pack"])
    assert opened.signer.name == "Banteay Meanchey" and len(opened.manifest.items) == 6
    first = import_pack(homes["record"], homes["pack"])
    assert len(first.plan.add) == 6 and not first.plan.change and first.import_id is not None
    items_b = local_items()
    assert {k: v.digest for k, v in items_b.items()} == {k: v.digest for k, v in homes["items_a"].items()}
    assert tree(homes["b"]) == tree(homes["a"])  # byte for byte, each file once
    from docexam.lessons.format import load_all_lessons

    assert "demo-review" in [le.id for le in load_all_lessons()]  # the pack's lesson is offered with the shipped
    before = tree(homes["b"])

    second = import_pack(homes["record"], homes["pack"])
    assert second.import_id is None and len(second.plan.same) == 6 and "nothing changed" in second.summary()
    assert tree(homes["b"]) == before and _imports(homes["record"]) == 1


def test_the_same_specimen_under_another_name_is_not_brought_twice(homes):
    (homes["b"] / "specimens").mkdir(parents=True)
    for p in (homes["a"] / "specimens").glob("demo-forged*"):
        (homes["b"] / "specimens" / p.name.replace("demo-forged", "my-copy")).write_bytes(p.read_bytes())
    plan = plan_pack(homes["pack"])
    assert [(i.name, here) for i, here in plan.known] == [("demo-forged", "my-copy")]
    assert "already here: specimen demo-forged (as my-copy)" in "\n".join(plan.lines())


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


@pytest.mark.parametrize("where", ["magic", "length", "manifest-space", "manifest", "blob", "last byte"])
def test_one_flipped_byte_is_refused_with_one_line_and_nothing_written(homes, tmp_path, where):
    data = homes["pack"].read_bytes()
    n = data.index(b"\n", len(MAGIC))
    at = {"magic": 3, "length": len(MAGIC), "manifest-space": data.index(b'"origin"'),
          "manifest": data.index(b"Banteay"), "blob": n + 1 + int(data[len(MAGIC):n]) + 100,
          "last byte": len(data) - 1}[where]
    bad = tmp_path / "bad.dxpack"
    bad.write_bytes(_flip(data, at))
    before = tree(homes["b"])
    with pytest.raises(PackError) as info:
        import_pack(homes["record"], bad)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(bad))
    assert tree(homes["b"]) == before and _imports(homes["record"]) == 0
    assert not list((homes["b"] / ".sharing").glob("staging-*"))
    with pytest.raises(PackError):
        verify_pack(bad)


def test_a_pack_signed_by_an_untrusted_key_is_refused(homes, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "c"))
    with pytest.raises(PackError, match=r"signed by a key not trusted here .*; nothing imported"):
        import_pack(homes["record"], homes["pack"])
    assert tree(tmp_path / "c") == {} and _imports(homes["record"]) == 0


def test_an_import_is_undone_and_a_changed_item_restored(homes, tmp_path, monkeypatch):
    first = import_pack(homes["record"], homes["pack"])
    # A changes its alert and sends a second pack
    monkeypatch.setenv("DOCEXAM_HOME", str(homes["a"]))
    make_alert(what_to_check=["Edges of the photo", "Laminate lifted at the corner"])
    second_pack = export_pack(tmp_path / "a2.dxpack").path
    monkeypatch.setenv("DOCEXAM_HOME", str(homes["b"]))
    after_first = tree(homes["b"])
    second = import_pack(homes["record"], second_pack)
    assert [i.name for i in second.plan.change] == ["demo-photo-swap"] and not second.plan.add
    assert "Laminate" in (homes["b"] / "alerts" / "demo-photo-swap.json").read_text()

    undo_import(homes["record"], second.import_id, note="wrong version")
    assert tree(homes["b"]) == after_first
    undo_import(homes["record"], first.import_id)
    assert tree(homes["b"]) == {}
    assert [b.undone for b in homes["record"].imports()] == [True, True]


def test_undo_is_refused_when_a_file_was_changed_since(homes):
    result = import_pack(homes["record"], homes["pack"])
    (homes["b"] / "drills" / "night-shift.toml").write_text('id = "night-shift"\ntitle = "Edited here"\n')
    before = tree(homes["b"])
    with pytest.raises(Exception, match=r"drills/night-shift.toml was changed after the import"):
        undo_import(homes["record"], result.import_id)
    assert tree(homes["b"]) == before and not homes["record"].imports()[0].undone


def test_a_crash_half_way_is_rolled_back_by_the_next_import(homes, monkeypatch):
    from docexam.sharing import journal

    real_put, calls = journal.FileTransaction.put, []

    def dying_put(self, rel, source):
        calls.append(rel)
        if len(calls) == 4:
            raise KeyboardInterrupt  # the process stops between two files
        real_put(self, rel, source)

    monkeypatch.setattr(journal.FileTransaction, "put", dying_put)
    with pytest.raises(KeyboardInterrupt):
        import_pack(homes["record"], homes["pack"])
    assert tree(homes["b"]) == {} and _imports(homes["record"]) == 0
    monkeypatch.setattr(journal.FileTransaction, "put", real_put)
    assert import_pack(homes["record"], homes["pack"]).import_id is not None
    assert tree(homes["b"]) == tree(homes["a"])


# ------------------------------------------------------------------ hostile files

def _signed_pack(path, manifest: dict, blobs: dict[str, bytes]) -> None:
    raw = container.canonical_json(sign_document(manifest, installation_key()))
    path.write_bytes(MAGIC + str(len(raw)).encode() + b"\n" + raw + b"".join(blobs[b["sha256"]]
                                                                            for b in manifest["blobs"]))


def _manifest(name="x", role=".toml", content=b'id = "x"\n', kind="drill"):
    import hashlib

    from docexam.sharing.formats import item_digest

    sha = hashlib.sha256(content).hexdigest()
    return ({"format": "docexam-pack", "version": 1, "created_at": "2026-11-30T00:00:00+00:00", "origin": "o",
             "items": [{"kind": kind, "name": name, "title": "", "files": [{"role": role, "sha256": sha,
                                                                            "size": len(content)}],
                        "digest": item_digest(kind, {role: sha})}],
             "blobs": [{"sha256": sha, "size": len(content)}]}, {sha: content})


@pytest.mark.parametrize("case, problem", [
    ("traversal name", r"drill name '\.\./\.\./etc/cron' is not allowed"),
    ("traversal role", r"drill file '/\.\./x' is not one a drill has"),
    ("huge member", r"less than or equal to 536870912"),
    ("claims more than the file", r"the file is \d+ bytes, the manifest accounts for"),
    ("shipped name", r"specimen '.*-genuine-flat-.*' would replace one that ships with docexam"),
    ("bad toml", r"drill x: .*nothing imported"),
    ("broken scenario", r"drill night-shift: drills/night-shift.toml: line 6: queue: must be from 10 to 60; "
                        r"nothing imported"),
    ("scenario under another id", r"drill x: its id is 'night-shift'; nothing imported"),
    ("shipped scenario", r"drill 'land-rush-hour' would replace one that ships with docexam"),
])
def test_hostile_packs_signed_by_a_trusted_key_are_still_refused(homes, tmp_path, case, problem):
    from docexam.sharing.content import shipped_names

    manifest, blobs = _manifest()
    item = manifest["items"][0]
    if case == "traversal name":
        item["name"] = "../../etc/cron"
    elif case == "traversal role":
        item["files"][0]["role"] = "/../x"
    elif case == "huge member":
        item["files"][0]["size"] = manifest["blobs"][0]["size"] = 2**40
    elif case == "claims more than the file":
        blobs = {k: v[:-2] for k, v in blobs.items()}
    elif case == "shipped name":
        name = sorted(n for n in shipped_names("specimen") if "genuine-flat" in n)[0]
        manifest, blobs = _manifest(name=name, role=".json", kind="specimen")
        manifest["items"][0]["files"].append(dict(manifest["items"][0]["files"][0], role=".png"))
        from docexam.sharing.formats import item_digest

        manifest["items"][0]["digest"] = item_digest("specimen", {f["role"]: f["sha256"]
                                                                  for f in manifest["items"][0]["files"]})
    elif case == "bad toml":
        manifest, blobs = _manifest(content=b"id = [unclosed\n")
    elif case == "broken scenario":
        manifest, blobs = _manifest(name="night-shift", content=DRILL.replace("queue = 10", "queue = 5").encode())
    elif case == "scenario under another id":
        manifest, blobs = _manifest(content=DRILL.encode())
    elif case == "shipped scenario":
        manifest, blobs = _manifest(name="land-rush-hour", content=DRILL.replace("night-shift", "land-rush-hour")
                                    .encode())
    path = tmp_path / "hostile.dxpack"
    with pytest.MonkeyPatch.context() as mp:  # signed by A's key, which B trusts
        mp.setenv("DOCEXAM_HOME", str(homes["a"]))
        _signed_pack(path, manifest, blobs)
    before = tree(homes["b"])
    with pytest.raises(PackError, match=problem) as info:
        import_pack(homes["record"], path)
    assert "\n" not in str(info.value)
    assert tree(homes["b"]) == before and _imports(homes["record"]) == 0


@pytest.mark.parametrize("content, problem", [
    (b"", "not a docexam pack"),
    (b"DOCEXAM-PACK\n99999999999\n", "claims 99999999999 bytes, more than the file"),
    (b"DOCEXAM-PACK\n-5\n", "the manifest length is malformed"),
    (b"DOCEXAM-PACK\n9\n{\"a\":", "more than the file"),
    (b"DOCEXAM-PACK\n3\n{x}", "the manifest is not valid JSON"),
    (b"DOCEXAM-PACK\n2\n[]", "not a docexam pack"),
])
def test_malformed_files_are_one_line(homes, tmp_path, content, problem):
    path = tmp_path / "bad.dxpack"
    path.write_bytes(content)
    with pytest.raises(PackError, match=problem):
        import_pack(homes["record"], path)


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(homes, tmp_path):
    bomb = tmp_path / "bomb.dxpack"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", b"0" * 50_000_000)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(PackError, match="not a docexam pack \\(it is a zip file"):
        import_pack(homes["record"], bomb)
    assert tree(homes["b"]) == {}


# ------------------------------------------------------------------ the commands

def test_the_commands_verify_import_list_and_undo(homes, tmp_path, capsys):
    from docexam.cli import main

    db = ["--database", f"sqlite:///{tmp_path / 'b.sqlite3'}"]
    assert main(["pack", "verify", str(homes["pack"])]) == 0
    assert "valid, signed by Banteay Meanchey" in capsys.readouterr().out
    bad = tmp_path / "bad.dxpack"
    bad.write_bytes(_flip(homes["pack"].read_bytes(), len(homes["pack"].read_bytes()) // 2))
    assert main(["pack", "verify", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"docexam: {bad}: ")

    assert main(["pack", "import", str(homes["pack"]), "--dry-run", *db]) == 0
    out = capsys.readouterr().out
    assert "  add alert demo-photo-swap (Photo swapped on demo cards)" in out and "dry run: nothing changed" in out
    assert tree(homes["b"]) == {}
    assert main(["pack", "import", str(homes["pack"]), *db]) == 0
    assert "added 6, changed 0" in capsys.readouterr().out
    assert main(["import", "list", *db]) == 0
    assert capsys.readouterr().out.startswith("1\tpack\t")
    assert main(["import", "undo", "1", "--note", "test", *db]) == 0
    assert tree(homes["b"]) == {}
    assert main(["import", "undo", "1", *db]) == 2
    assert "was undone already" in capsys.readouterr().err

    assert main(["keys", "trust", "ed25519:nope", "--name", "x"]) == 2
    assert main(["keys", "show"]) == 0
    assert capsys.readouterr().out.strip() == installation_key().public_text
