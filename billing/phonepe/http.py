"""The PhonePe client's HTTP side: the OAuth token shared through the cache, and one logical call
with bounded retries (the behaviour client.py's docstring promises)."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import Any, Self

import httpx
from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.exceptions import ImproperlyConfigured

from core.api import degraded

from .errors import PhonePeBadResponse, PhonePeError, PhonePeNotFound, PhonePeUnavailable
from .types import AccessToken

logger = logging.getLogger("billing.phonepe.client")

# Cap on a server-sent Retry-After so one 429 cannot park a request worker for minutes.
MAX_RETRY_AFTER_SECONDS = 5.0
# Transport errors raised before a single byte of the request left: PhonePe never saw it.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class PhonePeHttp:
    """Transport and token handling; PhonePeClient (client.py) adds the API calls."""

    def __init__(
        self,
        *,
        env: str,
        client_id: str,
        client_secret: str,
        client_version: int,
        pg_url: str,
        oauth_url: str,
        timeout: float = 5.0,
        max_attempts: int = 3,
        backoff: float = 0.5,
        refresh_margin: int = 180,
        cache: Any = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.env = env
        self.client_id = client_id
        self._client_secret = client_secret
        self.client_version = client_version
        self.pg_url = pg_url.rstrip("/")
        self.oauth_url = oauth_url.rstrip("/")
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.refresh_margin = refresh_margin
        self._cache = default_cache if cache is None else cache
        self._clock = clock
        self._sleep = sleep
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._own_token: dict[str, Any] | None = None

    @classmethod
    def from_settings(cls, **overrides: Any) -> Self:
        env = settings.PHONEPE_ENV
        if env == "local":
            pg_url = oauth_url = settings.PHONEPE_LOCAL_URL
        else:
            try:
                urls = settings.PHONEPE_BASE_URLS[env]
            except KeyError:
                raise ImproperlyConfigured(f"unknown PHONEPE_ENV {env!r}") from None
            pg_url, oauth_url = urls["pg"], urls["oauth"]
        options: dict[str, Any] = {
            "env": env,
            "client_id": settings.PHONEPE_CLIENT_ID,
            "client_secret": settings.PHONEPE_CLIENT_SECRET,
            "client_version": settings.PHONEPE_CLIENT_VERSION,
            "pg_url": pg_url,
            "oauth_url": oauth_url,
            "timeout": settings.PHONEPE_TIMEOUT_SECONDS,
            "max_attempts": settings.PHONEPE_MAX_ATTEMPTS,
            "backoff": settings.PHONEPE_RETRY_BACKOFF_SECONDS,
            "refresh_margin": settings.PHONEPE_TOKEN_REFRESH_MARGIN_SECONDS,
        }
        options.update(overrides)
        return cls(**options)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- token -------------------------------------------------------------------------------

    @property
    def token_cache_key(self) -> str:
        return f"phonepe:token:v1:{self.env}:{self.client_id}"

    def _fresh_for(self, token: AccessToken) -> float:
        """Seconds from now until this token is due for refresh.

        Worked out from the token's own lifetime (expires_at - issued_at, both PhonePe's clock),
        not by comparing expires_at with our clock, so a skewed clock cannot make every request
        fetch a token. A short-lived token gets half its lifetime, never less.
        """
        if token.expires_at is None or token.issued_at is None:
            return 60.0  # no expiry given: still never one token per request, but only briefly
        lifetime = max(token.expires_at - token.issued_at, 0)
        return lifetime - min(self.refresh_margin, lifetime / 2)

    def get_token(self, *, force_refresh: bool = False) -> AccessToken:
        if not force_refresh:
            cached = self._cached_token()
            if cached and self._clock() < cached["refresh_at"]:
                return AccessToken(**cached["token"])
        return self._fetch_token()

    # The token lives in the shared cache; while that is down, in this client (one token per
    # client instead of one per process and environment, never one per request within it).
    def _cached_token(self) -> dict[str, Any] | None:
        try:
            return self._cache.get(self.token_cache_key) or self._own_token
        except Exception:
            degraded.report(logger, "phonepe-token", "phonepe token cache unavailable")
            return self._own_token

    def _store_token(self, value: dict[str, Any], timeout: int) -> None:
        self._own_token = value
        try:
            self._cache.set(self.token_cache_key, value, timeout=timeout)
        except Exception:
            degraded.report(logger, "phonepe-token", "phonepe token cache unavailable")

    def _fetch_token(self) -> AccessToken:
        response, _ = self._send(
            "POST",
            f"{self.oauth_url}/v1/oauth/token",
            data={
                "client_id": self.client_id,
                "client_version": str(self.client_version),
                "client_secret": self._client_secret,
                "grant_type": "client_credentials",
            },
            authorize=False,
        )
        self._raise_for_error(response)  # INVALID_CLIENT: wrong id/secret/version, not retried
        token = AccessToken.from_json(self._json(response))
        fresh_for = self._fresh_for(token)
        if fresh_for >= 1:
            value = {"token": token.as_cache_value(), "refresh_at": self._clock() + fresh_for}
            self._store_token(value, timeout=int(fresh_for) + 1)
        logger.info("phonepe token fetched", extra={"env": self.env, "expires": token.expires_at})
        return token

    def _invalidate_token(self, rejected: str) -> None:
        # Only drop the cached token if it is the one PhonePe rejected: another worker may
        # already have stored a fresh one.
        if self._own_token and self._own_token["token"]["access_token"] == rejected:
            self._own_token = None
        cached = self._cached_token()
        if cached and cached["token"]["access_token"] == rejected:
            with contextlib.suppress(Exception):  # a cache that is down holds nothing anyway
                self._cache.delete(self.token_cache_key)

    # --- transport ---------------------------------------------------------------------------

    def _backoff_delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None and response.status_code == 429:
            retry_after = response.headers.get("Retry-After", "")
            if retry_after.isdigit():
                return min(float(retry_after), MAX_RETRY_AFTER_SECONDS)
        base = self.backoff * (2 ** (attempt - 1))
        return base + random.uniform(0, self.backoff / 2)  # noqa: S311 - jitter, not crypto

    def _send(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        data: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        authorize: bool = True,
    ) -> tuple[httpx.Response, int]:
        """One logical call: bounded retries, one token refresh on a 401.

        Returns the response and the number of attempts it took. PhonePeUnavailable says
        whether the request may have reached PhonePe (`may_have_landed`): not when every attempt
        failed to connect, or the token it needed could not be had."""
        attempt, refreshed, landed = 0, False, False
        last_status: int | None = None
        last_error = ""
        while attempt < self.max_attempts:
            attempt += 1
            token = self._token_for(authorize, landed=landed)
            headers = {"Accept": "application/json"}
            if token is not None:
                headers["Authorization"] = f"O-Bearer {token.access_token}"
            try:
                response = self._http.request(
                    method, url, json=json, data=data, params=params, headers=headers
                )
            except httpx.TransportError as exc:  # connect errors, timeouts, resets
                last_status, last_error = None, f"{type(exc).__name__}: {exc}"
                landed = landed or not isinstance(exc, NOT_SENT)
                response = None
            else:
                landed = True
                if response.status_code == 401 and token is not None and not refreshed:
                    # Revoked or expired early: one fresh token, one more try, not counted.
                    refreshed = True
                    self._invalidate_token(token.access_token)
                    attempt -= 1
                    continue
                if response.status_code < 500 and response.status_code != 429:
                    return response, attempt
                last_status, last_error = response.status_code, response.text[:200]
            self._retry_or_give_up(url, attempt, last_status, last_error, response)
        raise PhonePeUnavailable(
            f"{method} {url} failed after {attempt} attempts: {last_status or last_error}",
            http_status=last_status,
            attempts=attempt,
            may_have_landed=landed,
        )

    def _token_for(self, authorize: bool, *, landed: bool) -> AccessToken | None:
        if not authorize:
            return None
        try:
            return self.get_token()
        except PhonePeUnavailable as exc:  # the call itself was never sent (this attempt)
            raise PhonePeUnavailable(
                exc.message,
                http_status=exc.http_status,
                attempts=exc.attempts,
                may_have_landed=landed,
            ) from exc

    def _retry_or_give_up(
        self,
        url: str,
        attempt: int,
        status: int | None,
        error: str,
        response: httpx.Response | None,
    ) -> None:
        logger.warning(
            "phonepe call failed, %s",
            "retrying" if attempt < self.max_attempts else "giving up",
            extra={"url": url, "attempt": attempt, "status": status, "error": error},
        )
        if attempt < self.max_attempts:
            self._sleep(self._backoff_delay(attempt, response))

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise PhonePeBadResponse(
                f"HTTP {response.status_code} with a non-JSON body: {response.text[:200]!r}"
            ) from None

    @staticmethod
    def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _raise_for_error(self, response: httpx.Response) -> None:
        if response.is_success:
            return
        body = self._json_or_empty(response)
        code = str(body.get("code") or body.get("errorCode") or f"HTTP_{response.status_code}")
        message = str(body.get("message") or response.reason_phrase)
        error_class = PhonePeNotFound if response.status_code == 404 else PhonePeError
        raise error_class(message, code=code, http_status=response.status_code, data=body)

    def _call(self, method: str, path: str, **kwargs: Any) -> tuple[Any, int]:
        response, attempts = self._send(method, f"{self.pg_url}{path}", **kwargs)
        self._raise_for_error(response)
        return self._json(response), attempts
