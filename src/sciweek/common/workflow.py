"""One shape for every state machine in SciWeek.

A workflow is declared once, next to its app's enums: its states, its actions, the table
``{action: {from_state: to_state}}``, which actions need a reason, the rules permission each action
needs, the readiness checks, the timestamps a move sets, the audit entry it writes and its side
effects. :func:`transition` is then the only code that writes the state field; the apps' services
(``activity_transition``, ``booking_cancel``, …) are thin wrappers that keep their names.

Order of the checks, so the same refusal comes back whatever the interface: unknown action,
move outside the table, permission, reason, readiness. Nothing is written before all have passed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# The audit writer, imported in this one place: every move is logged through it.
from sciweek.audit.writer import record as audit_record
from sciweek.common.errors import PermissionRefused, ServiceError
from sciweek.common.events import emit

ANY_ACTION = "*"


@dataclass(frozen=True)
class Move:
    """One move being made: what a check, a side effect or an audit hook is given."""

    obj: models.Model
    action: str
    before: str
    after: str
    by: Any
    reason: str
    now: Any


@dataclass(frozen=True)
class Offer:
    """An action a page or the API may offer this user for this object."""

    name: str
    label: str
    needs_reason: bool


def _empty():
    # A function, because the class below has a field called ``field``.
    return dataclasses.field(default_factory=dict)


Check = Callable[[models.Model], None]  # raises ServiceError when the object is not ready
Hook = Callable[[Move], None]


@dataclass(frozen=True, eq=False)
class Workflow:
    """A state machine declared once. Every mapping is keyed by action unless said otherwise."""

    name: str  # "activity": the default audit prefix and the key for the badge tones
    model: str  # "activities.Activity", resolved lazily so models may import their workflow
    states: type[models.TextChoices]
    actions: type[models.TextChoices]
    transitions: Mapping[str, Mapping[str, str]]
    field: str = "state"
    reason_required: frozenset[str] = frozenset()
    # The rules permission each action needs, asked as ``by.has_perm(perm, obj)``. None: no
    # check here, because the action is the system's or its caller decided (a ticket's secret).
    permissions: Mapping[str, str | None] = _empty()
    # Actions that may run with ``by=None`` (a periodic job, a worker, an anonymous booker).
    system_actions: frozenset[str] = frozenset()
    checks: Mapping[str, Sequence[Check]] = _empty()
    # Actions offered only when their checks pass (others are offered and refused with why).
    offer_only_when_ready: frozenset[str] = frozenset()
    # Fields set to the time of the move: per action (or ANY_ACTION), and per state entered.
    timestamps: Mapping[str, Sequence[str]] = _empty()
    entry_timestamps: Mapping[str, Sequence[str]] = _empty()
    first_timestamps: frozenset[str] = frozenset()  # set once, kept on later moves
    reason_field: str | None = None  # where the latest reason is kept, when the model keeps it
    # A target that depends on the object (an activity of a unit in no area skips the area).
    route: Callable[[models.Model, str, str], str] | None = None
    # More field values a move sets, computed from it (a summary submitted late is marked so).
    apply: Callable[[Move], Mapping[str, Any]] | None = None
    related: tuple[str, ...] = ()  # select_related when the row is locked
    audit_prefix: str | None = None  # defaults to ``name``; "" writes no entry
    audit_actions: frozenset[str] | None = None  # the actions that write an entry; None: all
    audit_system: bool = True  # write an entry when ``by`` is no user
    audit_changes: bool = True  # record the state's before and after
    audit_object: Callable[[models.Model], models.Model] | None = None
    audit_repr: Callable[[models.Model], str] | None = None
    audit_organization: Callable[[models.Model], int | None] | None = None
    audit_after: Callable[[Move], Mapping[str, Any]] | None = None
    # Side effects in the transaction (signals whose receivers write with it; outbox rows, which
    # are themselves sent after the commit) and after the commit (work started elsewhere).
    effects: Mapping[str, Sequence[Hook]] = _empty()
    on_commit: Mapping[str, Sequence[Hook]] = _empty()
    # The badge colour of each state (Bootstrap's text-bg-<tone>).
    tones: Mapping[str, str] = _empty()
    # Refusals in the words each object has always used.
    not_allowed: Callable[[models.Model, str], ServiceError] | None = None
    unknown: Callable[[models.Model, str], ServiceError] | None = None
    refused: Callable[[models.Model, str], PermissionRefused] | None = None
    register: bool = True  # False for a variant made in tests, so the declared one stays found

    def __post_init__(self):
        # A declaration that names an unknown state or action fails at import, not in use.
        actions, states = set(self.actions.values), set(self.states.values)
        if set(self.transitions) != actions:
            raise ImproperlyConfigured(f"{self.name}: every action needs a row in the table")
        for action, moves in self.transitions.items():
            if not (set(moves) <= states and set(moves.values()) <= states):
                raise ImproperlyConfigured(f"{self.name}: {action} names an unknown state")
        if not (set(self.permissions) | set(self.checks) | set(self.effects)) <= actions:
            raise ImproperlyConfigured(f"{self.name}: a rule names an unknown action")
        if self.register:
            _REGISTRY[self.model.lower()] = self

    # --- reading the table ------------------------------------------------------------------

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def target(self, obj, action: str) -> str | None:
        """Where ``action`` takes ``obj``, or None when the table forbids it."""
        target = self.transitions.get(action, {}).get(self.state_of(obj))
        if target is not None and self.route is not None:
            target = self.route(obj, action, target)
        return target

    def actions_from(self, state: str) -> list[str]:
        """The actions the table allows from ``state``, in declaration order."""
        return [a for a, moves in self.transitions.items() if state in moves]

    def tone(self, state: str) -> str:
        return self.tones.get(state, "light")

    # --- the refusals -------------------------------------------------------------------------

    def _label(self, action: str) -> str:
        return str(self.actions(action).label)

    def _state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.field}_display")())

    def _unknown(self, obj, action: str) -> ServiceError:
        if self.unknown is not None:
            return self.unknown(obj, action)
        return ServiceError(
            _("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action"
        )

    def _not_allowed(self, obj, action: str) -> ServiceError:
        if self.not_allowed is not None:
            return self.not_allowed(obj, action)
        return ServiceError(
            _("“%(action)s” is not possible in the state “%(state)s”.")
            % {"action": self._label(action), "state": self._state_label(obj)},
            code="transition_not_allowed",
        )

    def _refused(self, obj, action: str) -> PermissionRefused:
        if self.refused is not None:
            return self.refused(obj, action)
        return PermissionRefused(
            _("You may not do “%(action)s” with this.") % {"action": self._label(action)}
        )

    def _may(self, obj, action: str, by) -> bool:
        if by is None or not getattr(by, "is_authenticated", False):
            return action in self.system_actions
        permission = self.permissions.get(action)
        return permission is None or by.has_perm(permission, obj)

    def _ready(self, obj, action: str) -> bool:
        try:
            for check in self.checks.get(action, ()):
                check(obj)
        except ServiceError:
            return False
        return True

    def refusal(self, obj, action: str, by, reason: str = "") -> ServiceError | None:
        """Why ``by`` may not make ``action`` on ``obj`` as it is, or None when it may."""
        if action not in self.actions.values:
            return self._unknown(obj, action)
        if self.target(obj, action) is None:
            return self._not_allowed(obj, action)
        if not self._may(obj, action, by):
            return self._refused(obj, action)
        if action in self.reason_required and not reason:
            return ServiceError(_("Give a reason."), code="reason_required")
        try:
            for check in self.checks.get(action, ()):
                check(obj)
        except ServiceError as problem:
            return problem
        return None

    # --- the one writer -------------------------------------------------------------------------

    def _model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def _lock(self, obj) -> models.Model:
        query = self._model().objects.select_for_update(of=("self",))
        if self.related:
            query = query.select_related(*self.related)
        return query.get(pk=obj.pk)

    def _values(self, obj, move: Move, changes: Mapping[str, Any] | None) -> dict[str, Any]:
        values: dict[str, Any] = {self.field: move.after}
        stamped = [
            *self.timestamps.get(ANY_ACTION, ()),
            *self.timestamps.get(move.action, ()),
            *self.entry_timestamps.get(move.after, ()),
        ]
        for name in stamped:
            if name not in self.first_timestamps or getattr(obj, name) is None:
                values[name] = move.now
        if self.reason_field:
            values[self.reason_field] = move.reason
        if self.apply is not None:
            values.update(self.apply(move))
        values.update(changes or {})
        return values

    def _update_fields(self, values: Mapping[str, Any]) -> list[str]:
        names = list(values)
        if "updated_at" not in names and any(
            f.name == "updated_at" for f in self._model()._meta.concrete_fields
        ):
            names.append("updated_at")
        return names

    def audit_codes(self) -> set[str]:
        """Every audit action code this workflow can write (each needs a label)."""
        prefix = self.name if self.audit_prefix is None else self.audit_prefix
        if not prefix:
            return set()
        actions = self.transitions if self.audit_actions is None else self.audit_actions
        return {f"{prefix}.{action}" for action in actions}

    def _audit(self, move: Move) -> None:
        prefix = self.name if self.audit_prefix is None else self.audit_prefix
        authenticated = getattr(move.by, "is_authenticated", False)
        if not prefix or (not authenticated and not self.audit_system):
            return
        if self.audit_actions is not None and move.action not in self.audit_actions:
            return
        obj = move.obj
        before, after = {}, {}
        if self.audit_changes:
            before, after = {self.field: move.before}, {self.field: move.after}
        if self.audit_after is not None:
            after.update(self.audit_after(move))
        audit_record(
            actor=move.by,
            action=f"{prefix}.{move.action}",
            obj=self.audit_object(obj) if self.audit_object else obj,
            object_repr=self.audit_repr(obj) if self.audit_repr else "",
            organization_id=self.audit_organization(obj) if self.audit_organization else None,
            before=before,
            after=after,
            reason=move.reason,
        )

    def _after(self, move: Move) -> None:
        emit(f"{self.name}.{move.action}", move.obj, state=move.after, by=move.by)
        for effect in self.effects.get(move.action, ()):
            effect(move)
        for later in self.on_commit.get(move.action, ()):
            transaction.on_commit(lambda later=later: later(move))

    def transition(
        self,
        obj: models.Model,
        action: str,
        *,
        by,
        reason: str = "",
        changes: Mapping[str, Any] | None = None,
        locked: bool = False,
    ) -> models.Model:
        """Make one move and return the object in its new state.

        The row is locked first, in a transaction of its own or a savepoint of the caller's.
        ``locked=True``: the caller's transaction already holds a lock that serialises every
        change of this row and ``obj`` was read under it, so nothing is asked again (the gate
        and the booking paths count their queries). Then the checks, in order; the state, the
        timestamps, the reason and ``changes`` are saved in one UPDATE; the audit entry is
        written; the side effects run or are queued for the commit.
        """
        reason = (reason or "").strip()
        if locked:
            assert transaction.get_connection().in_atomic_block, "a lock lives in a transaction"
            return self._move(obj, action, by=by, reason=reason, changes=changes)
        with transaction.atomic():
            return self._move(self._lock(obj), action, by=by, reason=reason, changes=changes)

    def _move(self, obj, action: str, *, by, reason: str, changes) -> models.Model:
        if problem := self.refusal(obj, action, by, reason):
            raise problem
        move = Move(obj, action, self.state_of(obj), self.target(obj, action), by, reason,
                    timezone.now())  # fmt: skip
        values = self._values(obj, move, changes)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=self._update_fields(values))
        self._audit(move)
        self._after(move)
        return obj

    def transition_many(
        self,
        objs: Iterable[models.Model],
        action: str,
        *,
        by,
        reason: str = "",
        changes: Mapping[str, Any] | None = None,
    ) -> list[models.Model]:
        """The same move for many objects the caller read under its lock, in its transaction (a
        session's waiting list): every object passes the same checks, then one UPDATE moves them
        all. No audit entry per object: the caller records the batch as one entry, as an
        organiser sees it. Side effects run per object."""
        objs = list(objs)
        reason = (reason or "").strip()
        if not objs:
            return objs
        assert transaction.get_connection().in_atomic_block, "a lock lives in a transaction"
        now = timezone.now()
        moves = []
        for obj in objs:
            if problem := self.refusal(obj, action, by, reason):
                raise problem
            moves.append(Move(obj, action, self.state_of(obj), self.target(obj, action), by,
                              reason, now))  # fmt: skip
        assert len({m.after for m in moves}) == 1, "one bulk move lands all on the same state"
        groups: dict[tuple, list[Move]] = {}
        for move in moves:
            values = self._values(move.obj, move, changes)
            for name, value in values.items():
                setattr(move.obj, name, value)
            # Objects differ only where a first-only stamp was already set: one UPDATE each.
            groups.setdefault(tuple(values.items()), []).append(move)
        for items, group in groups.items():
            values = dict(items)
            if "updated_at" in self._update_fields(values):
                values["updated_at"] = now
            self._model().objects.filter(pk__in=[m.obj.pk for m in group]).update(**values)
        for move in moves:
            self._after(move)
        return objs

    def start(self, obj: models.Model, state: str | None = None) -> None:
        """Give an object a state without a move, saved by the caller: a new object's first state
        (creation is not a move), or demo data replaying a history it records itself, dated."""
        initial = state or self._model()._meta.get_field(self.field).default
        if initial not in self.states.values:
            raise ValueError(f"{self.name}: no state {initial!r}")
        setattr(obj, self.field, initial)

    def available_actions(self, obj, user) -> list[Offer]:
        """What a page or the API may offer ``user`` for ``obj``: allowed by the table and the
        permission, and ready where the workflow says an action is offered only when ready."""
        return [
            Offer(action, self._label(action), action in self.reason_required)
            for action in self.actions_from(self.state_of(obj))
            if self._may(obj, action, user)
            and (action not in self.offer_only_when_ready or self._ready(obj, action))
        ]


_REGISTRY: dict[str, Workflow] = {}


def workflows() -> list[Workflow]:
    """Every declared workflow (for tests and documentation)."""
    return list(_REGISTRY.values())


def workflow_for(obj_or_model) -> Workflow:
    """The workflow declared for a model instance or class."""
    try:
        return _REGISTRY[obj_or_model._meta.label_lower]
    except (AttributeError, KeyError):
        raise LookupError(f"no workflow declared for {obj_or_model!r}") from None


def transition(obj, action: str, *, by, reason: str = "", **kwargs):
    """Make one move on ``obj`` through the workflow declared for its model."""
    return workflow_for(obj).transition(obj, action, by=by, reason=reason, **kwargs)


def available_actions(obj, user) -> list[Offer]:
    return workflow_for(obj).available_actions(obj, user)


# Tones for state sets that are shown but moved by no workflow (the city's report board).
EXTRA_TONES: dict[str, Mapping[str, str]] = {}


def declare_tones(name: str, tones: Mapping[str, str]) -> Mapping[str, str]:
    EXTRA_TONES[name] = tones
    return tones
