"""The built-in plugins. Each module is a plugin declared under the ``gfmdreport``
entry-point group in ``pyproject.toml``, exactly as a third-party plugin would be.

Plugin modules stay light: a writer that needs a heavy library imports it inside its
write function, so that discovering plugins costs next to nothing.
"""
