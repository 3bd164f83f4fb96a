"""Parsing helpers for datasets' ``parse``: each refusal names the parameter."""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from league.errors import ApplicationError

CODE = "invalid_export_params"


def refuse(name: str, message: str):
    raise ApplicationError(message, code=CODE, details={name: [message]})


def int_param(raw: Mapping[str, str], name: str) -> int:
    """A required positive id."""
    value = (raw.get(name) or "").strip()
    if not value:
        refuse(name, _("The parameter “%(name)s” is required.") % {"name": name})
    if not value.isdigit() or not 0 < int(value) < 2**31:
        refuse(
            name,
            _("The parameter “%(name)s” must be a positive whole number, not “%(value)s”.")
            % {"name": name, "value": value[:40]},
        )
    return int(value)


def choice_param(raw: Mapping[str, str], name: str, choices: Sequence[str], default: str) -> str:
    value = (raw.get(name) or "").strip() or default
    if value not in choices:
        refuse(
            name,
            _("The parameter “%(name)s” must be one of %(choices)s, not “%(value)s”.")
            % {"name": name, "choices": ", ".join(choices), "value": value[:40]},
        )
    return value


def bool_param(raw: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = (raw.get(name) or "").strip().lower()
    if not value:
        return default
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    refuse(
        name,
        _("The parameter “%(name)s” must be true or false, not “%(value)s”.")
        % {"name": name, "value": value[:40]},
    )
