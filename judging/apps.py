from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self):
        from judging import page_links

        page_links.register()

        from judging.exports import register_datasets

        register_datasets()
