"""The tokens the get_current_user check tries, each with the fix to name when it is mishandled."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class _Fix(NamedTuple):
    """What to change when a bad token escapes as a 500 (or is accepted), and its code."""

    text: str
    code: str


_FIX_CATCH = _Fix(
    text="put `jwt.decode` in a `try:` and turn what it raises into `AuthenticationError()`.",
    code="jwt-error-escapes",
)

_FIX_ALGORITHMS = _Fix(
    text="pass `algorithms=[ALGORITHM]` to `jwt.decode`: without it an `alg: none` token raises "
    "JWKError, which `except JWTError` does not catch, so the client would get a 500.",
    code="alg-none-escapes",
)

_FIX_ALGORITHM_ACCEPTED = _Fix(
    text="`jwt.decode` without `algorithms=` lets the token's own header choose how it is "
    "checked: an HS512 token passed, though the service only issues HS256. Pass "
    "`algorithms=[ALGORITHM]`, always.",
    code="algorithm-not-named",
)

_FIX_ANY_DECODE = _Fix(
    text="python-jose parses the header as JSON before it checks the signature, and 50,000 nested "
    "arrays make the parser raise RecursionError, which is not a JWTError. Decoding does no I/O, "
    "so whatever `jwt.decode` raises is the token's fault: catch `Exception` around "
    "`jwt.decode` alone (not around the database lookup) and raise `AuthenticationError()`.",
    code="decode-crash-escapes",
)

_FIX_SUB = _Fix(
    text='read the claim with `claims.get("sub")`, check that it is a string of 1 to 9 ASCII '
    "digits not starting with `0` (`isinstance(sub, str) and sub.isascii() and "
    'sub.isdecimal()`, and also `len(sub) <= 9` and `not sub.startswith("0")`) before '
    "`int(...)`, and raise `AuthenticationError()` otherwise.",
    code="sub-unchecked",
)

_FIX_SUB_DIGIT = _Fix(
    text='`int("²")` raises ValueError, yet `"²".isdigit()` and `"²".isnumeric()` are True: a '
    "superscript is a digit, not a decimal digit. Test the claim with "
    "`subject.isascii() and subject.isdecimal()` before `int()`, and also, as the exercise "
    'says, refuse more than 9 digits and a leading zero (`subject.startswith("0")`).',
    code="sub-isdigit",
)

_FIX_SUB_ASCII = _Fix(
    text='`int()` reads any Unicode decimal digit (`int("١")` is 1), and `isdecimal()`, '
    "`isdigit()` and a pattern's `\\d` accept them all, so a `sub` the service never wrote "
    "named a user. Accept only the ASCII digits `0` to `9`: whatever your test, also require "
    "`subject.isascii()` before `int()`, beside the 9-digit and leading-zero limits (in a "
    "pattern, write `[1-9][0-9]{0,8}`, not `\\d`).",
    code="sub-not-ascii",
)

_FIX_SUB_ZERO = _Fix(
    text='the service writes an id with `str(user.id)`, so user 7 is `"7"`, never `"07"`, and '
    "no id is 0. A `sub` that starts with `0` is text the service never issued, though `int()` "
    "reads it: accept only what the service writes (the package's `USER_ID_SUBJECT` refuses it "
    'too). Refuse it before `int()`: `subject.startswith("0")`, or in a pattern '
    "`[1-9][0-9]{0,8}`.",
    code="sub-leading-zero",
)

_FIX_SUB_SIZE = _Fix(
    text="a `sub` with more digits than the ids you issue can be a number no id column holds "
    "(PostgreSQL's are 32-bit, SQLite's 64-bit), and one of 5,000 digits makes `int()` itself "
    "raise ValueError. "
    "Refuse a `sub` longer than the ids you issue before `int()` (`len(subject) > 9`), with "
    "`AuthenticationError()`.",
    code="sub-overflows",
)


class _Case(NamedTuple):
    """A token that must be refused; the fix if it escapes as a 500, and if it is accepted."""

    what: str
    token: str
    fix: _Fix
    if_accepted: _Fix | None = None


def _b64_text(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _token_cases(secret: str, user_id: int) -> list[_Case]:
    """Every token that must be refused, in the order the check tries them. The database holds
    a user 0 too, so that a `sub` of "0" accepted names someone."""
    from jose import jwt

    later = datetime.now(UTC) + timedelta(minutes=30)
    good = jwt.encode({"sub": str(user_id), "exp": later}, secret, algorithm="HS256")
    header, payload, signature = good.split(".")
    exp = int(later.timestamp())

    def signed(claims: dict[str, Any], key: str = secret, algorithm: str = "HS256") -> str:
        return jwt.encode(claims, key, algorithm=algorithm)

    arabic = str(user_id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return [
        _Case(
            "tampered token (payload changed, old signature)",
            f"{header}.{_b64({'sub': str(user_id + 1), 'exp': exp})}.{signature}",
            _FIX_CATCH,
        ),
        _Case(
            "token signed with another key",
            signed({"sub": str(user_id), "exp": later}, secrets.token_urlsafe(32)),
            _FIX_CATCH,
        ),
        _Case("garbage token `not-a-token`", "not-a-token", _FIX_CATCH),
        _Case(
            "expired token",
            signed({"sub": str(user_id), "exp": datetime.now(UTC) - timedelta(minutes=1)}),
            _FIX_CATCH,
        ),
        _Case(
            "`alg: none` token",
            f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
            _FIX_ALGORITHMS,
        ),
        _Case(
            "token signed with the right key but HS512, an algorithm the service never uses",
            signed({"sub": str(user_id), "exp": later}, algorithm="HS512"),
            _FIX_CATCH,
            _FIX_ALGORITHM_ACCEPTED,
        ),
        _Case(
            "token whose `sub` is the number 1, not a string",
            signed({"sub": user_id, "exp": later}),
            _FIX_SUB,
        ),
        _Case("token with no `sub` claim", signed({"exp": later}), _FIX_SUB),
        _Case(
            "token whose `sub` is `ada@example.com`, not an id",
            signed({"sub": "ada@example.com", "exp": later}),
            _FIX_SUB,
        ),
        _Case(
            'token of a user who does not exist (`sub` "999")',
            signed({"sub": "999", "exp": later}),
            _FIX_CATCH,
        ),
        _Case('token whose `sub` is "²"', signed({"sub": "²", "exp": later}), _FIX_SUB_DIGIT),
        _Case(
            f'token whose `sub` is "{arabic}" (Arabic-Indic digits)',
            signed({"sub": arabic, "exp": later}),
            _FIX_SUB,
            _FIX_SUB_ASCII,
        ),
        _Case(
            f'token whose `sub` is "0{user_id}" (user {user_id} with a leading zero)',
            signed({"sub": f"0{user_id}", "exp": later}),
            _FIX_SUB,
            _FIX_SUB_ZERO,
        ),
        _Case(
            'token whose `sub` is "0" (an id the service never issues)',
            signed({"sub": "0", "exp": later}),
            _FIX_SUB,
            _FIX_SUB_ZERO,
        ),
        _Case(
            "token whose `sub` is 9999999999 (10 digits)",
            signed({"sub": "9" * 10, "exp": later}),
            _FIX_SUB_SIZE,
        ),
        _Case(
            "token whose `sub` is a 30-digit number",
            signed({"sub": "1" * 30, "exp": later}),
            _FIX_SUB_SIZE,
        ),
        _Case(
            "token whose `sub` has 5,000 digits",
            signed({"sub": "9" * 5000, "exp": later}),
            _FIX_SUB_SIZE,
        ),
        _Case(
            "forged token whose header nests 50,000 JSON arrays (no key needed to make it)",
            f"{_b64_text('[' * 50_000 + ']' * 50_000)}.{payload}.{signature}",
            _FIX_ANY_DECODE,
        ),
    ]
