"""Member filters, organization settings and the roll-up line: pure rules."""

from __future__ import annotations

import pytest

from cloudconnectors.domain.errors import ValidationFailed
from cloudconnectors.domain.organizations import (
    MemberFilter,
    OrganizationSettings,
    Rollup,
    parse_organization,
)

PATH = ("r-1", "ou-1-prod", "ou-1-web")


def test_exclude_wins_and_an_empty_include_takes_everyone() -> None:
    everyone = OrganizationSettings()
    assert everyone.selects("1", PATH, {})
    picky = OrganizationSettings(include=MemberFilter(paths=("ou-1-prod",)),
                                 exclude=MemberFilter(tags=("sandbox=true",)))
    assert picky.selects("1", PATH, {"sandbox": "false"})  # an OU anywhere on the path
    assert not picky.selects("1", PATH, {"sandbox": "true"})
    assert not picky.selects("1", ("r-1",), {})


def test_tags_match_by_key_or_key_and_value() -> None:
    by_key = MemberFilter(tags=("env",))
    by_value = MemberFilter(tags=("env=prod",))
    assert by_key.matches("1", (), {"env": "dev"})
    assert not by_value.matches("1", (), {"env": "dev"})
    assert by_value.matches("1", (), {"env": "prod"})
    assert MemberFilter(accounts=("1",)).matches("1", (), {})


def test_settings_round_trip_and_every_broken_field_is_named() -> None:
    parsed = parse_organization({"root": "ou-1-prod", "member_role_name": "Reader",
                                 "include": {"accounts": ["1", "1"]}}, needs_role=True)
    assert parsed.include.accounts == ("1",)  # duplicates dropped
    assert OrganizationSettings.from_json(parsed.to_json()) == parsed
    with pytest.raises(ValidationFailed) as refused:
        parse_organization({"include": {"accounts": "1"}, "exclude": [], "color": 1,
                            "member_role_name": "x"}, needs_role=False)
    fields = {p.field for p in refused.value.problems}
    assert fields == {"organization.include.accounts", "organization.exclude",
                      "organization.color", "organization.member_role_name"}


def test_the_roll_up_line_counts_gone_members_apart() -> None:
    rollup = Rollup.of({"online": 41, "offline": 2}, gone=3)
    assert rollup.total == 43
    assert rollup.summary == "41 of 43 members online (2 offline, 3 gone)"
    assert Rollup.of({}, 0).summary == "0 of 0 members online"
