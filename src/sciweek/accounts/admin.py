from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import ThrottledAdminAuthenticationForm
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("SciWeek"), {"fields": ("display_name", "phone")}),
    )
    list_display = ("username", "display_name", "email", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "display_name", "email")


# The admin sign-in shares the office's lock-out (sciweek.accounts.throttle).
admin.site.login_form = ThrottledAdminAuthenticationForm
