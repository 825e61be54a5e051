"""Codes shared by every part of the model: places, tenures, dwelling types, institutions, groups.

Households and dwellings live in numpy columns (see ``households.py`` and ``dwellings.py``);
these small integer codes are what those columns hold. Names are English; the Dutch terms
the policy world uses are given next to each code.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Place(IntEnum):
    """Where a household is this month. Every present household is in exactly one place."""

    DWELLING = 0  # in a dwelling of the region (any tenure)
    INSTITUTION = 1  # shelter, protected housing, asylum centre, detention, youth care
    HOMELESS = 2  # roofless or sofa-surfing without an institution place (dakloos)
    LIVING_IN = 3  # inwonend: with parents or others, not an own household yet
    GONE = 4  # left the region or died: no longer present (kept for accounting)


class Tenure(IntEnum):
    """Eigendom: corporation social rent, private rent, owner-occupied."""

    SOCIAL = 0  # sociale huur bij een woningcorporatie
    PRIVATE = 1  # particuliere huur (other landlords, including employers' housing)
    OWNER = 2  # koopwoning


class DwellingType(IntEnum):
    """Dwelling types named in the report (section 'Woonwensen en aandachtsgroepen')."""

    FAMILY = 0  # eengezinswoning
    APARTMENT = 1  # meergezinswoning / flat
    ZERO_STEP = 2  # nultredenwoning
    WHEELCHAIR = 3  # rolstoelwoning
    ROOM = 4  # onzelfstandige eenheid: room with shared facilities
    FLEX = 5  # flexwoning / tijdelijke woning with an end date
    CLUSTERED = 6  # geclusterd wonen / woonhofje
    CARAVAN_PITCH = 7  # woonwagenstandplaats
    SKAEVE_HUSE = 8  # prikkelarme woonvorm


class Label(IntEnum):
    """Target-group label (doelgroeplabel) on a dwelling; NONE means open to all."""

    NONE = 0
    SENIOR = 1  # zero-step / 55+ label
    WHEELCHAIR = 2
    STUDENT = 3
    YOUNG = 4  # jongerenwoning, rent up to the kwaliteitskortingsgrens
    CARAVAN = 5
    TRANSITIONAL = 6  # doorstroomhuis: only permit holders, by direct placement
    SKAEVE = 7  # Skaeve Huse unit: only nuisance cases referred to it (abm/processes/skaeve_huse.py)


class InstitutionKind(IntEnum):
    """Capacity-bound institutions (intramurale voorzieningen)."""

    SHELTER = 0  # maatschappelijke opvang (MO), in centre municipalities
    WOMENS_SHELTER = 1  # vrouwenopvang
    PROTECTED_HOUSING = 2  # beschermd wonen (BW)
    ASYLUM_CENTRE = 3  # AZC (COA), permit holders waiting for a home
    DETENTION = 4  # detentie / forensische zorg
    YOUTH_CARE = 5  # residential youth care (jeugdzorg)


class LabourMigrantType(IntEnum):
    """Three subgroups of the report's section 'Arbeidsmigranten'."""

    NONE = 0
    SHORT_STAY = 1  # short stay: group lodging, months
    CONTRACT = 2  # contract-to-contract (midlong stay)
    SETTLING = 3  # settling: becomes a regular seeker


class Urgency(IntEnum):
    """Urgency status granted by the municipality (art. 12-13 Huisvestingswet)."""

    NONE = 0
    SOCIAL = 1  # sociale urgentie
    MEDICAL = 2  # medische urgentie
    RENEWAL = 3  # herhuisvestingsurgentie: tenants of a home to be demolished (urban renewal, abm/processes/stock_changes.py)


class CareNeed(IntEnum):
    """Care or accessibility need of the household's head."""

    NONE = 0
    MOBILITY = 1  # needs a zero-step home (nultredenwoning)
    WHEELCHAIR = 2  # needs a wheelchair home (rolstoelafhankelijk)
    NURSING = 3  # needs nursing care (Wlz): leaves for a nursing home


class SupportLevel(IntEnum):
    """Need for care and support (*begeleiding*) of a household of a priority group (report,
    'Dak- en thuisloze mensen: Wat is er nodig?', 'Uitstroom intramurale situatie'; abm/support.py)."""

    NONE = 0
    LIGHT = 1  # light ambulatory support (ambulante begeleiding, Wmo): a few hours a week
    INTENSIVE = 2  # intensive ambulatory support (Housing First / FACT level)
    PROTECTED = 3  # 24-hour care: needs a place in protected housing (beschermd wonen), not a home yet


class SupportBy(IntEnum):
    """Who gives a household its ambulatory support."""

    NONE = 0  # nobody: a need without a support place (unmet)
    MUNICIPALITY = 1  # a Wmo support place of the municipality where the household lives
    HOUSING_FIRST = 2  # a Housing First team (the housing_first measure; outside the Wmo places)


class Flag:
    """Bits of the household ``labels`` column (uint16): lasting labels a household carries.

    Age groups (seniors 65+, young adults 18-23) and place-based groups (homeless) are
    derived from the other columns, so they never go stale.
    """

    REFUGEE = np.uint16(1 << 0)  # statushouder
    STUDENT = np.uint16(1 << 1)
    LABOUR_MIGRANT = np.uint16(1 << 2)
    INSTITUTION_LEAVER = np.uint16(1 << 3)  # left protected housing, detention or youth care
    CARAVAN = np.uint16(1 << 4)  # woonwagenbewoner
    HOMELESS_HISTORY = np.uint16(1 << 5)  # has been homeless or in a shelter
    SUPPORT_ASSESSED = np.uint16(1 << 6)  # support need assessed for the current episode (abm/support.py)
    SUPPORT_PREPARED = np.uint16(1 << 7)  # support arranged before leaving an institution (warm outflow)


#: Groups reported in ``indicators.parquet`` (column ``group``), besides ``all``.
GROUPS: tuple[str, ...] = (
    "regular",
    "senior",
    "homeless",
    "social_urgent",
    "medical_urgent",
    "wheelchair",
    "refugee",
    "student",
    "labour_migrant",
    "institution_leaver",
    "caravan",
    "young_adult",
)


class HomelessCause(IntEnum):
    """Why a household became roofless, sofa-surfing or entered a shelter (report, 'Dak- en
    thuisloze mensen'; the ``homeless_inflow_*`` indicators)."""

    EVICTION = 0  # evicted (arrears or nuisance) to the street or a shelter
    SEPARATION = 1  # the leaving partner of a separation, to a women's shelter
    LABOUR_MIGRANT = 2  # a labour migrant who lost work and the employer's housing with it
    OTHER = 3  # new homelessness besides the modelled causes (economic, health, ...)
    LEFT_HOME = 4  # a young adult who left a benefit household at the cost-sharing age (kostendelersnorm)


class StockChange(IntEnum):
    """How a corporation takes a vacant home out of social letting (abm/processes/stock_changes.py;
    the ``social_demolished``, ``social_sold`` and ``social_liberalised`` indicators)."""

    DEMOLITION = 0  # sloop: the home leaves the stock
    SALE = 1  # verkoop: the home becomes owner-occupied
    LIBERALISATION = 2  # liberalisatie: the home becomes a private rental above the limit


class VacancyCause(IntEnum):
    """What started a vacancy (the start of a vacancy chain)."""

    NEW_BUILD = 0
    DEATH = 1
    LEFT_REGION = 2
    MOVE_WITHIN = 3  # the tenant moved to another home of the region
    EVICTION = 4
    NURSING_HOME = 5
    FLEX = 6
    CONTRACT_END = 7
    INITIAL = 8  # vacant at the start (frictional vacancy, leegstand)
    SENIOR_MOVE = 9  # chain start: a senior (65+) left a social family home as first mover (doorstroming)


class ChainEnd(IntEnum):
    """How a vacancy chain ends: the household that takes the last home comes from outside
    the stock (it leaves no home behind), or the vacant home leaves the stock (CBS
    *Verhuisketens*; see abm/chains.py)."""

    STARTER = 0  # living in with parents or others (young adults, separated partners)
    INSTITUTION = 1  # left an institution (shelter, BW, asylum centre, detention, youth care)
    HOMELESS = 2  # was roofless
    NEWCOMER = 3  # arrived from outside the region
    DEMOLISHED = 4  # the vacant home left the stock (a flex site closed) before anyone moved in
