"""The model in the EMA Workbench: uncertainties, levers, outcomes, seeds as replications.

Dutch policy analysts use the EMA Workbench (TU Delft) for exploratory modelling under deep
uncertainty. This example samples 16 uncertainty scenarios x 4 policies (Latin hypercube), three
seeds each, on the small synthetic region for five years, then asks which policies keep regular
seekers' waiting time and the blocked outflow low across the scenarios. Run::

    .venv/bin/pip install -e ".[ema]"        # once (the test extra includes it)
    .venv/bin/python experiments/ema_example.py

It takes about three minutes on two cores (MultiprocessingEvaluator, one worker per core) and
prints, per policy, the mean and worst case over the scenarios.
"""

from __future__ import annotations

import warnings

from abm.ema import ema_model


def main() -> None:
    warnings.simplefilter("ignore")  # EMA warns about optional packages it does not need here
    from ema_workbench import MultiprocessingEvaluator, perform_experiments

    model = ema_model(
        "urgency_flex",
        base="small",
        years=5,
        uncertainties={
            "seek_rate": ("params.seek_rate", 0.015, 0.035),
            "refusal": ("allocation.acceptance.refusal", 0.05, 0.3),
        },
        levers={
            "urgency_share": ("allocation.urgency.vacancy_share", 0.0, 1.0),
            "flex_per_year": ("measures.flex_housing.units_per_year", 0, 40000),
            "housing_first": ("measures.housing_first", [False, True]),
        },
        outcomes={
            "wait_regular": "wait_months_median:regular:mean_last_year",
            "blocked": "blocked_in_institution:all:mean_last_year",
            "homeless": "homeless:all:final",
        },
        seeds=[1, 2, 3],
    )
    with MultiprocessingEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=16, policies=4, evaluator=evaluator)
    frame = experiments[["policy", "urgency_share", "flex_per_year", "housing_first"]].copy()
    for name, values in outcomes.items():
        frame[name] = values
    summary = frame.groupby(["policy", "urgency_share", "flex_per_year", "housing_first"])[list(outcomes)].agg(["mean", "max"])
    print("Per policy, over 16 uncertainty scenarios (each the mean of 3 seeds): mean and worst case")
    print(summary.round(1).to_string())


if __name__ == "__main__":
    main()
