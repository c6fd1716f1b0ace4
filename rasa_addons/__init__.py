"""Adapters loaded by the Rasa server itself (not the action server): the REST chat
channel (credentials.yml) and the tracker stores (endpoints*.yml).

Like `actions/`, they only translate between Rasa and `bot/`; they are imported by
module path, which works because `rasa run` puts the working directory (the
project root) on `sys.path`.
"""
