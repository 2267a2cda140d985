"""The shift's clock of a drill played alone, kept running by the browser.

Alone at the counter, nothing changes the drill but the officer's own
presses and the time: the clock, the travellers joining the queue and the
end of the shift follow from the drill's state at the last run. So the
browser counts on by itself (the clock and the queue's length, each
second) and asks the server for a run only when the page must change: the
next traveller arrives while nobody waits, or the shift runs out. A team's
counter still polls (:func:`docexam.ui.drill_views.shift_bar`): other
officers change the queue.

Polling the server every 2 s for this cost 30 officers' counters 15 runs a
second, most of the app's CPU, and crowded out the runs that answer presses.
"""

from __future__ import annotations

import streamlit as st

from ..drill.engine import ARRIVAL_SLACK_S
from . import drills
from .i18n import _

#: seconds after the moment the page changes at which the browser asks for the run (the clock's rounding)
MARGIN_S = 0.5

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component
  if (!data) return
  if (parentElement.__dxTimer) clearInterval(parentElement.__dxTimer)
  const start = Date.now() / 1000
  const clock = () => Math.min(data.budget, data.clock + (Date.now() / 1000 - start))
  const text = s => { s = Math.max(0, Math.floor(s)); return String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0') }
  let bar = parentElement.querySelector('.dx-shift-progress')
  if (!bar) {
    bar = document.createElement('div'); bar.className = 'dx-shift-progress'; bar.setAttribute('role', 'progressbar')
    bar.appendChild(document.createElement('div')); parentElement.appendChild(bar)
  }
  let asked = false
  const tick = () => {
    const now = clock()
    const values = document.querySelectorAll('.' + data.block + ' [data-testid="stMetricValue"]')
    if (values.length >= 2) {
      values[0].textContent = text(now) + ' / ' + text(data.budget)
      const arrived = data.arrivals.filter(a => a <= now + data.slack).length
      values[1].textContent = String(Math.max(0, arrived - data.called))
    }
    bar.firstChild.style.width = (100 * Math.min(1, now / data.budget)) + '%'
    bar.setAttribute('aria-valuenow', String(Math.round(100 * now / data.budget)))
    if (!asked && data.change !== null && Date.now() / 1000 - start >= data.change) {
      asked = true
      setTriggerValue('due', data.stamp)
    }
  }
  tick()
  parentElement.__dxTimer = setInterval(tick, 1000)
  return () => clearInterval(parentElement.__dxTimer)
}
"""

_CSS = """
.dx-shift-progress { height: 8px; border-radius: 4px; background: var(--st-secondary-background-color, #f0f2f6); overflow: hidden; }
.dx-shift-progress > div { height: 100%; background: var(--st-primary-color, #1b4f72); }
"""

_COMPONENT = st.components.v2.component("docexam_shift_clock", html="<div></div>", css=_CSS, js=_JS)


def next_change_in(ds, now: float, officer: int) -> float | None:
    """Seconds until the counter's page changes by time alone (a traveller arrives while nobody waits,
    or the shift runs out); None when only a press changes it.

    >>> next_change_in(None, 0.0, 1) is None
    True
    """
    if ds is None or ds.started_at is None or ds.finished(now):
        return None
    clock = ds.clock(now)
    changes = [ds.budget_s - clock]
    if ds.open_case(officer) is None and ds.next_traveller(now) is None:
        uncalled = [c.traveller.arrival_s for c in ds.cases if c.called_at is None]
        if uncalled:
            changes.append(min(uncalled) - ARRIVAL_SLACK_S - clock)
    return max(0.0, min(changes))


def shift_clock(ds, now: float, officer: int, *, key: str) -> None:
    """The clock, the queue and the travellers dealt with; the browser keeps the first two running."""
    clock, budget = ds.clock(now), ds.budget_s
    with st.container(key=key):
        c1, c2, c3 = st.columns(3)
        c1.metric(_("Shift clock"), f"{drills.clock_text(clock)} / {drills.clock_text(budget)}")
        c2.metric(_("Waiting in the queue"), ds.waiting(now))
        c3.metric(_("Dealt with"), f"{sum(c.decision is not None for c in ds.cases)} / {len(ds.cases)}")
        change = next_change_in(ds, now, officer)
        _COMPONENT(key=f"{key}-clock", on_due_change=lambda: None, data={
            "block": f"st-key-{key}", "clock": clock, "budget": budget, "slack": ARRIVAL_SLACK_S,
            "arrivals": [c.traveller.arrival_s for c in ds.cases],
            "called": sum(c.called_at is not None for c in ds.cases),
            "change": None if change is None else change + MARGIN_S, "stamp": f"{ds.drill.scenario.id}:{now:.3f}"})
