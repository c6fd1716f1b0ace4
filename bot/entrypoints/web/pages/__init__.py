"""The inbox's HTML pages, one module per page, built with MarkupSafe (see frame.py).

The web handlers (bot/entrypoints/web/inbox.py) call the page functions re-exported here.
"""

from bot.entrypoints.web.pages.audit import audit_page
from bot.entrypoints.web.pages.case import STATUS_NOTICES, case_page
from bot.entrypoints.web.pages.case_list import LIST_NOTICES, list_page
from bot.entrypoints.web.pages.checkups import checkup_counts_page
from bot.entrypoints.web.pages.directory import directory_page
from bot.entrypoints.web.pages.frame import error_page
from bot.entrypoints.web.pages.signin import signin_page

__all__ = [
    "LIST_NOTICES", "STATUS_NOTICES", "audit_page", "case_page", "checkup_counts_page",
    "directory_page", "error_page", "list_page", "signin_page",
]
