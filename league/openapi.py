"""The API's OpenAPI document: the error responses every operation can give,
and field declarations that say what the services accept.

The hook adds, to every operation, the errors that the framework itself can
answer there, in the API's one error format: 400 (a request body or a page
number that does not validate), 401 and 403 (no or wrong credentials, where the operation
needs them), 404 (an id in the path that names nothing of yours) and 429
(throttled). Errors that only some operations give (409, 422) are declared
by those operations.
"""

from django.http import QueryDict
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error of the API: a stable code, a message, and details."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()


# An operation's own error answers (409, 422, ...), as it declares them.
ERROR = OpenApiResponse(ErrorSerializer, description='`{"code", "message", "details"}`')


ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "description": ErrorSerializer.__doc__,
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "details": {"type": "object", "additionalProperties": {}},
    },
    "required": ["code", "message", "details"],
}
COMMON_ERRORS = {
    "400": "The request is malformed or a field is invalid (`details` names the fields).",
    "401": "No credentials, or a wrong or revoked API token.",
    "403": "You may not do this.",
    "404": "Nothing of yours has this id.",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
}


def _wanted(path: str, operation: dict) -> list[str]:
    wanted = ["429"]
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    if "requestBody" in operation or query & {"limit", "offset"}:
        wanted.append("400")
    if "{" in path:
        wanted.append("404")
    if {} not in operation.get("security", [{}]):
        wanted += ["401", "403"]
    return wanted


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: see the module's docstring."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in _wanted(path, operation):
                responses.setdefault(
                    status,
                    {
                        "description": COMMON_ERRORS[status],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return result


# JSON types of the values a JSON body must send for these fields (DRF would
# otherwise turn 0 into "0" or "1" into 1, which the schema does not promise).
_JSON_TYPES = (
    (serializers.BooleanField, bool),
    (serializers.IntegerField, int),
    (serializers.CharField, str),
)


# An input serializer whose JSON bodies must use the types the schema declares.
# Form bodies carry only text, which the fields parse as usual. (A comment, not a
# docstring: drf-spectacular would print it on every input of the schema.)
class TypedInput(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, dict) and not isinstance(self.root.initial_data, QueryDict):
            errors = {}
            for name, field in self.fields.items():
                value = data.get(name)
                if value is None:
                    continue
                for field_class, json_type in _JSON_TYPES:
                    if isinstance(field, field_class):
                        wrong_bool = isinstance(value, bool) and json_type is not bool
                        if wrong_bool or not isinstance(value, json_type):
                            errors[name] = [field.error_messages["invalid"]]
                        break
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ServiceCheckedText(serializers.CharField):
    """Text that the service checks: a blank value still reaches it, so that it
    refuses it with its own code and message, while the schema (``documented``)
    says that blank text is refused."""

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and not data.strip():
            return ""
        return super().run_validation(data)


def documented(field_class: type[serializers.Field], **schema) -> type[serializers.Field]:
    """``field_class`` documented with the given JSON-schema keywords (``minLength``,
    ``pattern``, ``enum`` ...): the schema says what the service accepts, while
    the service keeps validating and answering with its own messages."""
    base = {"type": "string"} if issubclass(field_class, serializers.CharField) else {}
    subclass = type(f"Documented{field_class.__name__}", (field_class,), {})
    return extend_schema_field({**base, **schema})(subclass)


# An ISO 3166 country code (CN, TH ...); the service refuses one that names no
# country. A pattern rather than an enum of ~250 codes keeps the schema short.
CountryCode = documented(ServiceCheckedText, pattern="^[A-Za-z]{2}$")
