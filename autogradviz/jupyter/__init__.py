"""Jupyter glue: extension, magic, kernel spec; the only IPython user, imported by nothing.

It is thin: ``extension`` wires the engine's backward listener to a ``widget.view.GraphView``
under the running cell (text in a terminal), ``magics`` parses options, ``kernelspec`` and
``kernel_command`` install the "Python 3 (autogradviz)" kernel. Nothing else in the package
imports it.
"""

from __future__ import annotations
