"""Content organizers enter in each language (django-modeltranslation).

Each field listed here gets one column per language in
MODELTRANSLATION_LANGUAGES (title_en, title_zh_hans, ...). Reading the plain
field gives the active language's value, or the English one when that is
empty. The sponsor stays one value: it is a name, not prose.
"""

from modeltranslation.translator import TranslationOptions, register

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
