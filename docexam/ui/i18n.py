"""The session's language for the pages: ``_()`` and ``ngettext`` over the catalogues.

The strings themselves are English in the code and translated by the
catalogues of :mod:`docexam.i18n` (``docexam/locale``); the language is the
session's choice (sidebar), so each call asks for the session's
translator rather than installing one for the whole server. Items and
lessons carry their own Khmer (``label_km``, ``*_km`` in the TOML): :func:`pick`
chooses between them.
"""

from __future__ import annotations

import json

import streamlit as st

from docexam.i18n import LANGUAGES, N_, translator

from .keys import KEYS

__all__ = ["LANGUAGES", "N_", "_", "ngettext", "said", "lang", "pick", "option_label", "t", "text",
           "streamlit_words_css"]


def lang() -> str:
    """The session's language code (``en`` until the trainee picks another)."""
    code = st.session_state.get("lang", "en")
    return code if code in LANGUAGES else "en"


def _(message: str, /, **values) -> str:
    """``message`` in the session's language, filled with ``values`` (``str.format`` fields)."""
    return translator(lang()).gettext(message, **values)


def ngettext(singular: str, plural: str, n: int, /, **values) -> str:
    """The form for count ``n`` in the session's language, filled with ``values``."""
    return translator(lang()).ngettext(singular, plural, n, **values)


def said(what, /) -> str:
    """A typed error's message, or a :class:`~docexam.i18n.Message` made below the UI, in the session's language.

    (The examination's reasons, the errors of files; a plain ``str`` is shown as it is.)
    """
    tr = translator(lang())
    return tr.error(what) if isinstance(what, BaseException) else tr.message(what)


def text(key: str, lang: str = "en", **values) -> str:
    """The message of ``key`` (:data:`docexam.ui.keys.KEYS`) in ``lang``.

    >>> text("question_n", "en", n=2, total=10)
    'Question 2 of 10'
    >>> text("correct", "km")
    'ត្រឹមត្រូវ។'
    """
    return translator(lang).gettext(KEYS[key], **values)


def t(key: str, **values) -> str:
    """The message of ``key`` in the session's language (keys built at run time, e.g. ``f"light_{light}"``)."""
    return text(key, lang(), **values)


def pick(en: str, km: str | None) -> str:
    """``km`` in a Khmer session when there is one, else ``en`` (for item and lesson texts)."""
    return km if lang() == "km" and km else en


def option_label(option: dict) -> str:
    """An item option (``{"id", "label", "label_km"}``) in the session's language."""
    return pick(option.get("label", option.get("id", "")), option.get("label_km"))


def streamlit_words_css() -> str:
    """A style sheet that puts Streamlit's own words in the session's language ("" in English).

    Streamlit offers no setting for them: its file uploader's button says
    "Upload" and its note "40MB per file • PNG, JPG" in every language. The
    button's word is replaced, and the note says the size limit (the file
    types are in each uploader's own label).
    """
    if lang() == "en":
        return ""
    upload = json.dumps(_("Upload"), ensure_ascii=False)  # a JSON string is a valid CSS string
    limit = json.dumps(_("Up to {size} MB per file", size=st.get_option("server.maxUploadSize")), ensure_ascii=False)
    words = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    note = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    return (f"<style>{words} {{ font-size: 0; }} {words}::after {{ content: {upload}; font-size: 1rem; }}"
            f" {note} {{ font-size: 0; }} {note}::after {{ content: {limit}; font-size: .875rem; }}</style>")
