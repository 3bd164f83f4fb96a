"""django-allauth customised through its adapter."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group

from league.reference_data import ROLE_GROUPS
from league.sites import current_site

PARTICIPANTS, JUDGES, ORGANIZERS = ROLE_GROUPS


def is_judge(user) -> bool:
    """Whether the user holds the judge's role (the Judges group). Apps
    upstream of judging ask this instead of reading judging's tables."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=JUDGES).exists()


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            group, _ = Group.objects.get_or_create(name=PARTICIPANTS)
            user.groups.add(group)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's mails greet and sign off with the site's name.
        super().send_mail(template_prefix, email, {"current_site": current_site(), **context})
