"""Renderings of a :class:`~autogradviz.graph.Graph`: DOT text, SVG, plain text, files.

``dot`` (Graph → DOT text), ``svg`` (DOT → SVG with a time limit), ``text`` (a terminal
listing), ``files`` (save by extension, the notebook display bundle), ``options`` and
``preview`` (shared by all). Reads only the graph model; never imports the engine, the
widget, ``jupyter`` or IPython.
"""
