"""syncd: keeps a runner's training honest against the coach's plan."""

__version__ = "0.1.0"
