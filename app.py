"""docexam: the training app (Streamlit).

Start it with ``docexam app`` (this laptop) or ``docexam app --host 0.0.0.0``
(trainees' phones on the training room's network); see README.md.
"""

from pathlib import Path

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import nav, preparing, session
from docexam.ui.i18n import LANGUAGES, _, streamlit_words_css
from docexam.ui.starter import LibraryNotReady

# a local icon: a ":material/...:" page icon is fetched from the internet as the favicon
st.set_page_config(page_title="docexam", page_icon=str(Path(__file__).parent / "static" / "icon.png"), layout="wide",
                   menu_items={"Get help": None, "Report a bug": None, "About": "docexam: offline training "
                               "in spotting fraudulent travel documents."})

# a phone is 360 px wide: machine-readable lines scroll inside their box, pictures never overflow
st.html("""<style>
pre.dx-mrz { font-family: "OCR-B", ui-monospace, monospace; font-size: clamp(9px, 2.6vw, 16px); overflow-x: auto;
             white-space: pre; background: var(--st-secondary-background-color, #f0f2f6); padding: .6em .8em;
             border-radius: .5em; line-height: 1.5; }
img.dx-picture { width: 100%; height: auto; display: block; }
/* pictures the browser fetches ahead of need (docexam.ui.counter.preload) take no room */
.stElementContainer:has(.dx-preload) { display: none; }
/* a table wider than a phone scrolls inside its own box; the page itself never scrolls sideways */
.stTable, [data-testid="stTable"], [data-testid="stTableStyledTable"] { overflow-x: auto; max-width: 100%; }
/* an element of the run before (greyed while a run is under way) takes no tap: a tick there would belong to
   the previous question and vanish when the new one arrives; the fresh element takes it a moment later */
.stElementContainer[data-stale="true"] { pointer-events: none; }
</style>""")

# a reload or a typed URL finds the browser's session (trainee, trainer, language) before the pages are listed
session.restore()

with st.sidebar:
    # the language is chosen first: every title below, page names included, follows it
    choice = st.segmented_control(_("Language"), list(LANGUAGES), format_func=LANGUAGES.get,
                                  key="lang-choice", default=st.session_state.get("lang", "en"))
    # a second click on the chosen option clears the control: keep the language then
    st.session_state["lang"] = choice or st.session_state.get("lang", "en")
    session.remember_language()
if st.session_state["lang"] != "en":
    # Khmer and Thai have no italic: Source Sans's italic face, which claims every code point, drew
    # emphasised Khmer as boxes. Emphasis stays upright in these languages
    st.html("<style>em, i { font-style: normal; }</style>" + streamlit_words_css())

page = nav.navigation()

with st.sidebar:
    me = session.trainee()
    if me is not None:
        st.caption(_("Signed in: {name}", name=me.name))
        if st.button(_("Sign out"), icon=":material/logout:"):
            session.sign_out()
            st.rerun()

with st.sidebar:
    session.keep_cookie()
    if session.is_trainer():
        preparing.progress_bar()  # a first start: the library renders in the background

try:
    page.run()
except LibraryNotReady:
    # a first start: this page needs the whole library; its progress (and a warm-up round) instead of a wait
    preparing.library_notice()
except DocexamError as exc:
    # an input or data problem the page did not expect: a readable line, never a traceback
    st.error(_("{error}", error=str(exc)))
