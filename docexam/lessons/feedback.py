"""What a trainee answered, in plain words, for feedback ("You answered: Forged.") and reviews.

Examples
--------
>>> from docexam.lessons.items import Item
>>> item = Item(id="x:verdict", type="verdict", specimens=("x",), template="t", prompt="", prompt_km="",
...             shown={"options": [{"id": "forged", "label": "Forged", "label_km": "ក្លែងក្លាយ"}]},
...             key={"kind": "choice", "answer": "forged"}, feedback={})
>>> answer_words(item, "forged"), answer_words(item, {"choice": "forged"}, "km")
('Forged', 'ក្លែងក្លាយ')
"""

from __future__ import annotations

from ..errors import DocexamError
from ..specimens.registry import find_template
from .vocabulary import zone_label


def _zone_at(template_id: str, point) -> str | None:
    """The smallest zone of the template that holds ``point`` (template pixels), background last."""
    try:
        zones = find_template(template_id).zones
    except DocexamError:  # a template not installed here: no zone names
        return None
    x, y = point
    holding = [z for z in zones if z.bbox[0] <= x < z.bbox[2] and z.bbox[1] <= y < z.bbox[3]]
    holding.sort(key=lambda z: (z.kind == "background", (z.bbox[2] - z.bbox[0]) * (z.bbox[3] - z.bbox[1])))
    return zone_label(holding[0].name, kind=holding[0].kind) if holding else None


def answer_words(item, answer, lang: str = "en") -> str:
    """The answer given to ``item`` as the trainee would say it (an option's label, or where they marked)."""
    if isinstance(answer, dict) and set(answer) == {"choice"}:
        answer = answer["choice"]
    if isinstance(answer, str):
        for option in item.shown.get("options", []):
            if option["id"] == answer:
                return option.get("label_km") or option["label"] if lang == "km" else option["label"]
        return answer
    if isinstance(answer, dict) and ("point" in answer or "box" in answer):
        if "point" in answer:
            point = answer["point"]
        else:
            x0, y0, x1, y1 = answer["box"]
            point = ((x0 + x1) / 2, (y0 + y1) / 2)
        zone = _zone_at(item.template, point)
        if lang == "km":
            return f"កន្លែងមួយនៅ{zone}" if zone else "កន្លែងមួយលើឯកសារ"
        return f"a spot in the {zone} area" if zone else "a spot on the document"
    return "no answer" if lang != "km" else "គ្មានចម្លើយ"
