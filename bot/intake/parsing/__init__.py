"""Turn a member's typed answer (or a button title) into a value for the case, one module per kind.

Every parser returns a `Parsed` (base.py). The intake's field table (bot/intake/flow.py)
reads the parsers from here; each kind lives in its own module so a reader finds the date
rules in dates.py, the phone rules in contact.py, and so on.
"""

from bot.intake.parsing.base import Parsed
from bot.intake.parsing.contact import parse_contact
from bot.intake.parsing.dates import parse_date
from bot.intake.parsing.people import (
    POSTED_BY,
    is_leader_role,
    parse_membership_number,
    parse_name,
    parse_posted_by,
    parse_role,
)
from bot.intake.parsing.platforms import PLATFORMS, parse_platforms
from bot.intake.parsing.process import parse_process_stage
from bot.intake.parsing.text import parse_free_text
from bot.intake.parsing.yes_no import parse_yes_no

__all__ = [
    "PLATFORMS", "POSTED_BY", "Parsed", "is_leader_role", "parse_contact", "parse_date",
    "parse_free_text", "parse_membership_number", "parse_name", "parse_platforms",
    "parse_posted_by", "parse_process_stage", "parse_role", "parse_yes_no",
]
