"""SciWeek: runs a city's Science and Technology Activity Week end to end."""

from .celery import app as celery_app

__all__ = ["celery_app"]
