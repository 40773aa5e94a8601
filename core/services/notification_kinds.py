"""The notification kinds (docs/notifications.md is the table people read): each kind's stable
dotted name, whether it emails by default, its email template and whether it is quiet.

In-app is always on. A quiet kind's emails are grouped: at most one per (user, group) per
GROUP_WINDOW (core/services/notifications.py claims the window). A kind missing here (added
later by another feature, e.g. "report.decided") still works in-app, and emails when its
caller names a template.
"""

import dataclasses
from datetime import timedelta

GROUP_WINDOW = timedelta(minutes=10)


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    label: str  # for people: the preferences list
    template: str | None  # templates/emails/<template>.{subject.txt,txt,html}
    email_default: bool = True
    quiet: bool = False  # grouped emails (at most one per tournament per GROUP_WINDOW)


def _k(name: str, label: str, template: str | None, **kw: bool) -> tuple[str, Kind]:
    return name, Kind(name, label, template, **kw)


KINDS: dict[str, Kind] = dict(
    [
        _k("registration.confirmed", "Registration confirmed", "registration_confirmed"),
        _k("registration.waitlisted", "Registration waitlisted", "registration_waitlisted"),
        _k("registration.promoted", "Promoted from the waitlist", "waitlist_promoted"),
        _k("registration.rejected", "Registration rejected", "registration_rejected"),
        _k("registration.disqualified", "Team disqualified", "registration_disqualified"),
        _k("payment.receipt", "Payment receipt", "payment_receipt"),
        _k("payment.refund", "Refund issued", "refund_issued"),
        _k("checkin.open", "Check-in open", "checkin_open"),
        _k("checkin.closing", "Check-in closing in 10 minutes", "checkin_closing"),
        _k("match.starting", "Match starting in 15 minutes", "match_starting"),
        _k("match.credentials", "Room credentials released", "room_credentials"),
        _k("match.rescheduled", "Match rescheduled", "match_rescheduled"),
        _k("match.cancelled", "Match cancelled", "match_cancelled"),
        _k("result.final", "Match result final", "result_update", quiet=True),
        _k("result.corrected", "Match result corrected", "result_update", quiet=True),
        _k("dispute.opened", "Result disputed", "dispute_update"),
        _k("dispute.decided", "Dispute decided", "dispute_update"),
        _k("round.qualified", "Qualified for the next round", "round_completed"),
        _k("round.eliminated", "Out of the tournament", "round_completed"),
        _k("tournament.winner", "Tournament winner", "tournament_winner"),
        _k("tournament.announcement", "Host announcement", "announcement"),
        _k("host.approved", "Host verification approved", "host_approved"),
        _k("host.rejected", "Host verification declined", "host_rejected"),
        _k("team.invite", "Team invite", "team_invite"),
        _k("team.join_decided", "Join request decided", "team_join_decided"),
        _k("webhook.disabled", "Webhook disabled", None),
    ]
)


def kind_get(name: str) -> Kind | None:
    return KINDS.get(name)


def email_default(name: str) -> bool:
    kind = KINDS.get(name)
    return True if kind is None else kind.email_default
