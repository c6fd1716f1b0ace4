"""Responses with live values: Rasa's own response templates, plus what is true right now.

`utter_faq/contact_adviceline` says whether the AdviceLine is open now
(`{adviceline_status}`). Filling that here, when the response is rendered, keeps
a custom action (and a round trip to the action server) off the path of every
catalogue answer. Listed as `nlg` in endpoints*.yml.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.adviceline import live_status_line
from bot.settings import get_settings

# Each computed for the configured UK_NATION (bank holidays differ by nation), which the
# generator reads once: the Rasa server is a process with no entry point of ours.
LIVE_VALUES = {"adviceline_status": live_status_line}


class LiveResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's templated responses; `{name}` for a name in `LIVE_VALUES` is computed at render time."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self._nation = get_settings().uk_nation

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        for name, compute in LIVE_VALUES.items():
            if kwargs.get(name) is None and self._uses(utter_action, name):
                kwargs[name] = compute(self._nation)
        return await super().generate(utter_action, tracker, output_channel, **kwargs)

    def _uses(self, utter_action: str, name: str) -> bool:
        placeholder = "{" + name + "}"
        return any(placeholder in (variant.get("text") or "") for variant in self.responses.get(utter_action, []))
