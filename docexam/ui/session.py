"""Who is using this browser tab: a signed-in trainee, an unlocked trainer, or nobody.

Roles live in the Streamlit session (server side, one per browser tab), so
nothing a browser sends can claim a role: a trainee is set only after the
PIN was checked, the trainer flag only after the passphrase was checked.

A sign-in also starts a session in the training record
(:meth:`~docexam.training.TrainingRecord.start_session`) whose token the
browser keeps in a cookie (set by a tiny component, read back with
``st.context.cookies``): a reload or a typed URL opens a new Streamlit
session, which :func:`restore` fills from the record (trainee, workshop,
trainer, language) before the navigation is built, so the page at the URL
opens. Every run checks the token: signing out in one tab ends the others
at their next run.
Pages call :func:`require_trainee` or :func:`require_trainer` first; the app
also leaves pages out of the navigation that the session may not open, so
a typed URL does not reach them either.
"""

from __future__ import annotations

import streamlit as st

from ..errors import DocexamError
from ..training.sessions import SESSION_LIFETIME
from . import state
from .i18n import LANGUAGES, _, said, t

TRAINEE = "trainee"
WORKSHOP = "workshop"
TRAINER = "trainer"
#: the cookie holding the session token, and where this tab keeps it
COOKIE = "docexam_session"
#: the cookie holding the language chosen before anyone signs in (a reload keeps it)
LANG_COOKIE = "docexam_lang"
_LANG_WRITTEN = "lang-cookie-written"
TOKEN = "session-token"
_CHECKED = "session-checked"
_SAVED_LANG = "session-lang"
#: session keys dropped on sign-out (quiz progress, uploads, ...)
_PREFIXES = ("quiz", "studio", "desk", "lesson", "tpl")


def trainee():
    """The signed-in trainee (a :class:`~docexam.training.Trainee`) or None."""
    return st.session_state.get(TRAINEE)


def workshop():
    """The workshop the trainee signed in to, or None (self-study)."""
    return st.session_state.get(WORKSHOP)


def is_trainer() -> bool:
    return st.session_state.get(TRAINER) is True


def require_trainee():
    """The trainee, or stop the page with a message (the page is not drawn)."""
    me = trainee()
    if me is None:
        st.warning(_("Please sign in first."))
        st.stop()
    return me


def require_trainer() -> None:
    """Stop the page unless the trainer passphrase was given in this session."""
    if not is_trainer():
        st.error(_("This page is for trainers. Unlock it with the trainer passphrase."))
        st.stop()


def sign_in_trainee(record, *, name: str, department: str, province: str, pin: str,
                    code: str = "") -> tuple:
    """Check or register the trainee and join the workshop; returns ``(trainee, workshop, new)``.

    An officer known by name, department and province must give the PIN
    chosen the first time (wrong PINs lock the account for a few minutes,
    see :meth:`TrainingRecord.authenticate`); an unknown one is registered
    with this PIN. The workshop code is checked *before* registering, so a
    typo in the code does not leave a half-made account behind.

    Raises
    ------
    DocexamError
        Typed errors of the training record, with a one-line message.
    """
    code = (code or "").strip()
    ws = record.workshop(code) if code else None  # UnknownWorkshopError first
    found = record.find_trainee(name=name, department=department, province=province)
    if found is None:
        me, new = record.register_trainee(name=name, department=department, province=province, pin=pin), True
    else:
        me, new = record.authenticate(found.id, pin), False
    if ws is not None:
        ws = record.join_workshop(me.id, ws.code)
    return me, ws, new


#: the sign-in form's fields and where the session keeps each (the form's widget keys)
SIGN_IN_FIELDS = {field: f"signin-{field}" for field in ("name", "department", "province", "code", "pin")}
_SIGN_IN_PROBLEM = "signin-problem"


def sign_in_from_form() -> None:
    """The sign-in form's press (a callback): check the fields, sign in, remember any problem for the page.

    It runs before the press's run lists the pages, so that run already
    opens the trainee's page: one run and one redraw, not a sign-in run
    followed by another for the page. The PIN is not kept; after a
    sign-in the whole form is cleared (a shared phone shows the next
    officer an empty form).
    """
    values = {field: str(st.session_state.get(key) or "") for field, key in SIGN_IN_FIELDS.items()}
    st.session_state[SIGN_IN_FIELDS["pin"]] = ""
    st.session_state.pop(_SIGN_IN_PROBLEM, None)
    if not (values["name"].strip() and values["department"].strip() and values["province"].strip()
            and values["pin"]):
        st.session_state[_SIGN_IN_PROBLEM] = _("Fill in your name, department, province and PIN.")
        return
    try:
        me, ws, new = sign_in_trainee(state.record(), name=values["name"], department=values["department"],
                                      province=values["province"], pin=values["pin"], code=values["code"])
    except DocexamError as exc:
        st.session_state[_SIGN_IN_PROBLEM] = _("Could not sign in: {error}", error=said(exc))
        return
    set_trainee(me, ws)
    for key in SIGN_IN_FIELDS.values():
        st.session_state[key] = ""
    if new:
        st.session_state["lesson-welcome"] = _("Welcome, {name}. You are registered; remember your PIN.", name=me.name)


def sign_in_problem() -> str | None:
    """Why the last press of the sign-in form did not sign in, once (None if it did or none was made)."""
    return st.session_state.pop(_SIGN_IN_PROBLEM, None)


def _lang() -> str:
    return st.session_state.get("lang", "en")


def _start(**who) -> None:
    """A new record session for this tab (the old one, if any, ends)."""
    rec = state.record()
    rec.end_session(st.session_state.get(TOKEN))
    st.session_state[TOKEN] = rec.start_session(lang=_lang(), **who)
    st.session_state[_SAVED_LANG] = _lang()


def set_trainee(me, ws) -> None:
    _forget()
    st.session_state[TRAINEE] = me
    st.session_state[WORKSHOP] = ws
    _start(trainee_id=me.id, workshop_id=ws.id if ws is not None else None, trainer=is_trainer())


def unlock_trainer(record, passphrase: str) -> bool:
    ok = record.check_trainer_passphrase(passphrase)
    if ok:
        st.session_state[TRAINER] = True
        if st.session_state.get(TOKEN):
            state.record().update_session(st.session_state[TOKEN], trainer=True)
        else:
            _start(trainer=True)
    return ok


def lock_trainer() -> None:
    st.session_state.pop(TRAINER, None)
    if st.session_state.get(TOKEN):
        state.record().update_session(st.session_state[TOKEN], trainer=False)


def restore() -> None:
    """Fill this tab from the browser's session, or drop what a sign-out elsewhere ended (every run)."""
    token = st.session_state.get(TOKEN)
    rec = state.record()
    if token is None:
        if st.session_state.get(_CHECKED):
            return
        st.session_state[_CHECKED] = True  # a tab reads its cookie once: it cannot change under it
        try:
            token = st.context.cookies.get(COOKIE)
            chosen = st.context.cookies.get(LANG_COOKIE)
        except Exception:  # noqa: BLE001 - no request context (AppTest): nothing to restore
            return
        if chosen in LANGUAGES and "lang" not in st.session_state:
            st.session_state["lang"] = st.session_state[_LANG_WRITTEN] = chosen
        live = rec.session(token)
        if live is None:
            return
        try:
            me = rec.trainee(live.trainee_id) if live.trainee_id else None
            ws = rec.workshop(live.workshop_id) if live.workshop_id else None
        except DocexamError:  # the trainee or workshop is gone (merged, import undone): sign in again
            rec.end_session(token)
            return
        st.session_state[TOKEN] = token
        if me is not None:
            st.session_state[TRAINEE], st.session_state[WORKSHOP] = me, ws
        if live.trainer:
            st.session_state[TRAINER] = True
        st.session_state["lang"] = st.session_state[_SAVED_LANG] = live.lang
        return
    if rec.session(token) is None:  # signed out in another tab, or expired
        _forget()
        st.session_state.pop(TRAINER, None)
        st.session_state.pop(TOKEN, None)


def remember_language() -> None:
    """Keep the tab's language in its session (written only when it changed)."""
    token = st.session_state.get(TOKEN)
    if token and st.session_state.get(_SAVED_LANG) != _lang():
        state.record().update_session(token, lang=_lang())
        st.session_state[_SAVED_LANG] = _lang()


_COOKIE_JS = """
export default function (component) {
  const { data } = component
  if (!data) return
  const secure = location.protocol === 'https:' ? '; Secure' : ''
  const mine = document.cookie.split('; ').find(c => c.startsWith(data.name + '='))
  if (data.token && mine !== data.name + '=' + data.token) {
    document.cookie = `${data.name}=${data.token}; Path=/; Max-Age=${data.max_age}; SameSite=Strict${secure}`
  } else if (!data.token && data.clear && mine) {
    document.cookie = `${data.name}=; Path=/; Max-Age=0; SameSite=Strict${secure}`
  }
}
"""

_COOKIE_COMPONENT = st.components.v2.component("docexam_session_cookie", html="<span></span>", js=_COOKIE_JS)


def keep_cookie() -> None:
    """Give the browser this tab's token (or clear it after a sign-out); nothing when nobody signed in here.

    The language chosen goes to a cookie of its own, written when it changes:
    a reload before anyone signs in keeps it too.
    """
    if st.session_state.get(_LANG_WRITTEN, "en") != _lang():
        _COOKIE_COMPONENT(key=f"docexam-lang-cookie-{_lang()}", data={
            "name": LANG_COOKIE, "token": _lang(), "clear": False, "max_age": 365 * 24 * 3600})
        st.session_state[_LANG_WRITTEN] = _lang()
    token = st.session_state.get(TOKEN)
    if token or st.session_state.get("session-ended"):
        _COOKIE_COMPONENT(key="docexam-session-cookie", data={
            "name": COOKIE, "token": token or "", "clear": not token,
            "max_age": int(SESSION_LIFETIME.total_seconds())})


def is_local_client() -> bool:
    """True when this browser runs on the machine serving the app (or it cannot be told).

    The first trainer passphrase may be set only from the training laptop
    itself, so a trainee's phone on the room's network cannot claim it.
    """
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - older Streamlit or no request context
        return True
    if not isinstance(ip, str):  # None on localhost; anything else: no request to tell by
        return True
    return ip in ("", "127.0.0.1", "::1", "localhost")


def sign_out() -> None:
    """Sign the trainee out: the browser session ends in every tab (this tab keeps an unlocked trainer)."""
    state.record().end_session(st.session_state.pop(TOKEN, None))
    st.session_state["session-ended"] = True
    _forget()
    if is_trainer():
        _start(trainer=True)


def _forget() -> None:
    """Forget the trainee and everything they were doing in this tab (the trainer flag stays)."""
    for key in list(st.session_state.keys()):
        if key in (TRAINEE, WORKSHOP) or any(str(key).startswith(p) for p in _PREFIXES):
            del st.session_state[key]


def show_error(exc: Exception, key: str = "error") -> None:
    """A typed error as a readable box (never a traceback)."""
    st.error(t(key, error=said(exc)))


__all__ = ["DocexamError", "is_trainer", "require_trainee", "require_trainer", "sign_in_trainee",
           "sign_out", "trainee", "workshop"]
