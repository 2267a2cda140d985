"""Browser sessions in the training record: start, look up, change, end everywhere, expire."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from docexam.training import TrainingRecord
from docexam.training import schema as s
from docexam.training.errors import InvalidValueError
from docexam.training.sessions import token_hash


def test_a_session_survives_until_signed_out(db_url):
    with TrainingRecord.open(db_url) as record:
        me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
        token = record.start_session(trainee_id=me.id, lang="km", page="practice")
        found = record.session(token)
        assert (found.trainee_id, found.workshop_id, found.trainer, found.lang, found.page) == (
            me.id, None, False, "km", "practice")
        record.update_session(token, trainer=True, page="workshops")
        assert record.session(token).trainer and record.session(token).page == "workshops"
        assert record.session(token).lang == "km"  # unchanged
        # the record keeps the token's hash only
        with record.read() as conn:
            assert conn.scalars(sa.select(s.sessions.c.token_hash)).all() == [token_hash(token)]
        assert record.session("not-a-token") is None and record.session("") is None
        record.end_session(token)
        assert record.session(token) is None
        record.update_session(token, trainer=True)  # an ended session stays ended
        assert record.session(token) is None


def test_a_session_expires(db_url):
    with TrainingRecord.open(db_url) as record:
        token = record.start_session(trainer=True, lifetime=dt.timedelta(seconds=-1))
        assert record.session(token) is None
        with pytest.raises(InvalidValueError, match="language"):
            record.start_session(lang="fr")
