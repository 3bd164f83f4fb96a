from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions")

    def ready(self):
        from submissions.exports import register_datasets

        register_datasets()

        from league.health import register_check
        from submissions.sandbox import SandboxUnavailable, sandbox_available

        def sandbox() -> str:
            ok, reason = sandbox_available()
            if not ok:
                raise SandboxUnavailable(reason)
            return reason

        # Not critical: web servers run no code; code phases refuse entries without it.
        register_check("sandbox", sandbox, critical=False)
