"""The studio's help with a new specimen: its holder's data read from its MRZ."""

from __future__ import annotations

import datetime as dt

from ..errors import DocexamError
from ..mrz.reader import read_mrz

__all__ = ["mrz_prefill"]


def mrz_prefill(rgb) -> dict:
    """Holder fields and MRZ lines read from an image's MRZ, to prefill the studio's form.

    Returns ``{}`` when no valid MRZ is found; never raises for a bad image.
    """
    try:
        reading = read_mrz(rgb)
    except (DocexamError, ValueError):  # a prefill is a convenience, never a failure
        return {}
    if not reading.found or reading.parsed is None:
        return {}
    f = reading.parsed.fields

    def iso(yymmdd: str, future: bool) -> str:
        try:
            yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        except (ValueError, TypeError):
            return ""
        this = dt.date.today().year % 100
        century = 2000 if (yy <= this + (20 if future else 0)) else 1900
        try:
            return dt.date(century + yy, mm, dd).isoformat()
        except ValueError:
            return ""

    return {"surname": f.get("surname", ""), "given_names": f.get("given_names", ""),
            "document_number": f.get("document_number", "").replace("<", ""),
            "nationality": f.get("nationality", ""), "sex": f.get("sex", ""),
            "date_of_birth": iso(f.get("date_of_birth", ""), False),
            "date_of_expiry": iso(f.get("date_of_expiry", ""), True),
            "mrz": list(reading.lines)}
