"""A client of the chat-history API, and (in `chat_history.langchain`) a LangChain chat message
history backed by it."""

from .client import UNSET, AsyncPages, ChatHistoryClient
from .errors import INVALID_RESPONSE, NO_RESPONSE, ChatHistoryError, ConflictError
from .models import Appended, Job, JobType, JsonObject, Message, MessageVersion, Page, ReadConsistency, Settings
from .retry import DEFAULT_RETRY_POLICY, NO_RETRIES, RetryPolicy

__all__ = [
    "DEFAULT_RETRY_POLICY",
    "INVALID_RESPONSE",
    "NO_RESPONSE",
    "NO_RETRIES",
    "UNSET",
    "Appended",
    "AsyncPages",
    "ChatHistoryClient",
    "ChatHistoryError",
    "ConflictError",
    "Job",
    "JobType",
    "JsonObject",
    "Message",
    "MessageVersion",
    "Page",
    "ReadConsistency",
    "RetryPolicy",
    "Settings",
]
