"""Google's token endpoints faked with the `responses` library (no internet): what Google
answers for an access token or an ID token of our app (or of another one)."""

import responses
from responses import matchers

from core.auth.google import TOKENINFO_URL, USERINFO_URL

CLIENT_ID = "client-123.apps.googleusercontent.com"


def fake_access_token(
    mock: responses.RequestsMock,
    *,
    sub: str = "g-1",
    email: str = "gamer@example.com",
    verified: bool = True,
    aud: str = CLIENT_ID,
) -> None:
    """Google knows the access token "ya29.token" of this person, issued to `aud`."""
    mock.get(
        TOKENINFO_URL,
        match=[matchers.query_param_matcher({"access_token": "ya29.token"})],
        json={"aud": aud, "azp": aud, "sub": sub, "scope": "openid email", "expires_in": 3000},
    )
    mock.get(
        USERINFO_URL,
        match=[matchers.header_matcher({"Authorization": "Bearer ya29.token"})],
        json={"sub": sub, "email": email, "email_verified": verified, "name": "Gamer One"},
    )


def fake_id_token(
    mock: responses.RequestsMock,
    *,
    sub: str = "g-2",
    email: str = "idt@example.com",
    verified: str = "true",
    aud: str = CLIENT_ID,
) -> None:
    """Google knows the ID token "eyJ.id.token" of this person, issued to `aud`."""
    mock.get(
        TOKENINFO_URL,
        match=[matchers.query_param_matcher({"id_token": "eyJ.id.token"})],
        json={
            "iss": "https://accounts.google.com",
            "aud": aud,
            "sub": sub,
            "email": email,
            "email_verified": verified,
            "name": "Id Token",
        },
    )
