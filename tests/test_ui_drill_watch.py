"""A team drill's phones ask the app's route for the drill's version instead of running the page."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

from test_drill_support import KINDS, scenario

from docexam.drill.travellers import plan_queue
from docexam.training import TrainingRecord
from docexam.ui import drill_watch


class Answer:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status_code, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def get(app, path: str) -> Answer:
    """``GET path`` of an ASGI app, as the browser's fetch asks it (no HTTP client needed)."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"", "headers": [],
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Answer(start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body)


def test_the_route_answers_with_the_drills_version_and_it_moves_when_an_officer_acts(docexam_home, monkeypatch):
    monkeypatch.setenv("DOCEXAM_DATABASE_URL", f"sqlite:///{docexam_home / 'record.sqlite3'}")
    with TrainingRecord.open() as record:
        first, second = (record.register_trainee(name=f"Officer {i}", department="Immigration", province="Koh Kong",
                                                 pin="4821") for i in range(2))
        s = scenario()
        drill = record.create_drill(scenario=s, queue=plan_queue(s, kinds=KINDS), created_by=first.id, team=True)
        app = drill_watch.version_app()
        seen = get(app, f"/{drill.id}")
        assert seen.status_code == 200 and seen.headers["cache-control"] == "no-store"
        assert seen.json() == {"version": drill_watch.version_text(record.drill_version(drill.id))}
        record.join_drill(drill.id, second.id, "second-line")  # someone joins: the lobby must show them
        joined = get(app, f"/{drill.id}").json()["version"]
        assert joined != seen.json()["version"]
        record.record_drill_event(uuid=str(uuid.uuid4()), session_id=drill.id, trainee_id=first.id, kind="start",
                                  traveller=None, detail={}, at=dt.datetime.now(dt.timezone.utc))
        assert get(app, f"/{drill.id}").json()["version"] not in (joined, seen.json()["version"])
        assert get(app, "/999999").json() == {"version": "0.0"}  # no drill: nothing ever happens in it
        assert get(app, "/not-a-number").status_code == 404
