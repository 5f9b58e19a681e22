"""Readable names for audit actions, shown in histories and the audit log.

Each app names the actions it writes in its own ``audit_labels.py``, as a dict
``AUDIT_ACTIONS = {code: label}``, beside the code that writes them. :func:`autodiscover` (run
once by the audit app's ``ready()``) gathers them; nothing adds to another app's table. A code
claimed by two apps is a configuration error. ``tests/audit/test_labels.py`` fails on a code that
is written anywhere without a label; should one still slip through, it is shown by its code.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

MODULE = "audit_labels"

_labels: dict[str, object] = {}
_owners: dict[str, str] = {}


def register(labels: Mapping[str, object], *, owner: str) -> None:
    for code, label in labels.items():
        if _owners.get(code, owner) != owner:
            raise ImproperlyConfigured(
                f"Audit action {code!r} is labelled by both {_owners[code]} and {owner}."
            )
        _owners[code] = owner
        _labels[code] = label


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, MODULE):
            module = import_module(f"{config.name}.{MODULE}")
            register(module.AUDIT_ACTIONS, owner=config.name)


def labelled_codes() -> frozenset[str]:
    return frozenset(_labels)


def action_label(code: str) -> str:
    return str(_labels.get(code, code))
