"""The union's directory of destinations: who receives a case, and how (bot.directory.model)."""
