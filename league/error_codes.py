"""Every error code the application answers (``{"code", "message", ...}`` in
the API, a rule's ``Violation``) or stores (a submission's ``error_code``),
with what it means. Clients may rely on these names; messages may change.

Call sites keep their string literals: tests/league/test_error_codes.py
reads the source of every app and fails when a code is used but missing
here, or listed here but no longer used, so this is the one list.
"""

LEAGUE = {
    "invalid": "The request is malformed or a field holds a value the form refuses.",
    "not_found": "The object does not exist or is not visible to you.",
    "forbidden": "You may not do this.",
    "conflict": "The request conflicts with the current state of the object.",
    "rule_violation": "Several rules are broken; details.violations lists each.",
    "service_busy": "The database was busy for too long; try again after Retry-After seconds.",
    "phase_still_open": "Private scores can be revealed only once the phase has closed.",
    # Exports.
    "invalid_export_format": "The export format is not csv-excel, csv, xlsx or json.",
    "invalid_export_params": "A parameter of the export is missing or invalid (details name it).",
    "export_not_ready": "The background export is not finished (or it failed, with its reason).",
}

TEAMS = {
    # Profiles and organisations.
    "profile_missing": "You have no participant profile yet.",
    "profile_required": "Fill in your profile before joining or creating a team.",
    "required": "A required profile field is empty.",
    "invalid_choice": "A profile field holds a value outside its choices.",
    "unknown_country": "A country code that is not a country.",
    "unknown_organisation": "The chosen organisation does not exist.",
    # Teams and membership.
    "captain_only": "Only the team's captain may do this.",
    "captain_cannot_leave": "The captain must hand over captaincy before leaving.",
    "team_frozen": "The team is locked by a challenge's team-lock date.",
    "team_full": "The team has as many members as its challenges allow.",
    "team_name_required": "The team name is empty.",
    "team_name_taken": "Another team already has this name.",
    "team_name_too_long": "The team name is too long.",
    "unknown_join_code": "No team has this join code.",
    "already_member": "The person is already a member of the team.",
    "judge_cannot_join": "A judge may not join a team (by join code or invitation).",
    # Invitations.
    "invalid_email": "The e-mail address is not valid.",
    "invitation_used": "The invitation was already accepted, declined or revoked.",
    "invitation_expired": "The invitation expired.",
    "wrong_account": "You are logged in with another address than the invited one.",
    # Registrations.
    "already_registered": "The team is already registered for the challenge.",
    "registration_closed": "The challenge's registration is closed (team-lock date passed).",
    "reason_required": "Rejecting a registration needs a reason for the team.",
    "decision_required": "An organizer may set a registration only to verified or rejected.",
    # Team rules of a track (the checklist).
    "too_few_members": "Fewer members than the track requires.",
    "too_many_members": "More members than the track allows.",
    "individual_entry_not_allowed": "The track does not take one-person entries.",
    "participant_type_not_allowed": "A member's participant type is not allowed in the track.",
    "organisation_type_not_allowed": "A member's organisation type is not allowed in the track.",
    "cross_border_needs_china": "A cross-border team needs a member from China.",
    "cross_border_needs_asean": "A cross-border team needs a member from ASEAN.",
    "too_many_other_region": "Too many members from outside China and ASEAN.",
    "country_share_exceeded": "Too large a share of members from one country.",
    "person_teams_per_challenge": "A member is in as many teams of the challenge as allowed.",
    "person_teams_in_track": "A member is in as many teams of the track as allowed.",
}

SUBMISSIONS = {
    # Intake.
    "not_registered": "Your team is not registered for the phase's challenge.",
    "registration_not_verified": "Your team's registration is not verified yet.",
    "registration_rejected": "The organizers rejected the registration, with their reason.",
    "registration_needs_review": "The team broke a rule since verification; under review.",
    "phase_not_open": "The phase has not opened yet.",
    "phase_closed": "The phase is closed.",
    "wrong_extension": "The file's extension is not accepted.",
    "file_too_large": "The file is larger than the phase allows.",
    "empty_file": "The file is empty.",
    "mode_unavailable": "The challenge's evaluation mode has no evaluator on the platform yet.",
    # Code challenges (intake, configuration, evaluation).
    "sandbox_unavailable": "The code sandbox cannot run here (intake), or failed (evaluation).",
    "entry_point_invalid": "The declared entry point is not a safe relative path to a .py file.",
    "entry_point_missing": "The program archive does not hold its entry point.",
    "archive_name_clash": "Two archive entries would land in the same sanitized file name.",
    "code_task_missing": "The code phase has no task (kind, limits) set up yet.",
    "code_tests_missing": "The tests-kind code phase has no test cases.",
    "code_public_tests_missing": "The tests-kind code phase has no public test case.",
    "code_metric_direction": "Test scores rank higher first; the metric ranks lower first.",
    "code_inputs_missing": "The predictions-kind code phase has no hidden inputs.",
    "program_unreadable": "The stored program archive no longer unpacks safely.",
    "program_failed": "The predicting program did not finish (its verdict is given).",
    "predictions_missing": "The predicting program did not write its predictions file.",
    "answer_key_missing": "The prediction phase has no answer key yet; nothing was stored.",
    "package_required": "The challenge takes a review package, not a single file.",
    "daily_limit_reached": "The team used its submissions for today.",
    "total_limit_reached": "The team used all its submissions for the phase.",
    # Review packages: the proposal PDF, the code archive, the link and the form.
    "not_a_package_phase": "The challenge takes files, not review packages.",
    "package_version_limit": "The team saved as many package versions as a phase keeps.",
    "pdf_not_a_pdf": "The proposal is not a PDF by its structure.",
    "pdf_damaged": "The proposal PDF is truncated or its structure does not parse.",
    "pdf_encrypted": "The proposal PDF is password-protected.",
    "pdf_too_many_pages": "The proposal has more pages than the challenge allows.",
    "archive_unreadable": "The code archive is not a readable zip file.",
    "archive_absolute_path": "An archive entry has an absolute path.",
    "archive_parent_path": "An archive entry climbs out with '..'.",
    "archive_link": "An archive entry is a symbolic link.",
    "archive_special_file": "An archive entry is a device or another special file.",
    "archive_encrypted": "An archive entry is encrypted.",
    "archive_too_many_members": "The archive has more entries than allowed.",
    "archive_too_large": "The archive unpacks to more than allowed (declared or counted).",
    "archive_ratio": "An archive entry is compressed more than allowed (a bomb).",
    "archive_corrupt": "An archive entry cannot be decompressed (damaged or lying header).",
    "video_link_invalid": "The demo video link is not an https URL.",
    # Finals and re-runs.
    "not_scored": "Only a scored submission can be selected as final.",
    "too_many_final": "The team already selected as many finals as the phase allows.",
    "not_rerunnable": "Only a scored or failed submission can be re-run.",
    # The evaluation's verdict on a file (EvaluationError, and error_code of a failure).
    "evaluation_failed": "The file has several problems; details.violations lists each.",
    "utf16_bom": "The file is UTF-16, not UTF-8.",
    "binary_file": "The file is not text.",
    "html_file": "The file is an HTML or XML page.",
    "wrong_encoding": "A line is not valid UTF-8.",
    "line_too_long": "A line is too long for a CSV of predictions.",
    "malformed_csv": "A double quote opens and never closes.",
    "too_many_rows": "The file has more rows than the reader accepts.",
    "missing_header": "The first line is data, not the header.",
    "wrong_header": "The header is not the expected one.",
    "wrong_delimiter": "The columns are not separated by commas.",
    "wrong_column_count": "A line has the wrong number of columns.",
    "missing_id": "A line has no id.",
    "duplicate_ids": "An id appears twice.",
    "unknown_ids": "An id is not in the test set.",
    "missing_ids": "Ids of the test set are missing from the file.",
    "missing_value": "A line has no prediction.",
    "non_numeric_value": "A prediction is not a number.",
    "nan_value": "A prediction marks a missing number.",
    "infinite_value": "A prediction is infinite.",
    "out_of_range": "A probability is outside 0 to 1.",
    "unknown_label": "A predicted label is not one of the answer key's classes.",
    "not_binary": "An expected value of a binary metric is neither 0 nor 1.",
    # The answer key and the metric (organizers see these).
    "wrong_split": "A line of the answer key is neither public nor private.",
    "missing_expected": "A line of the answer key has no expected value.",
    "no_public_rows": "The answer key has no public rows.",
    "invalid_expected_value": "An expected value the metric cannot use.",
    "unknown_metric": "The challenge names a metric that does not exist.",
    "single_class": "ROC AUC needs both classes in each part of the answer key.",
    "undefined_score": "The metric gives no finite score on a part of the answer key.",
    # Failures on the platform's side (they never spend quota).
    "time_limit": "The evaluation went past its time limit.",
    "internal_error": "The evaluation failed on our side at every attempt.",
    "interrupted": "The evaluation's worker vanished at every attempt.",
    "out_of_memory": "The evaluation needed more memory than its worker may use.",
    "no_answer_key": "The phase has no answer key yet.",
    # Downloads of a challenge's data files.
    "sign_in_required": "Downloading a challenge's data needs a signed-in account.",
    "data_for_registered_teams": "The data is for members of teams registered in the challenge.",
    "terms_not_accepted": "The challenge's terms must be accepted once before downloading.",
}

JUDGING = {
    # Rubrics.
    "criterion_weight_invalid": "A criterion's weight is not more than 0 and at most 1.",
    "rubric_weights_sum": "The weights of a rubric do not sum to 1.",
    "level_outside_scale": "An anchored level's score lies outside its criterion's scale.",
    "rubric_in_use": "Judges have scored against the rubric; it cannot be replaced.",
    # Reviews.
    "rubric_missing": "The entry's challenge has no rubric yet.",
    "unknown_criterion": "A score is for a criterion outside the entry's rubric.",
    "score_out_of_scale": "A score lies outside its criterion's scale.",
    "review_incomplete": "A review is submitted before every criterion is scored.",
    "change_reason_required": "A submitted review changed after its edit window, without a reason.",
    "review_already_submitted": "The judge already submitted a review of the entry.",
    # Conflicts and manual assignments.
    "conflict_reason_required": "A judge declares a conflict without a reason.",
    "override_reason_required": "An organizer overrides a conflict without a reason.",
    "already_overridden": "The conflict was already overridden.",
    "judge_inactive": "The judge is not active.",
    "already_assigned": "The judge is already assigned to the entry.",
    "judge_conflicted": "The judge has a conflict with the entry's team (reasons given).",
    # Assignment runs (stored in a run's explanation).
    "not_started": "No worker started the assignment run after its last attempt to hand it over.",
    # Finalists of challenges scored automatically.
    "finalists_not_judged": "The challenge sends no finalists to the judges (0 set).",
    "finalists_before_close": "Finalists are picked only after the last phase has closed.",
    "finalists_before_reveal": "Finalists are picked only once the private scores are revealed.",
    "writeup_too_large": "The finalist's write-up is larger than the challenge allows.",
    # Final standings.
    "standings_before_reveal": "Standings are published only once the finals' private scores "
    "are revealed.",
    "standings_empty": "No verified team has a score: there are no standings to publish.",
}

ERROR_CODES = {**LEAGUE, **TEAMS, **SUBMISSIONS, **JUDGING}
