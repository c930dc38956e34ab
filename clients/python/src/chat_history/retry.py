"""How often and how patiently the client retries, and which failures it retries at all.

The same rules as `clients/java` (`RetryPolicy`, `Retryability`): a request is sent again only
when a repeat cannot do anything twice.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts and delays. Between attempts the client waits what `Retry-After` says (capped at
    `max_retry_after`), or else a random time between 0 and
    `min(max_delay, base_delay * 2**(retry - 1))` ("full jitter")."""

    max_attempts: int = 4
    """Attempts in all, the first included; 1 turns retries off."""
    base_delay: float = 0.1
    """Seconds: the backoff ceiling before the first retry; it doubles with every retry."""
    max_delay: float = 5.0
    """Seconds: the largest backoff ceiling."""
    max_retry_after: float = 5.0
    """Seconds: the longest the client waits when the service says `Retry-After`."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        for name in ("base_delay", "max_delay", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    def backoff_ceiling(self, retry: int) -> float:
        """The ceiling of the random wait before retry number `retry` (1 for the first)."""
        doublings = min(retry - 1, 30)
        return float(min(self.base_delay * (2 ** doublings), self.max_delay))


DEFAULT_RETRY_POLICY = RetryPolicy()
"""4 attempts, backoff from 100 ms up to 5 s, `Retry-After` honoured up to 5 s."""

NO_RETRIES = RetryPolicy(max_attempts=1)


class Retryability(enum.Enum):
    """Which failures a request may be sent again after, by whether a repeat could apply it twice."""

    IDEMPOTENT = frozenset({429, 502, 503, 504})
    """A repeat cannot apply twice: reads, settings PUTs, edits and deletes carrying `If-Match`
    (a repeat gets 412), appends carrying an `Idempotency-Key`. Every transient failure is
    retried, a lost response too."""

    NOT_IDEMPOTENT = frozenset({429, 503})
    """A repeat could do the work twice (a second job): retried only when the first attempt
    certainly did nothing. The service answers 429 and 503 before doing any work, and a
    connection that was never opened carried no request; a 502, 504 or lost response may hide
    work that was done."""

    def retries(self, status: int) -> bool:
        return status in self.value

    def retries_after(self, failure: httpx.TransportError) -> bool:
        if self is Retryability.IDEMPOTENT:
            return True
        return isinstance(failure, (httpx.ConnectError, httpx.ConnectTimeout))


_DELTA_SECONDS = re.compile(r"\d{1,9}")


def retry_after_seconds(value: str | None) -> int | None:
    """`Retry-After` as delta-seconds; an HTTP-date (which this service never sends) is `None`."""
    if value is None:
        return None
    value = value.strip()
    return int(value) if _DELTA_SECONDS.fullmatch(value) else None
