"""The ways into the core, one per process: the web app, the CLI, the delivery worker.

Each entry point calls `bot.bootstrap` once (settings, database, logging) and passes
what the domain needs as arguments; nothing under bot/ outside this package and the
adapters reads the environment.
"""
