"""The application layer: what every shell (the CLI, the daemon's jobs, a later web page) calls.

`App` opens config, store and secrets once, lazily; the modules beside it are the jobs and
views built on it. Importing this package is cheap: heavy modules are imported when used.
"""

from syncd.app.context import App

__all__ = ["App"]
