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
            "dataframe", "table", "switch_page", "Page", "navigation",
            "column_config", "fragment", "cache_data", "cache_resource", "session_state", "query_params",
            "components", "context", "form", "get", "pop", "setdefault", "get_option", "set_option"}
#: calls whose first argument is a path or data, their ``label`` words
DATA_FIRST = {"page_link", "download_button"}
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
    containers = _streamlit_containers(tree)
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
        if base.id != "st" and base.id not in containers:
            continue
        first = [] if node.func.attr in DATA_FIRST else node.args[:1]
        args = first + [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for arg in args:
            words = _literal_words(arg)
            if words:
                out.append(f"{path.relative_to(REPO)}:{node.lineno}: {words[:70]!r}")
    return out


def _streamlit_containers(tree) -> set[str]:
    """The names a module binds to something made by ``st`` (``c1, c2 = st.columns(2)``, ``with st.form(...) as f``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets, value = [node.optional_vars], node.context_expr
        else:
            continue
        call = value.func if isinstance(value, ast.Call) else None
        if isinstance(call, ast.Attribute) and isinstance(call.value, ast.Name) and call.value.id == "st":
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


#: every Python file of docexam, and the app's entry script
PYTHON_FILES = sorted((REPO / "docexam").rglob("*.py")) + [REPO / "app.py"]


def test_no_streamlit_text_bypasses_the_catalogue():
    found = [line for path in PYTHON_FILES for line in _untranslated(path)]
    assert not found, f"{len(found)} literal strings shown without _():\n" + "\n".join(found)


# Text made below the UI. The rule: a string literal (or an f-string, or a sum of them) with words in it
# (WORDS, the program's name "docexam" aside; not an identifier or file name) must not be
#   1. a message argument of a typed error (a DocexamError subclass, found in the code): what the CLI and the
#      UI show when input is bad; for the errors that also name a file, field or parameter, only the
#      problem is text (ERROR_TEXT_ARGUMENTS);
#   2. the message of the examination's findings and notes (Evidence, Note, Finding) or the reason of an
#      Inconclusive examination: what the desk shows an officer;
#   3. a line the command line prints (print, sys.stdout/sys.stderr.write in docexam/cli);
#   4. text drawn on a PDF (cell, multi_cell, write of an fpdf document);
# it is written Message("..."), _("...") or N_("..."), so the catalogues have it. ALLOWED lists the exceptions.

#: typed errors whose first arguments name something (a file, a field, a parameter) and are not words
ERROR_TEXT_ARGUMENTS = {"InputFileError": (1,), "InvalidFieldError": (2,), "OutputError": (1,), "PackError": (1,),
                        "InvalidValueError": (1,), "UnknownNameError": (0,)}
#: (file, start of the literal) -> why it stays English; this list only shrinks
#: (argparse's --help texts and usage errors are not in this rule: argparse writes its own words around them in
#: English, so the command line's help stays English, docexam/cli/lang.py)
ALLOWED: dict[tuple[str, str], str] = {}


def _error_classes() -> set[str]:
    bases: dict[str, list[str]] = {}
    for path in PYTHON_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
    errors, grown = {"DocexamError"}, True
    while grown:
        grown = False
        for name, parents in bases.items():
            if name not in errors and errors.intersection(parents):
                errors.add(name)
                grown = True
    return errors


def _has_words(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.replace("docexam", " ").strip()
        return bool(WORDS.search(text)) and not IDENTIFIER.fullmatch(text)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    return False


def _texts_below_the_ui(path: Path, errors: set[str]):
    """(line, literal) of every argument of ``path`` that the rule above says must go through the catalogue."""
    rel = path.relative_to(REPO).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in errors or (name == "__init__" and isinstance(func.value, ast.Call)
                              and ast.unparse(func.value) == "super()" and _in_error_class(tree, node, errors)):
            where = ERROR_TEXT_ARGUMENTS.get(name)
            args = [a for i, a in enumerate(node.args) if where is None or i in where]
            args += [k.value for k in node.keywords if k.arg in ("problem", "message", "kind")]
        elif name in ("Evidence", "Finding"):
            args = node.args[7:8] if name == "Evidence" else node.args[5:6]
            args += [k.value for k in node.keywords if k.arg == "message"]
        elif name == "Note":
            args = node.args[2:3] + [k.value for k in node.keywords if k.arg == "message"]
        elif name == "Inconclusive":
            args = node.args[:1]
        elif rel.startswith("docexam/cli/") and (name == "print" or (
                name == "write" and ast.unparse(func).startswith(("sys.stdout", "sys.stderr")))):
            args = node.args[:1]
        elif name in ("cell", "multi_cell", "write") and "pdf" in ast.unparse(func):
            args = node.args[:3] + [k.value for k in node.keywords if k.arg == "text"]
        else:
            continue
        for arg in args:
            if _has_words(arg):
                literal = ast.get_source_segment(path.read_text(encoding="utf-8"), arg) or ""
                yield node.lineno, literal


def _in_error_class(tree, call, errors: set[str]) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in errors:
            if any(n is call for n in ast.walk(node)):
                return True
    return False


def _allowed(rel: str, literal: str) -> bool:
    text = literal.lstrip("f").strip("'\"")
    return any(rel == file and text.startswith(start) for file, start in ALLOWED)


def test_no_text_below_the_ui_bypasses_the_catalogue():
    errors = _error_classes()
    assert {"InputFileError", "UnknownWorkshopError", "PackError", "AuthoringError"} <= errors
    found = [f"{path.relative_to(REPO)}:{line}: {literal[:80]}" for path in PYTHON_FILES
             for line, literal in _texts_below_the_ui(path, errors)
             if not _allowed(path.relative_to(REPO).as_posix(), literal)]
    assert not found, (f"{len(found)} messages a person reads are not in the catalogue (write them "
                       f"Message(...) or _(...), tests/test_i18n.py says which):\n" + "\n".join(found))


def test_the_rule_finds_text_below_the_ui(tmp_path):
    src = REPO / "docexam" / "cli" / "_probe_rule.py"
    try:
        src.write_text('raise InputFileError(path, f"cannot read {path}")\nraise InputFileError(p, Message("ok"))\n'
                       'print(f"wrote {path}")\nprint(json.dumps(x))\nNote("mrz", "skipped", "The MRZ was not read.")\n'
                       'raise InvalidFieldError(path, "zones", _("too many"))\nprint(f"docexam: {said(exc)}")\n')
        found = [literal for _, literal in _texts_below_the_ui(src, {"DocexamError", "InputFileError",
                                                                      "InvalidFieldError"})]
        assert found == ['f"cannot read {path}"', 'f"wrote {path}"', '"The MRZ was not read."']
    finally:
        src.unlink()


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
    assert capsys.readouterr().err.startswith("docexam: មិនស្គាល់ គំរូឯកសារ 'no-such'")  # the kind of name too
    monkeypatch.setenv("LANG", "km_KH.UTF-8")
    assert main(["template", "show", "no-such"]) == 2
    assert "មិនស្គាល់" in capsys.readouterr().err
    assert main(["--lang", "en", "template", "show", "no-such"]) == 2
    assert "unknown template" in capsys.readouterr().err
