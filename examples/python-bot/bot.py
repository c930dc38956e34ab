"""A small LangChain bot whose memory lives in the chat-history service.

Each turn goes through `RunnableWithMessageHistory`: it reads the conversation from the service
(`ChatHistoryMessageHistory`), hands it to the model with the new line, and appends the line and
the answer. The model is scripted (`GenericFakeChatModel`, no network): it answers with the line
of SCRIPT for the turn the conversation is at, so a bot started again carries on where the last
run stopped, because it counts the turns it remembers.

    CHAT_HISTORY_URL=http://localhost:3000 CHAT_HISTORY_KEY=chk_... \\
        python bot.py --chat-id demo-bot "Hi, I am Alice." "What do you remember?"

Without lines on the command line it reads them from standard input, one per turn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterable, Sequence

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import HumanMessage
from langchain_core.prompt_values import PromptValue
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables import RunnableLambda
from langchain_core.runnables.history import RunnableWithMessageHistory

from chat_history.langchain import ChatHistoryMessageHistory

SCRIPT = [
    "Hello! I keep our conversation in the chat-history service.",
    "Noted, I will remember that.",
    "I remember every turn so far, even after a restart.",
    "Welcome back. We are on turn four of this conversation.",
    "Still here, still remembering.",
]


def scripted_model(prompt: PromptValue) -> GenericFakeChatModel:
    """The model for this turn: the script's line for the turn the prompt is at. The prompt
    holds the remembered conversation, so the turn number comes from the memory."""
    turn = sum(isinstance(m, HumanMessage) for m in prompt.to_messages()) - 1
    return GenericFakeChatModel(messages=iter([SCRIPT[min(turn, len(SCRIPT) - 1)]]))


class Bot:
    """One conversation's memory per chat id, kept in the service."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self._base_url = base_url
        self._api_key = api_key
        self._histories: dict[str, ChatHistoryMessageHistory] = {}
        prompt = ChatPromptTemplate.from_messages([
            ("system", "You are a scripted example bot."),
            MessagesPlaceholder("history"),
            ("human", "{input}"),
        ])
        self.chain = RunnableWithMessageHistory(
            prompt | RunnableLambda(scripted_model),
            self.history,
            input_messages_key="input",
            history_messages_key="history",
        )

    def history(self, session_id: str) -> ChatHistoryMessageHistory:
        if session_id not in self._histories:
            # The drop-in: where DynamoDBChatMessageHistory(table_name=..., session_id=...) was.
            self._histories[session_id] = ChatHistoryMessageHistory(
                session_id=session_id, base_url=self._base_url, api_key=self._api_key)
        return self._histories[session_id]

    async def reply(self, chat_id: str, line: str) -> str:
        answer = await self.chain.ainvoke({"input": line}, config={"configurable": {"session_id": chat_id}})
        return str(answer.content)

    async def aclose(self) -> None:
        for history in self._histories.values():
            await history.aclose()


async def converse(chat_id: str, lines: Iterable[str], base_url: str, api_key: str) -> None:
    bot = Bot(base_url, api_key)
    try:
        remembered = await bot.history(chat_id).aget_messages()
        print(f"[{len(remembered)} messages remembered in {chat_id}]", flush=True)
        for line in lines:
            line = line.strip()
            if line:
                print(f"you: {line}")
                print(f"bot: {await bot.reply(chat_id, line)}", flush=True)
    finally:
        await bot.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A LangChain bot with its memory in the chat-history service.")
    parser.add_argument("--chat-id", default="python-bot-demo", help="the conversation (a chat id)")
    parser.add_argument("lines", nargs="*", help="what the user says, one turn each (default: standard input)")
    args = parser.parse_args(argv)
    api_key = os.environ.get("CHAT_HISTORY_KEY")
    if not api_key:
        print("set CHAT_HISTORY_KEY to the key ./run-local printed", file=sys.stderr)
        return 2
    base_url = os.environ.get("CHAT_HISTORY_URL", "http://localhost:3000")
    asyncio.run(converse(args.chat_id, args.lines or sys.stdin, base_url, api_key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
