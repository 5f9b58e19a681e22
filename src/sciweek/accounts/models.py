from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships, not from this row."""

    display_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def name(self) -> str:
        return str(self)
