"""Agency demos (``siklus demo --agency NAME``): each agency's own name, units, realistic SKPs, its cycle
with three closed past periods and a running one (see :mod:`.seed`); one small data module per agency."""

from __future__ import annotations

from engine.demo_agency import amplas, binjai, bungo, gorontalo, solok
from engine.demo_agency.model import AgencyDemo
from engine.demo_agency.seed import DEMO_PASSWORD, seed_agency

#: The agency demos by name.
AGENCIES: dict[str, AgencyDemo] = {d.key: d for d in (amplas.DEMO, binjai.DEMO, bungo.DEMO, gorontalo.DEMO,
                                                      solok.DEMO)}

__all__ = ["AGENCIES", "DEMO_PASSWORD", "AgencyDemo", "seed_agency"]
