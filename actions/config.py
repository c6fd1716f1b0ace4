"""The action server's configuration, read in one place (as rasa-demo's actions/config.py).

The action server's entry point (`rasa_addons.action_server`) bootstraps the process; the
actions ask this module for what the settings say instead of reading them each on its own.
"""

from __future__ import annotations

from bot.settings import Settings, get_settings


def settings() -> Settings:
    """The process's settings (read once from the environment and `.env`, then cached)."""
    return get_settings()
