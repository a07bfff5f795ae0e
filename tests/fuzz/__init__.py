"""Differential fuzzing: random programs run by autogradviz and by numpy, then compared.

``program`` holds the data model (a program is a JSON-able list of steps), ``generate`` the
Hypothesis strategy, ``interpret`` the two interpreters and ``oracle`` the checks. This file
makes ``tests/fuzz`` a package, so pytest's ``--doctest-modules`` imports it by one name.
"""
