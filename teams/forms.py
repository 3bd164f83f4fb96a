"""Plain Django forms for the team pages; the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from league.converters import ID_MAX, ID_MIN
from league.models import OrganisationType, ParticipantType
from teams.models import Organisation


def _country_choices():
    return [("", "—"), *list(countries)]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=120)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_country_choices)
    residence = forms.ChoiceField(label=_("Country of residence"), choices=_country_choices)
    # No silent default: a person says which type they are.
    participant_type = forms.ChoiceField(
        label=_("Participant type"),
        choices=[("", _("Choose…")), *ParticipantType.choices],
        error_messages={"required": _("Choose your participant type.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None, or a new one below"),
    )
    new_organisation_name = forms.CharField(
        label=_("New organisation: name"), max_length=200, required=False
    )
    new_organisation_type = forms.ChoiceField(
        label=_("New organisation: type"), choices=OrganisationType.choices, required=False
    )
    new_organisation_country = forms.ChoiceField(
        label=_("New organisation: country"), choices=_country_choices, required=False
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        new_organisation = None
        if data.get("new_organisation_name"):
            new_organisation = dict(
                name=data["new_organisation_name"],
                type=data.get("new_organisation_type") or OrganisationType.NONE,
                country=data.get("new_organisation_country") or data["nationality"],
            )
        return dict(
            display_name=data["display_name"],
            nationality=data["nationality"],
            residence=data["residence"],
            participant_type=data["participant_type"],
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            new_organisation=new_organisation,
        )


class TeamNameForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=80,
        error_messages={
            "required": _("Give the team a name."),
            "max_length": _("A team name has at most %(limit_value)d characters."),
        },
    )

    def first_error(self) -> str:
        return next(iter(self.errors.get("name") or self.non_field_errors()), "")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=32)


class MemberForm(forms.Form):
    user_id = forms.IntegerField(min_value=ID_MIN, max_value=ID_MAX, widget=forms.HiddenInput)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the team)"), widget=forms.Textarea(attrs={"rows": 3})
    )
