"""``iron_sdk``: the same package as :mod:`iron_cage` under the name the
product's first documents use (``from iron_sdk import protect_agent``)."""

from iron_cage import *  # noqa: F401,F403
from iron_cage import __all__, __version__  # noqa: F401
