"""Loaded by pytest before any other plugin (``-p rcmmodel._pytest_plugin`` in pyproject's
``addopts``); it holds no hooks. Importing it imports the package, whose ``rfc3987_syntax``
guard (``rcmmodel/__init__.py``) then holds before nbval's plugin imports nbformat and so
jsonschema: without it pytest, and each xdist worker, would first compile that grammar
(1-2 s of CPU apiece) for an IRI format no notebook or schema of ours checks.
"""
