from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
import pytest

from chat_history import ChatHistoryClient

SECRET = "chk_" + "S" * 43


@dataclass
class Sleeps:
    """Records the waits between retries instead of waiting."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@dataclass
class Scripted:
    """Answers requests from a script, in order, and keeps what was sent."""

    script: Sequence[httpx.Response | Exception]
    requests: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.answers = list(self.script)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


ClientFactory = Callable[..., ChatHistoryClient]


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(sleeps: Sleeps) -> ClientFactory:
    """A client on a scripted or fake transport; jitter 1.0 makes each backoff its ceiling."""

    def make(handler: Callable[[httpx.Request], httpx.Response], **options: object) -> ChatHistoryClient:
        settings: dict[str, object] = {"sleep": sleeps, "jitter": lambda: 1.0}
        settings.update(options)
        return ChatHistoryClient("http://api.test/", SECRET, transport=httpx.MockTransport(handler),
                                 **settings)  # type: ignore[arg-type]

    return make


@pytest.fixture
def service() -> tuple[str, str]:
    """The running service's base URL and key, for tests marked `integration`."""
    url = os.environ.get("CHAT_HISTORY_URL")
    key = os.environ.get("CHAT_HISTORY_KEY")
    if not url or not key:
        if os.environ.get("CHAT_HISTORY_REQUIRE_SERVICE") == "1":
            pytest.fail("CHAT_HISTORY_URL and CHAT_HISTORY_KEY must be set")
        pytest.skip("set CHAT_HISTORY_URL and CHAT_HISTORY_KEY to run against a service")
    return url, key
