"""Content organizers enter in each language (django-modeltranslation).

Each field listed here gets one column per language in
MODELTRANSLATION_LANGUAGES (title_en, title_zh_hans, ...). Reading the plain
field gives the active language's value, or the English one when that is
empty. The sponsor stays one value: it is a name, not prose.
"""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from modeltranslation.translator import TranslationOptions, register, translator
from modeltranslation.utils import build_localized_fieldname

from league.models import Challenge, ChallengeFile, Phase, Season, Track


@register(Season)
class SeasonTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Track)
class TrackTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Challenge)
class ChallengeTranslation(TranslationOptions):
    fields = ("title", "description", "prizes", "terms")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("name",)


@register(ChallengeFile)
class ChallengeFileTranslation(TranslationOptions):
    fields = ("title", "description")


def in_every_language(path: str) -> list[str]:
    """The columns behind a translated field, for .only() on a related path:
    ``in_every_language("challenge__title")`` lists challenge__title_en, ...
    so reading the title in any language needs no extra query."""
    languages = settings.MODELTRANSLATION_LANGUAGES
    return [path] + [build_localized_fieldname(path, language) for language in languages]


def _keep_plain_column_english(sender, instance, created, **kwargs):
    """The plain column (title, name, ...) is what queries from other models
    read and sort by (exports, orderings across relations): keep it the
    English value, whichever language the last save was made in."""
    fields = translator.get_options_for_model(sender).get_field_names()
    sender._default_manager.rewrite(False).filter(pk=instance.pk).update(
        **{field: Coalesce(F(f"{field}_en"), Value("")) for field in fields}
    )


for _model in (Season, Track, Challenge, Phase, ChallengeFile):
    post_save.connect(
        _keep_plain_column_english, sender=_model, dispatch_uid=f"english-{_model.__name__}"
    )
