"""Write the parameter table of abm/params.py into docs/ODD.md between the markers."""

from pathlib import Path

from abm.params import markdown_table

doc = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
text = doc.read_text()
start, end = "<!-- params:start -->", "<!-- params:end -->"
head, rest = text.split(start)
_, tail = rest.split(end)
doc.write_text(f"{head}{start}\n{markdown_table()}\n{end}{tail}")
