from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "apps.stories"
    verbose_name = _("Onnistumistarinat")

    def ready(self) -> None:
        from PIL import Image

        from .images import MAX_PIXELS

        # Pillow's decompression-bomb net for every image this process opens: a warning
        # over the bound, an error at twice it (story images are checked exactly first).
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
