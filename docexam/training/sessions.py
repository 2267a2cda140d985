"""Browser sessions: who is signed in from a browser, kept across page reloads.

Part of :class:`~.record.TrainingRecord` (these are its methods). A
sign-in makes a random token; the browser keeps it (a cookie) and the
record keeps only its SHA-256, with who is signed in (a trainee and their
workshop, the trainer, or both), the language and page last shown, and an
expiry. Every run of the app looks the token up (one primary-key read):
a reload finds the same trainee, page and language; a signed-out or
expired session is found by no one, so signing out in one tab ends the
others at their next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import utc_now
from .errors import InvalidValueError
from .store import Store

#: how long a sign-in holds without signing out (a training day and its evening)
SESSION_LIFETIME = dt.timedelta(hours=14)
#: languages a session may keep
SESSION_LANGUAGES = ("en", "km")


@dataclass(frozen=True)
class BrowserSession:
    """A live sign-in: trainee (and workshop) ids or None, the trainer flag, language and page."""

    trainee_id: int | None
    workshop_id: int | None
    trainer: bool
    lang: str
    page: str
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    """What the record keeps of a token (a stolen database gives no one a session).

    >>> len(token_hash("abc")), token_hash("abc") == token_hash("abc")
    (64, True)
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean(lang: str, page: str) -> tuple[str, str]:
    if lang not in SESSION_LANGUAGES:
        raise InvalidValueError("language", Message("{lang!r} is not one of {value}", lang=lang, value=', '.join(SESSION_LANGUAGES)))
    return lang, str(page)[:100]


class SessionMethods(Store):
    """Starting, reading, changing and ending browser sessions."""

    def start_session(self, *, trainee_id: int | None = None, workshop_id: int | None = None,
                      trainer: bool = False, lang: str = "en", page: str = "",
                      lifetime: dt.timedelta = SESSION_LIFETIME) -> str:
        """A new session's token (give it to the browser; the record keeps only its hash)."""
        lang, page = _clean(lang, page)
        token = secrets.token_urlsafe(32)
        now = utc_now()
        with self.write() as conn:
            conn.execute(s.sessions.insert().values(
                token_hash=token_hash(token), trainee_id=trainee_id, workshop_id=workshop_id, trainer=bool(trainer),
                lang=lang, page=page, created_at=now, expires_at=now + lifetime, ended_at=None))
        return token

    def session(self, token: str | None) -> BrowserSession | None:
        """The live session of ``token``, or None (unknown, ended or expired)."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        with self.read() as conn:
            row = conn.execute(sa.select(s.sessions).where(s.sessions.c.token_hash == token_hash(token))).first()
        if row is None or row.ended_at is not None or row.expires_at <= utc_now():
            return None
        return BrowserSession(trainee_id=row.trainee_id, workshop_id=row.workshop_id, trainer=bool(row.trainer),
                              lang=row.lang, page=row.page, expires_at=row.expires_at)

    def update_session(self, token: str, **changes) -> None:
        """Change a live session's ``trainee_id``, ``workshop_id``, ``trainer``, ``lang`` or ``page``."""
        allowed = {"trainee_id", "workshop_id", "trainer", "lang", "page"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidValueError("session", Message("has no {value}", value=', '.join(sorted(unknown))))
        if "lang" in changes and changes["lang"] not in SESSION_LANGUAGES:
            _clean(changes["lang"], "")  # raises
        if "page" in changes:
            changes["page"] = str(changes["page"])[:100]
        with self.write() as conn:
            conn.execute(s.sessions.update().where(s.sessions.c.token_hash == token_hash(token),
                                                   s.sessions.c.ended_at.is_(None)).values(**changes))

    def end_session(self, token: str | None) -> None:
        """Sign out: the session ends for every tab that holds the token."""
        if not token:
            return
        with self.write() as conn:
            conn.execute(s.sessions.update().where(s.sessions.c.token_hash == token_hash(token),
                                                   s.sessions.c.ended_at.is_(None)).values(ended_at=utc_now()))
