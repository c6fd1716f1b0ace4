"""Custom Rasa NLU components: thin adapters over `bot/` for the Rasa server's pipeline."""
