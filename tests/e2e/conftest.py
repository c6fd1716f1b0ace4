"""End-to-end tests talk to the session's laptop stack (the `stack` fixture, registered in
tests/conftest.py from tests/support/stacks.py); each test chats as a fresh `sender`."""

from tests.support.stacks import sender  # noqa: F401 - re-exported as a fixture
