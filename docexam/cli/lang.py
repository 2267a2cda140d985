"""The command line's language: ``--lang``, else the locale, else English.

``docexam --lang km ...`` (or ``LANGUAGE=km``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG=km_KH.UTF-8`` as gettext reads them) prints its messages and errors in
Khmer; a language without a catalogue, or ``C``/``POSIX``, is English. The
commands' ``--help`` stays English, like argparse's own words around it.
Output meant for programs (``--json``, tab-separated lists, ids) never changes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..i18n import LANGUAGES, SOURCE_LANGUAGE, translator

__all__ = ["locale_language", "use", "current", "_", "ngettext", "said"]

_current = SOURCE_LANGUAGE


def locale_language(environ: Mapping[str, str] = os.environ) -> str:
    """The first language of the locale that docexam speaks, else English (gettext's order of variables).

    >>> locale_language({"LANG": "km_KH.UTF-8"}), locale_language({"LANGUAGE": "fr:km", "LANG": "en_US.UTF-8"})
    ('km', 'km')
    >>> locale_language({"LANG": "C.UTF-8"}), locale_language({})
    ('en', 'en')
    """
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if not value:
            continue
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0]
            for candidate in (code, code.split("_")[0]):
                if candidate in LANGUAGES:
                    return candidate
        if var != "LANGUAGE":  # the first set of LC_ALL, LC_MESSAGES, LANG decides
            break
    return SOURCE_LANGUAGE


def use(lang: str | None) -> str:
    """Print in ``lang`` from now on (``None``: the locale's language); returns the language used."""
    global _current
    _current = lang if lang in LANGUAGES else locale_language()
    return _current


def current() -> str:
    """The language the command prints in."""
    return _current


def _(message: str, /, **values) -> str:
    """``message`` in the command's language, filled with ``values``."""
    return translator(_current).gettext(message, **values)


def ngettext(singular: str, plural: str, n: int, /, **values) -> str:
    """The form for count ``n`` in the command's language."""
    return translator(_current).ngettext(singular, plural, n, **values)


def said(what, /) -> str:
    """An error's message, or a :class:`~docexam.i18n.Message`, in the command's language."""
    tr = translator(_current)
    return tr.error(what) if isinstance(what, BaseException) else tr.message(what)
