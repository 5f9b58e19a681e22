from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sciweek.common.forms import BootstrapMixin

from .enums import MediaKind


class MediaUploadForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MediaKind.choices, initial=MediaKind.PHOTO)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,video/mp4,video/webm"}
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    alt_text = forms.CharField(
        label=_("Description for screen readers"),
        max_length=200,
        required=False,
        help_text=_("Required for photos: what the picture shows."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Photos: JPEG, PNG or WebP up to %(photo)s. Videos and animations: MP4 or WebM up "
            "to %(video)s. Location and camera data are removed from photos."
        ) % {
            "photo": filesizeformat(settings.MEDIA_PHOTO_MAX_BYTES),
            "video": filesizeformat(settings.MEDIA_VIDEO_MAX_BYTES),
        }


class HideForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
