from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeagueConfig(AppConfig):
    name = "league"
    verbose_name = _("League")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from league.local_cache import forget_all
        from league.models import Challenge, Phase, Track

        for model in (Phase, Challenge, Track):
            post_save.connect(
                forget_all, sender=model, dispatch_uid=f"local-cache-{model.__name__}"
            )
            post_delete.connect(
                forget_all, sender=model, dispatch_uid=f"local-cache-del-{model.__name__}"
            )
