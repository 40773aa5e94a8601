"""DRF permissions for views (the rules services enforce themselves live in core/permissions.py)."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsHost(BasePermission):
    """A signed-in host account, verified or not (e.g. to submit verification details)."""

    message = "Only host accounts can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_host)
