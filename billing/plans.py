"""The hosting plans: the one place that says what each costs (paise) and what it gives.

Tournament.plan stores the plan's key; publishing requires that plan's fee (billing registers
the checker with core at start-up). Listing placement is Tournament.plan_rank, kept in step with
the plan by core's services (core/services/tournament_rules.py PLAN_RANK uses the same order).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    price: int  # paise
    listing_placement: str
    placement_rank: int  # higher lists first
    max_teams: int  # the largest field the plan is meant for
    featured_banner: bool
    perks: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["perks"] = list(self.perks)
        return data


PLANS: tuple[Plan, ...] = (
    Plan(
        key="basic",
        name="Basic",
        price=29900,
        listing_placement="standard: listed by start time",
        placement_rank=0,
        max_teams=64,
        featured_banner=False,
        perks=("Listed in tournament search", "Live leaderboard and stream overlay"),
    ),
    Plan(
        key="featured",
        name="Featured",
        price=49900,
        listing_placement="featured: above every Basic tournament",
        placement_rank=1,
        max_teams=128,
        featured_banner=False,
        perks=(
            "Everything in Basic",
            "Listed above Basic tournaments",
            "Featured badge on the listing",
        ),
    ),
    Plan(
        key="premium",
        name="Premium",
        price=79900,
        listing_placement="top: above Featured and Basic tournaments",
        placement_rank=2,
        max_teams=256,
        featured_banner=True,
        perks=(
            "Everything in Featured",
            "Listed first",
            "Banner on the home page while registration is open",
        ),
    ),
)

PLANS_BY_KEY: dict[str, Plan] = {plan.key: plan for plan in PLANS}


def plan_get(key: str) -> Plan:
    """The plan for a Tournament.plan value (KeyError for an unknown key: a bug upstream)."""
    return PLANS_BY_KEY[key]


def plan_price(key: str) -> int:
    return PLANS_BY_KEY[key].price
