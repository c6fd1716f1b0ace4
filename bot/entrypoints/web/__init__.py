"""The web adapter: one Sanic app (Sanic comes with Rasa, so no second framework)
serving the member chat page, a server-side proxy to the Rasa REST channel, the
AdviceLine status, and the adviser inbox.

    python -m bot.entrypoints.web            # WEB_INTERFACE:WEB_PORT, default 127.0.0.1:5058

The inbox's rules live in `bot.inbox`; this package only speaks HTTP.
"""
