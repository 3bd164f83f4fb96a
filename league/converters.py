"""Path converters shared by every app's URL conf, and the range of an id."""

# The ids a route or a request body may name: what the converter matches.
ID_MIN = 1
ID_MAX = 10**18 - 1


class IdConverter:
    """A database id: 1 to 18 digits without a leading zero.

    Huge, zero and negative ids then match no route and answer 404 without
    reaching the database (18 digits stay below PostgreSQL's bigint limit).
    """

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
