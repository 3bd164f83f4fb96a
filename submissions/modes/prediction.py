"""Prediction files: a CSV of ``id,prediction`` scored against the hidden answer key."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from league.models import EvaluationMode
from submissions import rules, selectors
from submissions.evaluation.readers import sniff_csv_upload
from submissions.evaluation.scoring import Scores, score_predictions
from submissions.modes.base import EvaluationModeHandler, PageText


class PredictionMode(EvaluationModeHandler):
    name = EvaluationMode.PREDICTION
    label = gettext_lazy("Prediction file")
    default_extensions = (".csv",)

    def intake_violations(self, *, upload, challenge, phase):
        if (upload.name or "").lower().endswith(".csv"):
            return list(sniff_csv_upload(upload))
        return []

    def configuration_violations(self, *, phase):
        return rules.answer_key_violations(
            has_answer_key=selectors.phase_has_answer_key(phase_id=phase.pk)
        )

    def evaluate(self, submission) -> Scores:
        answer_key = submission.phase.answer_key  # AnswerKey.DoesNotExist if none
        with (
            answer_key.file.open("rb") as key_file,
            submission.file.open("rb") as prediction_file,
        ):
            return score_predictions(
                answer_key_file=key_file,
                prediction_file=prediction_file,
                metric_name=submission.phase.challenge.metric,
            )

    def page_text(self, challenge, phase=None) -> PageText:
        return PageText(
            hint=_("CSV with the header “id,prediction”, at most %(size)s MB.")
            % {"size": challenge.max_file_size_mb},
            example="id,prediction\nq0001,0.83\nq0002,0.12\n",
        )
