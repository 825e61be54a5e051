"""The iron stock (*ijzeren voorraad*): a lasting set of homes used flexibly for several groups."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Measure, register


@register
class IronStock(Measure):
    """An iron stock (*ijzeren voorraad*; report, 'Snel en flexibel': *van belang is dat er een
    'ijzeren voorraad' komt waarbij de beschikbare woonvoorzieningen flexibel zijn in te zetten
    voor diverse aandachtsgroepen. Daarbij is een goede mix van reguliere woningzoekenden én
    verschillende aandachtsgroepen van belang*). A lasting set of regular social homes, ``share``
    of the unlabelled permanent stock (the same homes for as long as the measure runs), whose
    vacancies go to homeless people, institution leavers or permit holders — whichever group the
    home's turn names first, then the others, so none has precedence — whether or not their
    direct-placement routes are on; a share ``regular_share`` of these homes goes through the
    regular queue for the mix. A home no priority candidate fits goes the usual way. The rule is
    ``[allocation.iron_stock]`` (abm/allocation/engine.py); lettings through it are counted in
    ``iron_stock_lettings``. No cost of its own: it reallocates existing homes."""

    type: Literal["iron_stock"] = "iron_stock"
    share: float = Field(default=0.05, ge=0, le=0.5, description="share of the regular social stock in the iron stock")
    regular_share: float = Field(default=0.3, ge=0, le=1, description="share of its homes let through the regular queue (the mix)")
    category = "homelessness"
    target = "homeless"
    direction = -1

    def allocation(self, policy):
        return {"iron_stock": {"enabled": True, "share": self.share, "regular_share": self.regular_share}}

    phase = "allocation"
