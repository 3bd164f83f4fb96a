from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions")

    def ready(self):
        from submissions.exports import register_datasets

        register_datasets()

        from django.db.models.signals import post_delete, post_save

        from league.local_cache import forget_all
        from submissions.models import AnswerKey

        # Intake reads whether a phase has its answer key from the local cache.
        post_save.connect(forget_all, sender=AnswerKey, dispatch_uid="local-cache-answer-key")
        post_delete.connect(forget_all, sender=AnswerKey, dispatch_uid="local-cache-del-answer-key")

        from league.health import register_check
        from submissions.sandbox import SandboxUnavailable, sandbox_available

        def sandbox() -> str:
            ok, reason = sandbox_available()
            if not ok:
                raise SandboxUnavailable(reason)
            return reason

        # Not critical: web servers run no code; code phases refuse entries without it.
        register_check("sandbox", sandbox, critical=False)
