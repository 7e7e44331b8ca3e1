"""The ``rcm`` command line: one module per subcommand in :mod:`.commands`."""
from .main import main

__all__ = ["main"]
