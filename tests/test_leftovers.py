"""What a killed run left (temporary files, staging folders) is removed by the next run, which says so."""

from __future__ import annotations

import os
import time

from docexam.cli import main
from docexam.leftovers import clean_home, clean_leftovers, process_started


def _leftovers(folder, *, age_s: float):
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / ".KK-01.json.k3j2h1.tmp"
    tmp.write_bytes(b"half a file")
    staging = folder / ".incoming-x8f2k1"
    (staging / "new-card").mkdir(parents=True)
    (staging / "new-card" / "template.json").write_text("{", encoding="utf-8")
    when = time.time() - age_s
    for path in (tmp, staging):
        os.utime(path, (when, when))
    return tmp, staging


def test_leftovers_older_than_the_process_are_removed_and_fresh_ones_kept(tmp_path):
    old_tmp, old_staging = _leftovers(tmp_path / "old", age_s=3600 + time.time() - process_started())
    fresh_tmp, fresh_staging = _leftovers(tmp_path / "fresh", age_s=0)  # another process writing now
    kept = tmp_path / "old" / "KK-01.json"
    kept.write_text("{}", encoding="utf-8")
    removed = clean_leftovers([tmp_path / "old", tmp_path / "fresh", tmp_path / "missing"])
    assert sorted(removed) == sorted([old_tmp, old_staging])
    assert not old_tmp.exists() and not old_staging.exists()
    assert fresh_tmp.exists() and fresh_staging.exists() and kept.exists()


def test_template_add_cleans_a_killed_template_add_and_says_so(docexam_home, tmp_path, capsys):
    tmp, staging = _leftovers(docexam_home / "templates", age_s=86400)
    status = main(["template", "add", "--id", "Bad Id", "--name", "x", "--format", "TD3",
                   "--visible", str(tmp_path / "missing.png"), "--zones", str(tmp_path / "z.json")])
    err = capsys.readouterr().err
    assert status == 2
    assert f"docexam: removed 2 leftovers of an interrupted run (temporary files, staging folders) in " \
           f"{docexam_home / 'templates'}\n" in err
    assert not tmp.exists() and not staging.exists()


def test_synth_set_cleans_its_output_folder(docexam_home, tmp_path, capsys):
    out = tmp_path / "set"
    tmp, staging = _leftovers(out, age_s=86400)
    status = main(["synth", "set", "--count", "1", "--seed", "3", "--out", str(out), "--quiet"])
    assert status == 0
    assert "removed 2 leftovers" in capsys.readouterr().err and not tmp.exists() and not staging.exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # and its own writes left none


def test_the_app_cleans_the_home_at_start(docexam_home):
    media = docexam_home / "cache" / "media"
    tmp, _ = _leftovers(media, age_s=86400)
    library = docexam_home / "cache" / "library" / "0123456789abcdef"
    lib_tmp, _ = _leftovers(library, age_s=86400)
    said = clean_home()
    assert said.startswith("removed 4 leftovers") and str(media) in said and str(library) in said
    assert not tmp.exists() and not lib_tmp.exists()
    assert clean_home() == ""
