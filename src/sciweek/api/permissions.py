"""The bridge from DRF to ``rules``: the API asks ``user.has_perm(name, obj)``, the same question
the back-office pages and templates ask, so the two can never disagree."""

from rest_framework.permissions import BasePermission


class RulesPermission(BasePermission):
    """Checks the rules permission the view names for the current action.

    A view sets ``rules_permissions = {"retrieve": "campaigns.view_notice", ...}``. On detail
    actions the permission is asked about the object (after the view's queryset has already hidden
    what the user may not know exists, which answers 404); on list actions without an object.
    Actions not named are left to the view's other permission classes.
    """

    def _permission(self, view) -> str | None:
        return getattr(view, "rules_permissions", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view) -> bool:
        permission = self._permission(view)
        if permission is None:
            return True
        if not request.user.is_authenticated:
            # False for the anonymous user lets DRF answer 401 with the authentication challenge.
            return False
        if getattr(view, "detail", True):
            return True  # decided per object in has_object_permission
        return request.user.has_perm(permission)

    def has_object_permission(self, request, view, obj) -> bool:
        permission = self._permission(view)
        return permission is None or request.user.has_perm(permission, obj)
