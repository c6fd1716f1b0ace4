"""The adviser and operator command line, one module per command group (see main.py)."""

from bot.durations import short_duration as age
from bot.entrypoints.cli.main import build_parser, main

__all__ = ["age", "build_parser", "main"]
