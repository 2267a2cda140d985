"""Printed material as PDF, in any language docexam speaks: fonts embedded, Khmer shaped.

Every PDF docexam makes (certificates, the Key Results report, alert cards)
starts from :func:`new_pdf`: fpdf2 with DejaVu Sans for Latin text and Noto
Sans Khmer as the fallback for any character DejaVu lacks, both embedded, and
HarfBuzz text shaping on. Khmer needs shaping: a consonant after the sign
COENG (U+17D2) is drawn as a subscript under the one before it, and vowel
signs are placed around their consonant; without shaping a word such as
``ក្ក`` would be drawn as three glyphs side by side.

>>> pdf = new_pdf(title="Test")
>>> pdf.add_page()
>>> pdf.set_font(LATIN, size=12)
>>> _ = pdf.cell(text="Sok Chea វិញ្ញាបនបត្រ")
>>> bytes(pdf.output())[:5]
b'%PDF-'
"""

from __future__ import annotations

from fpdf import FPDF

from .paths import REPO_DIR, font_path

__all__ = ["LATIN", "KHMER", "KHMER_FONTS", "THAI", "THAI_FONTS", "new_pdf"]

#: the family names the fonts are registered under
LATIN = "DejaVu"
KHMER = "NotoKhmer"
#: style -> Noto Sans Khmer file (the faces the browser is served too, static/NOTICE.md: SIL OFL 1.1)
KHMER_FONTS = {"": REPO_DIR / "static" / "NotoSansKhmer-Regular.ttf",
               "B": REPO_DIR / "static" / "NotoSansKhmer-Bold.ttf"}
#: Thai, the third language (a catalogue skeleton)
THAI = "NotoThai"
THAI_FONTS = {"": REPO_DIR / "static" / "NotoSansThai-Regular.ttf", "B": REPO_DIR / "static" / "NotoSansThai-Bold.ttf"}


def new_pdf(*, title: str, orientation: str = "portrait") -> FPDF:
    """An empty A4 document with docexam's fonts registered, Khmer fallback and shaping on.

    Parameters
    ----------
    title : str
        The document's title (its metadata; shown by PDF viewers).
    orientation : {'portrait', 'landscape'}
    """
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.add_font(LATIN, fname=str(font_path("DejaVuSans.ttf")))
    pdf.add_font(LATIN, style="B", fname=str(font_path("DejaVuSans-Bold.ttf")))
    for family, faces in ((KHMER, KHMER_FONTS), (THAI, THAI_FONTS)):
        for style, path in faces.items():
            pdf.add_font(family, style=style, fname=str(path))
    # a Khmer (Thai) run goes to Noto Sans Khmer (Thai) whole, in the style asked for (bold stays bold)
    pdf.set_fallback_fonts([KHMER, THAI], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_title(title)
    pdf.set_creator("docexam")
    return pdf
