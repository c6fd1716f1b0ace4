"""The adviser inbox's core: accounts, sessions, case handling and the audit log.

No web framework here: `bot.entrypoints.web` is the adapter that serves it over HTTP, and
`bot.entrypoints.cli advisers` creates accounts. Import from the submodules (this package
stays empty so `bot.storage.orm` can import `bot.inbox.model` without a cycle).
"""
