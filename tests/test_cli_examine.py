"""`docexam examine`: output and exit status per docs/formats.md, bad inputs, batch mode."""

from __future__ import annotations

import io
import json
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from docexam.cli import main
from docexam.synth.render import render_specimen


@pytest.fixture(scope="module")
def genuine_png(tmp_path_factory):
    folder = tmp_path_factory.mktemp("examine-cli")
    path = folder / "genuine.png"
    Image.fromarray(render_specimen("uto-td3", seed=31, capture="flat").images["visible"]).save(path)
    return path


def _huge_png_header(path, w=50_000, h=50_000):
    """A PNG whose IHDR claims w x h pixels (a decompression bomb), with a tiny body."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
                     + chunk(b"IEND", b""))


def _bad_files(folder):
    files = {}
    (folder / "empty.png").write_bytes(b"")
    files["empty"] = folder / "empty.png"
    (folder / "text.png").write_text("this is not an image")
    files["text"] = folder / "text.png"
    buf = io.BytesIO()
    Image.fromarray(np.full((300, 400, 3), 120, np.uint8)).save(buf, "PNG")
    (folder / "truncated.png").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    files["truncated"] = folder / "truncated.png"
    Image.new("RGB", (1, 1)).save(folder / "one.png")
    files["1x1"] = folder / "one.png"
    _huge_png_header(folder / "huge.png")
    files["huge"] = folder / "huge.png"
    frames = [Image.new("RGB", (64, 64), c) for c in ("red", "blue")]
    frames[0].save(folder / "anim.gif", save_all=True, append_images=frames[1:], duration=100)
    files["gif"] = folder / "anim.gif"
    return files


@pytest.mark.parametrize("kind", ["empty", "text", "truncated", "1x1", "huge", "gif"])
def test_unusable_input_exits_2_with_one_line(kind, tmp_path, capsys):
    path = _bad_files(tmp_path)[kind]
    status = main(["examine", str(path), "--template", "uto-td3", "--json"])
    out, err = capsys.readouterr()
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in err


def test_missing_file_and_unknown_template_exit_2(tmp_path, capsys):
    assert main(["examine", str(tmp_path / "nope.png"), "--template", "uto-td3"]) == 2
    assert "nope.png" in capsys.readouterr().err
    assert main(["examine", str(tmp_path / "nope.png"), "--template", "no-such"]) == 2
    assert "no-such" in capsys.readouterr().err


def test_cmyk_jpeg_and_noise_photo_are_examined_inconclusive(tmp_path, capsys):
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (700, 1000, 3), dtype=np.uint8)).convert("CMYK").save(tmp_path / "c.jpg")
    status = main(["examine", str(tmp_path / "c.jpg"), "--template", "uto-td3", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["verdict"] == "inconclusive" and out["reason"]


def test_batch_keeps_going_json_lines_in_order(genuine_png, tmp_path, capsys):
    bad = _bad_files(tmp_path)["text"]
    status = main(["examine", str(genuine_png), str(bad), str(genuine_png), "--template", "uto-td3", "--json",
                   "--heatmap", str(tmp_path / "heat")])
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.strip().splitlines()]
    assert status == 2 and len(rows) == 3
    assert [r["image"] for r in rows] == [str(genuine_png), str(bad), str(genuine_png)]
    assert rows[1]["verdict"] == "error" and rows[1]["error"]
    assert rows[0]["verdict"] == rows[2]["verdict"] == "consistent"
    assert {"image", "template", "verdict", "score", "findings", "registration", "timings_ms"} <= set(rows[0])
    assert "total" in rows[0]["timings_ms"] and rows[0]["registration"]["ok"] is True
    assert (tmp_path / "heat" / "genuine.heatmap.png").is_file()
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_single_image_human_output(genuine_png, capsys):
    assert main(["examine", str(genuine_png), "--template", "uto-td3"]) == 0
    out = capsys.readouterr().out
    assert "CONSISTENT" in out and str(genuine_png) in out
