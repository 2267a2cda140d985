"""Who is using this browser tab: a signed-in trainee, an unlocked trainer, or nobody.

Roles live in the Streamlit session (server side, one per browser tab), so
nothing a browser sends can claim a role: a trainee is set only after the
PIN was checked, the trainer flag only after the passphrase was checked.
Pages call :func:`require_trainee` or :func:`require_trainer` first; the app
also leaves pages out of the navigation that the session may not open, so
a typed URL does not reach them either.
"""

from __future__ import annotations

import streamlit as st

from ..errors import DocexamError
from .i18n import t

TRAINEE = "trainee"
WORKSHOP = "workshop"
TRAINER = "trainer"
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
        st.warning(t("need_sign_in"))
        st.stop()
    return me


def require_trainer() -> None:
    """Stop the page unless the trainer passphrase was given in this session."""
    if not is_trainer():
        st.error("This page is for trainers. Unlock it with the trainer passphrase.")
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


def set_trainee(me, ws) -> None:
    sign_out()
    st.session_state[TRAINEE] = me
    st.session_state[WORKSHOP] = ws


def unlock_trainer(record, passphrase: str) -> bool:
    ok = record.check_trainer_passphrase(passphrase)
    if ok:
        st.session_state[TRAINER] = True
    return ok


def lock_trainer() -> None:
    st.session_state.pop(TRAINER, None)


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
    """Forget the trainee and everything they were doing in this tab (the trainer flag stays)."""
    for key in list(st.session_state.keys()):
        if key in (TRAINEE, WORKSHOP) or any(str(key).startswith(p) for p in _PREFIXES):
            del st.session_state[key]


def show_error(exc: Exception, key: str = "error") -> None:
    """A typed error as a readable box (never a traceback)."""
    st.error(t(key, error=str(exc)))


__all__ = ["DocexamError", "is_trainer", "require_trainee", "require_trainer", "sign_in_trainee",
           "sign_out", "trainee", "workshop"]
