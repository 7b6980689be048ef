"""Assumed-role credentials renew themselves before they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cloudconnectors.providers.aws.assume import assumed_role_session


def test_credentials_refresh_near_expiry() -> None:
    calls: list[int] = []

    def assume() -> dict[str, Any]:
        calls.append(1)
        minutes = 5 if len(calls) == 1 else 60  # the first set is about to expire
        return {"AccessKeyId": f"AKIA{len(calls)}", "SecretAccessKey": "s",
                "SessionToken": "t", "Expiration": datetime.now(UTC) + timedelta(minutes=minutes)}

    session = assumed_role_session(assume, "us-east-1")
    assert len(calls) == 1  # assumed eagerly, so refusals surface at authenticate
    credentials = session.get_credentials()
    assert credentials is not None
    frozen = credentials.get_frozen_credentials()
    assert frozen.access_key == "AKIA2" and len(calls) == 2
    assert credentials.get_frozen_credentials().access_key == "AKIA2" and len(calls) == 2
