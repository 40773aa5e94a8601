"""Accounts in the states the staff tests need."""

from core.models import HostProfile, User
from tests.factories import UserFactory


def submitted_host() -> User:
    """A host account whose verification is submitted and waits for review."""
    host = UserFactory(role=User.Role.HOST)
    HostProfile.objects.create(user=host, status=HostProfile.Status.SUBMITTED, organization="Org")
    return host
