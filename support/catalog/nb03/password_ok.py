"""Notebook 03 · Schemas, exercise `password_ok`: its check and hints."""

from __future__ import annotations

import inspect
from typing import Any

from support.exercises import CheckContext, Incorrect, NotAttempted, error_summary, where_in_answer

HINTS = [
    "Two rules, two measures. The minimum is counted as a person counts, in characters; "
    "the maximum as bcrypt counts, in bytes. Each rule that fails is an error with its "
    "own message; a good password comes back exactly as it came in.",
    '`len(password)` counts characters; `len(password.encode("utf-8"))` counts bytes. A '
    'validator signals a failure with `raise ValueError("...")`, which Pydantic turns into '
    "a 422 entry, and returns the value it accepts.",
    "The shape: `if len(...) < 8: raise ValueError(<the minimum's message>)`, then "
    '`if len(....encode("utf-8")) > 72: raise ValueError(<the maximum\'s message>)`, then '
    "`return password`.",
]


async def check(ctx: CheckContext, password_ok: Any) -> None:
    from pydantic_core import PydanticCustomError

    ctx.require_function(password_ok, is_async=False, name="password_ok")
    if inspect.iscoroutinefunction(password_ok):
        raise Incorrect(
            "`password_ok` must be a plain `def`, not `async def`: Pydantic calls validators "
            "synchronously and would store the coroutine instead of the password.",
            code="async-def",
        )
    try:
        inspect.signature(password_ok).bind("a password")
    except TypeError as exc:
        raise Incorrect(
            "`password_ok` must take one argument, the password: "
            "`def password_ok(password: str) -> str:`. (`cls` belongs only to a "
            "`@field_validator` method inside a class.)",
            code="takes-cls",
        ) from exc
    except ValueError:
        pass  # no signature to read (a builtin): let the calls below tell

    def outcome(password: str) -> tuple[str, Any]:
        shown = password if len(password) <= 25 else password[:12] + "..."
        try:
            return "accepted", password_ok(password)
        except AssertionError as exc:
            raise Incorrect(
                f"`password_ok({shown!r})` refused it with `assert`. Python drops every "
                "`assert` when it runs with `-O`, and your rules with them: raise "
                '`ValueError("...")` instead.',
                code="uses-assert",
            ) from exc
        except (ValueError, PydanticCustomError) as exc:
            return "rejected", exc
        except NotImplementedError as exc:
            raise NotAttempted() from exc
        except Exception as exc:
            if type(exc).__module__ == "builtins" and type(exc) is not Exception:
                raise Incorrect(
                    f"`password_ok({shown!r})` raised {error_summary(exc)}"
                    f"{where_in_answer(password_ok, exc)}. That looks like a bug in your "
                    "function: fix it, run your cell again, then this check. (If you raised it "
                    "on purpose, raise `ValueError` instead: Pydantic turns only that into a 422.)",
                    code="bug-raised",
                ) from exc
            raise Incorrect(
                f"`password_ok({shown!r})` raised {error_summary(exc)}. Raise `ValueError` for "
                "a password that breaks a rule: Pydantic turns it into a 422, anything else "
                "into a 500.",
                code="wrong-exception",
            ) from exc

    for ok in ("correct horse battery", "  spaces count too  "):
        status, result = outcome(ok)
        if status == "rejected":
            raise Incorrect(
                f"`password_ok({ok!r})` raised `{result}`, but it is a fine password.",
                code="rejects-good",
            )
        if result is None:
            raise Incorrect(
                "`password_ok` returned `None` for a good password. End with `return password`: "
                "Pydantic keeps whatever a validator returns.",
                code="returns-none",
            )
        if result is True:
            raise Incorrect(
                "`password_ok` returned `True`. Return the password itself and raise "
                "`ValueError` for a bad one: Pydantic keeps whatever a validator returns, so "
                "`True` would become the password.",
                code="returns-true",
            )
        if result != ok:
            raise Incorrect(
                f"`password_ok({ok!r})` returned {result!r}; return the password unchanged. "
                "Spaces and capitals are part of what the user chose: change nothing.",
                code="changes-password",
            )

    status, result = outcome("abcdefgh")
    if status == "rejected":
        raise Incorrect(
            "`password_ok` rejected 'abcdefgh', 8 characters. Exactly 8 is allowed: reject only "
            "fewer than 8 (`len(password) < 8`, not `<= 8`).",
            code="minimum-off-by-one",
        )

    for password, size in (("a" * 72, "72 ASCII letters"), ("é" * 36, "36 'é' (72 bytes)")):
        status, result = outcome(password)
        if status == "rejected":
            raise Incorrect(
                f"`password_ok` rejected {size}. Exactly 72 bytes is allowed: reject only "
                "more than 72 (`> 72`, not `>= 72`).",
                code="max-off-by-one",
            )

    too_long = (
        ("a" * 73, "73 ASCII letters (73 bytes)"),
        ("é" * 37, "37 'é' (37 characters, 74 bytes)"),
        ("\U0001f511" * 19, "19 emoji (19 characters, 76 bytes)"),
    )
    messages = {}
    for password, size in too_long:
        status, result = outcome(password)
        if status == "rejected":
            messages.setdefault("long", str(result).strip())
            if not str(result).strip():
                raise Incorrect(
                    "`password_ok` raised a `ValueError` with no message. Say which rule failed, "
                    'e.g. `ValueError("Password must be at most 72 bytes in UTF-8.")`: it is '
                    "what the client reads in the 422.",
                    code="empty-message",
                )
            continue
        if result is False:
            raise Incorrect(
                f"`password_ok` returned `False` for {size}. Raise `ValueError` instead: "
                "Pydantic only rejects a value when the validator raises.",
                code="returns-false",
            )
        if isinstance(result, str) and result != password and password.startswith(result):
            raise Incorrect(
                f"`password_ok` cut {size} short. Reject it: raise `ValueError` instead of "
                "truncating, or the user's password is silently not the one they chose.",
                code="truncates",
            )
        if password.isascii():
            raise Incorrect(
                f"`password_ok` accepted {size}: reject more than 72 bytes.",
                code="accepts-long-ascii",
            )
        raise Incorrect(
            f"`password_ok` accepted {size}. Count bytes, not characters: "
            '`len(password.encode("utf-8")) > 72`.',
            code="counts-characters",
        )

    for password, size in (
        ("short", "'short' (5 characters)"),
        ("abcdefg", "'abcdefg' (7 characters)"),
        ("é" * 7, "7 'é' (7 characters, 14 bytes)"),
    ):
        status, result = outcome(password)
        if status == "accepted":
            raise Incorrect(
                f"`password_ok` accepted {size}. Require at least 8 characters, counted as a "
                "person counts them: `len(password) < 8`.",
                code="accepts-short",
            )
        messages.setdefault("short", str(result).strip())
    if messages["short"] == messages["long"]:
        raise Incorrect(
            f"`password_ok` gives the same message, {messages['short']!r}, for a password that "
            "is too short and for one that is too long. Say which rule failed (at least 8 "
            "characters, at most 72 bytes): the client reads it in the 422 and must know what "
            "to change.",
            code="same-message",
        )
