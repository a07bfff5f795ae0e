"""Renderings of a :class:`~autogradviz.graph.Graph`: DOT text, SVG, plain text, files.

These modules read only the graph model; none of them touches the engine.
"""
