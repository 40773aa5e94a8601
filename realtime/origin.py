from channels.security.websocket import OriginValidator


class BrowserOriginValidator(OriginValidator):
    """Channels' validator, except that a handshake without Origin is allowed.

    Browsers always send Origin; bots and native clients do not, and for them the credential,
    not the origin, is what grants rights (PROTOCOL.md, Authentication).
    """

    def valid_origin(self, parsed_origin: object) -> bool:
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)
