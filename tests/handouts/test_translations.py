"""The message files: the committed .mo matches its .po (msgfmt is not on a fresh machine,
so the compiled catalogs are committed), every string is translated, and every string the
handout code marks for translation is in each catalog."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "screening" / "locale"
HANDOUT_CODE = sorted((Path(settings.BASE_DIR) / "screening" / "handouts").glob("*.py"))
TRANSLATED_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def as_catalog(entries) -> dict:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        for entry in entries
        if entry.msgid
    }


def strings_marked_in_code() -> set[tuple[str | None, str]]:
    """(context, message) of every gettext call with literal text in screening/handouts/."""
    marked = set()
    for path in HANDOUT_CODE:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            literals = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if node.func.id in {"_", "gettext", "gettext_lazy"} and literals:
                marked.add((None, literals[0]))
            elif node.func.id == "pgettext" and len(literals) == 2:
                marked.add((literals[0], literals[1]))
    return marked


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(language):
    # given the reviewed .po and the committed .mo
    po = polib.pofile(str(po_path(language)))
    mo = polib.mofile(str(po_path(language).with_suffix(".mo")))

    # then they hold the same translations (recompile: polib's save_as_mofile, or msgfmt)
    assert as_catalog(po.translated_entries()) == as_catalog(mo)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated_and_keeps_its_placeholders(language):
    po = polib.pofile(str(po_path(language)))

    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    for entry in po.translated_entries():
        assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(entry.msgstr)), (
            entry.msgid
        )


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_string_the_handout_code_marks_is_in_the_catalog(language):
    catalog = as_catalog(polib.pofile(str(po_path(language))).translated_entries())

    missing = strings_marked_in_code() - set(catalog)

    assert not missing, f"run `manage.py makemessages -l {language}` and translate: {missing}"
