"""An async client of the chat-history API (v1): one method per route, typed results, and the
retries a bot would otherwise write itself. Same behaviour as `clients/java`."""

from __future__ import annotations

import asyncio
import json
import random
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from .errors import INVALID_RESPONSE, NO_RESPONSE, ChatHistoryError, ConflictError
from .models import (
    Appended,
    Job,
    JobType,
    JsonObject,
    Message,
    MessageVersion,
    Page,
    ReadConsistency,
    Settings,
)
from .retry import DEFAULT_RETRY_POLICY, Retryability, RetryPolicy, retry_after_seconds

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]


class _Unset:
    """Marks an argument left out, where `None` means something (metadata set to null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


class AsyncPages(Generic[T]):
    """Every item of a listing, page by page. Lazy: nothing is fetched until iteration starts,
    and each page only when the one before is used up, until a page comes without a cursor. A
    short or even empty page with a cursor is not the end. Each `async for` starts again from
    the first page."""

    def __init__(self, fetch_page: Callable[[str | None], Awaitable[Page[T]]]) -> None:
        self._fetch_page = fetch_page

    def __aiter__(self) -> AsyncIterator[T]:
        return self._walk()

    async def _walk(self) -> AsyncIterator[T]:
        cursor: str | None = None
        while True:
            page = await self._fetch_page(cursor)
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def to_list(self) -> list[T]:
        return [item async for item in self]


class ChatHistoryClient:
    """A client of the chat-history API for bots.

    ```python
    async with ChatHistoryClient("http://localhost:3000", api_key) as client:
        hello = (await client.append("chat-1", user_id="alice", is_bot=False, text="Hi")).message
        async for message in client.history("chat-1"):   # newest first, page by page
            ...
    ```

    Retries: requests that cannot apply twice (reads, appends with their key, `If-Match`
    edits and deletes, settings) are retried on 429, 502, 503, 504 and lost connections; job
    submission only on 429 and 503, which the service answers before doing anything, and when
    the connection could not be opened. 500 and other 4xx are never retried. One consequence:
    a retried edit whose first attempt did apply gets a conflict; read the message again
    before treating it as someone else's edit.

    Errors: every failure is a `ChatHistoryError` (a 412 a `ConflictError`); neither, nor
    `repr(client)`, ever contains the API key.

    One client per API key, used from one event loop; `copy()` gives one for another loop.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
        jitter: Callable[[], float] | None = None,
        idempotency_keys: Callable[[], str] | None = None,
    ) -> None:
        """
        :param base_url: where the API is, e.g. `http://localhost:3000`
        :param api_key: the bot's key (`chk_...`), sent as `Authorization: Bearer <key>`
        :param timeout: seconds one attempt may wait for its response; a timeout counts as no response
        :param transport: an httpx transport (a proxy, `httpx.MockTransport` in tests)
        :param sleep: how to wait between retries; for tests
        :param jitter: where backoff jitter comes from, a float in [0, 1); for tests
        :param idempotency_keys: where automatic idempotency keys come from (default: random UUIDs)
        """
        if not base_url:
            raise ValueError("base_url must not be empty")
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._retry_policy = retry_policy
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._transport = transport
        self._sleep: Sleep = sleep if sleep is not None else asyncio.sleep
        self._jitter = jitter if jitter is not None else random.random
        self._idempotency_keys = idempotency_keys if idempotency_keys is not None else _random_key
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"Accept": "application/json"},
        )

    def copy(self) -> ChatHistoryClient:
        """A client with the same settings and its own connections, for use on another event
        loop (an httpx client's connections belong to the loop that opened them). A transport
        passed in is shared."""
        return ChatHistoryClient(
            self._base_url, self._api_key, retry_policy=self._retry_policy, timeout=self._timeout,
            connect_timeout=self._connect_timeout, transport=self._transport, sleep=self._sleep,
            jitter=self._jitter, idempotency_keys=self._idempotency_keys)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ChatHistoryClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        """Names the service, never the key."""
        return f"ChatHistoryClient({self._base_url!r})"

    # ------------------------------------------------------------------ messages

    async def append(
        self,
        chat_id: str,
        *,
        user_id: str,
        is_bot: bool,
        text: str,
        metadata: JsonObject | None = None,
        idempotency_key: str | None = None,
    ) -> Appended:
        """Appends a message under `idempotency_key`, or a new random one; every retry of this
        call repeats the key, so a retried append is stored once. Use your own key (1-128 of
        `[A-Za-z0-9._:-]`) to make a retry across restarts safe: the same key and body return
        the stored message with `replayed` set; another body is `422 idempotency_key_reused`."""
        key = idempotency_key if idempotency_key is not None else self._idempotency_keys()
        body: JsonObject = {"userId": user_id, "isBot": is_bot, "text": text}
        if metadata is not None:
            body["metadata"] = metadata
        response = await self._send("POST", _messages(chat_id), Retryability.IDEMPOTENT, json_body=body,
                                    headers={"Idempotency-Key": key})
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return Appended(self._message(response), replayed, key)

    async def list_messages(
        self,
        chat_id: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        include_deleted: bool = False,
        consistency: ReadConsistency = "strong",
    ) -> Page[Message]:
        """One page of a chat, newest first; `limit` 1..100 (`None`: the service's default)."""
        params: dict[str, str] = {}
        if limit is not None:
            params["limit"] = str(limit)
        if cursor is not None:
            params["cursor"] = cursor
        if include_deleted:
            params["includeDeleted"] = "true"
        if consistency != "strong":
            # The default is strong: leave it off the wire so older servers keep working.
            params["consistency"] = consistency
        response = await self._send("GET", _messages(chat_id), Retryability.IDEMPOTENT, params=params)
        return self._page(response, Message.from_json)

    def history(
        self,
        chat_id: str,
        *,
        page_size: int | None = None,
        include_deleted: bool = False,
        consistency: ReadConsistency = "strong",
    ) -> AsyncPages[Message]:
        """Every message of a chat, newest first, fetched lazily page by page."""
        _require_id("chat_id", chat_id)

        async def fetch(cursor: str | None) -> Page[Message]:
            return await self.list_messages(chat_id, limit=page_size, cursor=cursor,
                                            include_deleted=include_deleted, consistency=consistency)

        return AsyncPages(fetch)

    async def get_message(self, chat_id: str, message_id: str, *, include_deleted: bool = False) -> Message:
        """The current version of a message; `404 message_not_found` if it is deleted, unless
        `include_deleted`."""
        params = {"includeDeleted": "true"} if include_deleted else {}
        response = await self._send("GET", _message(chat_id, message_id), Retryability.IDEMPOTENT, params=params)
        return self._message(response)

    async def edit(
        self,
        chat_id: str,
        message_id: str,
        expected_version: int,
        *,
        text: str | None = None,
        metadata: JsonObject | None | _Unset = UNSET,
    ) -> Message:
        """Edits a message that is still at `expected_version` (sent as `If-Match`) and returns
        the new version. `text` replaces the text; `metadata` (also `None`) replaces the
        metadata; what is left out stays. Raises `ConflictError` if it has changed since."""
        body: JsonObject = {}
        if text is not None:
            body["text"] = text
        if not isinstance(metadata, _Unset):
            body["metadata"] = metadata
        if not body:
            raise ValueError("an edit needs text, metadata or both")
        response = await self._send("PATCH", _message(chat_id, message_id), Retryability.IDEMPOTENT,
                                    json_body=body, headers={"If-Match": _etag(expected_version)})
        return self._message(response)

    async def delete(self, chat_id: str, message_id: str, expected_version: int) -> Message:
        """Soft-deletes a message that is still at `expected_version` and returns the new
        version, marked deleted. Raises `ConflictError` if it has changed since."""
        response = await self._send("DELETE", _message(chat_id, message_id), Retryability.IDEMPOTENT,
                                    headers={"If-Match": _etag(expected_version)})
        return self._message(response)

    async def list_versions(
        self, chat_id: str, message_id: str, *, limit: int | None = None, cursor: str | None = None,
    ) -> Page[MessageVersion]:
        """One page of a message's versions, newest first."""
        params: dict[str, str] = {}
        if limit is not None:
            params["limit"] = str(limit)
        if cursor is not None:
            params["cursor"] = cursor
        response = await self._send("GET", _message(chat_id, message_id) + "/versions", Retryability.IDEMPOTENT,
                                    params=params)
        return self._page(response, MessageVersion.from_json)

    def versions(self, chat_id: str, message_id: str, *, page_size: int | None = None) -> AsyncPages[MessageVersion]:
        """Every version of a message, newest first; lazy like `history`."""
        _require_id("chat_id", chat_id)
        _require_id("message_id", message_id)

        async def fetch(cursor: str | None) -> Page[MessageVersion]:
            return await self.list_versions(chat_id, message_id, limit=page_size, cursor=cursor)

        return AsyncPages(fetch)

    # ------------------------------------------------------------------ settings

    async def get_settings(self, user_id: str) -> Settings:
        """A user's settings; `{}` at version 0 if they were never written."""
        return self._settings(await self._send("GET", _settings(user_id), Retryability.IDEMPOTENT))

    async def put_settings(self, user_id: str, value: JsonObject, expected_version: int) -> Settings:
        """Replaces a user's settings if they are still at `expected_version` (0: never
        written) and returns them with their new version. Raises `ConflictError` otherwise."""
        return await self._put_settings(user_id, value, _etag(expected_version))

    async def overwrite_settings(self, user_id: str, value: JsonObject) -> Settings:
        """Replaces a user's settings whatever their version (`If-Match: *`)."""
        return await self._put_settings(user_id, value, "*")

    async def _put_settings(self, user_id: str, value: JsonObject, if_match: str) -> Settings:
        response = await self._send("PUT", _settings(user_id), Retryability.IDEMPOTENT, json_body=value,
                                    headers={"If-Match": if_match})
        return self._settings(response)

    # ------------------------------------------------------------------ jobs

    async def submit_job(self, user_id: str, job_type: JobType, *, chat_id: str | None = None) -> Job:
        """Starts a background job for a user (202) and returns it, usually `queued`; poll
        `get_job` until `is_finished`. `chat_id` limits an archive job to one chat."""
        body: JsonObject = {"type": job_type}
        if chat_id is not None:
            body["chatId"] = chat_id
        response = await self._send("POST", f"/v1/users/{_segment('user_id', user_id)}/jobs",
                                    Retryability.NOT_IDEMPOTENT, json_body=body)
        return self._read(response, Job.from_json)

    async def get_job(self, job_id: str) -> Job:
        response = await self._send("GET", f"/v1/jobs/{_segment('job_id', job_id)}", Retryability.IDEMPOTENT)
        return self._read(response, Job.from_json)

    # ------------------------------------------------------------------ plumbing

    async def _send(
        self,
        method: str,
        path: str,
        retryability: Retryability,
        *,
        params: Mapping[str, str] | None = None,
        json_body: JsonObject | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The first 2xx response. The same request goes out on every attempt, so its headers
        (the idempotency key above all) and body are identical each time."""
        all_headers = {"Authorization": f"Bearer {self._api_key}", **(headers or {})}
        content: bytes | None = None
        if json_body is not None:
            # The service refuses bodies not declared application/json (415).
            all_headers["Content-Type"] = "application/json"
            content = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        request = self._http.build_request(method, self._base_url + path, params=params or None,
                                           headers=all_headers, content=content)
        attempt = 0
        while True:
            attempt += 1
            last_attempt = attempt >= self._retry_policy.max_attempts
            try:
                response = await self._http.send(request)
            except httpx.TransportError as failure:
                if last_attempt or not retryability.retries_after(failure):
                    raise self._no_response(failure) from failure
                await self._sleep(self._jittered_backoff(attempt))
                continue
            except httpx.HTTPError as failure:
                raise self._no_response(failure) from failure
            if 200 <= response.status_code < 300:
                return response
            if last_attempt or not retryability.retries(response.status_code):
                raise self._error(response)
            await self._sleep(self._delay_after(response, attempt))

    def _delay_after(self, response: httpx.Response, attempt: int) -> float:
        """What the service asked for in `Retry-After` (capped), else the usual backoff."""
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None:
            return float(min(asked, self._retry_policy.max_retry_after))
        return self._jittered_backoff(attempt)

    def _jittered_backoff(self, attempt: int) -> float:
        """Full jitter: clients that failed together do not all come back at the same instant."""
        return self._jitter() * self._retry_policy.backoff_ceiling(attempt)

    def _message(self, response: httpx.Response) -> Message:
        """The message in the body, checked against the `ETag`: both say the version, and a
        caller sends it back in `If-Match`, so a disagreement must not pass silently."""
        message = self._read(response, Message.from_json)
        etag = _parse_etag(response.headers.get("ETag"))
        if etag is not None and etag != message.version:
            raise self._invalid(response, f"ETag {etag} disagrees with version {message.version}")
        return message

    def _settings(self, response: httpx.Response) -> Settings:
        """Settings are the whole body; their version is only in the `ETag`."""
        value = self._read(response, lambda data: data)
        version = _parse_etag(response.headers.get("ETag"))
        if version is None:
            raise self._invalid(response, "settings without a version ETag")
        return Settings(value, version)

    def _page(self, response: httpx.Response, item: Callable[[JsonObject], T]) -> Page[T]:
        def parse(data: JsonObject) -> Page[T]:
            items = data.get("items")
            cursor = data.get("nextCursor")
            if not isinstance(items, list) or not (cursor is None or isinstance(cursor, str)):
                raise ValueError("not a page")
            return Page(tuple(item(entry) for entry in items), cursor)

        return self._read(response, parse)

    def _read(self, response: httpx.Response, parse: Callable[[JsonObject], T]) -> T:
        try:
            data = json.loads(response.content)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return parse(data)
        except (ValueError, TypeError, AttributeError) as e:
            raise self._invalid(response, f"unreadable response body: {type(e).__name__}") from e

    def _redact(self, text: str | None) -> str | None:
        if text is None:
            return None
        return text.replace(self._api_key, "[redacted]")

    def _no_response(self, failure: httpx.HTTPError) -> ChatHistoryError:
        detail = str(failure)
        text = type(failure).__name__ + (f": {detail}" if detail else "")
        return ChatHistoryError(0, NO_RESPONSE, self._redact(text), None)

    def _invalid(self, response: httpx.Response, problem: str) -> ChatHistoryError:
        return ChatHistoryError(response.status_code, INVALID_RESPONSE, self._redact(problem),
                                self._redact(response.headers.get("apigw-requestid")))

    def _error(self, response: httpx.Response) -> ChatHistoryError:
        status = response.status_code
        text = response.content.decode("utf-8", errors="replace")
        try:
            body: Any = json.loads(text)
        except ValueError:
            body = None
        code: str | None = None
        message: str | None = None
        request_id: str | None = None
        current_version: int | None = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            # The service's own format: {"error": {"code", "message", "requestId", ...details}}.
            error = body["error"]
            code = _str_or_none(error.get("code"))
            message = _str_or_none(error.get("message"))
            request_id = _str_or_none(error.get("requestId"))
            version = error.get("currentVersion")
            if isinstance(version, int) and not isinstance(version, bool):
                current_version = version
        elif isinstance(body, dict) and isinstance(body.get("message"), str):
            # API Gateway's own answers: {"message": "Unauthorized"} without a key and
            # {"message": "Forbidden"} when the authorizer denied it. Either way the key is wrong.
            message = body["message"]
            code = "unauthorized" if status in (401, 403) else None
        else:
            # Not JSON: storage refusing something (XML), or a proxy's error page.
            code = _first_group(_XML_CODE, text)
            message = _first_group(_XML_MESSAGE, text) or _abbreviate(text.strip())
        if request_id is None:
            request_id = response.headers.get("apigw-requestid") or response.headers.get("x-amz-request-id")
        if status == 412:
            if current_version is None:
                current_version = _parse_etag(response.headers.get("ETag"))
            return ConflictError(self._redact(code), self._redact(message), self._redact(request_id),
                                 current_version)
        return ChatHistoryError(status, self._redact(code), self._redact(message), self._redact(request_id))


_XML_CODE = re.compile(r"<Code>([^<]{1,100})</Code>")
_XML_MESSAGE = re.compile(r"<Message>([^<]{1,300})</Message>")
_MAX_QUOTED_BODY = 200
_ETAG = re.compile(r'(?:W/)?"?(\d{1,18})"?')


def _random_key() -> str:
    return str(uuid.uuid4())


def _parse_etag(value: str | None) -> int | None:
    """`"3"`, `W/"3"` or `3` as 3; anything else (such as `*`) as `None`."""
    if value is None:
        return None
    match = _ETAG.fullmatch(value.strip())
    return int(match.group(1)) if match else None


def _etag(version: int) -> str:
    return f'"{version}"'


def _segment(name: str, value: str) -> str:
    """An id as one path segment. Ids are plain today, but an unexpected character must not turn
    into another path: `/` becomes `%2F`, and a segment of only dots cannot mean "parent"."""
    _require_id(name, value)
    encoded = quote(value, safe="")
    if set(encoded) == {"."}:
        encoded = encoded.replace(".", "%2E")
    return encoded


def _messages(chat_id: str) -> str:
    return f"/v1/chats/{_segment('chat_id', chat_id)}/messages"


def _message(chat_id: str, message_id: str) -> str:
    return f"{_messages(chat_id)}/{_segment('message_id', message_id)}"


def _settings(user_id: str) -> str:
    return f"/v1/users/{_segment('user_id', user_id)}/settings"


def _require_id(name: str, value: str) -> None:
    if not value:
        raise ValueError(f"{name} must not be empty")


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _first_group(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _abbreviate(text: str) -> str | None:
    if not text:
        return None
    return text if len(text) <= _MAX_QUOTED_BODY else text[:_MAX_QUOTED_BODY] + "..."
