"""The client and the LangChain history against a running service (CHAT_HISTORY_URL,
CHAT_HISTORY_KEY): every client method once for real, every langchain-core message type
through the history and back, a lost response and a racing writer. `PythonClientIT` runs these
against the real template on the local stack."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    message_to_dict,
)

from chat_history import ChatHistoryClient, ChatHistoryError, ConflictError, Job, Message
from chat_history.langchain import ChatHistoryMessageHistory

pytestmark = pytest.mark.integration


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def client(service: tuple[str, str]) -> AsyncIterator[ChatHistoryClient]:
    async with ChatHistoryClient(*service) as client:
        yield client


def every_kind() -> list[BaseMessage]:
    return [
        SystemMessage(content="You are a weather bot."),
        HumanMessage(content="Weather in Oslo?"),
        AIMessage(content="", tool_calls=[{"name": "weather", "args": {"city": "Oslo"}, "id": "call-1",
                                           "type": "tool_call"}]),
        ToolMessage(content="-3 C, snow", tool_call_id="call-1", name="weather"),
        FunctionMessage(content="{\"ok\": true}", name="legacy_fn"),
        AIMessage(content="Cold: -3 C and snow.", id="lc_run-1", response_metadata={"model_name": "fake"}),
        ChatMessage(role="critic", content="Could be friendlier."),
        HumanMessage(content=[{"type": "text", "text": "danke schön ✓"}]),
        AIMessage(content="Gern geschehen."),
    ]


def dicts(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    return [message_to_dict(m) for m in messages]


# ---------------------------------------------------------------------- the client


async def test_appendWithAKey_shouldBeReplayed_andStoredOnce(client: ChatHistoryClient) -> None:
    chat = new_id("chat")
    first = await client.append(chat, user_id="alice", is_bot=False, text="hello once",
                                metadata={"platformUpdateId": 4711}, idempotency_key="update-4711")
    again = await client.append(chat, user_id="alice", is_bot=False, text="hello once",
                                metadata={"platformUpdateId": 4711}, idempotency_key="update-4711")
    with pytest.raises(ChatHistoryError) as reused:
        await client.append(chat, user_id="alice", is_bot=False, text="another body",
                            idempotency_key="update-4711")
    generated = await client.append(chat, user_id="alice", is_bot=False, text="a second one")

    assert (first.replayed, again.replayed, generated.replayed) == (False, True, False)
    assert again.message.message_id == first.message.message_id
    assert first.message.metadata == {"platformUpdateId": 4711}
    assert (reused.value.status, reused.value.code) == (422, "idempotency_key_reused")
    assert [m.message_id async for m in client.history(chat)] == [generated.message.message_id,
                                                                   first.message.message_id]


async def test_history_shouldPageThroughTheWholeChat_newestFirst(client: ChatHistoryClient) -> None:
    chat = new_id("chat")
    ids = [(await client.append(chat, user_id="alice", is_bot=i % 2 == 0, text=f"message {i}")).message.message_id
           for i in range(7)]
    gone = await client.get_message(chat, ids[3])
    await client.delete(chat, gone.message_id, gone.version)

    first_page = await client.list_messages(chat, limit=3)
    visible = [m.message_id async for m in client.history(chat, page_size=3)]
    everything = [m.message_id async for m in client.history(chat, page_size=2, include_deleted=True)]
    eventual = await client.list_messages(chat, limit=100, consistency="eventual")

    assert len(first_page.items) == 3 and first_page.next_cursor is not None
    assert everything == ids[::-1]
    assert visible == [i for i in ids[::-1] if i != gone.message_id]
    assert {m.message_id for m in eventual.items} <= set(ids)


async def test_aMessage_shouldBeReadEditedConflictedDeletedAndItsVersionsListed(client: ChatHistoryClient) -> None:
    chat = new_id("chat")
    message_id = (await client.append(chat, user_id="bot-1", is_bot=True, text="first")).message.message_id

    read = await client.get_message(chat, message_id)
    edited = await client.edit(chat, message_id, read.version, text="second")
    with pytest.raises(ConflictError) as stale:
        await client.edit(chat, message_id, read.version, text="lost update")
    assert stale.value.current_version is not None
    with_metadata = await client.edit(chat, message_id, stale.value.current_version, metadata={"reviewed": True})
    deleted = await client.delete(chat, message_id, with_metadata.version)
    with pytest.raises(ChatHistoryError) as not_found:
        await client.get_message(chat, message_id)
    still_readable = await client.get_message(chat, message_id, include_deleted=True)
    versions = await client.versions(chat, message_id, page_size=2).to_list()

    assert (read.version, read.is_bot, edited.version, edited.parent_version) == (1, True, 2, 1)
    assert edited.edited_at is not None
    assert (stale.value.status, stale.value.code, stale.value.current_version) == (412, "precondition_failed", 2)
    assert with_metadata.text == "second" and with_metadata.metadata == {"reviewed": True}
    assert deleted.deleted and deleted.version == 4
    assert (not_found.value.status, not_found.value.code) == (404, "message_not_found")
    assert not_found.value.request_id
    assert still_readable.deleted
    assert [(v.version, v.text) for v in versions] == [(4, "second"), (3, "second"), (2, "second"), (1, "first")]


async def test_settings_shouldBeCreatedReadReplacedAndGuarded(client: ChatHistoryClient) -> None:
    user = new_id("user")
    never = await client.get_settings(user)
    created = await client.put_settings(user, {"language": "de"}, 0)
    with pytest.raises(ConflictError) as created_twice:
        await client.put_settings(user, {"language": "fr"}, 0)
    reread = await client.get_settings(user)
    overwritten = await client.overwrite_settings(user, {"language": "fr"})

    assert (never.value, never.version) == ({}, 0)
    assert created.version == 1 and created_twice.value.current_version == 1
    assert reread == created
    assert (overwritten.value, overwritten.version) == ({"language": "fr"}, 2)


async def test_aRecountJob_shouldBeSubmitted_andPolledUntilItSucceeds(client: ChatHistoryClient) -> None:
    user, chat = new_id("counted"), new_id("chat")
    for i in range(3):
        await client.append(chat, user_id=user, is_bot=False, text=f"count me {i}")

    submitted = await client.submit_job(user, "recount")
    done = await poll(lambda: client.get_job(submitted.job_id), lambda job: job.is_finished)

    assert (submitted.type, submitted.user_id) == ("recount", user)
    assert done.status == "succeeded", done.error
    assert done.counts.get("messageCount") == 3


async def test_aWrongKey_shouldBeTheGateways403_withoutTheKeyInTheError(service: tuple[str, str]) -> None:
    wrong = "chk_" + "Q" * 43
    async with ChatHistoryClient(service[0], wrong) as stranger:
        with pytest.raises(ChatHistoryError) as denied:
            await stranger.get_settings("alice")

    assert (denied.value.status, denied.value.code) == (403, "unauthorized")
    assert wrong not in str(denied.value) and wrong not in repr(denied.value)


# ---------------------------------------------------------------------- the LangChain history


async def test_everyMessageType_shouldRoundTrip_byTheSharedConvention(client: ChatHistoryClient) -> None:
    session = new_id("conv")
    history = ChatHistoryMessageHistory(session_id=session, client=client, user_id="alice", bot_id="weather-bot")

    await history.aadd_messages(every_kind()[:4])
    await history.aadd_messages(every_kind()[4:])

    assert dicts(await history.aget_messages()) == dicts(every_kind())
    stored = (await client.history(session).to_list())[::-1]
    assert [(m.user_id, m.is_bot) for m in stored] == [
        ("weather-bot", True), ("alice", False), *[("weather-bot", True)] * 5, ("alice", False),
        ("weather-bot", True)]
    memories = [memory_of(m) for m in stored]
    assert [(x["pos"], x["role"], x["format"]) for x in memories] == [
        (0, "system", "text"), (1, "user", "text"), (2, "assistant", "json"), (3, "tool", "json"),
        (4, "tool", "json"), (5, "assistant", "json"), (6, "other", "json"), (7, "user", "json"),
        (8, "assistant", "text")]
    assert all(x["v"] == 1 and x["kind"] == "langchain" for x in memories)
    assert stored[1].text == "Weather in Oslo?"
    assert json.loads(stored[2].text) == message_to_dict(every_kind()[2])


def test_theSyncMethods_shouldRoundTripToo(service: tuple[str, str]) -> None:
    history = ChatHistoryMessageHistory(session_id=new_id("conv"), base_url=service[0], api_key=service[1])
    try:
        history.add_messages(every_kind())
        history.add_user_message("one more")
        assert dicts(history.messages) == dicts([*every_kind(), HumanMessage(content="one more")])
    finally:
        asyncio.run(history.aclose())


async def test_aLostResponse_shouldBeRetriedWithTheSameKey_andStoredOnce(service: tuple[str, str]) -> None:
    session = new_id("conv")
    lossy = LoseFirstAppendResponse()
    async with ChatHistoryClient(*service, transport=lossy) as client:
        history = ChatHistoryMessageHistory(session_id=session, client=client)

        await history.aadd_messages([HumanMessage(content="stored once"), AIMessage(content="and me")])

        stored = (await client.history(session).to_list())[::-1]
    assert lossy.lost == 1
    assert [(m.text, memory_of(m)["pos"]) for m in stored] == [("stored once", 0), ("and me", 1)]


async def test_aPositionTakenMeanwhile_shouldBeLookedUpAgain(service: tuple[str, str], client: ChatHistoryClient) -> None:
    session = new_id("conv")

    async def other_writer() -> None:
        # Another process's history, appending at the position ours has just computed.
        other = ChatHistoryMessageHistory(session_id=session, client=client)
        await other.aadd_messages([HumanMessage(content="the other writer's")])

    async with ChatHistoryClient(*service, transport=BeforeFirstAppend(other_writer)) as racing:
        history = ChatHistoryMessageHistory(session_id=session, client=racing)
        await history.aadd_messages([HumanMessage(content="mine"), AIMessage(content="reply")])
        remembered = await history.aget_messages()

    assert [m.content for m in remembered] == ["the other writer's", "mine", "reply"]


async def test_clear_shouldSoftDeleteTheMemory_andTheNextAddContinuesAfterIt(client: ChatHistoryClient) -> None:
    session = new_id("conv")
    history = ChatHistoryMessageHistory(session_id=session, client=client)
    await history.aadd_messages([HumanMessage(content="forget me"), AIMessage(content="forgotten")])
    foreign = await client.append(session, user_id="ops", is_bot=True, text="not part of the memory")

    await history.aclear()
    assert await history.aget_messages() == []
    await history.aadd_messages([HumanMessage(content="a new start")])

    everything = (await client.history(session, include_deleted=True).to_list())[::-1]
    assert [(m.text, m.deleted) for m in everything] == [
        ("forget me", True), ("forgotten", True), ("not part of the memory", False), ("a new start", False)]
    assert memory_of(everything[3])["pos"] == 2
    assert [m.content for m in await history.aget_messages()] == ["a new start"]
    assert (await client.get_message(session, foreign.message.message_id)).text == "not part of the memory"


# ---------------------------------------------------------------------- helpers


def memory_of(message: Message) -> dict[str, Any]:
    assert message.metadata is not None
    memory = message.metadata["memory"]
    assert isinstance(memory, dict)
    return memory


async def poll(read: Callable[[], Awaitable[Job]], done: Callable[[Job], bool]) -> Job:
    """As a bot would: every 200 ms until done, at most 60 s."""
    for _ in range(300):
        value = await read()
        if done(value):
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"not done after 60 s: {value}")


def is_append(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path.endswith("/messages")


class LoseFirstAppendResponse(httpx.AsyncBaseTransport):
    """Delivers the first append, then drops its response, as a reset connection would."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if is_append(request) and self.lost == 0:
            await response.aread()
            await response.aclose()
            self.lost += 1
            raise httpx.ReadError("connection reset after the request was sent", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class BeforeFirstAppend(httpx.AsyncBaseTransport):
    """Lets another writer go first, just before the first append is sent."""

    def __init__(self, other: Callable[[], Awaitable[None]]) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._other: Callable[[], Awaitable[None]] | None = other

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if is_append(request) and self._other is not None:
            other, self._other = self._other, None
            await other()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
