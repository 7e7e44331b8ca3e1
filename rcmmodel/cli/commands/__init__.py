"""One module per ``rcm`` subcommand, each with ``register(subparsers)`` and ``run(args)``."""
__all__: list[str] = []
