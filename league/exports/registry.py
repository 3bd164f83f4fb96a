"""The datasets that can be exported, registered by each app in ``ready()``.

League imports no other app: teams, submissions and judging register their
own datasets here, and the exports page, admin and API read this registry.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from league.errors import NotFound

FORMATS = ("csv-excel", "csv", "xlsx", "json")


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # lazily translated label


@dataclass(frozen=True)
class Input:
    """One query parameter as the exports page offers it: a select of choices."""

    name: str
    label: str  # lazily translated
    choices: Callable[[], list[tuple[str, str]]]  # (value, label), read when the page shows


@dataclass(frozen=True)
class Dataset:
    name: str  # URL-safe, e.g. "phase-leaderboard"
    title: str  # lazily translated
    permission: str  # "app_label.codename" the user needs
    # Validates the query parameters; raises an ApplicationError with a clear message.
    parse: Callable[[Mapping[str, str]], dict]
    columns: Callable[[dict], list[Column]]
    rows: Callable[[dict], Iterable[Sequence]]  # streamed, a constant number of queries
    count: Callable[[dict], int]
    filename: Callable[[dict], str]  # without extension, ASCII-safe
    # What the exports page asks for (the API takes the same names in "params").
    inputs: tuple[Input, ...] = ()


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    """Add ``dataset``; registering the same name again replaces it (reloads in tests)."""
    _DATASETS[dataset.name] = dataset


def get(name: str) -> Dataset:
    try:
        return _DATASETS[name]
    except (KeyError, TypeError):
        raise NotFound(_("There is no export of this name.")) from None


def available(user) -> list[Dataset]:
    """The datasets ``user`` may export, in the order they were registered."""
    if user is None or not user.is_authenticated:
        return []
    return [dataset for dataset in _DATASETS.values() if user.has_perm(dataset.permission)]
