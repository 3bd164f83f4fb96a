from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from league.models import User
from league.rules import available_time_zones


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Detect from my browser"))] + [(z, z) for z in sorted(available_time_zones())]


def language_choices() -> list[tuple[str, str]]:
    return [("", _("The site's default language")), *settings.LANGUAGES]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, required=False)
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=language_choices,
        required=False,
    )

    class Meta:
        model = User
        fields = ["time_zone", "email_on_scored"]
