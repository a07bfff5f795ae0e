"""A fuzzed program as data: leaves, steps and heads, saved to and loaded from JSON.

A program is a dict. ``steps[i]`` produces value ``i``. A step is either a leaf
``{"op": "leaf", "shape", "values", "variable", "grad_req"}`` or an operation
``{"op", "args", "attrs", "call", "paused"}``. An argument is a value id (int), a Python
scalar ``{"scalar": 2.5}`` or a constant array ``{"const": [...], "shape", "dtype"}``.
Besides table ops there are ``detach``, ``if`` and ``while`` steps (see ``interpret``).
``heads`` lists value ids, ``head_grads`` one flat list of floats (or ``None``) per head.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
from op_samples import REFERENCES

REGRESSIONS = Path(__file__).parent / "regressions"


def reference(op: str, args: list, attrs: dict) -> Any:
    """numpy's forward for a table op (``REFERENCES``), with MXNet's "no 0-d results" for take."""
    out = REFERENCES[op](*args, **attrs)
    return np.reshape(out, 1) if op == "take" and np.ndim(out) == 0 else out


def const_array(arg: dict) -> np.ndarray:
    """The numpy array of a ``{"const": ...}`` argument."""
    return np.asarray(arg["const"], dtype=arg["dtype"]).reshape(arg["shape"])


def leaf_array(step: dict) -> np.ndarray:
    """A leaf's values as a float64 array of its shape."""
    return np.asarray(step["values"], dtype=np.float64).reshape(step["shape"])


def decode_key(key: Any) -> Any:
    """Turn the JSON form of an index (``getitem``, ``scatter_add``) into a Python index."""
    if isinstance(key, dict):
        if "slice" in key:
            return slice(*key["slice"])
        if "array" in key:
            return np.asarray(key["array"], dtype=np.int64).reshape(key["shape"])
        return tuple(decode_key(k) for k in key["tuple"])
    return key


def decode_attrs(attrs: dict) -> dict:
    """Attributes as the op table expects them: tuples, dtypes, numpy masks, real keys."""
    decoded = {}
    for name, value in attrs.items():
        if name == "key":
            value = decode_key(value)
        elif name == "mask":
            value = np.asarray(value["const"], dtype=np.float64).reshape(value["shape"])
        elif name == "dtype":
            value = np.dtype(value).type
        elif isinstance(value, list):
            value = tuple(value)
        decoded[name] = value
    return decoded


def dumps(program: dict) -> str:
    """The program as compact, stable JSON."""
    return json.dumps(program, sort_keys=True, separators=(",", ":"))


def save_regression(program: dict, error: BaseException) -> Path:
    """Write a failing program to ``regressions/`` under a name derived from its content."""
    text = dumps(program)
    path = REGRESSIONS / f"program-{hashlib.sha1(text.encode()).hexdigest()[:10]}.json"
    first_line = (str(error).splitlines() or [""])[0][:300]
    REGRESSIONS.mkdir(exist_ok=True)
    path.write_text(format_record(f"{type(error).__name__}: {first_line}", program))
    return path


def format_record(error: str, program: dict) -> str:
    """A regression file: the error it first raised, then the program, one step a line."""
    fields = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(program.items())
              if k != "steps"]  # fmt: skip
    steps = ",\n".join(f"   {json.dumps(step, sort_keys=True)}" for step in program["steps"])
    body = ",\n".join([*fields, f'  "steps": [\n{steps}\n  ]'])
    return f'{{\n "error": {json.dumps(error)},\n "program": {{\n{body}\n }}\n}}\n'


def load_regressions() -> list[Path]:
    """The saved regression files, sorted by name."""
    return sorted(REGRESSIONS.glob("*.json"))


def describe(program: dict) -> str:
    """A few lines of pseudo-code for a failure message."""
    lines = [f"dtype {program['dtype']}"]
    for i, step in enumerate(program["steps"]):
        if step["op"] == "leaf":
            kind = f"variable grad_req={step['grad_req']}" if step["variable"] else "constant"
            lines.append(f"v{i} = leaf {tuple(step['shape'])} ({kind})")
            continue
        args = ", ".join(f"v{a}" if isinstance(a, int) else _arg_text(a) for a in step["args"])
        paused = "  [paused]" if step.get("paused") else ""
        lines.append(f"v{i} = {step['op']}({args}; {step['attrs']}) via {step['call']}{paused}")
    lines.append(f"heads {[f'v{h}' for h in program['heads']]} via {program['api']}")
    return "\n".join(lines)


def _arg_text(arg: dict) -> str:
    if "scalar" in arg:
        return repr(arg["scalar"])
    return f"const{tuple(arg['shape'])}"
