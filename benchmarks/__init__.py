"""Benchmarks: autogradviz against hand-written numpy, PyTorch eager and HIPS autograd.

One module per scenario (``chain``, ``mlp``, ``dag``, ``seed_loop``), the timing harness in
``timing``, the optional peer libraries in ``peers``, the table in ``report``, and the command
line in ``run``. Nothing in the package imports this folder.
"""
