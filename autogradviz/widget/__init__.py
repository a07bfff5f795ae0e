"""The live widget: the widget's model (stepper, inspector) and the ipywidgets/anywidget view.

``stepper`` and ``inspector`` compute what the view shows from a ``Graph`` (numpy only, tested
without a browser); ``canvas`` is the anywidget drawing, whose front end is in ``static/``;
``view`` (``GraphView``) puts them together with a history. Reads ``graph`` and ``render``;
never imports ``jupyter`` or IPython, and nothing below it imports this package.
"""

from __future__ import annotations
