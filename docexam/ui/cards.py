"""Printed quick check cards for the pages, made once per template, language and reference image."""

from __future__ import annotations

import streamlit as st

from docexam.lessons.cards import quick_check_card
from docexam.specimens import find_template

__all__ = ["quick_check_pdf"]


def quick_check_pdf(template_id: str, lang: str) -> bytes:
    """The card of ``template_id`` in ``lang`` (PDF bytes); made again when the template's reference changes."""
    template = find_template(template_id)
    try:
        stamp = template.image_path("visible").stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _card(template_id, lang, stamp)


@st.cache_data(show_spinner=False, max_entries=24)
def _card(template_id: str, lang: str, stamp: int) -> bytes:
    return quick_check_card(find_template(template_id), lang=lang)
