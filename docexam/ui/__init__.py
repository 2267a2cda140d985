"""The Streamlit front end: trainee practice, trainer studio, examination desk.

``app.py`` (repository root) is the entry; :mod:`.nav` lists the pages and
who may open them; ``pages/*.py`` draw one page each and call the package
for all logic. :mod:`.course` holds the little logic the pages need that no
other room owns yet; it does not import Streamlit. Only this package (and
``app.py``) imports ``streamlit``.
"""
