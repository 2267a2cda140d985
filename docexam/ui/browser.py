"""Small things only the browser can do, as one invisible component.

* ``numeric``: text fields (by their label) that open the phone's number
  pad (``inputmode="numeric"``): PINs are digits.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
  const { data } = component
  const labels = (data && data.numeric) || []
  const apply = () => {
    for (const label of labels) {
      for (const input of document.querySelectorAll(`input[aria-label="${CSS.escape(label)}"]`)) {
        if (input.getAttribute("inputmode") !== "numeric") {
          input.setAttribute("inputmode", "numeric")
          input.setAttribute("pattern", "[0-9]*")
          input.setAttribute("autocomplete", "off")
        }
      }
    }
  }
  apply()
  // the fields may be drawn after this component: look again as the page changes
  const observer = new MutationObserver(apply)
  observer.observe(document.body, { childList: true, subtree: true })
  return () => observer.disconnect()
}
"""

_COMPONENT = st.components.v2.component("docexam_browser", js=_JS, isolate_styles=False)


def numeric_fields(*labels: str) -> None:
    """Make the text fields labelled ``labels`` open the number pad on phones."""
    _COMPONENT(key="docexam-numeric-" + "|".join(labels), data={"numeric": list(labels)}, height=0)
