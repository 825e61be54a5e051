"""Dutch and English texts of the workshop app: labels, group headings and a short, plain-language
explanation of every measure (written for policy staff, not modellers; the measures' docstrings
in ``abm.policies`` hold the full description and the report section).

``t(key, lang)`` returns a label; ``MEASURES`` and ``MEASURE_GROUPS`` describe the controls.
Dutch policy terms are kept where the audience uses them (*urgentie*, *doorstroming*, ...).
"""

from __future__ import annotations

LANGS = ("nl", "en")

#: key -> (Dutch, English)
LABELS: dict[str, tuple[str, str]] = {
    "title": ("Aandachtsgroepen op de woningmarkt", "Priority groups in social housing"),
    "language": ("Taal", "Language"),
    "package": ("Mijn pakket", "My package"),
    "baseline": ("Basis (huidig beleid)", "Baseline (today's rules)"),
    "region": ("Regio", "Region"),
    "seed": ("Toevalsgetal (seed)", "Random seed"),
    "run": ("Simulatie", "Simulation"),
    "step_month": ("+1 maand", "+1 month"),
    "step_year": ("+1 jaar", "+1 year"),
    "apply": ("Toepassen (reset)", "Apply (reset)"),
    "busy": ("Bezig met rekenen…", "Computing…"),
    "pending": (
        "Je keuzes wijken af van het lopende model: druk op 'Toepassen' of Reset om opnieuw te beginnen met je pakket.",
        "Your choices differ from the running model: press 'Apply' or Reset to start again with your package.",
    ),
    "now": (
        "Nu: jaar {year}, maand {month} — {date} (start 1 januari 2021)",
        "Now: year {year}, month {month} — {date} (start 1 January 2021)",
    ),
    "active": ("Maatregelen aan ({n})", "Measures on ({n})"),
    "start_year": ("Start: jaar {year} ({date})", "Start: year {year} ({date})"),
    "from_year": ("vanaf jaar {year}", "from year {year}"),
    "per_year": ("{v} per jaar", "{v} a year"),
    "rules_on": ("Toewijzing", "Allocation"),
    "homeless_urgency_short": ("urgentie daklozen", "urgency for homeless people"),
    "lottery_short": ("loting {v} %", "lottery {v} %"),
    "local_ties_short": ("lokale binding {v} %", "local ties {v} %"),
    "neighbourhood_cap_short": ("max. 30 % kwetsbaar per buurt", "cap of 30 % vulnerable per neighbourhood"),
    "none": ("geen", "none"),
    "tab_waiting": ("Wachttijd", "Waiting time"),
    "tab_institutions": ("Instellingen", "Institutions"),
    "tab_homeless": ("Dakloosheid", "Homelessness"),
    "tab_vacancies": ("Wie krijgt de woning?", "Who gets the home?"),
    "tab_network": ("Kaart van de regio", "Map of the region"),
    "tab_chains": ("Verhuisketens", "Vacancy chains"),
    "tab_compare": ("Pakket versus basis", "Package versus baseline"),
    "tab_costs": ("Kosten", "Costs"),
    "tab_monitor": ("Monitor en gemeenten", "Monitor and municipalities"),
    "monitor_homes_needed": ("Woningen nodig (zoekers zonder eigen woning)", "Homes needed (seekers without a home)"),
    "monitor_inflow": ("Instroom dak- en thuisloosheid per oorzaak (per jaar)", "Inflow into homelessness by cause (a year)"),
    "monitor_quota": ("Taakstelling statushouders gerealiseerd (aandeel)", "Permit-holder quota realised (share)"),
    "monitor_social_share": ("Aandeel sociale huur (minimum 30 %)", "Social share of the stock (minimum 30 %)"),
    "monitor_decisions": ("Besluiten gemeenten (factor)", "Municipal decisions (factor)"),
    "monitor_agreements": ("Prestatieafspraken nagekomen (aandeel gemeenten)", "Performance agreements met (share of municipalities)"),
    "cause_eviction": ("huisuitzetting", "eviction"),
    "cause_separation": ("scheiding", "separation"),
    "cause_labour_migrant": ("arbeidsmigrant zonder werk", "labour migrant out of work"),
    "cause_other": ("overig", "other"),
    "cause_left_home": ("jongere weg uit bijstandsgezin (kostendelersnorm)", "young adult left a benefit household (cost-sharing rule)"),
    "effort": ("inzet aandachtsgroepen", "effort for priority groups"),
    "permits": ("bouwvergunningen sociaal", "social building permits"),
    "flex_sites": ("flexlocaties", "flex sites"),
    "letting_commitment": ("toewijzingsafspraak", "letting commitment"),
    "build_commitment": ("bouwafspraak", "build commitment"),
    "waiting_title": ("Wachttijd bij toewijzing (mediaan, voortschrijdend jaar)", "Waiting time at letting (median, rolling year)"),
    "months": ("maanden", "months"),
    "year": ("jaar", "year"),
    "households": ("huishoudens", "households"),
    "lettings": ("toewijzingen", "lettings"),
    "occupancy_title": ("Bewoners van instellingen", "Residents of institutions"),
    "blocked_title": ("Klaar om uit te stromen, geen woning", "Ready to leave, no home (blocked)"),
    "homeless_title": ("Dak- en thuislozen", "Homeless people"),
    "roofless": ("dakloos op straat", "roofless"),
    "in_shelter": ("in opvang (MO, vrouwenopvang)", "in shelters (MO, women's shelter)"),
    "homeless_total": ("totaal dak- en thuisloos", "homeless in total"),
    "by_group_title": ("Per groep (laatste 12 mnd)", "By group (last 12 months)"),
    "by_route_title": ("Per route (laatste 12 mnd)", "By route (last 12 months)"),
    "share": ("aandeel", "share"),
    "colour_by": ("Kleur naar", "Colour by"),
    "pressure": ("Druk: wachtenden per toewijzing", "Pressure: seekers per letting"),
    "blocked": ("Vastgelopen uitstroom per 1.000 huishoudens", "Blocked outflow per 1,000 households"),
    "pressure_short": ("Druk", "Pressure"),
    "blocked_short": ("Vastgelopen uitstroom", "Blocked outflow"),
    "concentration_short": ("Concentratie", "Concentration"),
    "concentration": ("Concentratie: aandeel kwetsbare huishoudens", "Concentration: share of vulnerable households"),
    "network_note": (
        "Gemeenten (grootte = aantal huishoudens); lijnen naar de centrumgemeente (opvang). Schematische ligging, geen echte kaart.",
        "Municipalities (size = households); lines to the centre municipality (shelter). A schematic layout, not a real map.",
    ),
    "chains_title": ("Verhuizingen per keten (gemiddeld)", "Moves per chain (mean)"),
    "chains_end_title": ("Keten eindigt bij (laatste 12 mnd)", "Chain ends with (last 12 months)"),
    "chains_start": ("gestart door", "started by"),
    "compare_note": (
        "Zelfde regio en toevalsgetal; de basis draait zonder maatregelen en met de standaard toewijzingsregels.",
        "Same region and seed; the baseline runs without measures and with the default allocation rules.",
    ),
    "costs_title": ("Maatschappelijke kosten tot nu toe (miljoen euro)", "Social costs so far (million euros)"),
    "costs_note": (
        "Opvang, beschermd wonen, dakloosheid, azc, huisuitzettingen, bouw en maatregelen, geprijsd met abm/data/costs.csv "
        "(bronnen daar; sommige bedragen zijn schattingen).",
        "Shelter, protected housing, homelessness, asylum centres, evictions, construction and measures, priced with "
        "abm/data/costs.csv (sources there; some figures are estimates).",
    ),
    "difference": ("verschil", "difference"),
    "item": ("post", "item"),
    "care": ("zorg en opvang", "care and shelter"),
    "housing": ("wonen en maatregelen", "housing and measures"),
    "no_data": ("Nog geen gegevens: zet de simulatie een stap verder.", "No data yet: step the simulation."),
    "waiting": ("woningzoekenden", "seekers waiting"),
    "wait_median": ("wachttijd (mediaan, mnd)", "waiting time (median, months)"),
    "homeless": ("dak- en thuislozen", "homeless"),
    "blocked_total": ("vastgelopen uitstroom", "blocked outflow"),
    "social_stock": ("sociale huurwoningen", "social homes"),
    "measure_cost_cum": ("uitgaven maatregelen (cumulatief, mln euro)", "spending on measures (cumulative, M euros)"),
    "allocation_settings": ("Toewijzingsregels", "Allocation rules"),
    "homeless_urgency": ("Urgentie voor dak- en thuislozen", "Urgency for homeless people"),
    "homeless_urgency_help": (
        "Daklozen die klaar zijn om te verhuizen (op straat of in de opvang) krijgen urgentie.",
        "Homeless people ready to move (roofless or in a shelter) get urgency.",
    ),
    "lottery_share": ("Loting: aandeel van de vrijkomende woningen", "Lottery: share of vacancies"),
    "lottery_share_help": (
        "Een deel van de woningen wordt verloot in plaats van op inschrijfduur toegewezen (0 = geen loting).",
        "A share of homes is let by lottery instead of waiting time (0 = no lottery).",
    ),
    "local_ties_share": ("Lokaal maatwerk: aandeel voor lokale binding", "Local ties: share for local applicants"),
    "local_ties_share_help": (
        "Gemeenten houden een deel van de woningen vrij voor mensen uit de eigen gemeente (0 = uit).",
        "Municipalities keep a share of homes for people from their own municipality (0 = off).",
    ),
    "neighbourhood_cap": ("Maximum kwetsbare huishoudens per wijk", "Cap on vulnerable households per neighbourhood"),
    "neighbourhood_cap_help": (
        "Niet meer dan 30 % kwetsbare huishoudens per buurt: spreiding tegen concentratie.",
        "No more than 30 % vulnerable households per neighbourhood: spreading against concentration.",
    ),
}

#: household groups of ``abm.codes.GROUPS`` -> (Dutch, English)
GROUP_LABELS: dict[str, tuple[str, str]] = {
    "regular": ("reguliere woningzoekenden", "regular seekers"),
    "senior": ("ouderen", "seniors"),
    "homeless": ("dak- en thuislozen", "homeless people"),
    "social_urgent": ("sociaal urgenten", "social urgency"),
    "medical_urgent": ("medisch urgenten", "medical urgency"),
    "wheelchair": ("rolstoelgebruikers", "wheelchair users"),
    "refugee": ("statushouders", "permit holders"),
    "student": ("studenten", "students"),
    "labour_migrant": ("arbeidsmigranten", "labour migrants"),
    "institution_leaver": ("uitstroom uit instellingen", "institution leavers"),
    "caravan": ("woonwagenbewoners", "caravan dwellers"),
    "young_adult": ("jongeren 18-23", "young adults 18-23"),
}

#: allocation routes (``abm.allocation.ROUTES``) -> (Dutch, English)
ROUTE_LABELS: dict[str, tuple[str, str]] = {
    "seniority": ("inschrijfduur", "waiting time"),
    "lottery": ("loting", "lottery"),
    "urgency": ("urgentie", "urgency"),
    "mover_priority": ("voorrang doorstromers", "priority for movers"),
    "direct_refugee": ("directe bemiddeling statushouders", "direct placement permit holders"),
    "direct_institution": ("directe bemiddeling uitstroom", "direct placement institution leavers"),
    "direct_homeless": ("directe bemiddeling daklozen", "direct placement homeless"),
}

#: institution kinds (``abm.indicators.KIND_INDICATOR`` names without ``in_``) -> (Dutch, English)
INSTITUTION_LABELS: dict[str, tuple[str, str]] = {
    "shelter": ("maatschappelijke opvang (MO)", "homeless shelter (MO)"),
    "womens_shelter": ("vrouwenopvang", "women's shelter"),
    "protected_housing": ("beschermd wonen (BW)", "protected housing"),
    "asylum_centre": ("azc (statushouders)", "asylum centre (permit holders)"),
    "detention": ("detentie", "detention"),
    "youth_care": ("jeugdzorg", "youth care"),
}

#: how a vacancy chain started / ended -> (Dutch, English)
CHAIN_LABELS: dict[str, tuple[str, str]] = {
    "new_build": ("nieuwbouw", "new build"),
    "death": ("overlijden", "death"),
    "left_region": ("vertrek uit regio", "left the region"),
    "nursing_home": ("naar verpleeghuis", "to a nursing home"),
    "flex": ("flexwoning", "flex home"),
    "eviction": ("huisuitzetting", "eviction"),
    "contract_end": ("einde tijdelijk contract", "end of temporary contract"),
    "senior_move": ("oudere verhuist", "senior moves on"),
}

#: control groups, in the order of the emergency package (spoedpakket): key -> (Dutch, English)
MEASURE_GROUPS: dict[str, tuple[str, str]] = {
    "prevention": ("Preventie", "Prevention"),
    "more_supply": ("Meer aanbod", "More supply"),
    "moving_on": ("Doorstroming", "Moving on"),
    "money_and_rules": ("Geld en regels", "Money and rules"),
    "young_adults": ("Jongeren 18-23", "Young adults 18-23"),
    "refugees": ("Statushouders", "Refugees with a permit"),
    "homelessness": ("Dakloosheid", "Homelessness"),
    "allocation_settings": ("Toewijzingsregels", "Allocation settings"),
}

#: measure type -> (group, Dutch label, English label, Dutch explanation, English explanation)
MEASURES: dict[str, tuple[str, str, str, str, str]] = {
    "early_warning": (
        "prevention",
        "Vroegsignalering",
        "Early warning",
        "Verhuurders melden huurachterstand vroeg; schuldhulp komt eerder, minder zaken bij de rechter.",
        "Landlords report rent arrears early; debt help comes sooner, fewer cases reach court.",
    ),
    "last_chance": (
        "prevention",
        "Laatstekansbeleid",
        "Last-chance agreements",
        "Corporaties sluiten een laatste-kansovereenkomst in plaats van uit te zetten.",
        "Corporations sign a last-chance agreement instead of evicting.",
    ),
    "rent_during_detention": (
        "prevention",
        "Huur doorbetalen bij detentie",
        "Rent paid during detention",
        "De huur wordt doorbetaald bij opname of detentie, zodat de woning niet verloren gaat.",
        "Rent keeps being paid during admission or detention, so the home is not lost.",
    ),
    "warm_outflow": (
        "prevention",
        "Warme overdracht",
        "Warm outflow",
        "Wie klaar is om beschermd wonen, detentie of jeugdzorg te verlaten, krijgt urgentie en voorrang.",
        "People ready to leave protected housing, detention or youth care get urgency and a share of homes.",
    ),
    "welfare_work": (
        "prevention",
        "Wijkaanpak",
        "Welfare work in neighbourhoods",
        "Extra ondersteuning in zwakke wijken: minder huurachterstand, minder mislukte huurcontracten.",
        "Extra support in weak neighbourhoods: fewer arrears, fewer failed tenancies.",
    ),
    "regional_spreading": (
        "homelessness",
        "Regionale spreidingsafspraken",
        "Regional spreading agreement",
        "Gemeenten in een regio plaatsen dak- en thuislozen en uitstromers naar rato van hun inwonertal: wie minder doet dan zijn deel krijgt een groter aandeel, zonder dat er in de regio meer geplaatst wordt.",
        "Municipalities of a region place homeless people and institution leavers in proportion to their inhabitants: those below their share take more, without more placements in the region.",
    ),
    "iron_stock": (
        "homelessness",
        "IJzeren voorraad",
        "Iron stock",
        "Een vaste voorraad sociale huurwoningen die bij elke mutatie flexibel naar dak- en thuislozen, uitstromers of statushouders gaat, met een deel voor reguliere woningzoekenden (menging).",
        "A lasting set of social homes that, each time one falls vacant, goes flexibly to homeless people, institution leavers or permit holders, with a share for regular seekers (the mix).",
    ),
    "flex_housing": (
        "more_supply",
        "Flexwonen",
        "Flex housing",
        "Tijdelijke woningen binnen maanden gebouwd, met een gegarandeerde vervolgwoning (standaard de afspraak: 10.000 in totaal, 5.000 per jaar gedurende 2 jaar).",
        "Temporary homes built within months, with a guaranteed follow-up home (by default the agreement: 10,000 in all, 5,000 a year for 2 years).",
    ),
    "split_homes": (
        "more_supply",
        "Woningen splitsen en optoppen",
        "Split and top up homes",
        "Bestaande woningen splitsen, optoppen of uitbreiden tot kleine woningen.",
        "Split, top up or extend existing homes into small units.",
    ),
    "transformation": (
        "more_supply",
        "Transformatie",
        "Transformation",
        "Kantoren en rijksvastgoed ombouwen tot kleine woningen.",
        "Turn offices and state property into small homes.",
    ),
    "social_construction": (
        "more_supply",
        "Bouwprogramma sociale huur",
        "Social construction programme",
        "Corporaties bouwen extra sociale huurwoningen (standaard 33.000 per jaar landelijk: 150.000 vóór juli 2025), binnen hun investeringsruimte.",
        "Corporations build extra social homes (by default 33,000 a year nationally: 150,000 by July 2025), within their investment capacity.",
    ),
    "affordable_minimum": (
        "more_supply",
        "Minimum aandeel betaalbaar",
        "Minimum affordable share",
        "Elke gemeente haalt binnen vijf jaar een minimum aandeel sociale huur (standaard 30 %).",
        "Every municipality reaches a minimum share of social housing within five years (by default 30 %).",
    ),
    "senior_move_on": (
        "moving_on",
        "Doorstroming ouderen",
        "Seniors move on",
        "Voorrang, huur meenemen en verhuishulp voor ouderen die een grote sociale woning verlaten.",
        "Priority, rent kept and a moving service for seniors leaving a large social home.",
    ),
    "middle_income_move_on": (
        "moving_on",
        "Doorstroming middeninkomens",
        "Middle incomes move on",
        "Meer huurders met een middeninkomen verhuizen naar middenhuur of koop.",
        "More tenants with a middle income move on to mid-rent or buying.",
    ),
    "fewer_regional_barriers": (
        "moving_on",
        "Minder regionale drempels",
        "Fewer regional barriers",
        "Woningzoekenden zoeken in de hele regio, niet alleen in hun eigen gemeente.",
        "Seekers search the whole region, not only their own municipality.",
    ),
    "abolish_landlord_levy": (
        "money_and_rules",
        "Verhuurderheffing afschaffen",
        "Abolish the landlord levy",
        "Corporaties krijgen meer investeringsruimte en bouwen meer.",
        "Corporations get more investment capacity and build more.",
    ),
    "municipal_bonus": (
        "money_and_rules",
        "Bonus voor gemeenten",
        "Bonus for municipalities",
        "Een bonus per gehuisveste statushouder, dakloze of uitstromer (standaard € 5.000, het ijkpunt).",
        "A bonus per permit holder, homeless person or institution leaver housed (by default €5,000).",
    ),
    "smart_allocation": (
        "money_and_rules",
        "Slim toewijzen, twee kanten op",
        "Smart allocation both ways",
        "Meer sociale huur in sterke wijken en minder in zwakke: nieuwe sociale huurwoningen vooral in sterke wijken, verkoop en liberalisatie eerst in zwakke wijken.",
        "More social rent in strong neighbourhoods and less in weak ones: new social homes mostly in strong neighbourhoods, sales and liberalisation first in weak ones.",
    ),
    "care_cost_compensation": (
        "money_and_rules",
        "Zorgkosten vergoeden",
        "Compensate care costs",
        "Het Rijk vergoedt gemeenten de zorgkosten van de groepen die ze huisvesten.",
        "The state pays municipalities the care costs of the groups they house.",
    ),
    "devils_dilemma": (
        "money_and_rules",
        "Duivels dilemma (gedrag gemeenten)",
        "Devil's dilemma (municipal behaviour)",
        "Gemeenten die meer doen trekken mensen aan en krijgen hogere zorgkosten; boven budget doen ze minder.",
        "Municipalities that do more attract people and carry higher care costs; over budget they do less.",
    ),
    "no_cost_sharing": (
        "young_adults",
        "Geen kostendelersnorm",
        "No cost-sharing rule",
        "Geen kostendelersnorm onder de 23: jongeren uit een bijstandsgezin hoeven op hun 21e niet meer het huis uit, en jongeren met een uitkering die samen gaan wonen houden hun uitkering, dus ze zoeken samen een woning.",
        "No cost-sharing rule under 23: young people in a benefit household no longer have to leave home at 21, and young people on benefits who share a home keep their benefit, so they look for a home together.",
    ),
    "more_rooms": (
        "young_adults",
        "Meer kamers voor jongeren",
        "More rooms for young people",
        "Extra jongerenwoningen en kamers (Kamers met Aandacht).",
        "Extra small homes and rooms for young people.",
    ),
    "friends_contracts": (
        "young_adults",
        "Friendscontracten",
        "Friends contracts",
        "Drie jongeren delen twee jaar een sociale eengezinswoning.",
        "Three young people share a social family home for two years.",
    ),
    "young_rent_support": (
        "young_adults",
        "Huur boven de grens met begeleiding",
        "Higher rent with support",
        "Jongeren onder 23 mogen woningen tot de aftoppingsgrens krijgen, met begeleiding.",
        "Under-23s may get homes up to the capping limit, with support.",
    ),
    "quota_by_pressure": (
        "refugees",
        "Taakstelling naar draagkracht",
        "Quota by capacity",
        "De taakstelling wordt verdeeld naar sociale voorraad en leefbaarheid, niet alleen naar inwonertal.",
        "The quota is shared by social stock and liveability, not by population alone.",
    ),
    "quota_trading": (
        "refugees",
        "Taakstelling uitruilen",
        "Quota trading",
        "Gemeenten met lange wachtlijsten dragen een deel van hun taakstelling over, tegen betaling.",
        "Municipalities with long waiting lists hand part of their quota to others, for a payment.",
    ),
    "transitional_housing": (
        "refugees",
        "Doorstroomhuizen",
        "Transitional housing",
        "Tijdelijke woningen voor statushouders, met daarna voorrang op een gewone woning.",
        "Temporary homes for permit holders, then priority for a regular home.",
    ),
    "refugees_with_students": (
        "refugees",
        "Statushouders bij studenten",
        "Refugees with students",
        "Jonge alleenstaande statushouders krijgen lege studentenkamers en verlaten het azc eerder.",
        "Young single permit holders take vacant student rooms and leave the asylum centre sooner.",
    ),
    "housing_first": (
        "homelessness",
        "Housing First",
        "Housing First",
        "Daklozen krijgen direct een woning met intensieve begeleiding, en een vangnet als het misgaat.",
        "Homeless people get a home directly with intensive support, and a fall-back if it fails.",
    ),
}


#: measure type -> (Dutch, English) label of its size slider (the ranges: ``settings.SIZES``)
SIZE_LABELS: dict[str, tuple[str, str]] = {
    "early_warning": ("Minder rechtszaken", "Fewer court cases"),
    "last_chance": ("Minder uitzettingen na een rechtszaak", "Fewer evictions after a court case"),
    "rent_during_detention": ("Minder woningverlies bij detentie", "Fewer homes lost during detention"),
    "warm_outflow": ("Extra deel van de vrijkomende woningen voor uitstromers", "Extra share of vacancies for institution leavers"),
    "welfare_work": ("Minder huurachterstand in zwakke wijken", "Fewer arrears in weak neighbourhoods"),
    "flex_housing": ("Flexwoningen (landelijk, verdeeld naar inwonertal)", "Flex homes (national, shared by population)"),
    "iron_stock": ("Deel van de sociale voorraad in de ijzeren voorraad", "Share of the social stock in the iron stock"),
    "split_homes": ("Extra woningen (landelijk, verdeeld naar inwonertal)", "Extra homes (national, shared by population)"),
    "transformation": ("Extra woningen (landelijk, verdeeld naar inwonertal)", "Extra homes (national, shared by population)"),
    "social_construction": (
        "Sociale huurwoningen (landelijk; de investeringsruimte begrenst dit tot 20.000, meer zonder verhuurderheffing)",
        "Social homes (national; investment capacity caps this at 20,000, more without the landlord levy)",
    ),
    "affordable_minimum": ("Minimum aandeel sociale huur per gemeente", "Minimum share of social homes per municipality"),
    "senior_move_on": (
        "Extra ouderen in een grote sociale woning die per jaar gaan zoeken",
        "Extra seniors in a large social home who start looking, per year",
    ),
    "middle_income_move_on": ("Doorstroming middeninkomens", "Middle incomes moving on"),
    "fewer_regional_barriers": ("Nieuwe woningzoekenden die in de hele regio zoeken", "New seekers searching the whole region"),
    "abolish_landlord_levy": ("Extra investeringsruimte corporaties", "Extra investment capacity of corporations"),
    "municipal_bonus": ("Bonus per gehuisveste persoon", "Bonus per person housed"),
    "smart_allocation": (
        "Waar nieuwe sociale huurwoningen komen (0 % zwakke wijken, 50 % gelijk verdeeld, 100 % sterke wijken)",
        "Where new social homes go (0 % weak neighbourhoods, 50 % evenly, 100 % strong neighbourhoods)",
    ),
    "care_cost_compensation": ("Vergoed deel van de zorgkosten", "Share of care costs reimbursed"),
    "devils_dilemma": ("Zorgbudget per inwoner per jaar", "Care budget per inhabitant per year"),
    "no_cost_sharing": (
        "Alleenstaande jongeren met een uitkering die per maand gaan samenwonen",
        "Young single seekers on benefits who pair up, per month",
    ),
    "more_rooms": (
        "Kamers en jongerenwoningen (landelijk, verdeeld naar inwonertal)",
        "Rooms and small homes (national, shared by population)",
    ),
    "friends_contracts": ("Vrijkomende eengezinswoningen als friendscontract", "Vacant family homes let as friends contracts"),
    "quota_by_pressure": ("Verdeling naar draagkracht (0 % = naar inwonertal)", "Shared by capacity (0 % = by population)"),
    "quota_trading": ("Maximaal over te dragen deel van de taakstelling", "Largest share of the quota handed over"),
    "transitional_housing": (
        "Plekken in doorstroomhuizen (landelijk, verdeeld naar inwonertal)",
        "Places in transitional housing (national, shared by population)",
    ),
    "refugees_with_students": (
        "Vrije studentenkamers per maand voor jonge statushouders",
        "Vacant student rooms offered to young permit holders, per month",
    ),
    "housing_first": ("Extra deel van de vrijkomende woningen voor daklozen", "Extra share of vacancies for homeless people"),
}


def number(x: float, lang: str) -> str:
    """``x`` with thousands separators and at most one decimal, Dutch (20.000; 1,5) or English."""
    text = f"{x:,.1f}".removesuffix(".0")
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def size_text(value: float, unit: str, lang: str) -> str:
    """A size in display units with its unit: '20.000 per jaar', '40 %', '€ 5.000', '× 2'."""
    n = number(value, lang)
    if unit == "per_year":
        return t("per_year", lang, v=n)
    return {"percent": f"{n} %", "euro": f"€ {n}", "times": f"× {n}"}[unit]


MONTH_NAMES = (
    ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"),
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
)


def calendar(month: int, lang: str) -> str:
    """The calendar month reached after ``month`` simulated months from 1 January 2021."""
    return f"{MONTH_NAMES[LANGS.index(lang)][month % 12]} {2021 + month // 12}"


def t(key: str, lang: str, **fmt: object) -> str:
    """The label ``key`` in ``lang`` ('nl' or 'en'), formatted with ``fmt``."""
    text = LABELS[key][LANGS.index(lang)]
    return text.format(**fmt) if fmt else text


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Dutch or English half of a (Dutch, English) pair."""
    return pair[LANGS.index(lang)]
