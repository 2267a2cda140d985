"""A team drill's phones learn that another officer did something, without running the page to ask.

A team's counters, the second line's referrals and the consulted officer's
requests change because of other officers. They were fragments run again
every 2 s on every phone: a script run each time (30 phones, 15 runs a
second) whether anything happened or not. Now the browser asks the app's
own route (:data:`ROUTE`, ``/<drill id>``: the drill's version, one indexed
query, no script run) every :data:`POLL_S` seconds, and reruns the
fragment only when the version differs from the one the fragment was drawn
from, or when the page changes by time alone (the shift runs out).
This module's route needs no Streamlit run; :func:`watch` is the component.
"""

from __future__ import annotations

import streamlit as st
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..errors import DocexamError

#: where the app answers with a drill's version (a route of its own, beside Streamlit's)
ROUTE = "/docexam-drill"
#: how often a phone asks whether anything happened (seconds)
POLL_S = 2.0

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component
  if (!data) return
  if (parentElement.__dxWatch) clearInterval(parentElement.__dxWatch)
  const start = Date.now() / 1000
  let asked = false, busy = false
  const ask = value => { if (!asked) { asked = true; clearInterval(parentElement.__dxWatch); setTriggerValue('changed', value) } }
  const look = async () => {
    if (asked || busy) return
    if (data.change !== null && Date.now() / 1000 - start >= data.change) return ask('time:' + data.version)
    busy = true
    try {
      const r = await fetch(data.url, { cache: 'no-store' })
      if (r.ok) {
        const now = String((await r.json()).version)
        if (now !== data.version) ask(now)
      }
    } catch (e) { /* the server is busy or restarting: ask again next time */ }
    busy = false
  }
  parentElement.__dxWatch = setInterval(look, data.every * 1000)
  return () => clearInterval(parentElement.__dxWatch)
}
"""

_COMPONENT = st.components.v2.component("docexam_drill_watch", html="<div></div>", js=_JS)


def version_text(version) -> str:
    """The version as the route and the component compare it.

    >>> version_text((12, 3))
    '12.3'
    """
    return ".".join(str(int(v)) for v in version)


def watch(session_id: int, version, *, key: str, change: float | None = None) -> None:
    """Rerun the enclosing fragment when drill ``session_id`` is no longer at ``version``, or in ``change`` s."""
    _COMPONENT(key=key, on_changed_change=lambda: None, data={
        "url": f"{ROUTE}/{int(session_id)}", "version": version_text(version), "every": POLL_S, "change": change})


def _version(request):
    # loaded on the first request, not when the server module mounts the route (the server answers sooner)
    from . import state  # noqa: PLC0415

    try:
        version = state.record().drill_version(int(request.path_params["session_id"]))
    except DocexamError as exc:  # the database is unreachable: the phone asks again later
        return JSONResponse({"error": str(exc)}, status_code=503)
    return JSONResponse({"version": version_text(version)}, headers={"Cache-Control": "no-store"})


def version_app():
    """The ASGI app answering ``GET /<drill id>`` with ``{"version": ...}`` (mounted at :data:`ROUTE`)."""
    return Starlette(routes=[Route("/{session_id:int}", _version)])
