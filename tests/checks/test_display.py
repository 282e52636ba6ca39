"""The display helpers show what matters and mask what changes between runs."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

from support.display import expect, mask, rows


class Point(BaseModel):
    x: int
    y: int


def test_a_single_model_is_one_row():
    assert rows(Point(x=1, y=2)).records == [{"x": 1, "y": 2}]
    assert rows([Point(x=1, y=2), Point(x=3, y=4)]).records[1] == {"x": 3, "y": 4}


def test_changing_values_are_shown_by_their_shape():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    bcrypt_hash = "$2b$04$" + "a" * 53
    shown = mask(
        {
            "access_token": token,
            "hash": bcrypt_hash,
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "naive": datetime(2026, 1, 1),
            "created_at": "2026-01-01T10:00:00Z",
            "exp": 1767225600,
        }
    )
    assert shown == {
        "access_token": "<JWT: header.payload.signature>",
        "hash": "<bcrypt hash, cost 4>",
        "at": "<datetime, UTC>",
        "naive": "<datetime, naive: no time zone>",
        "created_at": "<timestamp, UTC>",
        "exp": "<unix time>",
    }


def test_expect_shows_the_error_and_lets_others_through(capsys):
    with expect(ValueError):
        raise ValueError("bad value\nsecond line with a machine path /tmp/x")
    assert capsys.readouterr().out == "ValueError: bad value  <- raised, as expected\n"
    with expect(KeyError):
        pass
    assert capsys.readouterr().out == "No KeyError was raised.\n"
    try:
        with expect(KeyError):
            raise TypeError("not the expected one")
    except TypeError:
        pass
    else:
        raise AssertionError("an unexpected error type must not be swallowed")
