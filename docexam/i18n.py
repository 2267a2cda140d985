"""Translations: gettext catalogues, one per language, English as the source.

Every user-facing string is written in English in the code, marked with
``_()`` (or ``ngettext`` for plurals, ``N_`` for a string kept to be
translated later); the catalogues ``docexam/locale/<lang>/LC_MESSAGES/docexam.po``
hold the translations (README, "Translating docexam"). A language is a
catalogue: :data:`LANGUAGES` lists every catalogue found, so adding one needs
no code. A string that a catalogue lacks (or marks fuzzy) is shown in English.

The language is chosen per call, never installed globally: a workshop server
serves trainees in several languages at once. :func:`translator` gives an
object bound to one language with ``gettext``/``ngettext`` and Babel's
number, percent and date formats for that language.

This module sits below everything else (the CLI, reports, PDFs, the UI use it).

>>> translator("km").gettext("Correct.")
'ត្រឹមត្រូវ។'
>>> translator("xx").gettext("Correct.")  # no such catalogue: English
'Correct.'
>>> translator("en").ngettext("{n} answer", "{n} answers", 2, n=2)
'2 answers'
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import gettext as _gettext
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as _dates
from babel import numbers as _numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "docexam"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"

__all__ = ["DOMAIN", "LOCALE_DIR", "LANGUAGES", "Translator", "translator", "gettext", "ngettext", "N_",
           "catalogue_path", "languages", "extract_python"]


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (translated where it is shown)."""
    return message


def catalogue_path(lang: str) -> Path:
    """The ``.po`` file of language ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _native_name(lang: str) -> str:
    try:
        return Locale.parse(lang).get_display_name(lang) or lang
    except (ValueError, UnknownLocaleError):
        return lang


def languages() -> dict[str, str]:
    """Every language the app offers, code -> its own name: English and each catalogue found."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()) \
        if LOCALE_DIR.is_dir() else []
    return {SOURCE_LANGUAGE: "English", **{code: _native_name(code) for code in found if code != SOURCE_LANGUAGE}}


#: code -> the language's own name (e.g. ``{"en": "English", "km": "ខ្មែរ", "th": "ไทย"}``)
LANGUAGES = languages()


@functools.cache
def _translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of ``lang``: its compiled ``.mo`` when newer than the ``.po``, else compiled here."""
    po = catalogue_path(lang)
    if lang == SOURCE_LANGUAGE or not po.is_file():
        return _gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    # a fresh clone or an edited .po: compile in memory (fuzzy entries left out, as pybabel compile does)
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def _fill(text: str, values: dict) -> str:
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Translator:
    """Strings, numbers and dates in one language (``lang``)."""

    lang: str

    @property
    def locale(self) -> Locale:
        try:
            return Locale.parse(self.lang)
        except (ValueError, UnknownLocaleError):
            return Locale.parse(SOURCE_LANGUAGE)

    def gettext(self, message: str, /, **values) -> str:
        """``message`` translated, then filled with ``values`` (``str.format`` fields)."""
        return _fill(_translations(self.lang).gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values) -> str:
        """The form of ``singular``/``plural`` for count ``n``, translated and filled with ``values``."""
        return _fill(_translations(self.lang).ngettext(singular, plural, n), values)

    def number(self, value: float, *, digits: int | None = None) -> str:
        """``value`` written in this language (its separators; the digits CLDR's default for it)."""
        fmt = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
        return _numbers.format_decimal(value, format=fmt, locale=self.locale)

    def percent(self, value: float) -> str:
        """A share 0..1 as a whole percentage (``0.8`` -> ``80%``)."""
        return _numbers.format_percent(value, locale=self.locale)

    def date(self, value: dt.date, *, format: str = "long") -> str:
        """A date written in this language (``format``: ``short``, ``medium``, ``long`` or a pattern)."""
        return _dates.format_date(value, format=format, locale=self.locale)


def translator(lang: str) -> Translator:
    """The :class:`Translator` of language ``lang`` (English strings where its catalogue has none)."""
    return Translator(lang)


def gettext(message: str, lang: str = SOURCE_LANGUAGE, /, **values) -> str:
    """``message`` in ``lang``, filled with ``values``."""
    return translator(lang).gettext(message, **values)


def ngettext(singular: str, plural: str, n: int, lang: str = SOURCE_LANGUAGE, /, **values) -> str:
    """The form for count ``n`` in ``lang``, filled with ``values``."""
    return translator(lang).ngettext(singular, plural, n, **values)


#: the functions whose string arguments are messages, and how many leading arguments are
MESSAGE_FUNCTIONS = {"_": 1, "N_": 1, "gettext": 1, "ngettext": 2}


def extract_python(fileobj, keywords, comment_tags, options):
    r"""Babel extractor (``babel.cfg``): messages of a Python file, read from its syntax tree.

    Unlike Babel's tokenizer it also finds ``_()`` inside f-strings (``f"**{_('Score')}**"``).
    A call whose message is not a plain string (an f-string, a variable) is left out.

    >>> import io
    >>> src = "x = f'**{_(\"Score\")}**'\ny = ngettext('{n} answer', '{n} answers', n, n=n)"
    >>> [m for _, _, m, _ in extract_python(io.BytesIO(src.encode()), None, None, {})]
    ['Score', ('{n} answer', '{n} answers')]
    """
    tree = ast.parse(fileobj.read())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) and node.func.attr in ("gettext", "ngettext") \
            else None
        count = MESSAGE_FUNCTIONS.get(name)
        if count is None or len(node.args) < count:
            continue
        args = node.args[:count]
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            continue
        messages = args[0].value if count == 1 else tuple(a.value for a in args)
        found.append((node.lineno, name, messages, []))
    yield from sorted(found, key=lambda m: m[0])
