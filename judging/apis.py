"""The judges' API: their queue, an entry's materials and rubric, their own
review (draft, submit, change) and declaring a conflict.

The same selectors and services as the panel: an entry is read through
``selectors.assignment_get_for_judge`` (assigned and not conflicted, or 404),
a blind challenge never shows who the team is, and others' scores appear only
after the judge's own submission, where the challenge says so."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from judging import rules, selectors, services
from judging.models import ReviewStatus
from league.converters import ID_MAX
from league.errors import Forbidden, RuleViolation, Violation
from league.openapi import ErrorSerializer, TypedInput, documented
from league.pagination import PaginatedApiMixin

ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 422: ErrorSerializer}


def _judge(request):
    """The signed-in user's Judge row; anyone else is refused."""
    judge = selectors.judge_for_user(request.user)
    if judge is None:
        raise Forbidden(_("Only judges have a queue of entries."))
    return judge


# ------------------------------------------------------------------ output


class EntryChallengeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AssignmentOutput(serializers.Serializer):
    entry_id = serializers.IntegerField()
    code = serializers.CharField()
    challenge = EntryChallengeOutput()
    kind = serializers.ChoiceField(
        choices=["package", "finalist"],
        help_text="package: a review challenge's materials; finalist: a final submission.",
    )
    due_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(
        choices=["todo", "draft", "submitted"], help_text="The state of your own review."
    )


def _kind(entry) -> str:
    return "package" if entry.package_id else "finalist"


def _assignment_row(row) -> dict:
    entry = row.entry
    return {
        "entry_id": entry.pk,
        "code": entry.code,
        "challenge": {"id": entry.challenge_id, "title": entry.challenge.title},
        "kind": _kind(entry),
        "due_at": row.due_at,
        "status": row.status,
    }


class MaterialFileOutput(serializers.Serializer):
    url = serializers.CharField(help_text="Where a signed-in judge opens it in the panel.")
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField()
    pages = serializers.IntegerField(allow_null=True)


class MaterialCheckOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class AutomatedScoreOutput(serializers.Serializer):
    public = serializers.FloatField(allow_null=True)
    private = serializers.FloatField(
        allow_null=True, help_text="Null until the phase's private scores are revealed."
    )


class MaterialsOutput(serializers.Serializer):
    proposal = MaterialFileOutput(allow_null=True)
    archive = MaterialFileOutput(allow_null=True)
    video_url = serializers.CharField()
    form = serializers.DictField(
        help_text="The package's form; without the team's roles when the review is blind."
    )
    checklist = MaterialCheckOutput(many=True)
    submission = MaterialFileOutput(allow_null=True, help_text="A finalist's final submission.")
    writeup = MaterialFileOutput(allow_null=True, help_text="A finalist's write-up.")
    automated_score = AutomatedScoreOutput(allow_null=True)


class CriterionLevelOutput(serializers.Serializer):
    score = serializers.IntegerField()
    description = serializers.CharField()


class CriterionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=4)
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    levels = CriterionLevelOutput(many=True)


class ReviewChangeOutput(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    reason = serializers.CharField()
    old_values = serializers.DictField()
    new_values = serializers.DictField()


class ReviewOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["todo", "draft", "submitted"])
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text="Criterion id → your score."
    )
    comment_to_team = serializers.CharField()
    note_to_organizers = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    weighted_total = serializers.FloatField(allow_null=True)
    edit_window_closes_at = serializers.DateTimeField(
        allow_null=True, help_text="After this, a change of a submitted review needs a reason."
    )
    changes = ReviewChangeOutput(many=True)


class OtherReviewOutput(serializers.Serializer):
    label = serializers.CharField(help_text="A neutral label, never the judge's name.")
    scores = serializers.DictField(child=serializers.IntegerField())
    total = serializers.FloatField(allow_null=True)


class EntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    challenge = EntryChallengeOutput()
    kind = serializers.ChoiceField(choices=["package", "finalist"])
    blind = serializers.BooleanField()
    due_at = serializers.DateTimeField(allow_null=True)
    edit_window_hours = serializers.IntegerField()
    materials = MaterialsOutput()
    rubric = CriterionOutput(many=True)
    review = ReviewOutput()
    others = OtherReviewOutput(
        many=True,
        allow_null=True,
        help_text="The other judges' submitted scores; null until you have submitted "
        "yours, or always where the challenge keeps them hidden.",
    )


def _file(url: str, *, size, sha256, pages=None) -> dict:
    return {"url": url, "size": size, "sha256": sha256 or "", "pages": pages}


def _materials(entry, *, blind: bool) -> dict:
    materials = selectors.entry_materials(entry=entry, blind=blind)
    version = materials.version
    answer = {
        "proposal": None,
        "archive": None,
        "video_url": version.video_url if version else "",
        "form": materials.form,
        "checklist": [item.as_dict() for item in materials.checklist.items]
        if materials.checklist
        else [],
        "submission": None,
        "writeup": None,
        "automated_score": None,
    }
    args = {"entry_id": entry.pk}
    if version is not None and version.proposal:
        answer["proposal"] = _file(
            reverse("judging:entry-proposal", kwargs=args),
            size=version.proposal_size,
            sha256=version.proposal_sha256,
            pages=version.proposal_pages,
        )
    if version is not None and version.archive:
        answer["archive"] = _file(
            reverse("judging:entry-archive", kwargs=args),
            size=version.archive_size,
            sha256=version.archive_sha256,
        )
    submission = entry.submission
    if submission is not None and submission.file:
        answer["submission"] = _file(
            reverse("judging:entry-submission", kwargs=args),
            size=submission.size,
            sha256=submission.sha256,
        )
    writeup = selectors.writeup_of(entry)
    if writeup is not None:
        answer["writeup"] = _file(
            reverse("judging:entry-writeup", kwargs=args),
            size=writeup.size,
            sha256=writeup.sha256,
            pages=writeup.pages,
        )
    automated = selectors.automated_score(entry)
    if automated is not None:
        answer["automated_score"] = {"public": automated.public, "private": automated.private}
    return answer


def _rubric(criteria) -> list[dict]:
    return [
        {
            "id": c.pk,
            "name": c.name,
            "description": c.description,
            "weight": c.weight,
            "scale_min": c.scale_min,
            "scale_max": c.scale_max,
            "levels": [{"score": lv.score, "description": lv.description} for lv in c.levels.all()],
        }
        for c in criteria
    ]


def _review(assignment, criteria, settings) -> dict:
    review = selectors.review_of(assignment)
    scores = selectors.scores_of(review)
    total = rules.weighted_total(scores=scores, weights={c.pk: c.weight for c in criteria})
    return {
        "status": review.status if review else "todo",
        "scores": {str(k): v for k, v in sorted(scores.items())},
        "comment_to_team": review.comment_to_team if review else "",
        "note_to_organizers": review.note_to_organizers if review else "",
        "submitted_at": review.submitted_at if review else None,
        "weighted_total": float(total) if total is not None else None,
        "edit_window_closes_at": rules.edit_window_closes(
            submitted_at=review.submitted_at if review else None,
            hours=settings.edit_window_hours,
        ),
        "changes": [
            {
                "changed_at": change.changed_at,
                "reason": change.reason,
                "old_values": change.old_values,
                "new_values": change.new_values,
            }
            for change in selectors.review_changes(review)
        ],
    }


def _entry(assignment) -> dict:
    entry = assignment.entry
    settings = selectors.challenge_judging(entry.challenge)
    criteria = selectors.rubric(challenge=entry.challenge)
    others = selectors.other_reviews(assignment=assignment, criteria=criteria)
    return {
        "id": entry.pk,
        "code": entry.code,
        "challenge": {"id": entry.challenge_id, "title": entry.challenge.title},
        "kind": _kind(entry),
        "blind": settings.blind,
        "due_at": settings.due_at,
        "edit_window_hours": settings.edit_window_hours,
        "materials": _materials(entry, blind=settings.blind),
        "rubric": _rubric(criteria),
        "review": _review(assignment, criteria, settings),
        "others": None
        if others is None
        else [
            {
                "label": other.label,
                "scores": {str(k): v for k, v in sorted(other.scores.items())},
                "total": float(other.total) if other.total is not None else None,
            }
            for other in others
        ],
    }


# ------------------------------------------------------------------ input

Scores = documented(
    serializers.DictField,
    type="object",
    additionalProperties={"type": "integer", "minimum": -32768, "maximum": 32767},
    description="Criterion id (as the key) → score, on the criterion's scale. A key "
    "that is not a criterion of the entry's rubric is refused (422, unknown_criterion).",
)


class ReviewInput(TypedInput):
    scores = Scores(child=serializers.IntegerField(min_value=-32768, max_value=32767), default=dict)
    comment_to_team = serializers.CharField(allow_blank=True, max_length=5000, default="")
    note_to_organizers = serializers.CharField(allow_blank=True, max_length=5000, default="")
    submit = serializers.BooleanField(
        default=False, help_text="true: submit (every criterion scored); false: a draft."
    )
    reason = serializers.CharField(
        allow_blank=True,
        max_length=1000,
        default="",
        help_text="Why a submitted review changes; required after the edit window.",
    )

    def validate_scores(self, scores: dict) -> dict[int, int]:
        parsed, unknown = {}, []
        for key, value in scores.items():
            text = str(key)
            if text.isascii() and text.isdigit() and 1 <= int(text) <= ID_MAX:
                parsed[int(text)] = value
            else:
                unknown.append(text[:40])
        if unknown:
            # Like an id of another rubric's criterion: what the service answers.
            raise RuleViolation(
                [
                    Violation(
                        "unknown_criterion",
                        _("These scores are for criteria not in the entry's rubric."),
                        {"criteria": unknown},
                    )
                ]
            )
        return parsed


class ConflictInput(TypedInput):
    reason = serializers.CharField(
        max_length=1000, help_text="Why you cannot judge this entry; only organizers read it."
    )


class ConflictOutput(serializers.Serializer):
    code = serializers.CharField(help_text="The entry's code; it has left your queue.")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


# ------------------------------------------------------------------ views


class AssignmentListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        responses={200: AssignmentOutput(many=True), 403: ErrorSerializer},
        tags=["judging"],
        description="Your queue: the entries assigned to you, without the conflicted ones.",
    )
    def get(self, request):
        rows = selectors.judge_queue(judge=_judge(request)).rows
        return self.paginated_response(rows, lambda page: [_assignment_row(r) for r in page])


class EntryDetailApi(APIView):
    @extend_schema(
        responses={200: EntryOutput, 404: ErrorSerializer},
        tags=["judging"],
        description="An entry assigned to you: materials, rubric, your review, and the "
        "other judges' scores once yours is submitted (where the challenge shows them).",
    )
    def get(self, request, entry_id: int):
        assignment = selectors.assignment_get_for_judge(
            judge=selectors.judge_for_user(request.user), entry_id=entry_id
        )
        return Response(EntryOutput(_entry(assignment)).data)


class ReviewApi(APIView):
    def _assignment(self, request, entry_id: int):
        return selectors.assignment_get_for_judge(
            judge=selectors.judge_for_user(request.user), entry_id=entry_id
        )

    def _answer(self, request, entry_id: int) -> Response:
        assignment = self._assignment(request, entry_id)
        entry = assignment.entry
        criteria = selectors.rubric(challenge=entry.challenge)
        settings = selectors.challenge_judging(entry.challenge)
        return Response(ReviewOutput(_review(assignment, criteria, settings)).data)

    def _save(self, request, entry_id: int, *, partial: bool) -> Response:
        assignment = self._assignment(request, entry_id)
        data = ReviewInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        review = selectors.review_of(assignment)
        scores = selectors.scores_of(review) if partial else {}
        scores.update(values.get("scores", {}))
        kept = {
            "comment_to_team": review.comment_to_team if review and partial else "",
            "note_to_organizers": review.note_to_organizers if review and partial else "",
        }
        services.review_save(
            judge=assignment.judge,
            entry_id=assignment.entry_id,
            scores=scores,
            comment_to_team=values.get("comment_to_team", kept["comment_to_team"]),
            note_to_organizers=values.get("note_to_organizers", kept["note_to_organizers"]),
            submit=values.get("submit", False)
            or (review is not None and review.status == ReviewStatus.SUBMITTED),
            reason=values.get("reason", ""),
        )
        return self._answer(request, entry_id)

    @extend_schema(responses={200: ReviewOutput, 404: ErrorSerializer}, tags=["judging"])
    def get(self, request, entry_id: int):
        return self._answer(request, entry_id)

    @extend_schema(
        request=ReviewInput,
        responses={200: ReviewOutput, **ERRORS},
        tags=["judging"],
        description="Save your whole review: a draft, or with submit=true your submission. "
        "A change of a submitted review is kept in its history; after the edit window "
        "it needs a reason.",
    )
    def put(self, request, entry_id: int):
        return self._save(request, entry_id, partial=False)

    @extend_schema(
        request=ReviewInput(partial=True),
        responses={200: ReviewOutput, **ERRORS},
        tags=["judging"],
        description="Change only the fields sent; scores sent replace those criteria's.",
    )
    def patch(self, request, entry_id: int):
        return self._save(request, entry_id, partial=True)


class ConflictApi(APIView):
    @extend_schema(
        request=ConflictInput,
        responses={201: ConflictOutput, **ERRORS},
        tags=["judging"],
        description="Declare a conflict with the entry's team: the entry leaves your queue.",
    )
    def post(self, request, entry_id: int):
        assignment = selectors.assignment_get_for_judge(
            judge=selectors.judge_for_user(request.user), entry_id=entry_id
        )
        data = ConflictInput(data=request.data)
        data.is_valid(raise_exception=True)
        conflict = services.conflict_declare(
            judge=assignment.judge,
            entry_id=assignment.entry_id,
            reason=data.validated_data["reason"],
        )
        output = {
            "code": assignment.entry.code,
            "reason": conflict.reason,
            "created_at": conflict.created_at,
        }
        return Response(ConflictOutput(output).data, status=status.HTTP_201_CREATED)
