"""Tiny HTML pages the email links open on the embedded setup (no separate front end needed)."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from core.services import notification_preferences, users
from core.services.notification_kinds import kind_get


@never_cache
@require_http_methods(["GET"])
def verify_email_page(request: HttpRequest) -> HttpResponse:
    """GET /verify-email/?token=…: verifies (idempotently) and says so in plain words."""
    try:
        user = users.user_verify_email(token=request.GET.get("token", ""))
    except ApplicationError as exc:
        return render(
            request, "accounts/verify_email.html", {"ok": False, "message": exc.message}, status=400
        )
    return render(request, "accounts/verify_email.html", {"ok": True, "user": user})


class ResetForm(forms.Form):
    new_password = forms.CharField(widget=forms.PasswordInput, label="New password")
    repeat = forms.CharField(widget=forms.PasswordInput, label="Repeat it")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("new_password") != data.get("repeat"):
            raise forms.ValidationError("The two passwords differ.")
        return data


@never_cache
@require_http_methods(["GET", "POST"])
def reset_password_page(request: HttpRequest) -> HttpResponse:
    """GET /reset-password/?uid=…&token=…: a form; POST sets the password (CSRF-protected)."""
    uid = request.GET.get("uid", "")
    token = request.GET.get("token", "")
    context = {"help": password_validators_help_text_html(), "done": False}
    if not users.password_reset_check(uid=uid, token=token):
        context["invalid"] = True
        return render(request, "accounts/reset_password.html", context, status=400)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            users.password_reset_confirm(
                uid=uid, token=token, new_password=form.cleaned_data["new_password"]
            )
        except ApplicationError as exc:
            form.add_error("new_password", exc.message)
        else:
            context["done"] = True
    context["form"] = form
    return render(request, "accounts/reset_password.html", context)


@never_cache
@csrf_exempt  # the signed token is the authority; mail clients' one-click POST has no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest) -> HttpResponse:
    """GET /unsubscribe/?token=…: says what the link turns off, with a button (GET alone
    changes nothing: mail scanners prefetch links). POST (the button, or a mail client's RFC
    8058 one-click `List-Unsubscribe=One-Click`) turns that kind's email off. No sign-in; a
    tampered token is a 400 page."""
    token = request.GET.get("token", "") or request.POST.get("token", "")
    try:
        if request.method == "POST":
            user, kind = notification_preferences.unsubscribe(token=token)
        else:
            user, kind = notification_preferences.unsubscribe_read(token=token)
    except ApplicationError as exc:
        return render(
            request, "accounts/unsubscribe.html", {"ok": False, "message": exc.message}, status=400
        )
    spec = kind_get(kind)
    context = {
        "ok": True,
        "done": request.method == "POST",
        "token": token,
        "label": spec.label if spec else kind,
        "email": user.email,
    }
    return render(request, "accounts/unsubscribe.html", context)
