"""Subcommands of ``rcm``: one module each, each defining ``register(subparsers)``.

``register`` adds the subparser and sets ``func`` to a callable taking the parsed
arguments and returning an exit code (None means 0).
"""
