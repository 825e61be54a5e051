"""Write the parameter, allocation-policy, measures, schedule, indicator and driver-series tables into docs/ODD.md between their markers."""

from pathlib import Path

from abm.allocation.policy import markdown_table as policy_table
from abm.drivers import markdown_table as drivers_table
from abm.indicators import markdown_table as indicators_table
from abm.params import markdown_table
from abm.policies.base import markdown_table as measures_table
from abm.schedule import markdown_table as schedule_table

doc = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
text = doc.read_text()
for marker, table in (
    ("params", markdown_table()),
    ("policy", policy_table()),
    ("measures", measures_table()),
    ("schedule", schedule_table()),
    ("indicators", indicators_table()),
    ("drivers", drivers_table()),
):
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    head, rest = text.split(start)
    _, tail = rest.split(end)
    text = f"{head}{start}\n{table}\n{end}{tail}"
doc.write_text(text)
