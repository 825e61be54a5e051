"""The workshop app: a Solara visualisation built on Mesa's ``SolaraViz`` (see ``viz/README.md``).

``page.Page`` is the page (one model per browser session); ``settings`` holds what a
participant chooses and the model built from it; ``texts`` the Dutch and English texts;
``charts``, ``network`` and ``views`` draw; ``series`` reads indicators cheaply and shares the
baseline runs; ``launch`` starts the server (``abm app``).
"""
