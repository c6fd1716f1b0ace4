"""rasa-sdk actions: thin adapters over the core in `bot/`."""
