"""Adapters loaded by Rasa itself: the REST chat channel (credentials.yml), the
tracker stores and the response generator (endpoints*.yml), the NLU pipeline's
safety step (config.yml), and the action server's entry point.

Like `actions/`, they only translate between Rasa and `bot/`; they are imported by
module path, which works because `rasa run` puts the working directory (the
project root) on `sys.path`.
"""
