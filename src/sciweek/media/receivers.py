"""An item deleted (by ``media_delete`` or with its activity, a cascade) takes its stored files
with it once the deletion commits."""

from sciweek.common.storage import delete_files_with_records

from .models import MediaItem

delete_files_with_records(MediaItem, "file", "thumbnail")
