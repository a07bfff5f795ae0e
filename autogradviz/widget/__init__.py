"""The live widget and its model (stepper, inspector); reads graph and render, never jupyter.

``stepper`` and ``inspector`` compute what the view shows from a ``Graph`` (numpy only, tested
without a browser); ``canvas`` is the anywidget drawing, whose front end is in ``static/``;
``view`` (``GraphView``) puts them together with a history. Reads ``graph`` and ``render``;
never imports ``jupyter`` or IPython, and nothing below it imports this package.
"""

from __future__ import annotations
