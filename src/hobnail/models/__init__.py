"""All ORM models, one module per domain. Importing this package registers every table."""

from hobnail.models.accounts import (
    ApiToken,
    Department,
    DepartmentMember,
    Invitation,
    JoinRequest,
    LoginThrottle,
    Membership,
    Organization,
    User,
    WebSession,
)
from hobnail.models.events import EventRecord, EventStreamState, EventTopic
from hobnail.models.idempotency import IdempotentResponse
from hobnail.models.jobs import Job

__all__ = [
    "ApiToken",
    "Department",
    "DepartmentMember",
    "EventRecord",
    "EventStreamState",
    "EventTopic",
    "IdempotentResponse",
    "Invitation",
    "Job",
    "JoinRequest",
    "LoginThrottle",
    "Membership",
    "Organization",
    "User",
    "WebSession",
]
