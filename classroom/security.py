import hashlib
import hmac
import secrets

# No 0/O or 1/I: a class code is read off a projector and typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PATTERN = r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$"


def new_class_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def new_secret() -> str:
    """A learner's token or the instructor's key: 256 random bits."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    # A fast hash is enough for 256 random bits: there is nothing to guess, only to look up.
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, expected_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), expected_digest)


def bearer(authorization: str | None) -> str | None:
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None
