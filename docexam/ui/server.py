"""The app as served by ``docexam app``: Streamlit's ``app.py`` plus the picture and sync routes.

``streamlit run docexam/ui/server.py`` finds :data:`app` (an ``st.App``)
and serves ``app.py`` with one route of docexam's own beside Streamlit's:
:data:`docexam.ui.media.ROUTE`, the pictures encoded once
(:mod:`docexam.ui.media`). AppTest and ``streamlit run app.py`` still work
without it; pictures then do not load in a browser. The same process
serves :data:`docexam.sharing.hq.ROUTE`: laptops push signed records and
pull signed packs there (a headquarters server, :mod:`docexam.sharing.hq`).

Loading this module also starts the background preparation process
(:mod:`docexam.ui.prepare`: library, pictures, heatmaps) unless
``DOCEXAM_NO_PREPARE`` is set, and starts it again if it stops (several
app processes sharing one ``DOCEXAM_HOME`` run one preparation).
"""

from __future__ import annotations

import os

import streamlit as st
from starlette.routing import Mount

from docexam.paths import REPO_DIR
from docexam.sharing import hq
from docexam.ui import prepare
from docexam.ui.media import ROUTE, media_app

app = st.App(str(REPO_DIR / "app.py"), routes=[Mount(ROUTE, app=media_app()), Mount(hq.ROUTE, app=hq.sync_app())])

if not os.environ.get("DOCEXAM_NO_PREPARE"):
    prepare.keep_running()
