"""The one exception type the client raises, and its 412 special case."""

from __future__ import annotations

NO_RESPONSE = "no_response"
"""`code` when no HTTP response arrived (connection failed, timed out)."""

INVALID_RESPONSE = "invalid_response"
"""`code` when a 2xx response could not be understood."""


class ChatHistoryError(Exception):
    """A request that did not succeed: the service answered with an error status, or did not
    answer at all after the retries the `RetryPolicy` allows.

    Every text in it has passed the client's redaction, so neither `str()` nor `repr()` can
    contain the API key, even if a proxy echoed the request headers back in its body.
    """

    status: int
    """The HTTP status, or 0 when no response arrived."""
    code: str | None
    """The API's error code (`message_not_found`, ...); `unauthorized` also for API Gateway's own
    401 and 403; `no_response` or `invalid_response` for failures on this side; `None` when the
    response carried no code (a proxy's error page)."""
    message: str | None
    """The human-readable message the service gave, without status or code."""
    request_id: str | None
    """The service's request id, for support."""

    def __init__(self, status: int, code: str | None, message: str | None, request_id: str | None) -> None:
        super().__init__(_describe(status, code, message, request_id))
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
                f"message={self.message!r}, request_id={self.request_id!r})")


class ConflictError(ChatHistoryError):
    """`412 precondition_failed`: the message or settings changed since the version passed.
    Never retried automatically: only the caller knows whether its change still applies."""

    current_version: int | None
    """The version the item is at now, from the error body or the `ETag`; `None` if neither said."""

    def __init__(self, code: str | None, message: str | None, request_id: str | None,
                 current_version: int | None) -> None:
        super().__init__(412, code, message, request_id)
        self.current_version = current_version

    def __repr__(self) -> str:
        return (f"ConflictError(code={self.code!r}, message={self.message!r}, "
                f"request_id={self.request_id!r}, current_version={self.current_version!r})")


def _describe(status: int, code: str | None, message: str | None, request_id: str | None) -> str:
    text = "no response" if status == 0 else f"HTTP {status}"
    if code:
        text += f" {code}"
    if message:
        text += f": {message}"
    if request_id:
        text += f" (requestId {request_id})"
    return text
