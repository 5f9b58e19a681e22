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


class AttemptCounter(models.Model):
    """A count of attempts (failed sign-ins, password-reset requests) per key in a fixed window.

    Kept in the database, not the cache, so that a lock-out holds in every process and survives a
    cache outage or eviction. The key is a digest: no user name or address is stored.
    """

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
