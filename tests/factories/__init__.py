"""factory_boy factories, one module per app, all importable from here."""

from tests.factories.exports import *  # noqa: F403
from tests.factories.judging import *  # noqa: F403
from tests.factories.league import *  # noqa: F403
from tests.factories.submissions import *  # noqa: F403
from tests.factories.teams import *  # noqa: F403
