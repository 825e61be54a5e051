"""Smart allocation both ways (*slim toewijzen dat twee kanten op werkt*): where social homes stand."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Measure, register


@register
class SmartAllocation(Measure):
    """*Zorg dat slim toewijzen mogelijk is dat twee kanten op werkt: meer sociale huur in
    veerkrachtige wijken en minder in sociaal zwakke wijken* (report, 'Financiën en regelgeving';
    and 'Ruimtelijk: locaties en spreiding': *in [zwakke] wijken moet ook ruimte zijn voor
    woningen voor mensen met hogere inkomens. En in wijken met veel middeninkomens en hogere
    inkomens moet ook ruimte zijn voor lagere inkomens*).

    Both ways, through the stock:

    - **more social rent in strong neighbourhoods**: municipalities put new social homes (flex
      homes included) toward their stronger neighbourhoods and new market homes toward their
      weaker ones (``mixing`` replaces ``new_build_mixing``; a municipality's own ``build_mixing``
      still wins; abm/processes/construction.py);
    - **less social rent in weak neighbourhoods**: corporations take the homes they sell and
      liberalise from the weakest third of neighbourhoods first (``weak_first`` replaces
      ``stock_sales_weak_first``; abm/processes/stock_changes.py).

    Vulnerable households then follow the vacancies: more of the social vacancies, and so of
    their lettings, fall outside the weak neighbourhoods. The allocation side (a cap on vulnerable
    lettings per neighbourhood) is the separate rule ``[allocation.neighbourhood_cap]``. No cost
    of its own: the homes are built and sold anyway (a dearer plot in a strong neighbourhood is
    not modelled)."""

    type: Literal["smart_allocation"] = "smart_allocation"
    mixing: float = Field(
        default=0.9, ge=0, le=1, description="where new homes go: 0 social homes in weak neighbourhoods .. 1 in strong ones (M)"
    )
    weak_first: float = Field(
        default=1.0, ge=0, le=1, description="how strongly sales and liberalisations take weak-neighbourhood homes first (0..1)"
    )
    category = "money_and_rules"
    target = "social_in_weak_neighbourhoods"
    direction = -1

    def params(self, p):
        return {"new_build_mixing": self.mixing, "stock_sales_weak_first": self.weak_first}
