from urllib.parse import urlparse

from channels.security.websocket import OriginValidator


class BrowserOriginValidator(OriginValidator):
    """Channels' validator, except that a handshake without Origin is allowed.

    Browsers always send Origin; bots and native clients do not, and for them the credential,
    not the origin, is what grants rights (docs/protocol.md, Authentication).
    """

    def valid_origin(self, parsed_origin: object) -> bool:
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)

    def allows(self, scope: dict) -> bool:
        """The same decision as the middleware's, for a socket served without it."""
        parsed_origin = None
        for name, value in scope.get("headers") or ():
            if name == b"origin":
                parsed_origin = urlparse(value.decode("latin1"))  # latin-1 decodes any bytes
        return self.valid_origin(parsed_origin)
