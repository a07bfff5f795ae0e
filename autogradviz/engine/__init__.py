"""The tape and the backward pass; imports numpy and ``errors`` only, nothing above it.

Never imports the op table's math (``ops``), ``NDArray``, the graph model, anything visual
or IPython: arrays and ops are used by duck typing. Read it in this order:

1. ``tape``: the ``Node`` of one recorded step, and the per-thread recording flags;
2. ``scopes``: ``record``, ``pause``, ``train_mode``, ``predict_mode``;
3. ``variables``: ``attach_grad``/``mark_variables``, the leaves that own a ``.grad`` buffer;
4. ``heads``: checking what ``backward`` starts from;
5. ``backward``: the topological sort, the reverse walk, ``backward`` and ``grad``;
6. ``function`` (custom ops), ``history`` (``get_symbol``), ``listeners`` (the hook viewers use).

MXNet's ``autograd`` namespace (``autogradviz.autograd``) re-exports the public names.
"""
