"""The Chinese translation is complete, compiled, and covers every string in the code.

The UI's default language is Simplified Chinese; every string is written in English in the code
and translated in ``src/sciweek/locale/zh_Hans/LC_MESSAGES/django.po``, whose compiled ``.mo`` is
committed so that a clean clone works without gettext. These tests catch a string someone forgot
to translate, a fuzzy guess left in, a stale ``.mo`` and a translation that lost a placeholder.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sciweek

PACKAGE_DIR = Path(sciweek.__file__).resolve().parent
LC_MESSAGES = Path("locale", "zh_Hans", "LC_MESSAGES")
PO_FILE = PACKAGE_DIR / LC_MESSAGES / "django.po"
MO_FILE = PACKAGE_DIR / LC_MESSAGES / "django.mo"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|<[^>]*>")


def _unquote(token: str) -> str:
    """One C-style quoted PO string, without its quotes and with escapes resolved."""
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list) and flags.

    Obsolete (#~) entries are left out; the header is the entry whose msgid is empty.
    """
    entries: list[dict] = []
    entry: dict | None = None
    flags: set[str] = set()
    field: tuple[str, int] | None = None

    def finish():
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgstr"]:
                finish()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            assert field is not None, f"{path}:{number}: continuation without a keyword"
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[name] += _unquote(line)
            continue
        match = _KEYWORD.match(line)
        assert match, f"{path}:{number}: cannot read {raw!r}"
        keyword, index, token = match.groups()
        if keyword in ("msgctxt", "msgid") and (entry is None or entry["msgstr"]):
            finish()
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": []}
            entry["flags"], flags = flags, set()
        assert entry is not None, f"{path}:{number}: {keyword} before msgid"
        if keyword.startswith("msgstr"):
            position = int(index or 0)
            assert position == len(entry["msgstr"]), f"{path}:{number}: msgstr out of order"
            entry["msgstr"].append(_unquote(token))
            field = ("msgstr", position)
        else:
            entry[keyword] = _unquote(token)
            field = (keyword, 0)
    finish()
    return entries


def _key(entry: dict) -> tuple[str | None, str]:
    return entry["msgctxt"], entry["msgid"]


def _messages(path: Path) -> list[dict]:
    return [e for e in parse_po(path) if e["msgid"] != ""]


def _header(path: Path) -> dict:
    [header] = [e for e in parse_po(path) if e["msgid"] == "" and e["msgctxt"] is None]
    return header


def _is_translated(entry: dict) -> bool:
    return bool(entry["msgstr"]) and all(entry["msgstr"]) and "fuzzy" not in entry["flags"]


def _describe(entries) -> str:
    return "\n".join(
        f"  {e['msgctxt'] + ' | ' if e['msgctxt'] else ''}{e['msgid']!r}" for e in entries
    )


def test_parser_reads_multiline_plural_and_escaped_strings(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"Two "\n"lines \\"quoted\\"\\n"\nmsgstr "两行"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "五月"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )
    header, two, may, days = parse_po(po)
    assert header["msgstr"] == ["Language: zh_Hans\n"]
    assert two["msgid"] == 'Two lines "quoted"\n'
    assert two["flags"] == {"fuzzy", "python-format"}
    assert (may["msgctxt"], may["msgstr"]) == ("month", ["五月"])
    assert days["msgid_plural"] == "%(n)s days"
    assert not _is_translated(two) and _is_translated(may) and not _is_translated(days)


def test_po_header_declares_chinese_utf8_and_one_plural_form():
    header = _header(PO_FILE)
    assert "fuzzy" not in header["flags"], "the header is marked fuzzy; msgfmt would skip it"
    text = header["msgstr"][0]
    assert "Language: zh_Hans\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text
    assert "Plural-Forms: nplurals=1; plural=0;\n" in text


def test_po_has_no_untranslated_or_fuzzy_entries():
    messages = _messages(PO_FILE)
    assert len(messages) > 100, "the .po looks empty"
    untranslated = [e for e in messages if not _is_translated(e)]
    assert not untranslated, "untranslated or fuzzy entries in django.po:\n" + _describe(
        untranslated
    )
    # nplurals=1: a plural entry has exactly msgstr[0].
    wrong_plural = [e for e in messages if e["msgid_plural"] and len(e["msgstr"]) != 1]
    assert not wrong_plural, "plural entries need exactly msgstr[0]:\n" + _describe(wrong_plural)


def test_translations_keep_placeholders_and_html():
    broken = []
    for entry in _messages(PO_FILE):
        expected = sorted(_PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"]))
        for msgstr in entry["msgstr"]:
            if sorted(_PLACEHOLDER.findall(msgstr)) != expected:
                broken.append(entry)
    assert not broken, "translations whose %(name)s placeholders or HTML differ:\n" + _describe(
        broken
    )


def test_mo_is_compiled_from_the_current_po():
    assert MO_FILE.exists(), "django.mo is missing: run compilemessages in src/sciweek"
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.info().get("plural-forms") == "nplurals=1; plural=0;"
    stale = []
    for entry in _messages(PO_FILE):
        context, msgid = _key(entry)
        expected = entry["msgstr"][0]
        if entry["msgid_plural"]:
            found = {
                catalog.npgettext(context, msgid, entry["msgid_plural"], n)
                if context
                else catalog.ngettext(msgid, entry["msgid_plural"], n)
                for n in (1, 2, 5)
            }
            if found != {expected}:
                stale.append(entry)
        else:
            found = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
            if found != expected:
                stale.append(entry)
    assert not stale, (
        "django.mo is out of date (run `django-admin compilemessages` in src/sciweek):\n"
        + _describe(stale)
    )


def _gettext_missing() -> list[str]:
    return [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]


def _sources_only(folder: str, names: list[str]) -> list[str]:
    """copytree filter: sub-folders, .py/.html/.txt files and the zh_Hans catalogue only."""
    in_catalogue = Path(folder).resolve() == PACKAGE_DIR / LC_MESSAGES
    return [
        name
        for name in names
        if name == "__pycache__"
        or name.startswith(".")
        or (
            not Path(folder, name).is_dir()
            and not name.endswith((".py", ".html", ".txt"))
            and not in_catalogue
        )
    ]


def test_every_string_in_the_code_is_translated(tmp_path):
    missing = _gettext_missing()
    if missing:
        message = f"makemessages needs GNU gettext ({', '.join(missing)} not on PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message}: apt-get install gettext")
        pytest.skip(reason=f"{message}; apt-get install gettext to run this check")

    # makemessages rewrites the .po in place, so it runs on a copy of the package.
    copy = tmp_path / "sciweek"
    shutil.copytree(PACKAGE_DIR, copy, ignore=_sources_only)
    copied_po = copy / LC_MESSAGES / "django.po"
    assert copied_po.exists()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sciweek.settings"}
    result = subprocess.run(
        [
            sys.executable,
            "-P",  # not the copy's folder first on sys.path: its celery.py would shadow celery
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    committed = {_key(e): e for e in _messages(PO_FILE)}
    found = _messages(copied_po)
    assert len(found) > 100, "makemessages found almost nothing; is it scanning the right place?"
    forgotten = [
        e for e in found if _key(e) not in committed or not _is_translated(committed[_key(e)])
    ]
    assert not forgotten, (
        "strings in the code with no translation in django.po — run makemessages in "
        "src/sciweek, translate them and run compilemessages:\n" + _describe(forgotten)
    )


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client):
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    page = login.content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page
    assert "Sign in" not in page

    home = client.get("/")
    assert home.status_code == 200
    assert "科技活动周" in home.content.decode()


@pytest.mark.django_db
def test_english_is_served_when_asked_for(client):
    page = client.get("/accounts/login/", headers={"accept-language": "en"}).content.decode()
    assert "Sign in" in page
    assert "登录" not in page
