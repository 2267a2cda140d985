"""The catalogues: every user-facing string is in them, Khmer is complete, a missing one falls back to English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from docexam import i18n
from docexam.i18n import LANGUAGES, catalogue_path, translator

REPO = Path(__file__).resolve().parents[1]
FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def _extracted() -> dict[str, list[str]]:
    """Every message marked in the code (Babel with babel.cfg, as `pybabel extract` does) -> where."""
    with (REPO / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords={"_": None, "N_": None, "gettext": None,
                                                          "ngettext": (1, 2)}):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


def _catalogue(lang: str):
    with catalogue_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def test_every_catalogue_has_every_marked_string(extracted):
    assert len(extracted) > 300  # the extractor found the app's strings
    for lang in LANGUAGES:
        if lang == "en":
            continue
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(lang) if m.id}
        missing = sorted(set(extracted) - known)
        assert not missing, (f"{len(missing)} strings are not in the {lang} catalogue (README, 'Translating "
                             f"docexam': pybabel extract + update): " +
                             "; ".join(f"{m!r} ({extracted[m][0]})" for m in missing[:15]))


def test_khmer_catalogue_is_complete_and_keeps_placeholders(extracted):
    catalogue = _catalogue("km")
    untranslated, fuzzy, fields = [], [], []
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            untranslated.append(ids[0])
        elif m.fuzzy:
            fuzzy.append(ids[0])
        elif any(set(FIELD.findall(s)) != set(FIELD.findall(ids[-1])) for s in strings):
            fields.append(ids[0])
    assert not untranslated, f"{len(untranslated)} untranslated Khmer strings: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy Khmer strings (check them, then drop the flag): {fuzzy[:10]}"
    assert not fields, f"Khmer strings whose {{fields}} differ from the English: {fields[:10]}"
    obsolete = sorted({m.id for m in catalogue if m.id and isinstance(m.id, str)} - set(extracted))
    assert not obsolete, f"Khmer strings no longer in the code (pybabel update drops them): {obsolete[:10]}"


def test_khmer_translates_at_display_time():
    km = translator("km")
    assert km.gettext("Correct.") == "ត្រឹមត្រូវ។"
    assert km.gettext("Question {n} of {total}", n=2, total=10) == "សំណួរទី 2 នៃ 10"
    assert translator("en").gettext("Correct.") == "Correct."


def test_a_third_language_is_a_catalogue():
    assert set(LANGUAGES) >= {"en", "km", "th"}
    assert LANGUAGES["km"] == "ខ្មែរ" and LANGUAGES["th"] == "ไทย"  # each in its own script (Babel)


def test_an_incomplete_catalogue_falls_back_to_english_per_string():
    th = _catalogue("th")
    done = [m.id for m in th if m.id and m.string and not m.fuzzy]
    todo = [m.id for m in th if m.id and not m.string]
    assert done and todo, "the Thai skeleton has some strings translated and some not"
    thai = translator("th")
    for msgid in done[:5]:
        assert thai.gettext(msgid) == th[msgid].string != msgid
    for msgid in todo[:5]:
        assert thai.gettext(msgid) == msgid  # English, string by string


def test_an_edited_catalogue_is_used_without_compiling(tmp_path, monkeypatch):
    po = tmp_path / "lo" / "LC_MESSAGES" / "docexam.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Correct."\nmsgstr "ຖືກຕ້ອງ."\n\n#, fuzzy\nmsgid "Not quite."\nmsgstr "ບໍ່"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        assert "lo" in i18n.languages()
        lao = translator("lo")
        assert lao.gettext("Correct.") == "ຖືກຕ້ອງ."
        assert lao.gettext("Not quite.") == "Not quite."  # fuzzy: not trusted yet
        assert lao.gettext("Next question") == "Next question"
    finally:
        i18n._translations.cache_clear()


def test_numbers_and_dates_follow_the_language():
    import datetime as dt
    assert translator("en").date(dt.date(2025, 3, 5)) == "March 5, 2025"
    assert "មីនា" in translator("km").date(dt.date(2025, 3, 5))
    assert translator("en").ngettext("{n} answer", "{n} answers", 1, n=1) == "1 answer"


# --- user-facing strings that bypass the catalogue

#: Streamlit calls whose first argument (or these keywords) a person reads
SHOWN_KEYWORDS = {"label", "help", "placeholder", "caption", "body", "text", "title", "value_label"}
#: calls whose text is markup or code, not words
NOT_TEXT = {"html", "code", "latex", "set_page_config", "columns", "tabs", "container", "empty", "image", "json",
            "dataframe", "table", "download_button", "page_link", "switch_page", "Page", "navigation",
            "column_config", "fragment", "cache_data", "cache_resource", "session_state", "query_params",
            "components", "context", "form", "get", "pop", "setdefault", "get_option", "set_option"}
#: an identifier-like string (a widget key, a file name): not words
IDENTIFIER = re.compile(r"[\w.]*[-_.][\w\-.]*")
WORDS = re.compile(r"[A-Za-z]*[a-z]{2,}")  # a word, not an acronym (MRZ, UV)


def _literal_words(node) -> str | None:
    """The words a person would read in an argument written as a literal (None if none)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>|\b[\w-]+=\S?|&\w+;|:material/\w+:|\*\*|https?://\S+", " ", node.value).strip()
        return node.value if WORDS.search(text) and not IDENTIFIER.fullmatch(text) else None
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if _literal_words(part):
                return ast.unparse(node)
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return None


def _untranslated(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        base, chain = node.func, []
        while isinstance(base, (ast.Attribute, ast.Subscript, ast.Call)):
            if isinstance(base, ast.Attribute):
                chain.append(base.attr)
            base = base.value if not isinstance(base, ast.Call) else base.func
        # st.x(...), and containers made by st (columns, tabs, expanders, forms): c1.x(...), tab.x(...)
        if not isinstance(base, ast.Name) or NOT_TEXT.intersection(chain) or node.func.attr.startswith("_"):
            continue
        if base.id != "st" and not _is_streamlit_container(tree, base.id):
            continue
        args = node.args[:1] + [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for arg in args:
            words = _literal_words(arg)
            if words:
                out.append(f"{path.relative_to(REPO)}:{node.lineno}: {words[:70]!r}")
    return out


def _is_streamlit_container(tree, name: str) -> bool:
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = [n for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            value = node.value
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [n for n in ast.walk(node.optional_vars) if isinstance(n, ast.Name)]
            value = node.context_expr
        else:
            continue
        if any(t.id == name for t in targets):
            call = value.func if isinstance(value, ast.Call) else None
            if isinstance(call, ast.Attribute) and isinstance(call.value, ast.Name) and call.value.id == "st":
                return True
    return False


#: trainer pages whose strings move to the catalogue next (issue 14); this list only shrinks
NOT_YET: set[str] = set()


def test_no_streamlit_text_bypasses_the_catalogue():
    files = sorted(p for p in (REPO / "docexam" / "ui").rglob("*.py") if p.name not in NOT_YET) + [REPO / "app.py"]
    found = [line for path in files for line in _untranslated(path)]
    assert not found, f"{len(found)} literal strings shown without _():\n" + "\n".join(found)


def test_the_check_finds_a_literal():
    src = REPO / "tests" / "_probe_literal.py"
    try:
        src.write_text('import streamlit as st\nc1, c2 = st.columns(2)\nst.title("Hello there")\n'
                       'c2.button(label=f"Open {x}")\nst.markdown(_("Fine"))\nst.caption(f"**{_(\'x\')}** {y}")\n')
        assert [line.split(": ", 1)[1] for line in _untranslated(src)] == ["'Hello there'", '"f\'Open {x}\'"']
    finally:
        src.unlink()


def test_catalogues_pass_babels_checks():
    # what `pybabel compile` refuses (e.g. a printf placeholder, "95 % sure", that the translation lacks)
    for lang in (code for code in LANGUAGES if code != "en"):
        errors = [f"{m.id!r}: {e}" for m, errs in _catalogue(lang).check() for e in errs]
        assert not errors, f"{lang}: " + "; ".join(errors[:5])


# --- text made below the UI: findings, notes, typed errors, the command line

def test_a_finding_says_what_it_saw_in_the_readers_language():
    from docexam.examine.report import Evidence
    from docexam.i18n import Message
    from docexam.lessons.vocabulary import finding_text
    how = Message("reprinted with the scattered dots of an inkjet printer")
    ev = Evidence("printing", "inkjet-reproduction", "surname", (0, 0, 10, 10), 2.0, 1.0, 0.1,
                  Message("This part of the {label} does not match the genuine design: it was {how}, while the "
                          "print around it is genuine.", label="surname", how=how))
    finding = ev.finding()
    assert finding.message.startswith("This part of the surname does not match")  # str: English, as before
    assert finding.as_dict()["message"] == str(finding.message)
    km = finding_text(finding, "km")
    # the sentence, the phrase inside it and the zone's name are all Khmer
    assert km.startswith("ផ្នែកនេះនៃ នាមត្រកូល") and "អ៊ីងជិត" in km and "reprinted" not in km, km


def test_a_typed_error_is_shown_in_the_readers_language():
    from docexam.errors import InvalidFieldError, UnknownNameError
    from docexam.i18n import Message
    err = InvalidFieldError("t.json", "zones[2].bbox", Message("unknown technique"), line=4)
    assert str(err) == "t.json: line 4: zones[2].bbox: unknown technique"
    assert translator("km").error(err) == "t.json: បន្ទាត់ 4៖ zones[2].bbox៖ បច្ចេកទេសមិនស្គាល់"
    assert translator("km").error(UnknownNameError("template", "x", ["a"])) == "មិនស្គាល់ template 'x' (ដែលស្គាល់៖ a)"
    assert translator("km").error(ValueError("plain")) == "plain"


def test_the_command_line_follows_the_locale_and_stays_english_by_default(capsys, monkeypatch):
    from docexam.cli import main
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert main(["template", "show", "no-such"]) == 2
    assert capsys.readouterr().err.startswith("docexam: unknown template 'no-such'")
    assert main(["--lang", "km", "template", "show", "no-such"]) == 2
    assert capsys.readouterr().err.startswith("docexam: មិនស្គាល់ template 'no-such'")
    monkeypatch.setenv("LANG", "km_KH.UTF-8")
    assert main(["template", "show", "no-such"]) == 2
    assert "មិនស្គាល់" in capsys.readouterr().err
    assert main(["--lang", "en", "template", "show", "no-such"]) == 2
    assert "unknown template" in capsys.readouterr().err
