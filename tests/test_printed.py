"""Printed material in Khmer: text shaped (subscript consonants), extractable, embedded, and drawn right.

The PDFs are read back the way a person's tools would: Poppler's pdftotext
(the text), pdffonts (the embedded fonts) and pdftoppm (the page as pixels),
compared with the same words laid out by an independent shaper (Pillow with
libraqm) in the same font.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features

from docexam.assessment.certificate import Certificate, certificates_pdf
from docexam.i18n import translator
from docexam.pdf import KHMER_FONTS, LATIN, new_pdf

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdffonts")),
                                reason="needs Poppler's pdftotext, pdftoppm and pdffonts (Debian: poppler-utils)")

DPI = 100
#: KA + COENG + KA: the second KA is drawn as a subscript under the first (needs shaping)
STACKED = "ក្ក"


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    # -raw: the content stream's order (a vowel sign drawn above its consonant stays in its word). Poppler
    # puts spaces and line breaks where Khmer glyphs overlap (a subscript reads as a new line): whitespace is
    # dropped, pages kept apart by their form feed
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\f".join("".join(page.split()) for page in out.split("\f"))


def _fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def _page_gray(pdf: bytes, tmp_path, page: int = 1) -> np.ndarray:
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(page), "-l", str(page), str(path),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page-*.png")
    out = np.asarray(Image.open(png).convert("L"))
    png.unlink()
    return out


def _ink_box(gray: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(gray < 128)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def _reference(text: str, points: float, *, bold: bool = False) -> np.ndarray:
    """``text`` laid out by Pillow with libraqm (HarfBuzz shaping) at ``points`` on a page of :data:`DPI`."""
    font = ImageFont.truetype(str(KHMER_FONTS["B" if bold else ""]), size=round(points * DPI / 72),
                              layout_engine=ImageFont.Layout.RAQM)
    canvas = Image.new("L", (2000, 300), 255)
    ImageDraw.Draw(canvas).text((20, 50), text, font=font, fill=0)
    gray = np.asarray(canvas)
    x0, y0, x1, y1 = _ink_box(gray)
    return gray[y0:y1, x0:x1]


def _one_word(text: str, *, shaping: bool) -> bytes:
    pdf = new_pdf(title="probe")
    pdf.set_text_shaping(shaping)
    pdf.add_page()
    pdf.set_font(LATIN, size=60)
    pdf.cell(text=text)
    return bytes(pdf.output())


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without libraqm cannot shape the reference")
def test_a_subscript_consonant_is_stacked_as_a_khmer_reader_expects(tmp_path):
    single = _page_gray(_one_word("ក", shaping=True), tmp_path)
    stacked = _page_gray(_one_word(STACKED, shaping=True), tmp_path)
    unshaped = _page_gray(_one_word(STACKED, shaping=False), tmp_path)
    (sx0, sy0, sx1, sy1), (kx0, ky0, kx1, ky1), (ux0, _, ux1, _) = map(_ink_box, (single, stacked, unshaped))
    # stacked: one consonant wide, and the subscript hangs below it
    assert (kx1 - kx0) < 1.2 * (sx1 - sx0) and (ky1 - ky0) > 1.4 * (sy1 - sy0)
    # without shaping the same letters sit side by side: the check above would fail
    assert (ux1 - ux0) > 1.8 * (sx1 - sx0)
    # and the PDF's drawing is the independent shaper's, pixel for pixel within anti-aliasing
    word = stacked[ky0:ky1, kx0:kx1]
    ref = _reference(STACKED, 60)
    assert abs(word.shape[0] - ref.shape[0]) <= 3 and abs(word.shape[1] - ref.shape[1]) <= 3
    ref = cv2.resize(ref, (word.shape[1], word.shape[0]), interpolation=cv2.INTER_AREA)
    a, b = word < 128, ref < 128
    assert (a & b).sum() / (a | b).sum() > 0.85


def _certificate(**change) -> Certificate:
    return Certificate(**{**dict(name="Sok Chea", department="Immigration", province="Koh Kong",
                                 issued=dt.date(2025, 3, 5), workshop="Level 1", place="Poipet",
                                 dates="2025-03-03 – 2025-03-05", pre=0.4, post=0.85,
                                 rule="ផ្តល់ជូនសម្រាប់ពិន្ទុតេស្តក្រោយយ៉ាងតិច 70 %។"), **change})


def test_a_workshops_khmer_certificates_in_one_file(tmp_path):
    pdf = certificates_pdf([_certificate(), _certificate(name="Dara Kim", post=0.7)], lang="km")
    text = _pdf_text(pdf, tmp_path)
    assert text.count("\f") == 2  # one page each
    first, second = text.split("\f")[:2]
    # the Khmer words as typed, stacked consonants (ញ្ញ, ត្រ, ណ្ត) included
    assert "វិញ្ញាបនបត្របញ្ចប់វគ្គ" in first
    assert "បានបញ្ចប់វគ្គបណ្តុះបណ្តាល" in first
    assert "តេស្តមុន40%→តេស្តក្រោយ85%" in first and "តេស្តក្រោយ70%" in second
    assert "SokChea" in first and "DaraKim" in second and "ហត្ថលេខាគ្រូបង្គោល" in first
    assert "មីនា" in first  # the date in Khmer
    fonts = _fonts(pdf, tmp_path)
    khmer = [line for line in fonts.splitlines() if "NotoSansKhmer" in line]
    assert khmer and all(" yes yes yes " in line for line in khmer)  # embedded, subset, with a ToUnicode map


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without libraqm cannot shape the reference")
def test_the_khmer_certificate_title_is_drawn_not_boxes(tmp_path):
    page = _page_gray(certificates_pdf([_certificate()], lang="km"), tmp_path)
    ref = _reference("វិញ្ញាបនបត្របញ្ចប់វគ្គ", 30, bold=True)
    found = cv2.matchTemplate(page, ref, cv2.TM_CCOEFF_NORMED).max()
    assert found > 0.8
    # the same check refuses a title drawn in the wrong font (it is not a check that always passes)
    wrong = _reference("វិញ្ញាបនបត្របញ្ចប់វគ្គ", 30, bold=False)
    assert cv2.matchTemplate(page, wrong, cv2.TM_CCOEFF_NORMED).max() < found - 0.1


def test_the_key_results_pdf_in_khmer(tmp_path):
    from test_training_report import seed_cohort

    from docexam.training import TrainingRecord
    from docexam.training.report import key_results
    from docexam.training.report_pdf import to_pdf

    with TrainingRecord.open(f"sqlite:///{tmp_path / 'kr.sqlite3'}") as record:
        ws = seed_cohort(record)
        kr = key_results(record, ws.code)
    km = _pdf_text(to_pdf(kr, lang="km"), tmp_path)
    en = _pdf_text(to_pdf(kr, lang="en"), tmp_path)
    assert "Detectingfraudulenttraveldocuments" in km  # the workshop's own title, as typed
    for words in ("មន្ត្រីដែលបានបណ្តុះបណ្តាល", "ពិន្ទុមធ្យមតេស្តមុន", "ប្រធានបទខ្សោយបំផុត"):
        assert words in km
    # the known figures of the seeded cohort, the same in both languages
    for text in (km, en):
        assert "45%" in text and "65%" in text and "3(60%)" in text
    assert "Meanpre-testscore45%" in en and "Meanpre-testscore" not in km
    assert "NotoSansKhmer" in _fonts(to_pdf(kr, lang="km"), tmp_path)


def test_cli_writes_the_khmer_key_results_pdf(tmp_path, capsys, monkeypatch):
    from test_training_report import seed_cohort

    from docexam.cli import main
    from docexam.training import TrainingRecord

    with TrainingRecord.open(f"sqlite:///{tmp_path / 'kr.sqlite3'}") as record:
        seed_cohort(record)
        monkeypatch.setenv("DOCEXAM_DATABASE_URL", record.url)
        out = tmp_path / "kr.pdf"
        assert main(["report", "workshop", "BMC-25-01", "--format", "pdf", "--lang", "km", "--out", str(out)]) == 0
        assert "ពិន្ទុមធ្យមតេស្តមុន" in _pdf_text(out.read_bytes(), tmp_path)
        assert main(["report", "workshop", "BMC-25-01", "--format", "pdf"]) == 2
        assert capsys.readouterr().err.strip().endswith("a PDF needs --out FILE")


# --- quick check cards: one page per document type

def _card(template_id: str, lang: str) -> bytes:
    from docexam.lessons.cards import quick_check_card
    from docexam.specimens import find_template
    return quick_check_card(find_template(template_id), lang=lang, today=dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def khmer_card() -> bytes:
    return _card("uto-td3", "km")


def test_the_khmer_quick_check_card_is_one_page_of_extractable_shaped_khmer(khmer_card, tmp_path):
    text = _pdf_text(khmer_card, tmp_path)
    assert text.count("\f") == 1  # one page
    # words with subscript consonants (ន្ល, ត្រ, ក្រ, ត្ថ), as typed in the catalogue
    assert "កាតពិនិត្យរហ័ស" in text  # the title
    assert "ពន្លឺUV" in text and "វ៉ាទើម៉ាក" in text and "ខ្សែសុវត្ថិភាព" in text
    assert "ក្រដាសនៅតែស្រអាប់ក្រោមពន្លឺUV" in text
    assert "uto-td3" in text and "Quickcheckcard" not in text
    fonts = _fonts(khmer_card, tmp_path)
    khmer = [line for line in fonts.splitlines() if "NotoSansKhmer" in line]
    assert khmer and all(" yes yes yes " in line for line in khmer)  # embedded, subset, with a ToUnicode map


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without libraqm cannot shape the reference")
def test_the_khmer_quick_check_card_draws_its_title_not_boxes(khmer_card, tmp_path):
    page = _page_gray(khmer_card, tmp_path)
    # the title (15 pt bold, dark blue: dark enough for the grey page) as an independent shaper draws it
    ref = _reference("កាតពិនិត្យរហ័ស", 15, bold=True)
    found = cv2.matchTemplate(page, ref, cv2.TM_CCOEFF_NORMED).max()
    assert found > 0.8
    # tofu or a fallback font would not match: the same word in the regular face already scores lower
    wrong = _reference("កាតពិនិត្យរហ័ស", 15, bold=False)
    assert cv2.matchTemplate(page, wrong, cv2.TM_CCOEFF_NORMED).max() < found - 0.1


def test_every_shipped_template_has_a_card_in_english_and_khmer(tmp_path):
    from docexam.lessons.checks import feature_checks
    from docexam.specimens import list_templates
    ids = {t.id for t in list_templates()}
    assert ids >= {"uto-td3", "mrd-td1", "mrd-td3", "uto-td2", "uto-visa"}
    for template in list_templates():
        checks = feature_checks(template)
        assert len(checks) >= 6, template.id  # the document's main features, each with its check
        for lang in ("en", "km"):
            text = _pdf_text(_card(template.id, lang), tmp_path)
            assert text.count("\f") == 1, (template.id, lang)  # one page, however many checks
            assert template.id in text
            # every check is on the page, its heading in the card's language
            for check in checks:
                heading = "".join(translator(lang).gettext(check.name).split())
                assert heading in text, (template.id, lang, check.name)
            assert ("អក្សរតូច" in text) == (lang == "km")


def test_cli_prints_a_card_and_refuses_an_unknown_template(tmp_path, capsys):
    from docexam.cli import main
    out = tmp_path / "card.pdf"
    assert main(["cards", "mrd-td1", "--lang", "km", "--out", str(out)]) == 0
    assert "កាតពិនិត្យរហ័ស" in _pdf_text(out.read_bytes(), tmp_path)
    assert main(["cards", "no-such-document", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("docexam: unknown template 'no-such-document'")
    assert not (tmp_path / "x.pdf").exists()
    assert main(["cards", "uto-td3", "uto-visa", "--out", str(tmp_path / "cards")]) == 0
    assert sorted(p.name for p in (tmp_path / "cards").iterdir()) == ["quick-check-uto-td3-en.pdf",
                                                                       "quick-check-uto-visa-en.pdf"]
