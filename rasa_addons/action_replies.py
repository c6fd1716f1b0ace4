"""Checking the action server's replies without re-checking the schema every time.

Rasa 3.6 validates every custom action's reply with `jsonschema.validate`, which
with jsonschema 4.17 first validates the (constant) schema against its
meta-schema: in a profile of one intake turn that was almost half of the Rasa
server's time. This builds the validator once and checks each reply against it,
with the same errors and the same message as Rasa's own method.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@lru_cache(maxsize=1)
def reply_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`: True, or raises `ValidationError`."""
    error = best_match(reply_validator().iter_errors(result))
    if error is None:
        return True
    error.message += HINT
    raise error


def install() -> None:
    """Idempotent; called when the REST channel is loaded (every Rasa server loads it)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


__all__ = ["ValidationError", "install", "validate_action_result"]
