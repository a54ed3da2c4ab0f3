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
from hobnail.models.approvals import (
    ApprovalActivity,
    ApprovalFile,
    ApprovalForm,
    ApprovalRequest,
    ApprovalTask,
    LeaveBalance,
)
from hobnail.models.attendance import (
    AttendanceAbsence,
    AttendanceCalendarDay,
    AttendanceDay,
    AttendanceGroup,
    AttendancePunch,
    AttendanceReminder,
    AttendanceRoster,
    AttendanceRules,
)
from hobnail.models.ding import Ding, DingAttempt, DingRecipient, DingReply
from hobnail.models.events import EventRecord, EventStreamState, EventTopic
from hobnail.models.files import InstanceSecret, StoredFile
from hobnail.models.idempotency import IdempotentResponse
from hobnail.models.integrations import App, AppDelivery, AppToken, GroupRobot, SessionWebhook, StreamTicket
from hobnail.models.jobs import Job
from hobnail.models.messaging import Conversation, ConversationMember, Message, MessageMention
from hobnail.models.reports import (
    ReportComment,
    ReportFile,
    ReportLike,
    ReportRecipient,
    ReportReminder,
    ReportTemplate,
    WorkReport,
)

__all__ = [
    "ApiToken",
    "App",
    "AppDelivery",
    "AppToken",
    "ApprovalActivity",
    "ApprovalFile",
    "ApprovalForm",
    "ApprovalRequest",
    "ApprovalTask",
    "AttendanceAbsence",
    "AttendanceCalendarDay",
    "AttendanceDay",
    "AttendanceGroup",
    "AttendancePunch",
    "AttendanceReminder",
    "AttendanceRoster",
    "AttendanceRules",
    "Conversation",
    "ConversationMember",
    "Department",
    "DepartmentMember",
    "Ding",
    "DingAttempt",
    "DingRecipient",
    "DingReply",
    "EventRecord",
    "EventStreamState",
    "EventTopic",
    "GroupRobot",
    "IdempotentResponse",
    "InstanceSecret",
    "Invitation",
    "Job",
    "JoinRequest",
    "LeaveBalance",
    "LoginThrottle",
    "Membership",
    "Message",
    "MessageMention",
    "Organization",
    "ReportComment",
    "ReportFile",
    "ReportLike",
    "ReportRecipient",
    "ReportReminder",
    "ReportTemplate",
    "SessionWebhook",
    "StoredFile",
    "StreamTicket",
    "User",
    "WebSession",
    "WorkReport",
]
