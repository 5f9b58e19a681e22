"""Every audit action code that is written anywhere has a label, in English and in Chinese.

The codes are found two ways: read from the source (every ``action=`` argument, every wrapper
that passes its ``action`` parameter on, and the ``f"activity.{action}"`` workflow prefixes
expanded with their workflow's actions), and from the rows the demo writes. The whole suite
also checks every entry it writes (``tests/conftest.py``).
"""

from __future__ import annotations

import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import translation

from sciweek.audit import labels
from sciweek.audit.labels import action_label, labelled_codes
from sciweek.audit.models import AuditEntry
from sciweek.common.workflow import workflows

SRC = Path(__file__).resolve().parents[2] / "src" / "sciweek"
CODE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


# f-strings the reader cannot expand from the source, and where their codes come from instead.
# The workflow helper writes ``<prefix>.<action>`` for each declared workflow (its
# ``audit_codes()``); the demo replays activity histories with the activity workflow's actions.
def workflow_codes() -> set[str]:
    return set().union(*(w.audit_codes() for w in workflows()))


WORKFLOW_EXPANSIONS = {
    "f'{prefix}.{move.action}'": workflow_codes,
    "activity.": lambda: {c for c in workflow_codes() if c.startswith("activity.")},
}


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [a.arg for a in (*func.args.posonlyargs, *func.args.args)]


def _is_method(func) -> bool:
    return bool(_params(func)) and _params(func)[0] in {"self", "cls"}


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


class _Module:
    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.assignments: dict[str, list[ast.expr]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assignments.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                self.assignments.setdefault(node.target.id, []).append(node.value)

    def writers(self) -> dict[str, tuple[int, bool]]:
        """Functions that pass one of their parameters on as ``action=``: name → (index, method)."""
        found = {}
        for func in ast.walk(self.tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = _params(func)
            for call in ast.walk(func):
                if not isinstance(call, ast.Call):
                    continue
                for keyword in call.keywords:
                    if (
                        keyword.arg == "action"
                        and isinstance(keyword.value, ast.Name)
                        and keyword.value.id in params
                    ):
                        found[func.name] = (params.index(keyword.value.id), _is_method(func))
        return found

    def codes_in(
        self, expr: ast.expr, seen: set[str] | None = None, *, direct: bool = True
    ) -> tuple[set[str], set[str]]:
        """(codes, f-string prefixes) an expression can give, following the module's names."""
        seen = set() if seen is None else seen
        codes, prefixes = set(), set()
        for node in ast.walk(expr):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if CODE.match(node.value):
                    codes.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                head = node.values[0] if node.values else None
                if isinstance(head, ast.Constant) and str(head.value).endswith("."):
                    prefixes.add(head.value)
                elif direct:
                    # No constant family to expand (f"{prefix}.{action}"): reported as it is
                    # written, so the test names what it cannot check. (Only in the argument
                    # itself: a name it uses may hold any f-string, such as a file name.)
                    prefixes.add(ast.unparse(node))
            elif isinstance(node, ast.Name) and node.id not in seen:
                seen.add(node.id)
                for value in self.assignments.get(node.id, ()):
                    more_codes, more_prefixes = self.codes_in(value, seen, direct=False)
                    codes |= more_codes
                    prefixes |= more_prefixes
        return codes, prefixes


def written_codes() -> tuple[set[str], dict[str, set[str]]]:
    """Every code written in src/, and the f-string prefixes with where each is used."""
    codes: set[str] = set()
    prefixes: dict[str, set[str]] = {}
    modules = [_Module(p) for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts]
    # A wrapper may be imported by another module (reports.uploads uses services._record).
    everywhere: dict[str, tuple[int, bool]] = {}
    for module in modules:
        everywhere.update(module.writers())
    for module in modules:
        writers = {**everywhere, **module.writers()}
        for call in ast.walk(module.tree):
            if not isinstance(call, ast.Call):
                continue
            exprs = [k.value for k in call.keywords if k.arg == "action"]
            if (name := _call_name(call)) in writers:
                index, method = writers[name]
                index -= 1 if method and isinstance(call.func, ast.Attribute) else 0
                if 0 <= index < len(call.args):
                    exprs.append(call.args[index])
            for expr in exprs:
                found, found_prefixes = module.codes_in(expr)
                codes |= found
                for prefix in found_prefixes:
                    prefixes.setdefault(prefix, set()).add(str(module.path.relative_to(SRC)))
    return codes, prefixes


def test_the_source_reader_finds_the_codes_written_every_way():
    """A reader that finds nothing would pass everything: check it sees each way of writing."""
    codes, prefixes = written_codes()
    assert {
        "booking.export_unmasked",  # record(action="…")
        "session.close_booking",  # record(action=a if x else b)
        "session.reopen_booking",
        "activity.media_unfeature",  # a wrapper: _record(activity, by, a if x else b)
        "admin.add",  # a module-level table
        "admin.other",  # its default
        "auth.login_failed",
        "activity.import",
        "summary.file_caption",
    } <= codes
    assert set(prefixes) == set(WORKFLOW_EXPANSIONS)
    assert prefixes["f'{prefix}.{move.action}'"] == {"common/workflow.py"}
    assert "demo/activities.py" in prefixes["activity."]


def test_the_workflows_name_the_codes_they_write():
    codes = workflow_codes()
    assert {"activity.approve", "summary.return", "edition.published", "booking.cancel"} <= codes
    assert "booking.start" not in codes


def test_every_code_written_in_the_source_has_a_label():
    codes, prefixes = written_codes()
    unknown = sorted(set(prefixes) - set(WORKFLOW_EXPANSIONS))
    assert not unknown, (
        f"actions built by f-strings this test cannot expand: {unknown}; add their expansion "
        "to WORKFLOW_EXPANSIONS"
    )
    for expand in WORKFLOW_EXPANSIONS.values():
        codes |= expand()
    missing = sorted(codes - labelled_codes())
    assert not missing, (
        f"audit actions written without a label: {missing}; add them to the writing app's "
        "audit_labels.py"
    )


def test_the_codes_named_in_issue_9_are_labelled():
    assert {
        "booking.cancel",
        "booking.export_unmasked",
        "session.capacity",
        "session.close_booking",
        "session.reopen_booking",
        "session.cancel_bookings",
        "activity.import",
    } <= labelled_codes()


@pytest.mark.django_db
def test_every_action_the_demo_writes_has_a_label():
    # The demo writes its histories with bulk_create, which no signal sees.
    call_command("demo", "--no-serve", stdout=StringIO())
    written = set(AuditEntry.objects.values_list("action", flat=True).distinct())
    assert {"activity.create", "activity.approve", "summary.accept"} <= written
    assert sorted(written - labelled_codes()) == []


def test_every_label_reads_in_english_and_chinese():
    for code in sorted(labelled_codes()):
        with translation.override("en"):
            english = action_label(code)
        with translation.override("zh-hans"):
            chinese = action_label(code)
        assert english != code, code
        assert re.search(r"[\u4e00-\u9fff]", chinese), (code, chinese)


def test_an_unknown_code_reads_as_itself():
    assert action_label("nothing.like_this") == "nothing.like_this"


def test_each_app_labels_its_own_actions():
    assert labels._owners["booking.cancel"] == "sciweek.bookings"
    assert labels._owners["activity.media_add"] == "sciweek.media"
    assert labels._owners["activity.approve"] == "sciweek.activities"
    assert labels._owners["admin.change"] == "sciweek.audit"


def test_a_code_labelled_by_two_apps_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"activity\.approve"):
        labels.register({"activity.approve": "again"}, owner="sciweek.media")
    assert labels._owners["activity.approve"] == "sciweek.activities"


def test_an_action_the_reader_cannot_expand_is_reported(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        'NAME = f"{uuid}.{ext}"\n'
        "def move(prefix, action):\n"
        '    record(action=f"{prefix}.{action}", obj=NAME)\n'
        '    record(action=f"booking.{action}")\n'
    )
    module = _Module(source)
    call = next(n for n in ast.walk(module.tree) if isinstance(n, ast.Call))
    assert module.codes_in(call.keywords[0].value) == (set(), {"f'{prefix}.{action}'"})
    second = [n for n in ast.walk(module.tree) if isinstance(n, ast.Call)][1]
    assert module.codes_in(second.keywords[0].value) == (set(), {"booking."})
