"""The session's language for the pages: ``_()`` and ``ngettext`` over the catalogues.

The strings themselves are English in the code and translated by the
catalogues of :mod:`docexam.i18n` (``docexam/locale``); the language is the
session's choice (sidebar), so each call asks for the session's
translator rather than installing one for the whole server. Items and
lessons carry their own Khmer (``label_km``, ``*_km`` in the TOML): :func:`pick`
chooses between them.
"""

from __future__ import annotations

import streamlit as st

from docexam.i18n import LANGUAGES, N_, translator

from .keys import KEYS

__all__ = ["LANGUAGES", "N_", "_", "ngettext", "said", "lang", "pick", "option_label", "t", "text"]


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
