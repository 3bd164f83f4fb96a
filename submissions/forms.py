"""The review package's form (the page's; the API has its own serializer)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from submissions.models import DeploymentStage


class PackageForm(forms.Form):
    proposal = forms.FileField(
        label=_("Proposal (PDF)"),
        required=False,
        allow_empty_file=True,
        help_text=_("Leave empty to keep the current one."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    video_url = forms.CharField(
        label=_("Demo video link (optional)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    archive = forms.FileField(
        label=_("Code archive (.zip, optional)"),
        required=False,
        allow_empty_file=True,
        help_text=_("Leave empty to keep the current one."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    remove_archive = forms.BooleanField(label=_("Remove the current archive"), required=False)
    scenario = forms.CharField(
        label=_("Scenario"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The industrial scenario and the problem your solution addresses."),
    )
    industry = forms.CharField(label=_("Industry"), required=False, max_length=200)
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"),
        required=False,
        choices=lambda: list(countries),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    deployment_stage = forms.ChoiceField(
        label=_("Deployment stage"),
        required=False,
        choices=[("", "—"), *DeploymentStage.choices],
    )
    expected_impact = forms.CharField(
        label=_("Expected impact"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    team_roles = forms.CharField(
        label=_("Team roles"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who does what in the team."),
    )
