"""Every model parameter with its value, unit and source, in one place.

``docs/ODD.md`` carries the same table (``abm params --markdown`` prints it; a test checks the
two agree). Status letters follow ``shared/data/FACTS.md``: **V** verified in a public source,
**D** derived from the CBS data shipped in ``abm/data``, **M** a modelling assumption or a
figure from memory that still needs a source, **C** calibrated so that the model reproduces a
V or D figure named in the source column.

Units: months for time, euros per month for rent, euros per year for income; rates are
probabilities per year unless the unit says per month.

``Params`` is a frozen dataclass validated by pydantic whenever one is made (``Params(...)``,
``dataclasses.replace``, ``with_overrides``): a value must be a finite number (no NaN, no
infinity, no booleans or text) within the field's ``[lo, hi]``; an ``int`` field takes whole
numbers only (pydantic's lax mode: ``3.0`` becomes ``3``, ``2.5`` is an error, never truncated);
an unknown name is an error naming the nearest valid one. Errors are one line in the format of
the scenario errors (``abm.errors``): ``WHERE.NAME: problem``.
"""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass, field, fields
from functools import cache, partial
from typing import Annotated, Any, get_type_hints

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model

from .errors import first_error


class ParamsError(ValueError):
    """A parameter value or name that cannot be used; one line: ``WHERE.NAME: problem``."""


def _p(value: Any, unit: str, source: str, status: str, lo: float | None = None, hi: float | None = None):
    """A parameter: its default ``value``, ``unit``, ``source``, ``status`` (V/D/M/C) and bounds."""
    return field(
        default=value,
        metadata={"unit": unit, "source": source, "status": status, "lo": lo, "hi": hi},
    )


def _number(v: Any) -> int | float:
    # Python numbers only (numpy scalars become them), so that values hash, pickle and print alike.
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ValueError(f"must be a number, got {v!r}")
    return int(v) if isinstance(v, numbers.Integral) else float(v)


def _in_range(lo: float | None, hi: float | None, unit: str, v: int | float) -> int | float:
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{v} is out of range [{lo}, {hi}] ({unit})")
    return v


NAMES_HINT = "'abm params' lists the names"


@cache
def _schema(cls: type) -> type[BaseModel]:
    """The pydantic model that validates ``cls``'s fields (built once per class from ``_p``)."""
    hints = get_type_hints(cls)
    spec: dict[str, Any] = {}
    for f in fields(cls):
        t = hints[f.name]
        if t in (int, float):
            m = f.metadata
            t = Annotated[t, BeforeValidator(_number), AfterValidator(partial(_in_range, m.get("lo"), m.get("hi"), m.get("unit", "")))]
        spec[f.name] = (t, f.default)
    return create_model(f"{cls.__name__}Values", __config__=ConfigDict(extra="forbid", allow_inf_nan=False), **spec)


def _validated(cls: type, values: dict[str, Any], where: str) -> dict[str, Any]:
    """``values`` checked and converted (e.g. ``3.0`` to ``3`` for an int field); raises ``ParamsError``."""
    schema = _schema(cls)
    try:
        checked = schema.model_validate(values)
    except ValidationError as e:
        raise ParamsError(f"{where}.{first_error(e, schema, names_hint=NAMES_HINT)}") from None
    return {k: getattr(checked, k) for k in values}


@cache
def _defaults(cls: type) -> dict[str, Any]:
    """The class's defaults, validated once (a new ``_p`` line outside its own bounds fails here)."""
    d = {f.name: f.default for f in fields(cls)}
    _validated(cls, d, f"{cls.__name__} default")
    return d


#: Pairs of parameters (lower, upper) that bound a uniform draw.
RANGES = (
    ("birth_age_min", "birth_age_max"),
    ("separation_income_share_min", "separation_income_share_max"),
    ("refugee_age_min", "refugee_age_max"),
    ("labour_migrant_age_min", "labour_migrant_age_max"),
    ("student_age_min", "student_age_max"),
    ("newcomer_age_min", "newcomer_age_max"),
    ("homeless_age_min", "homeless_age_max"),
    ("institution_age_min", "institution_age_max"),
    ("youth_care_age_min", "youth_care_age_max"),
    ("room_tenant_age_min", "room_tenant_age_max"),
)


@dataclass(frozen=True)
class Params:
    """Parameters of the housing model; see the module docstring for conventions."""

    # --- Demography -------------------------------------------------------------------
    mortality_multiplier: float = _p(1.0, "factor", "scales CBS 37360ned qx 2019 (abm/data)", "V", 0, 5)
    birth_rate: float = _p(
        0.19,
        "1/yr per couple household, head 25-40",
        "≈179,000 births 2021 (FACTS G, M) over 8.0 M households is 0.022 a household a year; couples with a head aged 25-40 are "
        "≈12 % of the model's households (0.10 gave half the births, and the children and young adults at home shrank ~3 % a "
        "year, issue 11)",
        "D",
        0,
        1,
    )
    birth_age_min: float = _p(
        25.0, "years (head)", "youngest head of a couple household that has children (birth_rate); assumption", "M", 15, 50
    )
    birth_age_max: float = _p(
        40.0, "years (head)", "oldest head of a couple household that has children (birth_rate); assumption", "M", 15, 55
    )
    child_comes_of_age_rate: float = _p(1 / 18, "1/yr per child at home", "a child turns 18 once in 18 years", "D", 0, 1)
    register_at_18_share: float = _p(
        0.4, "share", "young people who register as seeker at 18 (common advice in WoningNet regions)", "M", 0, 1
    )
    leave_home_multiplier: float = _p(
        1.0, "factor", "scales the leaving-home hazard from CBS living-with-parents 2021 (abm/data)", "V", 0, 5
    )
    separation_rate: float = _p(0.010, "1/yr per couple", "≈25,600 divorces 2021 plus unmarried separations (FACTS G)", "D", 0, 1)
    separation_womens_shelter_share: float = _p(
        0.03, "share of separations", "12,000 women a year use vrouwenopvang (report, 'Dak- en thuisloze mensen')", "M", 0, 1
    )
    separation_urgent_share: float = _p(
        0.10, "share of separations", "divorce with children as social-urgency ground (report, 'Sociaal urgenten')", "M", 0, 1
    )
    family_reunion_share: float = _p(0.35, "share of single refugees", "nareizigers (report, 'Statushouders')", "M", 0, 1)
    family_reunion_delay: float = _p(9.0, "months (mean)", "nareizigers arrive after the permit holder", "M", 1, 60)
    family_reunion_size: float = _p(2.0, "persons (mean)", "family members joining", "M", 0, 10)
    mobility_need_rate_75: float = _p(
        0.02,
        "1/yr at age 75, doubling every 8 years",
        "16 % of 75+ households have severe mobility limits (report, 'Medisch urgenten')",
        "C",
        0,
        1,
    )
    wheelchair_share_of_mobility: float = _p(0.10, "share", "wheelchair need among new mobility limits", "M", 0, 1)
    nursing_rate_85: float = _p(0.05, "1/yr at age 85, doubling every 5 years", "moves to Wlz nursing care", "M", 0, 1)
    widow_income_factor: float = _p(
        0.7, "factor", "household income after a partner dies: one income less, partly made up by survivor's pension (Anw)", "M", 0, 1
    )
    came_of_age_income: float = _p(9000.0, "EUR/yr (median)", "young adults at 18: side jobs, student finance", "M", 0, 100000)
    came_of_age_income_sigma: float = _p(
        0.6, "log-sd", "spread of young adults' incomes (at 18, and of starters by age, young_adult_income); assumption", "M", 0, 2
    )
    starter_income: float = _p(
        29500.0,
        "EUR/yr (median)",
        "income a young adult living in reaches at starter_income_age and keeps: median primary income of one-person "
        "households under AOW age, 2020 (CBS 83932NED, FACTS G; main earner under 25: median 10.7k)",
        "V",
        0,
        200000,
    )
    starter_income_age: float = _p(
        26.0,
        "years",
        "age at which a young adult's median income reaches starter_income; it rises log-linearly from came_of_age_income "
        "at 18 (so about 15k at 21.5, between CBS's 10.7k for main earners under 25, students included, and 29.5k); assumption",
        "M",
        19,
        40,
    )
    starter_couple_share: float = _p(
        0.28,
        "share of young adults who start to seek",
        "young adults living in who start to seek together with a partner also living in (their municipality): one "
        "household of two adults with both incomes. Of 21-year-olds not living with their parents on 1 Jan 2018, 19,619 "
        "lived together and 50,556 alone (CBS 37620, FACTS G: 0.28; 0.23 at 20)",
        "D",
        0,
        1,
    )
    caravan_child_share: float = _p(
        0.5,
        "share",
        "children of caravan households (woonwagenbewoners) who, turning 18, want a pitch of their own and keep the caravan "
        "dwellers' claim on pitches (Beleidskader gemeentelijk woonwagen- en standplaatsenbeleid, BZK 2018: living in a caravan "
        "is part of a cultural identity, and the next generation is most of the demand for pitches); assumption",
        "M",
        0,
        1,
    )
    came_of_age_female_share: float = _p(
        0.5,
        "share",
        "women among children turning 18; assumption (about 105 boys are born per 100 girls, so ≈0.49; no CBS table by sex in abm/data)",
        "M",
        0,
        1,
    )
    separation_income_share_min: float = _p(
        0.35,
        "share of household income",
        "lowest share of the couple's income that the leaving partner takes (uniform); assumption",
        "M",
        0,
        1,
    )
    separation_income_share_max: float = _p(
        0.55,
        "share of household income",
        "highest share of the couple's income that the leaving partner takes (uniform); assumption",
        "M",
        0,
        1,
    )
    separation_leaver_female_share: float = _p(
        0.5, "share", "women among partners who leave the home at a separation; assumption", "M", 0, 1
    )
    nursing_care_need_factor: float = _p(
        2.0,
        "factor",
        "nursing-home moves of people with a mobility or wheelchair need, relative to nursing_rate_85; assumption",
        "M",
        0,
        10,
    )
    nursing_no_care_factor: float = _p(
        0.5, "factor", "nursing-home moves of people without a recorded care need, relative to nursing_rate_85; assumption", "M", 0, 10
    )
    medical_urgency_share: float = _p(
        0.9894,
        "share",
        "calibrated by abm calibrate (record: abm/data/calibration.csv, docs/calibration.md) to the "
        "used_for_calibration targets of abm/data/targets.csv, mainly rot_success_regular, utr_success, "
        "u16_success; was M: households whose home no longer fits a new care need who get medical urgency "
        "where it is a ground",
        "C",
        0,
        1,
    )

    # --- Income, arrears and eviction ---------------------------------------------------
    income_median_social: float = _p(
        24000.0, "EUR/yr", "renters with huurtoeslag 18.4k, without 26.8k standardised (FACTS G)", "C", 1000, 200000
    )
    income_median_private: float = _p(
        34000.0, "EUR/yr", "renters without huurtoeslag, disposable median 25.8k (FACTS G)", "C", 1000, 200000
    )
    income_median_owner: float = _p(56000.0, "EUR/yr", "owner-occupiers 41.3k standardised (FACTS G)", "C", 1000, 300000)
    income_sigma: float = _p(0.5, "log-sd", "spread of household income", "M", 0.05, 2)
    income_shock_rate: float = _p(
        0.1847,
        "1/yr",
        "calibrated by abm calibrate (record: abm/data/calibration.csv, docs/calibration.md) to the "
        "used_for_calibration targets of abm/data/targets.csv, mainly rot_success_regular, hr_success, "
        "utr_success; was M: job loss / sudden income loss (report, 'Sociaal urgenten')",
        "C",
        0,
        1,
    )
    income_shock_factor: float = _p(0.6, "factor", "income after a shock", "M", 0, 1)
    income_recovery_months: float = _p(12.0, "months (mean)", "time to recover from a shock", "M", 1, 120)
    arrears_entry_rate: float = _p(0.0125, "1/month", "113,000-150,000 corporation tenants in arrears of 2.3 M (FACTS D)", "C", 0, 1)
    arrears_shock_multiplier: float = _p(4.0, "factor", "arrears entry after an income shock", "M", 1, 50)
    arrears_burden_elasticity: float = _p(
        1.0,
        "elasticity",
        "arrears entry rises with the rent burden (net rent after housing allowance / income, capped at 1): factor = "
        "burden^k / the mean of burden^k over corporation tenants at the start (so the calibrated entry rate holds for the "
        "2021 population; abm/income_rules.py); value an assumption",
        "M",
        0,
        5,
    )
    arrears_exit_rate: float = _p(0.25, "1/month", "arrears paid or payment plan", "M", 0, 1)
    court_rate: float = _p(0.005, "1/month in arrears", "7,000 court rulings 2020 (FACTS D)", "C", 0, 1)
    eviction_share_of_rulings: float = _p(0.25, "share", "about 3 in 4 rulings do not lead to eviction (FACTS D)", "V", 0, 1)
    evicted_homeless_share: float = _p(0.5, "share", "evicted households who become homeless (rest live in)", "M", 0, 1)

    # --- Housing allowance (huurtoeslag 2021; abm/income_rules.py) ----------------------------
    allowance_base_rent_min: float = _p(
        237.62,
        "EUR/month",
        "minimum base rent (minimale basishuur) 2021 below pension age; 2020: €232.65 (wijzeantwoorden.nl, citing the 2020 "
        "rules), indexed; 2021 value from memory",
        "M",
        0,
        442.46,
    )
    allowance_income_floor_single: float = _p(
        17000.0,
        "EUR/yr",
        "one-person income up to which the base rent stays at its minimum (minimuminkomensgrens); assumption",
        "M",
        0,
        31000,
    )
    allowance_income_floor_multi: float = _p(
        22000.0, "EUR/yr", "multi-person income up to which the base rent stays at its minimum; assumption", "M", 0, 41000
    )
    allowance_phase_out_single: float = _p(
        31000.0,
        "EUR/yr",
        "one-person income at which the allowance at the capping limit ends ('met een inkomen tot 31.000 euro voor "
        "alleenstaanden ... soms huurtoeslag', FAH 2021)",
        "V",
        17000,
        60000,
    )
    allowance_phase_out_multi: float = _p(
        41000.0,
        "EUR/yr",
        "multi-person income at which the allowance at the capping limit ends ('41.000 euro voor gezinnen', FAH 2021)",
        "V",
        22000,
        80000,
    )

    # --- Inflows --------------------------------------------------------------------------
    refugee_quota_half_year: float = _p(11000.0, "persons per half year, national", "taakstelling H2 2021 (FACTS B)", "V", 0, 100000)
    refugee_single_share: float = _p(0.6, "share of arriving households", "many permit holders arrive alone; families follow", "M", 0, 1)
    refugee_family_size: float = _p(4.0, "persons (mean)", "large families fit the stock badly (report, 'Statushouders')", "M", 2, 12)
    refugee_income: float = _p(
        12000.0,
        "EUR/yr",
        "permit holders start on social assistance (bijstand): about 12,000 a year for a single adult; assumption",
        "M",
        0,
        100000,
    )
    refugee_female_share: float = _p(0.3, "share of heads", "most asylum seekers who get a permit are men; assumption", "M", 0, 1)
    refugee_age_min: float = _p(18.0, "years (head)", "youngest arriving permit holder (uniform); adults", "M", 18, 80)
    refugee_age_max: float = _p(50.0, "years (head)", "oldest arriving permit holder (uniform); assumption", "M", 18, 80)
    labour_migrant_stock: float = _p(
        500000.0, "persons, national", "ruim 500.000 arbeidsmigranten (report, 'Arbeidsmigranten')", "V", 0, 5e6
    )
    labour_migrant_short_share: float = _p(0.5, "share", "short stay subgroup", "M", 0, 1)
    labour_migrant_contract_share: float = _p(0.3, "share", "contract-to-contract subgroup (rest settling)", "M", 0, 1)
    labour_migrant_short_stay: float = _p(6.0, "months (mean)", "short stay", "M", 1, 60)
    labour_migrant_contract_stay: float = _p(24.0, "months (mean)", "contract-to-contract", "M", 1, 240)
    labour_migrant_job_loss_rate: float = _p(0.12, "1/yr", "losing work means losing employer housing (report)", "M", 0, 1)
    labour_migrant_job_loss_homeless_share: float = _p(0.3, "share", "rest leave the region", "M", 0, 1)
    labour_migrant_persons_per_household: float = _p(
        2.0, "persons per household", "labour migrants arrive alone or in pairs and share housing", "M", 1, 10
    )
    labour_migrant_income: float = _p(22000.0, "EUR/yr (median)", "work near the minimum wage (WML 2021 ≈ 20,000 a year)", "M", 0, 200000)
    labour_migrant_income_sigma: float = _p(
        0.3, "log-sd", "spread of labour migrants' incomes (narrow: wages near the minimum); assumption", "M", 0, 2
    )
    labour_migrant_age_min: float = _p(20.0, "years", "youngest arriving labour migrant (uniform); assumption", "M", 18, 80)
    labour_migrant_age_max: float = _p(50.0, "years", "oldest arriving labour migrant (uniform); assumption", "M", 18, 80)
    labour_migrant_female_share: float = _p(0.3, "share of heads", "most labour migrants from central Europe are men", "M", 0, 1)
    student_income: float = _p(12000.0, "EUR/yr (median)", "student finance and side jobs", "M", 0, 100000)
    student_income_sigma: float = _p(0.4, "log-sd", "spread of students' incomes; assumption", "M", 0, 2)
    student_age_min: float = _p(18.0, "years", "youngest new student (uniform); first-year students", "M", 16, 40)
    student_age_max: float = _p(21.0, "years", "oldest new student (uniform); assumption", "M", 16, 40)
    student_female_share: float = _p(0.55, "share", "women are a small majority in higher education", "M", 0, 1)
    student_stay: float = _p(48.0, "months (mean)", "bachelor plus master", "M", 6, 120)
    student_intake_factor: float = _p(
        1.0, "factor", "September student intake relative to 2021 (driver series, report 'Studenten'; abm drivers)", "D", 0, 5
    )
    student_room_shortage: float = _p(
        0.06,
        "share",
        "students seeking a room each September beyond the student rooms to let in the coming year (vacant now plus the "
        "expected departures of their tenants: graduation, moving away; flows.student_rooms_to_let); they live in (with parents, "
        "commuting) until a room frees up. Fitted by hand so that the students still without a room in August, after a whole "
        "year, are ~5 % of the student rooms, as the report's shortage of 22,000 student homes is of the ~471,000 students living "
        "away from home (2019/20; report, 'Studenten'); CR17 at 15,000 households, seeds 1-3, ten years: 0.05 -> 2 %, 0.075 -> "
        "8 %, 0.3 -> 27 % (experiments/students)",
        "C",
        0,
        2,
    )
    student_stay_on_share: float = _p(0.5, "share of graduates", "graduates who stay and seek a home in the region", "M", 0, 1)
    new_homeless_rate: float = _p(
        12000.0,
        "persons/yr, national",
        "economic and other new homelessness besides the modelled causes (evictions, labour migrants losing work, young "
        "adults leaving benefit households, ...); calibrated at 13,000 so that the CBS count (homeless_cbs) stays level at "
        "32,000 (1 Jan 2021, FACTS D) without drivers (national, 200k households, seeds 1-3, 5 years; experiments/homeless), "
        "less the cost-sharing push now modelled (about 1,000 a year at cost_sharing_push_share 0.05: 13-16 a year at 0.1 "
        "in CR17 at 60k households with the spin-up, seeds 1-2, times 8.0 M / 60k)",
        "C",
        0,
        1e6,
    )
    newcomer_rate: float = _p(
        0.04,
        "1/yr per housed household",
        "households arriving from outside the COROP region to a market home; calibrated so arrivals match departures "
        "(left_region ≈ 4 %/yr) and market vacancies stay near their start level "
        "(0.012 left ≈ 1,150 of 5,000 homes vacant in 10 years)",
        "C",
        0,
        1,
    )
    newcomer_female_share: float = _p(0.45, "share of heads", "newcomers from outside the region", "M", 0, 1)
    newcomer_abroad_share: float = _p(
        0.4,
        "share of newcomers",
        "newcomers to a COROP region's market homes who come from abroad (CBS: an immigrant ends a vacancy chain); the others "
        "come from elsewhere in the Netherlands (their chain runs on outside the region). 269,064 immigrants in 2019 (CBS "
        "60056ned) against ≈300,000 persons leaving a COROP region (1.68 M movers × 40 % between municipalities × "
        "leave_region_share, FACTS G) give 0.47; less for asylum seekers and labour migrants, whom the model admits by other "
        "routes; a national run has only immigrants",
        "M",
        0,
        1,
    )
    newcomer_household_size: float = _p(
        1.9, "persons (mean)", "newcomers' household size: one plus a Poisson number, at most the home's rooms and 6; assumption", "M", 1, 6
    )
    newcomer_age_min: float = _p(23.0, "years (head)", "youngest newcomer from outside the region (uniform); assumption", "M", 18, 80)
    newcomer_age_max: float = _p(50.0, "years (head)", "oldest newcomer from outside the region (uniform); assumption", "M", 18, 80)
    homeless_income: float = _p(
        9000.0,
        "EUR/yr (median)",
        "income of homeless people (initial and new): social assistance or less, often none; assumption",
        "M",
        0,
        100000,
    )
    homeless_income_sigma: float = _p(0.5, "log-sd", "spread of homeless people's incomes; assumption", "M", 0, 2)
    homeless_female_share: float = _p(
        0.2,
        "share",
        "women among homeless adults (initial and new); CBS counts about 4 in 5 homeless adults as men (from memory)",
        "M",
        0,
        1,
    )
    homeless_g4_share: float = _p(
        0.37,
        "share",
        "share of the CBS homeless count in the four big cities, 1 Jan 2021 (FACTS D: CBS via NOS/NRC Nov 2021, vn.nl); places "
        "the initial and the new homeless people (region.homeless_shares)",
        "V",
        0,
        1,
    )
    homeless_age_min: float = _p(18.0, "years", "youngest homeless adult (initial and new, uniform); adults", "M", 18, 80)
    homeless_age_max: float = _p(65.0, "years", "oldest homeless adult (initial and new, uniform); assumption", "M", 18, 90)

    # --- Institutions ---------------------------------------------------------------------
    shelter_places: float = _p(
        12000.0, "places, national", "MO places in 43 centre municipalities; 22,528 homeless in 40 (FACTS D)", "M", 0, 1e6
    )
    shelter_stay: float = _p(6.0, "months to ready (mean)", "shelter stay before ready to move on", "M", 0, 120)
    shelter_entry_rate: float = _p(
        0.1897,
        "1/month for homeless",
        "calibrated by abm calibrate (record: abm/data/calibration.csv, docs/calibration.md) to the "
        "used_for_calibration targets of abm/data/targets.csv, mainly rot_success_regular, hr_success, "
        "u16_success; was M: homeless who enter a free shelter place; no stored source (new_homeless_rate is "
        "calibrated given it, docs/ODD.md 'Homelessness')",
        "C",
        0,
        1,
    )
    womens_shelter_places: float = _p(1024.0, "places, national", "1,024 places 2022-23 (FACTS D)", "V", 0, 1e6)
    womens_shelter_stay: float = _p(8.5, "months to ready (mean)", "259 days average follow-up shelter stay (FACTS D)", "V", 0, 120)
    protected_housing_places: float = _p(
        21000.0, "places, national", "3,000 a year to the market × 7 years (report, 'Uitstroom intramurale situatie')", "D", 0, 1e6
    )
    protected_housing_stay: float = _p(60.0, "months to ready (mean)", "population flows out in about 7 years (report)", "D", 1, 240)
    detention_places: float = _p(9000.0, "places, national", "prison and forensic places", "M", 0, 1e6)
    detention_stay: float = _p(6.0, "months (mean)", "short sentences dominate", "M", 0, 240)
    detention_home_loss_share: float = _p(0.3, "share", "detainees who lose their home (rent not paid during detention)", "M", 0, 1)
    youth_care_places: float = _p(8000.0, "places, national", "residential youth care", "M", 0, 1e6)
    youth_care_stay: float = _p(18.0, "months (mean)", "leave at 18", "M", 1, 120)
    institution_other_exit_rate: float = _p(
        0.03, "1/month when ready", "ready residents who leave to family, private rooms or elsewhere", "M", 0, 1
    )
    institution_exit_living_in_share: float = _p(
        0.5, "share", "ready residents leaving by other routes who live in with others (the rest leave the region); assumption", "M", 0, 1
    )
    homeless_exit_living_in_share: float = _p(
        0.6,
        "share",
        "homeless people leaving by other routes who live in with others (the rest leave the region); assumption, no stored source",
        "M",
        0,
        1,
    )
    institution_initial_occupancy: float = _p(
        0.95, "share of places", "institutions' occupancy at the start; assumption (they run nearly full)", "M", 0, 1
    )
    institution_initial_ready_months: int = _p(
        12,
        "months",
        "residents at the start are ready up to this many months ago (uniform, with the rest still inside); assumption",
        "M",
        0,
        60,
    )
    institution_income: float = _p(
        10000.0,
        "EUR/yr (median)",
        "income of institution residents (initial and intake): benefits or pocket money; assumption",
        "M",
        0,
        100000,
    )
    institution_income_sigma: float = _p(0.4, "log-sd", "spread of institution residents' incomes; assumption", "M", 0, 2)
    institution_female_share: float = _p(
        0.3, "share", "women among residents of shelters, protected housing, detention and youth care; assumption", "M", 0, 1
    )
    womens_shelter_female_share: float = _p(0.9, "share", "women among residents of women's shelters at the start; assumption", "M", 0, 1)
    institution_age_min: float = _p(18.0, "years", "youngest adult institution resident (initial and intake, uniform); adults", "M", 18, 80)
    institution_age_max: float = _p(
        60.0, "years", "oldest adult institution resident (initial and intake, uniform); assumption", "M", 18, 90
    )
    youth_care_age_min: float = _p(16.5, "years", "youngest new resident of residential youth care (uniform); assumption", "M", 12, 18)
    youth_care_age_max: float = _p(
        17.5,
        "years",
        "oldest new resident of youth care (uniform); residents at the start are between this and 18; assumption",
        "M",
        12,
        18,
    )
    detention_from_population_share: float = _p(
        0.5,
        "share of detainees",
        "new detainees taken from the region's homeless people and single tenants (the rest come from elsewhere); assumption",
        "M",
        0,
        1,
    )
    detention_pool_age_max: float = _p(
        50.0, "years", "oldest single adult from whom detainees are taken; assumption (detainees are mostly young men)", "M", 18, 90
    )
    homeless_other_exit_rate: float = _p(
        0.03,
        "1/month",
        "homeless who find an informal place (living in) or leave; no stored source (new_homeless_rate and its driver series are "
        "calibrated given it to the CBS counts 2021-2024, docs/ODD.md 'Homelessness')",
        "M",
        0,
        1,
    )
    refugee_label_months: float = _p(
        36.0,
        "months after leaving the asylum centre",
        "how long a permit holder counts as one (group refugee, vulnerable); assumption: the 3-year inburgering term "
        "(Wet inburgering 2021 art. 11, divosa.nl Q&A), taken from settling in the municipality",
        "M",
        1,
        240,
    )
    institution_leaver_label_months: float = _p(
        24.0,
        "months after leaving the institution",
        "how long a leaver of protected housing, detention or youth care counts as one; assumption "
        "(no source in the report: about the period of ambulant support after leaving)",
        "M",
        1,
        240,
    )

    # --- Moving, seeking and outflow -------------------------------------------------------
    seek_rate: float = _p(
        0.02,
        "1/yr per housed household",
        "housed households who start seeking a social home; 45,000 active seekers in U16 (FACTS C)",
        "C",
        0,
        1,
    )
    crowded_seek_rate: float = _p(
        0.02, "1/month", "overcrowded households (persons minus one above rooms) who start seeking a home", "M", 0, 1
    )
    seek_give_up_rate: float = _p(
        0.005836,
        "1/month",
        "calibrated by abm calibrate (record: abm/data/calibration.csv, docs/calibration.md) to the "
        "used_for_calibration targets of abm/data/targets.csv, mainly rot_success_regular, hr_success, "
        "utr_success; was M: active seekers who stop seeking without moving",
        "C",
        0,
        1,
    )
    living_in_other_solution_rate: float = _p(
        0.15,
        "1/yr",
        "seekers living in with others (not students or labour migrants) who find a home outside the social stock and the "
        "market step (a partner's home, a room, elsewhere) and leave the list; active search of 1-5 years (RIGO for BZK, FACTS C) "
        "and Holland Rijnland's 29,400 active seekers against ~3,000 lettings a year (FACTS C) mean most active seekers leave by "
        "other routes. 0.25 until starters took any market home that fits them (issue 11): that raised their market exits by "
        "~0.3 a year per seeker (CR17, 15,000 households, seeds 1-2), so the private-rent part of this route is now modelled",
        "M",
        0,
        1,
    )
    living_in_partner_share: float = _p(
        0.5,
        "share",
        "of those seekers living in who find another solution, the share who move in with a partner living alone in the "
        "municipality (the couple household then has children at birth_rate); couples forming are the commonest way young "
        "adults leave home besides a home of their own (CBS leaving-home statistics), M",
        "M",
        0,
        1,
    )
    regional_search_share: float = _p(0.3, "share of seekers", "seekers who also search outside their municipality", "M", 0, 1)
    leave_region_share: float = _p(
        0.1437,
        "share of inter-municipal moves",
        "calibrated by abm calibrate (record: abm/data/calibration.csv, docs/calibration.md) to the "
        "used_for_calibration targets of abm/data/targets.csv, mainly rot_success_regular, utr_success, "
        "hr_success; was M: moves between municipalities that leave a COROP region (>80 % of moves stay in "
        "the province, FACTS G)",
        "C",
        0,
        1,
    )
    buy_rate: float = _p(0.03, "1/yr", "middle-income social tenants who move to buying or mid-rent", "M", 0, 1)
    buy_income: float = _p(44655.0, "EUR/yr", "upper limit of the 80-10-10 middle band (FACTS B)", "V", 0, 500000)
    market_fill_rate: float = _p(
        0.8494,
        "1/month",
        "calibrated by abm calibrate (record: abm/data/calibration.csv, docs/calibration.md) to the "
        "used_for_calibration targets of abm/data/targets.csv, mainly rot_success_regular, u16_success, "
        "hr_success; was M: private and owner vacancies let or sold each month",
        "C",
        0,
        1,
    )
    temporary_grace_months: float = _p(3.0, "months", "time to leave after a temporary contract ends", "M", 0, 24)
    min_letting_months: float = _p(
        6.0,
        "months",
        "a vacant home is let (social allocation and market) only if its site stays longer than this: a flex home near the "
        "end of its site's lifetime stays empty; assumption",
        "M",
        0,
        24,
    )

    # --- Construction ------------------------------------------------------------------------
    social_build_rate: float = _p(0.0065, "1/yr of corporation stock", "≈15,000 corporation completions a year around 2021", "M", 0, 0.2)
    market_build_rate: float = _p(0.0097, "1/yr of private and owner stock", "≈70,000 completions a year in all (CBS)", "M", 0, 0.2)
    market_owner_share: float = _p(
        0.75, "share of market starts", "market homes built for owner-occupiers (the rest private rent); assumption", "M", 0, 1
    )
    social_demolition_rate: float = _p(
        0.0030,
        "1/yr of corporation stock",
        "corporation homes demolished (sloop, herstructurering in weak neighbourhoods): 7,300 of 2.3 million in 2015 (CBS via "
        "nu.nl, May 2017: ~4,000 apartments and 3,200 family homes); taken only when vacant (abm/processes/stock_changes.py)",
        "V",
        0,
        0.05,
    )
    caravan_pitch_response: float = _p(
        0.1,
        "share of the gap a year",
        "share of the gap between caravan dwellers seeking a pitch and the free and planned pitches that a municipality "
        "starts each January (Beleidskader gemeentelijk woonwagen- en standplaatsenbeleid 2018: municipalities assess the "
        "need and plan pitches; few are added in practice), assumption",
        "M",
        0,
        1,
    )
    demolition_renewal_share: float = _p(
        0.5,
        "share of demolitions",
        "demolitions done as urban renewal with sitting tenants (herstructurering: notice, urgency to be rehoused, "
        "demolition once the home is empty); the rest waits until a home falls vacant; assumption (most demolition "
        "is of whole complexes, some of it phased by natural turnover)",
        "M",
        0,
        1,
    )
    renewal_notice_months: float = _p(
        24.0,
        "months",
        "from the notice of demolition to its date; the tenants' urgency to be rehoused lasts twice as long (until they "
        "are rehoused in practice); assumption (a sociaal plan typically gives 1-2 years)",
        "M",
        1,
        120,
    )
    social_sale_rate: float = _p(
        0.0010,
        "1/yr of corporation stock",
        "corporation homes sold at turnover (verkoop bij mutatie), at the sector's financial room of 2021: sales and "
        "liberalisation together = build rate 0.0065 - demolition 0.0030 - the stock's growth in 2015-2020 (+1 % in five "
        "years, Omroep West/NOS 2021, FACTS A) = 0.0015 a year, two thirds sales (assumption)",
        "D",
        0,
        0.05,
    )
    social_liberalisation_rate: float = _p(
        0.0005,
        "1/yr of corporation stock",
        "corporation homes liberalised at turnover (rent raised above the liberalisation limit, into the private sector): the "
        "remaining third of the 0.0015 a year of social_sale_rate's derivation (assumption)",
        "D",
        0,
        0.05,
    )
    sale_room_response: float = _p(
        1.0,
        "elasticity",
        "how strongly sales and liberalisation fill the gap of a corporation's financial room: rates × (1 + e) / (1 + e × room); "
        "the landlord levy cut the room and corporations sold and liberalised homes to keep investing (report, 'Financiën en "
        "regelgeving'; Staat van de Corporatiesector 2022 via De Gelderlander: social stock -150,000 in 2013-2019 through sales, "
        "demolition and liberalisation); value an assumption",
        "M",
        0,
        10,
    )
    permanent_lead_time: float = _p(30.0, "months from start to keys (mean)", "building takes years (report, 'Flexwonen')", "M", 6, 240)
    new_social_rent_premium: float = _p(
        40.0, "EUR/month", "new corporation homes let above a comparable home of the existing stock (from memory)", "M", 0, 300
    )
    flex_build_rate: float = _p(
        2000.0,
        "flex homes/yr, national",
        "municipalities' own flex programme before the agreement: ≈1,840 built in 2021 (FACTS D); costed per completion in the cost table",
        "V",
        0,
        1e6,
    )
    flex_lead_time: float = _p(6.0, "months", "flex homes delivered within months (report, 'Flexwonen')", "M", 1, 60)
    flex_site_lifetime: float = _p(120.0, "months", "flex sites of 5-15 years (report)", "V", 12, 360)

    # --- Allocation --------------------------------------------------------------------------
    max_extra_rooms: int = _p(
        2, "rooms", "largest surplus of rooms over need that a one- or two-person household may be offered (families: any)", "M", 0, 10
    )
    stale_vacancy_months: float = _p(
        3.0,
        "months",
        "a social home without a tenant this long is let at the lower capping limit (aftoppen) and offered without the size rule, "
        "so that allowance-level households of any size may take it",
        "M",
        1,
        24,
    )
    label_release_months: float = _p(
        6.0,
        "months",
        "a labelled social home (senior, wheelchair, caravan, young-adult) without an eligible tenant this long is offered to "
        "other seekers too (advertisements: 'bij onvoldoende belangstelling ... aan andere woningzoekenden'; report, 'Medisch "
        "urgenten en rolstoelafhankelijken')",
        "M",
        1,
        60,
    )
    quota_pacing_months: float = _p(
        6.0,
        "months",
        "a half year's permit-holder quota is released evenly over this many months (1: all at once); backlog at once "
        "(report, 'Statushouders'; FACTS B)",
        "M",
        1,
        6,
    )

    # --- Levers that measures move (neutral by default) -----------------------------------------
    weak_neighbourhood_arrears_factor: float = _p(
        1.0, "factor", "arrears entry in the weakest third of neighbourhoods (welfare work lowers it)", "M", 0, 5
    )
    evicted_fallback_share: float = _p(
        0.0,
        "share",
        "evicted tenants with a support place who fall back on a place in protected housing (where one is free) or a shelter, not the "
        "street: their support worker arranges it (report, 'Dak- en thuisloze mensen': 'terugvalopties'; Housing First and warm "
        "outflow raise it; abm/support.py)",
        "M",
        0,
        1,
    )
    housing_first_coverage: float = _p(
        0.0,
        "share",
        "formerly homeless households with a support need who get a home without waiting for a Wmo place and are supported by a "
        "Housing First team (the housing_first measure raises it; abm/support.py)",
        "M",
        0,
        1,
    )
    support_prepared_share: float = _p(
        0.0,
        "share",
        "ready leavers of protected housing, detention and youth care with a support need whose support is arranged before they "
        "leave: first in the municipality's support queue, and their placement waits for it (warm outflow raises it; abm/support.py)",
        "M",
        0,
        1,
    )
    temporary_follow_up: float = _p(
        0.0, "share", "tenants of flex and transitional homes who get urgency for a follow-up home when their contract ends", "M", 0, 1
    )
    senior_seek_rate: float = _p(0.0, "1/yr", "extra seniors (65+) in social homes of 4+ rooms who start seeking", "M", 0, 1)
    flex_target_share: float = _p(
        0.0,
        "share of flex homes",
        "flex homes offered first to homeless people and institution leavers (direct placement), the rest let as usual "
        "(report, 'Snel en flexibel'; the flex_housing measure raises it)",
        "M",
        0,
        1,
    )
    corporation_capacity: float = _p(1.0, "factor", "corporations' investment capacity (landlord levy abolition raises it)", "M", 0, 10)

    # --- Care and support (begeleiding; abm/support.py) -----------------------------------------------
    support_wmo_places: float = _p(
        30000.0,
        "places, national",
        "ambulatory support places (begeleid wonen, ambulante begeleiding) open to the groups modelled here (homeless people, shelter "
        "and institution leavers, social urgents), shared by population: ≈100,000 clients of shelters, women's shelters and "
        "protected/supported housing (Valente 2019, FACTS D) less ≈34,000 residential places (shelter_places, womens_shelter_places, "
        "protected_housing_places) leaves ≈66,000 ambulatory clients; assumption: a bit over half of them are clients the model does "
        "not represent (supported at home, never homeless or in an institution), so that the places fall short of the modelled "
        "need as the report says ('onvoldoende structurele middelen voor passende zorg en begeleiding')",
        "M",
        0,
        1e6,
    )
    support_light_months: float = _p(
        24.0, "months (mean)", "duration of a light ambulatory support need (geometric); assumption", "M", 1, 240
    )
    support_intensive_months: float = _p(
        36.0,
        "months (mean)",
        "duration of an intensive support need (geometric); assumption: Housing First support 'zolang als nodig', typically two to "
        "three years (report, 'Dak- en thuisloze mensen': begeleiding 'voldoende lang, intensief en op- en afschaalbaar')",
        "M",
        1,
        240,
    )
    support_wait_share: float = _p(
        0.5,
        "share",
        "households with a support need and no free support place whose placement waits for one (the rest are housed without it); "
        "both happen (issue 16); assumption",
        "M",
        0,
        1,
    )
    unmet_support_arrears_factor: float = _p(
        3.0,
        "factor",
        "arrears entry of tenants with a support need and no support, against other tenants; assumption (report, 'Sociaal "
        "urgenten': without housing and support 'verergert de problematiek')",
        "M",
        0,
        10,
    )
    met_support_arrears_factor: float = _p(
        1.2,
        "factor",
        "arrears entry of tenants with a support need who are supported; assumption: Housing First keeps 80-90 % of tenancies "
        "(Housing First Europe evaluations, from memory)",
        "M",
        0,
        10,
    )
    nuisance_rate: float = _p(
        0.1,
        "1/yr",
        "nuisance cases (woonoverlast) among tenants with a support need and no support; assumption: rent arrears cause ≈60 % of "
        "evictions (FACTS D), nuisance much of the rest",
        "M",
        0,
        1,
    )
    met_support_nuisance_factor: float = _p(
        0.3, "factor", "nuisance cases of supported tenants with a need, against unsupported ones; assumption", "M", 0, 1
    )
    nuisance_eviction_share: float = _p(
        0.3,
        "share of cases",
        "nuisance cases that end in an eviction (the rest are settled: a warning, a behaviour agreement); assumption",
        "M",
        0,
        1,
    )
    skaeve_huse_per_100k: float = _p(
        2.0,
        "units per 100,000 inhabitants",
        "Skaeve Huse (prikkelarme woonvormen, report 'Woonwensen': Rotterdam) in the centre municipality of each COROP region, "
        "per 100,000 inhabitants of the region; assumption: a few hundred units in some thirty municipalities nationally",
        "M",
        0,
        20,
    )
    skaeve_huse_referral_share: float = _p(
        0.5,
        "share of cases",
        "nuisance cases heading for an eviction that the corporation and municipality refer to a free Skaeve Huse unit "
        "instead (the report: *oplossing ernstige woonoverlast*); assumption",
        "M",
        0,
        1,
    )

    # --- Municipal costs ------------------------------------------------------------------------
    social_support_months: float = _p(
        36.0,
        "months",
        "time a housed permit-holder household keeps drawing on participation and income support (re-integration, bijzondere "
        "bijstand) beyond the state's grant (abm/social_costs.py; care and support of the other groups follow the support given)",
        "M",
        1,
        240,
    )

    # --- Municipalities that decide (abm/decisions.py) ---------------------------------------------
    municipal_decisions: int = _p(
        1,
        "0/1",
        "municipalities set their urgency duration and homeless ground, direct-placement effort, flex sites, social building "
        "permits and support places once a year by the rule of abm/decisions.py (1), or keep the scenario's policy (0); "
        "report, 'Beleid en samenwerking: Duivels lokaal dilemma'",
        "M",
        0,
        1,
    )
    decision_tolerance: float = _p(
        0.1,
        "share",
        "dead band: a municipality changes a decision only when a signal (costs against its budget, waiting seekers per letting, "
        "homeless people, unmet support, households attracted from neighbours, an agreement) is more than this share away from its "
        "reference year; small yearly swings are not a reason to change policy (incremental budgeting); assumption",
        "M",
        0,
        1,
    )
    decision_noise_z: float = _p(
        2.0,
        "standard errors",
        "the dead band is at least this many standard errors of a Poisson count of the reference year's size (1/√n of lettings, "
        "homes started, homeless people, support cases): a municipality does not change course over chance swings in small "
        "numbers; assumption",
        "M",
        0,
        5,
    )
    decision_step: float = _p(
        0.1,
        "share a year",
        "most a decision moves in one year toward its target (effort, flex and permit factors, support places as a share of the "
        "reference; urgency duration as a share of the region's duration); a council changes course gradually; assumption",
        "M",
        0,
        1,
    )
    decision_cost_weight: float = _p(
        0.5,
        "per unit of overrun",
        "how far a municipality retreats (effort, flex sites, permits, support places) per unit by which its costs exceed its "
        "budget beyond the tolerance ('De financiële draagkracht van gemeenten staat flink onder druk, waardoor het animo om "
        "huisvesting te realiseren ... afneemt'; report, 'Duivels lokaal dilemma'); assumption",
        "M",
        0,
        5,
    )
    decision_pressure_weight: float = _p(
        0.5,
        "per unit of rise",
        "how far a municipality responds per unit of rise (beyond the tolerance) of the pressure it sees: seekers per letting "
        "(shorter urgency, more building permits), homeless people and shelter residents ready to leave (more flex sites), "
        "unmet support needs (more support places); assumption",
        "M",
        0,
        5,
    )
    decision_attraction_weight: float = _p(
        1.0,
        "per unit of share",
        "how far a municipality lowers its effort per unit of the share of its priority lettings that went to households who "
        "moved in from neighbours in the year (beyond the tolerance): 'hoe groter de ambitie ... hoe groter de kans op een "
        "aanzuigende werking'; report, 'Duivels lokaal dilemma'; assumption",
        "M",
        0,
        5,
    )
    decision_agreement_weight: float = _p(
        0.2,
        "factor",
        "how far a missed performance agreement (prestatieafspraak) raises the decision it concerns the next year: effort for "
        "a missed letting commitment, building permits for a missed build commitment; assumption",
        "M",
        0,
        2,
    )
    urgency_months_min_share: float = _p(
        0.5,
        "share of the region's duration",
        "shortest urgency duration a municipality under pressure sets, as a share of the region's rule (urgency criteria tighten "
        "where waiting lists lengthen); assumption",
        "M",
        0,
        1,
    )
    homeless_ground_min_effort: float = _p(
        0.5,
        "effort 0..1",
        "a municipality whose effort for priority groups falls below this drops homelessness as an urgency ground (where the "
        "region's rule has it) and takes it up again above it; assumption",
        "M",
        0,
        1,
    )
    flex_factor_max: float = _p(
        3.0, "factor", "most flex sites a municipality offers, as a factor on its share of the programme", "M", 1, 10
    )
    permit_factor_max: float = _p(
        2.0, "factor", "most social building permits a municipality grants, as a factor on its corporations' plans", "M", 1, 10
    )
    support_places_max_factor: float = _p(
        2.0, "factor", "most Wmo support places a municipality buys, as a factor on its places in the reference year", "M", 1, 10
    )
    land_revenue_forgone_social_home: float = _p(
        20000.0,
        "EUR per social home started",
        "land revenue a municipality forgoes on a social rental home against market housing ('lagere grondopbrengsten in het "
        "ruimtelijke domein'; report, 'Duivels lokaal dilemma'): social land prices of roughly 15,000-25,000 a home against "
        "several times that for owner-occupied homes; figure from memory, weighed in the municipality's costs",
        "M",
        0,
        1e6,
    )
    flex_site_cost: float = _p(
        10000.0,
        "EUR per flex home started",
        "the municipality's cost of a temporary site (preparation, utilities, services); the homes themselves are the "
        "corporation's (flex_home_build in the cost table); figure from memory, weighed in the municipality's costs",
        "M",
        0,
        1e6,
    )
    attraction_rate: float = _p(
        0.05,
        "per month per unit of effort gap",
        "share of the region's priority seekers without a home of their own (roofless, sofa-surfing, living in after a shelter or "
        "an institution) who move a month to the most active municipality of their COROP region, per unit of the gap between its "
        "effort and their own municipality's (aanzuigende werking; report, 'Duivels lokaal dilemma'); assumption",
        "M",
        0,
        1,
    )
    province_tolerance: float = _p(
        0.25,
        "share of the half year's quota",
        "the province's interbestuurlijk toezicht on the permit-holder quota: a municipality whose shortfall at the end of a half "
        "year exceeds this share of its quota climbs a step on the escalation ladder (1 signal, 2 aanschrijving: the whole quota "
        "is due at once, 3 indeplaatsstelling); a half year within it brings it back to 0 (Huisvestingswet art. 30, Gemeentewet "
        "art. 124; report, 'Statushouders': 'De provincie: houdt toezicht op de opgave en kan sancties opleggen')",
        "M",
        0,
        1,
    )
    indeplaatsstelling_cost: float = _p(
        2000.0,
        "EUR per person short, per half year",
        "the province's cost of acting in a municipality's place (indeplaatsstelling), charged to the municipality (Gemeentewet "
        "art. 124: 'op kosten van de gemeente') for each person of its quota shortfall at the half-year check while it is at "
        "step 3 (per person, so that it scales with the task and the region); figure from memory, weighed in its costs",
        "M",
        0,
        1e6,
    )

    # --- Monitoring -----------------------------------------------------------------------------
    social_share_minimum: float = _p(
        0.30,
        "share of all homes",
        "minimum social share of a municipality's stock the social_share_below_minimum indicator checks against (the "
        "national ambition of at least 30 % social rent per municipality, Nationale Woon- en Bouwagenda 2022; the report asks "
        "to monitor the building task per municipality, 'Monitoren')",
        "M",
        0,
        1,
    )

    # --- Initialisation -----------------------------------------------------------------------
    spinup_months: int = _p(
        60,
        "months",
        "the model runs this long (rounded up to whole years) before month 0, unrecorded and without measures, so that month 0 "
        "is a state of its own dynamics (docs/ODD.md, Initialisation); "
        "the homes it builds are taken out after it (the 2021 stock is kept): "
        "five years is longer than a student's stay (48 months) "
        "and the turnover of the waiting list, and tests/test_steady_state.py passes with it; 120 months drifts no less",
        "M",
        0,
        240,
    )
    initial_registered_share: float = _p(0.45, "share of housed renters", "renters registered as seekers at the start", "M", 0, 1)
    initial_seeking_share: float = _p(
        0.07, "share of housed households", "45,000 active seekers in U16 of ≈440,000 households (FACTS C)", "D", 0, 1
    )
    initial_living_in_seeking: float = _p(0.30, "share of young adults at home", "actively seeking at the start", "M", 0, 1)
    refugee_social_share: float = _p(0.03, "share of social tenants", "recent permit holders among social tenants", "M", 0, 1)
    homeless_initial: float = _p(
        32000.0,
        "persons, national",
        "CBS count of homeless people 18-65 on 1 Jan 2021, shelter residents included (FACTS D); the roofless at the start are "
        "this minus the homeless-shelter residents (no double count)",
        "V",
        0,
        1e6,
    )
    asylum_waiting_initial: float = _p(
        10000.0, "households, national", "permit holders in asylum centres waiting for a home, 2021", "M", 0, 1e6
    )
    cohort_share: float = _p(0.0122, "persons per year of age per inhabitant", "209,792 persons aged 20 in 2018 (FACTS G)", "V", 0, 0.05)
    room_social_share: float = _p(0.3, "share of rooms", "rooms let by corporations (student housing providers)", "M", 0, 1)
    room_student_share: float = _p(0.6, "share of rooms", "rooms labelled for students", "M", 0, 1)
    corporation_size: float = _p(25000.0, "dwellings per corporation", "about 280 corporations for 2.3 M homes (Aedes)", "M", 100, 1e6)
    couple_share: float = _p(
        0.85,
        "share of multi-person households",
        "households of two or more persons with two adults (the rest single parents; a two-person household with a head of 60+ is "
        "always a couple); assumption",
        "M",
        0,
        1,
    )
    pension_income_factor: float = _p(
        0.75, "factor", "income of households with a head of 67+ at the start, relative to their tenure's (AOW age); assumption", "M", 0, 2
    )
    head_female_share: float = _p(0.45, "share of heads", "women among heads of housed households at the start; assumption", "M", 0, 1)
    living_in_female_share: float = _p(
        0.45, "share", "women among young adults living with their parents at the start (women leave home earlier, CBS 2021)", "M", 0, 1
    )
    room_tenant_income: float = _p(
        14000.0, "EUR/yr (median)", "tenants of rooms at the start (students, young singles); assumption", "M", 0, 100000
    )
    room_tenant_income_sigma: float = _p(0.4, "log-sd", "spread of room tenants' incomes; assumption", "M", 0, 2)
    room_tenant_age_min: float = _p(18.0, "years", "youngest room tenant at the start (uniform)", "M", 16, 80)
    room_tenant_age_max: float = _p(27.0, "years", "oldest room tenant at the start (uniform); assumption", "M", 16, 80)
    initial_mobility_share_75: float = _p(
        0.16, "share of households, head 75+", "16 % of 75+ households have severe mobility limits (report, 'Medisch urgenten')", "V", 0, 1
    )
    initial_wheelchair_share_75: float = _p(0.015, "share of households, head 75+", "wheelchair users at the start; assumption", "M", 0, 1)
    senior_label_share: float = _p(
        0.5, "share of zero-step homes", "existing zero-step homes labelled for seniors (all tenures); assumption", "M", 0, 1
    )

    # --- Market and costs ------------------------------------------------------------------------
    rent_share_max: float = _p(0.4, "share of income", "highest share of income paid in private rent", "M", 0.05, 1)
    market_turnover: float = _p(
        1.0,
        "factor on CBS rates",
        "private tenants and owner-occupiers decide to move within the region at the CBS 2017 rates by age of the head "
        "(moving_rates_by_age_2017.csv: within the municipality, plus between municipalities less leave_region_share, "
        "which leave the region); persons' rates applied to households; 0 = no market turnover",
        "D",
        0,
        3,
    )
    new_owner_couple_share: float = _p(
        0.6,
        "share of new owner-occupied homes",
        "new owner-occupied homes bought by couples already housed in the region (CBS 2025/21: the first occupants of "
        "69 % of 2019's new builds left a home behind; that most are couples is an assumption)",
        "M",
        0,
        1,
    )
    newcomer_register_share: float = _p(0.3, "share of newcomers", "newcomers who register as social-housing seekers", "M", 0, 1)
    liveability_concentration_effect: float = _p(
        0.0,
        "liveability per unit of location quotient",
        "fall of a neighbourhood's liveability target per unit its vulnerable share exceeds the region's, relative to it "
        "(0.05: twice the region's share lowers it by a twentieth of the range from weakest to strongest); report, "
        "'Draagvlak en leefbaarheid' (concentration puts support in the neighbourhood under pressure); no Dutch estimate, "
        "so off in the baseline (0.05 moved the fitted U16 turnover and success rate out of tolerance, 0.1 took away "
        "quota_by_pressure's effect on the tightest markets in CR17); a scenario assumption",
        "M",
        0,
        1,
    )
    liveability_adjustment: float = _p(
        0.2,
        "share per year",
        "share of the gap to its target a neighbourhood's liveability closes each January (Leefbaarometer scores move slowly: "
        "over years, not months); assumption",
        "M",
        0,
        1,
    )
    weak_neighbourhood_concentration_factor: float = _p(
        1.0,
        "factor",
        "factor on the liveability loss from concentration in the weakest third of neighbourhoods (welfare work lowers it: *veerkracht*)",
        "M",
        0,
        5,
    )
    concentration_threshold: float = _p(
        0.2, "share of households", "vulnerable share above which a neighbourhood counts as concentrated", "M", 0, 1
    )
    social_minimum_single: float = _p(
        12910.0,
        "EUR/yr",
        "social minimum of a single adult 21+: the social-assistance norm (bijstandsnorm alleenstaande, Participatiewet) "
        "2021, EUR 1,075.87 a month net including holiday allowance; a household at or below it lives at benefit level "
        "(abm/processes/cost_sharing.py); from memory of the SZW norms, to verify",
        "M",
        0,
        100000,
    )
    social_minimum_couple: float = _p(
        18444.0,
        "EUR/yr",
        "social minimum of a couple 21+: the norm for married and cohabiting people 2021, EUR 1,536.96 a month net "
        "including holiday allowance; from memory of the SZW norms, to verify",
        "M",
        0,
        100000,
    )
    cost_sharing_age: float = _p(
        21.0,
        "years",
        "age from which an adult sharing a home counts as a cost sharer (kostendelersnorm, Participatiewet art. 22a; 21 "
        "from 2015 to 2023, from memory); the measure no_cost_sharing raises it",
        "M",
        18,
        67,
    )
    cost_sharing_push_share: float = _p(
        0.05,
        "share",
        "young adults living in with a benefit-level household who leave home without a home of their own (sofa-surfing, "
        "roofless) at the birthday from which they count as cost sharers (report, 'Dak- en thuisloze mensen': a larger "
        "outflow of young people from benefit households in the year they turn 21, Significant APE 2020; the report gives "
        "no size: a few per cent more leave at 21, of whom some without a home), assumption",
        "M",
        0,
        1,
    )
    new_build_mixing: float = _p(
        0.5,
        "share (0..1)",
        "where a municipality puts new homes among its neighbourhoods (report, 'Ruimtelijk' and 'Financiën en regelgeving': "
        "*slim toewijzen dat twee kanten op werkt: meer sociale huur in veerkrachtige wijken en minder in sociaal zwakke "
        "wijken*): 0 new social homes where the social stock stands (weak neighbourhoods) and market homes where the market "
        "stock stands, 1 the reverse, 0.5 every tenure evenly over its neighbourhoods; each municipality's own "
        "build_mixing overrides it; no data on where 2021's new homes went, assumption",
        "M",
        0,
        1,
    )
    stock_sales_weak_first: float = _p(
        0.0,
        "share (0..1)",
        "how strongly corporations take their sales and liberalisations from homes in the weakest third of neighbourhoods "
        "first (0 their usual order: family homes, highest rents; 1 all weak-neighbourhood homes first); the stock side of "
        "*minder sociale huur in sociaal zwakke wijken*; 2021 practice: none, assumption",
        "M",
        0,
        1,
    )

    def __post_init__(self) -> None:
        # Every construction is validated: the defaults once per class, then every value that is
        # not the default object; converted values replace the given ones (the instance is frozen).
        defaults = _defaults(type(self))
        given = {k: v for k, v in self.__dict__.items() if v is not defaults[k]}
        if given:
            self.__dict__.update(_validated(type(self), given, type(self).__name__))
        self._check_together(type(self).__name__)

    def _check_together(self, where: str) -> None:
        """Constraints across parameters (one line naming the parameter, like any other error)."""
        lm = self.labour_migrant_short_share + self.labour_migrant_contract_share
        if lm > 1 + 1e-9:
            raise ParamsError(
                f"{where}.labour_migrant_short_share: labour_migrant_short_share + labour_migrant_contract_share "
                f"must be at most 1 (the rest settle), got {lm:g}"
            )
        # Ranges drawn uniformly: the lower end may not exceed the upper one.
        for lo, hi in RANGES:
            if getattr(self, lo) > getattr(self, hi):
                raise ParamsError(f"{where}.{lo}: {lo} ({getattr(self, lo):g}) must not exceed {hi} ({getattr(self, hi):g})")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def with_overrides(self, overrides: dict[str, Any], where: str = "params") -> Params:
        """Return a copy with ``overrides`` applied; raise ``ParamsError`` (a ``ValueError``) naming
        a wrong key or value as ``WHERE.NAME: problem``. Only the overrides are validated (this
        instance already is), so switching measures on and off stays cheap."""
        if not overrides:
            return self
        checked = _validated(type(self), dict(overrides), where)
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(checked)
        new._check_together(where)
        return new

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def param_specs() -> dict[str, dict[str, Any]]:
    """Per parameter: its default ``value`` and its ``unit``, ``source``, ``status``, ``lo`` and
    ``hi`` (bounds, None where open), in declaration order (for tools and tests)."""
    return {f.name: {"value": f.default, **f.metadata} for f in fields(Params)}


def markdown_table() -> str:
    """The parameter table of ``docs/ODD.md``: name, value, unit, source, status."""
    lines = ["| parameter | value | unit | source | status |", "|---|---|---|---|---|"]
    for f in fields(Params):
        v = f.default
        shown = f"{v:.6g}" if isinstance(v, float) else str(v)
        lines.append(f"| `{f.name}` | {shown} | {f.metadata['unit']} | {f.metadata['source']} | {f.metadata['status']} |")
    return "\n".join(lines)
