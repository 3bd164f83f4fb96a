from django import forms
from django.utils.translation import gettext_lazy as _

from league.models import User
from league.rules import available_time_zones


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Detect from my browser"))] + [(z, z) for z in sorted(available_time_zones())]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, required=False)

    class Meta:
        model = User
        fields = ["time_zone"]
