"""Effect sizes of the report's stylised facts over paired seeds (issue 11, section 6).

Runs the paired settings of tests/test_stylised_facts.py and tests/test_emergent.py (same
region, size, seeds and months), plus the settings that show why the two old strict xfails
failed, and writes each fact's paired effect: the mean of each side, the mean and SD of the
differences (high - low), the paired t statistic and the share of seeds that moved up.

    PYTHONPATH=$PWD python experiments/facts/effects.py > experiments/facts/effects.json
    FACTS=flex PYTHONPATH=$PWD python experiments/facts/effects.py   # only the facts named so
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from conftest import effect, paired, paired_run  # noqa: E402

from abm.chains import cohort_summary  # noqa: E402
from abm.indicators import GROUP_NAMES, INDICATOR_NAMES  # noqa: E402

MONTHS = 24


def series(m, indicator, group="all"):
    return m.recorder.series(indicator, group)[1]


def last6(indicator):
    return lambda m: float(np.nanmean(series(m, indicator)[-6:]))


def per_mun(m, indicator, group="all", stat=np.nansum):
    i, g = INDICATOR_NAMES.index(indicator), GROUP_NAMES.index(group)
    return stat([v[i, :-1, g] for month, v in m.recorder.blocks if month >= 1], axis=0)


def mean_chain(m):
    n, mv = series(m, "chains_ended")[1:], series(m, "chain_moves_mean")[1:]
    return float(np.nansum(n * mv) / n.sum())


def nb_vacated(m):
    return cohort_summary(m, months=(1, MONTHS))["vacated_per_start"]


def monthly_nb_vacated(m):  # the old test's measure: the mean of monthly ratios
    return float(np.nanmean(series(m, "chain_vacated_per_new_build")[1:]))


def regular_wait(m):
    return float(series(m, "waiting", "regular")[1:].mean() / series(m, "allocations", "regular")[1:].mean())


URG_OFF = {"allocation": {"urgency": {"enabled": False}}}
URG_ON = {"allocation": {"urgency": {"vacancy_share": 1.0, "homeless": True, "months": 24}}}
INST = ({"allocation": {"institution_leavers": {"share": 0.10}}}, {"allocation": {"institution_leavers": {"share": 0.0}}})
SMO = {"measures": [{"type": "senior_move_on", "seek_rate": 0.3, "accept": 1.0}]}
PRIO_OFF, PRIO_ON = {"allocation": {"mover_priority": {"enabled": False}}}, {"allocation": {"mover_priority": {"enabled": True}}}
LOOK = {"params": {"senior_seek_rate": 0.3}}
FLEX = {"type": "flex_housing", "start": 1, "units_per_year": 100_000, "years": 2}
FLEX_UNTARGETED = {"measures": [{**FLEX, "target_share": 0.0}]}
S10, S6 = range(1, 11), range(1, 7)

# name: (metric, low, high, seeds, households)
FACTS = {
    "urgency: regular lettings (off -> on) [test]": (
        lambda m: float(series(m, "allocations", "regular")[1:].sum()),
        URG_OFF,
        URG_ON,
        S10,
        8000,
    ),
    "urgency: regular expected wait, months (off -> on) [test]": (regular_wait, URG_OFF, URG_ON, S10, 8000),
    "institution leavers share 0.10 -> 0: blocked_in_institution [test]": (last6("blocked_in_institution"), *INST, S10, 8000),
    "institution leavers share 0.10 -> 0: blocked_months_mean [test]": (last6("blocked_months_mean"), *INST, S10, 8000),
    "homeless share 0.15 -> 0: blocked_shelter [test]": (
        last6("blocked_shelter"),
        {"allocation": {"homeless": {"share": 0.15}}},
        {"allocation": {"homeless": {"share": 0.0}}},
        range(1, 9),
        8000,
    ),
    "homeless share 0.05 -> 0: blocked_shelter (old test)": (
        last6("blocked_shelter"),
        {"allocation": {"homeless": {"share": 0.05}}},
        {"allocation": {"homeless": {"share": 0.0}}},
        S10,
        8000,
    ),
    "senior_move_on: mean moves of ended chains [test]": (mean_chain, {}, SMO, S10, 16000),
    "senior_move_on: vacated per new build, cohort months 1-24 [test]": (nb_vacated, {}, SMO, S10, 16000),
    "senior_move_on: vacated per new build, cohort months 1-24, 8,000 households": (nb_vacated, {}, SMO, S10, 8000),
    "senior_move_on: mean of monthly vacated per new build, 8,000 households (old xfail)": (monthly_nb_vacated, {}, SMO, S10, 8000),
    "mover priority with seniors looking: mean moves of ended chains [test]": (
        mean_chain,
        {**PRIO_OFF, **LOOK},
        {**PRIO_ON, **LOOK},
        S10,
        8000,
    ),
    "mover priority alone: mean moves of ended chains (old xfail)": (mean_chain, PRIO_OFF, PRIO_ON, S10, 8000),
    "flex targeted vs none: homeless [test]": (last6("homeless"), {}, {"measures": [FLEX]}, S10, 8000),
    "flex targeted vs none: blocked_in_institution [test]": (last6("blocked_in_institution"), {}, {"measures": [FLEX]}, S10, 8000),
    "flex untargeted -> targeted: homeless [test]": (last6("homeless"), FLEX_UNTARGETED, {"measures": [FLEX]}, S10, 8000),
    "flex untargeted -> targeted: blocked_in_institution [test]": (
        last6("blocked_in_institution"),
        FLEX_UNTARGETED,
        {"measures": [FLEX]},
        S10,
        8000,
    ),
    "flex untargeted vs none: homeless": (last6("homeless"), {}, FLEX_UNTARGETED, S10, 8000),
}


def quota_tight_share(seeds, households=30_000):
    """Share of permit holders' lettings in the tightest half (seekers per letting, baseline), by population -> by pressure."""
    pairs = []
    for s in seeds:
        base = paired_run(s, households=households)
        alt = paired_run(s, households=households, measures=[{"type": "quota_by_pressure", "weight": 1.0}])
        per_letting = per_mun(base, "waiting", stat=np.nanmean) / np.maximum(per_mun(base, "allocations"), 1)
        tight = per_letting >= np.median(per_letting)
        pairs.append([per_mun(m, "allocations", "refugee")[tight].sum() / per_mun(m, "allocations", "refugee").sum() for m in (base, alt)])
    return np.array(pairs)


if __name__ == "__main__":
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    out = {"commit": commit, "region": "CR17 (COROP Utrecht), scaled", "months": MONTHS, "facts": {}}
    only = os.environ.get("FACTS")
    for name, (metric, low, high, seeds, hh) in FACTS.items():
        if only and only not in name:
            continue
        e = effect(paired(metric, low, high, seeds, households=hh, months=MONTHS))
        out["facts"][name] = {"households": hh, "seeds": list(seeds), **e}
        print(name, {k: round(v, 4) for k, v in e.items()}, file=sys.stderr, flush=True)
    name = "quota by pressure: permit holders' lettings in the tightest half [test]"
    if not only or only in name:
        seeds = range(1, 9)
        e = effect(quota_tight_share(seeds))
        out["facts"][name] = {"households": 30_000, "seeds": list(seeds), **e}
        print(name, {k: round(v, 4) for k, v in e.items()}, file=sys.stderr, flush=True)
    print(json.dumps(out, indent=1))
