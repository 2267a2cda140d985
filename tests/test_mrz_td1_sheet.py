"""`docexam mrz read` on a TD1 card whose front and back are in one picture.

Known answers: ICAO Doc 9303 part 5 publishes the TD1 specimen of the
fictional state Utopia (Anna Maria Eriksson, document D23145890, born
12 August 1974, expiring 15 April 2012). Its MRZ lines are typeset here in
the shipped OCR-B font at ten characters per inch on the back of a card
whose front carries a portrait and many lines of text; the two sides are
put one above the other and side by side, scanned flat and photographed,
and the reader must return exactly the three lines of the back. The front
alone has no MRZ, and the reader must say so.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docexam.cli import main
from docexam.mrz.reader import read_mrz
from docexam.paths import font_path

#: ICAO Doc 9303 part 5, the TD1 specimen's MRZ
ICAO_TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
DPI = 300


def _font(name: str, px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), int(round(px)))


def _card(front: bool, dpi: int = DPI) -> np.ndarray:
    """One side of an ID-1 card (85.6 x 54 mm) at ``dpi``."""
    k = dpi / 300
    w, h = int(85.6 / 25.4 * dpi), int(54 / 25.4 * dpi)
    im = Image.new("RGB", (w, h), (236, 240, 232))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([2, 2, w - 3, h - 3], int(30 * k), outline=(120, 120, 120), width=2)
    for x in range(0, w, int(9 * k)):  # background line work
        d.line([(x, 0), (x + int(60 * k), h)], fill=(215, 222, 228), width=1)
    small, text = _font("DejaVuSans.ttf", 15 * k), _font("DejaVuSans.ttf", 24 * k)
    if front:
        d.text((40 * k, 20 * k), "UTOPIA", font=_font("DejaVuSans-Bold.ttf", 40 * k), fill=(30, 40, 90))
        d.text((300 * k, 28 * k), "IDENTITY CARD / CARTE D'IDENTITE", font=_font("DejaVuSans.ttf", 22 * k),
               fill=(30, 40, 90))
        d.rectangle([40 * k, 110 * k, 300 * k, 440 * k], fill=(200, 190, 180))
        d.ellipse([100 * k, 160 * k, 240 * k, 330 * k], fill=(160, 120, 100))
        y = 100
        for label, value in (("SURNAME / NOM", "ERIKSSON"), ("GIVEN NAMES / PRENOMS", "ANNA MARIA"),
                             ("SEX / SEXE   NATIONALITY / NATIONALITE", "F   UTO"),
                             ("DATE OF BIRTH / DATE DE NAISSANCE", "12 08 1974"),
                             ("DOCUMENT NO. / NO DU DOCUMENT", "D23145890"),
                             ("DATE OF EXPIRY / DATE D'EXPIRATION", "15 04 2012")):
            d.text((330 * k, y * k), label, font=small, fill=(60, 60, 60))
            d.text((330 * k, (y + 17) * k), value, font=text, fill=(10, 10, 10))
            y += 52
    else:
        d.text((40 * k, 30 * k), "DATE OF ISSUE  16 04 2007   AUTHORITY PASSPORT OFFICE",
               font=_font("DejaVuSans.ttf", 20 * k), fill=(20, 20, 20))
        d.text((40 * k, 65 * k), "PLACE OF BIRTH  ZENITH    HEIGHT 175 CM", font=_font("DejaVuSans.ttf", 20 * k),
               fill=(20, 20, 20))
        ocr = _font("OCRB.otf", 40 * k)  # capitals 2.4 mm high, 2.54 mm pitch (ICAO 9303 part 3)
        for r, line in enumerate(ICAO_TD1):
            for c, ch in enumerate(line):
                d.text(((50 + c * 30) * k, (420 + r * 50) * k), ch, font=ocr, fill=(15, 15, 15), anchor="ls")
    return np.asarray(im)


def _photo(img: np.ndarray, seed: int, scale: float) -> np.ndarray:
    """A phone-like view: margins of desk, perspective, downscaling, blur, noise, JPEG."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    pad = int(0.06 * w)
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (90, 80, 70), np.uint8)
    canvas[pad:pad + h, pad:pad + w] = img
    src = np.float32([[0, 0], [w + 2 * pad, 0], [w + 2 * pad, h + 2 * pad], [0, h + 2 * pad]])
    dst = (src + rng.uniform(-0.03, 0.03, (4, 2)).astype(np.float32) * w) * scale
    m = cv2.getPerspectiveTransform(src, dst)
    size = (int((w + 2 * pad) * scale), int((h + 2 * pad) * scale))
    out = cv2.warpPerspective(cv2.GaussianBlur(canvas, (0, 0), 0.5 / scale), m, size, borderValue=(90, 80, 70))
    out = np.clip(cv2.GaussianBlur(out, (0, 0), 0.7) + rng.normal(0, 3, out.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)


@pytest.fixture(scope="module")
def sides():
    return _card(True), _card(False)


def _sheet(sides, layout: str) -> np.ndarray:
    front, back = sides
    if layout == "stacked":
        gap = np.full((40, front.shape[1], 3), 250, np.uint8)
        return np.vstack([front, gap, back])
    gap = np.full((front.shape[0], 40, 3), 250, np.uint8)
    return np.hstack([front, gap, back])


@pytest.mark.parametrize("layout", ["stacked", "side-by-side"])
@pytest.mark.parametrize("capture", ["scan", "photo"])
def test_td1_front_and_back_in_one_image_read_exactly(sides, layout, capture):
    sheet = _sheet(sides, layout)
    image = sheet if capture == "scan" else _photo(sheet, seed=3, scale=0.7)
    reading = read_mrz(image)
    assert reading.found and reading.format == "TD1"
    assert reading.lines == ICAO_TD1
    assert reading.valid
    assert reading.parsed.fields["document_number"] == "D23145890"
    assert reading.parsed.fields["surname"] == "ERIKSSON"


def test_td1_sheet_turned_a_quarter_reads_exactly(sides):
    turned = np.ascontiguousarray(np.rot90(_photo(_sheet(sides, "stacked"), seed=5, scale=0.6)))
    assert read_mrz(turned).lines == ICAO_TD1


def test_the_front_alone_has_no_mrz_and_the_cli_says_so(sides, tmp_path, capsys):
    path = tmp_path / "front.png"
    cv2.imwrite(str(path), cv2.cvtColor(sides[0], cv2.COLOR_RGB2BGR))
    assert main(["mrz", "read", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["found"] is False and out["lines"] == []
    assert main(["mrz", "read", str(path)]) == 0
    assert "no MRZ found" in capsys.readouterr().out


@pytest.mark.parametrize("layout", ["stacked", "side-by-side"])
def test_docexam_mrz_read_on_a_photo_of_both_sides_reads_the_back_exactly(sides, layout, tmp_path, capsys):
    """The command a trainer runs, on a JPEG file of the card's two sides photographed together."""
    path = tmp_path / f"card-{layout}.jpg"
    cv2.imwrite(str(path), cv2.cvtColor(_photo(_sheet(sides, layout), seed=11, scale=0.7), cv2.COLOR_RGB2BGR),
                [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert main(["mrz", "read", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["found"] is True and out["format"] == "TD1" and out["valid"] is True
    assert out["lines"] == ICAO_TD1
    assert out["fields"]["document_number"] == "D23145890" and out["fields"]["surname"] == "ERIKSSON"
