"""A LangChain chat message history kept in the chat-history service.

Storage convention, shared with the Java adapters (`clients/java`, `dev.chathistory.client.memory`):
one API message per LangChain message, in the chat named by the session id, with
`metadata = {"memory": {"v": 1, "pos", "role", "format", "kind": "langchain"}}`; see
`clients/python/README.md` for every rule.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

from langchain_core.chat_history import BaseChatMessageHistory
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    message_to_dict,
    messages_from_dict,
)

from .client import ChatHistoryClient
from .errors import ChatHistoryError
from .models import JsonObject, Message

__all__ = ["ChatHistoryMessageHistory"]

T = TypeVar("T")

KIND = "langchain"
_ID = re.compile(r"(?!\.\.?$)[A-Za-z0-9._:-]{1,128}")
_PAGE_SIZE = 100
_KEY_REUSED = "idempotency_key_reused"

# Exact classes only: a subclass or a chunk may carry more than its content, so it goes as JSON.
_PLAIN_TYPES: dict[type[BaseMessage], str] = {HumanMessage: "user", AIMessage: "assistant", SystemMessage: "system"}


class ChatHistoryMessageHistory(BaseChatMessageHistory):
    """The messages of one conversation (`session_id`), kept in the chat of that id.

    ```python
    history = ChatHistoryMessageHistory(session_id="chat-42", base_url=url, api_key=key)
    ```

    Each added message is one append, under the `Idempotency-Key` `memory-<pos>`, so a retried
    append never stores it twice. `clear()` soft-deletes the conversation's messages; they stay
    readable through the API with `includeDeleted`.

    The async methods (`aget_messages`, `aadd_messages`, `aclear`) run on the caller's event
    loop. The sync ones (`messages`, `add_messages`, `clear`) run on a private event loop in a
    thread of their own, with their own connections, so they also work when called from inside
    a running event loop (blocking it meanwhile: prefer the async methods there).
    """

    def __init__(
        self,
        session_id: str,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        client: ChatHistoryClient | None = None,
        user_id: str = "user",
        bot_id: str = "assistant",
    ) -> None:
        """
        :param session_id: the conversation, used as the chat id: 1-128 of `[A-Za-z0-9._:-]`,
            not `.` or `..`
        :param base_url: where the API is; with `api_key`, unless `client` is given
        :param client: a client to use instead (its key decides the tenant)
        :param user_id: the author of human messages
        :param bot_id: the author of every other message
        """
        super().__init__()
        self.session_id = _check_id(session_id, "session_id")
        self.user_id = _check_id(user_id, "user_id")
        self.bot_id = _check_id(bot_id, "bot_id")
        if client is not None:
            if base_url is not None or api_key is not None:
                raise ValueError("pass either client or base_url and api_key, not both")
            self._client = client
            self._owns_client = False
        else:
            if not base_url or not api_key:
                raise ValueError("base_url and api_key are required when no client is given")
            self._client = ChatHistoryClient(base_url, api_key)
            self._owns_client = True
        self._sync_lock = threading.Lock()
        self._sync_loop: asyncio.AbstractEventLoop | None = None
        self._sync_client: ChatHistoryClient | None = None

    def __repr__(self) -> str:
        return f"ChatHistoryMessageHistory(session_id={self.session_id!r}, client={self._client!r})"

    # ------------------------------------------------------------------ async, native

    async def aget_messages(self) -> list[BaseMessage]:
        """Every remembered, non-deleted message of the conversation, oldest first."""
        return await _read(self._client, self.session_id)

    async def aadd_messages(self, messages: Sequence[BaseMessage]) -> None:
        """Appends each message, in order, at the next positions of the conversation."""
        await _append(self._client, self.session_id, list(messages), self.user_id, self.bot_id)

    async def aclear(self) -> None:
        """Soft-deletes every remembered message of the conversation."""
        await _clear(self._client, self.session_id)

    async def aclose(self) -> None:
        """Closes what this history opened (a client it made itself, the private loop)."""
        if self._owns_client:
            await self._client.aclose()
        await asyncio.get_running_loop().run_in_executor(None, self._close_sync)

    # ------------------------------------------------------------------ sync, on a private loop

    @property
    def messages(self) -> list[BaseMessage]:
        return self._run(lambda client: _read(client, self.session_id))

    @messages.setter
    def messages(self, messages: list[BaseMessage]) -> None:
        # The base class declares `messages` an attribute; replacing the stored conversation
        # wholesale is not something an append log does.
        raise NotImplementedError("messages cannot be assigned: use add_messages, or clear first")

    def add_messages(self, messages: Sequence[BaseMessage]) -> None:
        batch = list(messages)
        self._run(lambda client: _append(client, self.session_id, batch, self.user_id, self.bot_id))

    def clear(self) -> None:
        self._run(lambda client: _clear(client, self.session_id))

    def close(self) -> None:
        """Stops the private loop of the sync methods and closes its connections; `aclose`
        closes everything."""
        self._close_sync()

    def _run(self, work: Callable[[ChatHistoryClient], Coroutine[Any, Any, T]]) -> T:
        with self._sync_lock:
            if self._sync_loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="chat-history-sync", daemon=True)
                thread.start()
                self._sync_loop = loop
                self._sync_client = self._client.copy()
            loop = self._sync_loop
            client = self._sync_client
        assert client is not None
        future: Future[T] = asyncio.run_coroutine_threadsafe(work(client), loop)
        return future.result()

    def _close_sync(self) -> None:
        with self._sync_lock:
            loop, client = self._sync_loop, self._sync_client
            self._sync_loop = self._sync_client = None
        if loop is None:
            return
        if client is not None:
            asyncio.run_coroutine_threadsafe(client.aclose(), loop).result()
        loop.call_soon_threadsafe(loop.stop)


# ---------------------------------------------------------------------- the convention


def _check_id(value: str, name: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(f"{name} must be 1 to 128 characters of A-Z a-z 0-9 . _ : - (and not . or ..)")
    return value


def _memory(message: Message) -> JsonObject | None:
    """`metadata.memory` if the message is a remembered one (it has an integer `pos`)."""
    memory = (message.metadata or {}).get("memory")
    if not isinstance(memory, dict):
        return None
    pos = memory.get("pos")
    if isinstance(pos, bool) or not isinstance(pos, int):
        return None
    return memory


def _role(message: BaseMessage) -> str:
    if isinstance(message, HumanMessage):
        return "user"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, SystemMessage):
        return "system"
    if isinstance(message, (ToolMessage, FunctionMessage)):
        return "tool"
    return "other"


def _is_plain(message: BaseMessage) -> bool:
    """True when the content string is all there is to the message: no id, name, tool calls,
    kwargs or metadata that plain text would lose."""
    kind = type(message)
    if kind not in _PLAIN_TYPES or not isinstance(message.content, str):
        return False
    return message_to_dict(message) == message_to_dict(kind(content=message.content))


def _encode(message: BaseMessage) -> tuple[str, str]:
    """(format, text) of a message as it is stored."""
    if _is_plain(message):
        assert isinstance(message.content, str)
        return "text", message.content
    return "json", json.dumps(message_to_dict(message), ensure_ascii=False)


def _decode(message: Message, memory: JsonObject) -> BaseMessage:
    role = memory.get("role")
    if memory.get("format") == "json" and memory.get("kind") == KIND:
        try:
            return messages_from_dict([json.loads(message.text)])[0]
        except (ValueError, KeyError, TypeError):
            pass  # edited into something else through the API: keep its text, as below
    # Plain text, or another framework's JSON (a Java adapter's): the text under its role.
    if role == "user":
        return HumanMessage(content=message.text)
    if role == "assistant":
        return AIMessage(content=message.text)
    if role == "system":
        return SystemMessage(content=message.text)
    return ChatMessage(role=role if isinstance(role, str) else "other", content=message.text)


async def _read(client: ChatHistoryClient, chat_id: str) -> list[BaseMessage]:
    remembered: list[tuple[int, BaseMessage]] = []
    async for message in client.history(chat_id, page_size=_PAGE_SIZE):
        memory = _memory(message)
        if memory is not None:
            remembered.append((memory["pos"], _decode(message, memory)))
    # Newest first from the service; a stable sort by position also orders writers that raced.
    remembered.sort(key=lambda entry: entry[0])
    return [entry for _, entry in remembered]


async def _next_pos(client: ChatHistoryClient, chat_id: str) -> int:
    """1 + the highest position in the chat, deleted messages included (a position is never
    reused, so neither is its idempotency key); 0 for a new chat. The newest remembered message
    carries the highest position, so this is usually one page of one message."""
    limit = 1
    cursor: str | None = None
    while True:
        page = await client.list_messages(chat_id, limit=limit, cursor=cursor, include_deleted=True)
        for message in page.items:
            memory = _memory(message)
            if memory is not None:
                return int(memory["pos"]) + 1
        if page.next_cursor is None:
            return 0
        # The newest messages were written by someone else: look further, a page at a time.
        cursor, limit = page.next_cursor, _PAGE_SIZE


async def _append(client: ChatHistoryClient, chat_id: str, messages: list[BaseMessage], user_id: str,
                  bot_id: str) -> None:
    if not messages:
        return
    pos = await _next_pos(client, chat_id)
    looked_again = False
    index = 0
    while index < len(messages):
        message = messages[index]
        form, text = _encode(message)
        role = _role(message)
        metadata: JsonObject = {"memory": {"v": 1, "pos": pos, "role": role, "format": form, "kind": KIND}}
        human = isinstance(message, HumanMessage)
        try:
            await client.append(chat_id, user_id=user_id if human else bot_id, is_bot=not human, text=text,
                                metadata=metadata, idempotency_key=f"memory-{pos}")
        except ChatHistoryError as e:
            if e.code != _KEY_REUSED or looked_again:
                raise
            # Another writer took this position with another message: look again, once.
            looked_again = True
            pos = await _next_pos(client, chat_id)
            continue
        pos += 1
        index += 1


async def _clear(client: ChatHistoryClient, chat_id: str) -> None:
    targets = [m async for m in client.history(chat_id, page_size=_PAGE_SIZE) if _memory(m) is not None]
    for message in targets:
        try:
            await client.delete(chat_id, message.message_id, message.version)
        except ChatHistoryError as e:
            if e.status == 404 or e.code == "message_deleted":
                continue  # someone else deleted it meanwhile
            if e.status != 412:
                raise
            # Edited since it was listed: delete what it is now, unless it was deleted meanwhile.
            current = await client.get_message(chat_id, message.message_id, include_deleted=True)
            if not current.deleted:
                await client.delete(chat_id, message.message_id, current.version)
