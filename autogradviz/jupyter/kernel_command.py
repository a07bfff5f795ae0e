"""The command line ``python -m autogradviz.kernel`` (install, uninstall, status).

Usage (the default location is ``--sys-prefix``, the running environment)::

    python -m autogradviz.kernel install   [--user | --sys-prefix | --prefix P] [--name N]
                                           [--display-name TEXT]
    python -m autogradviz.kernel uninstall [--user | --sys-prefix | --prefix P] [--name N]
    python -m autogradviz.kernel status    [--user | --sys-prefix | --prefix P] [--name N]

Exit codes: 0 done; 1 not installed (``uninstall``, ``status``); 2 bad usage or a location that
cannot be written. The work is done by ``kernelspec``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from .kernelspec import (
    DISPLAY_NAME,
    NAME,
    KernelNotInstalledError,
    KernelSpecError,
    install,
    loads_autogradviz,
    spec_dir,
    spec_manager,
    uninstall,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (bad usage exits with 2 from argparse).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``python -m autogradviz.kernel``; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 done, 1 not installed, 2 the location cannot be used.
    """
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except KernelSpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1 if isinstance(error, KernelNotInstalledError) else 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autogradviz.kernel",
        description=f"Manage the {DISPLAY_NAME!r} Jupyter kernel, which starts with the "
        "autogradviz extension loaded.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command, text in (
        ("install", "install the kernel spec (replacing one of the same name there)"),
        ("uninstall", "remove the kernel spec from one location"),
        ("status", "say whether the kernel spec is installed at one location"),
    ):
        sub = commands.add_parser(command, help=text, description=text[0].upper() + text[1:])
        where = sub.add_mutually_exclusive_group()
        where.add_argument("--user", action="store_true", help="the user's Jupyter data dir")
        where.add_argument(
            "--sys-prefix", action="store_true", help=f"this environment, {sys.prefix} (default)"
        )
        where.add_argument("--prefix", metavar="P", help="P/share/jupyter/kernels")
        sub.add_argument("--name", default=NAME, help=f"kernel spec name (default {NAME!r})")
        if command == "install":
            sub.add_argument("--display-name", default=DISPLAY_NAME, metavar="TEXT",
                             help=f"name shown in Jupyter (default {DISPLAY_NAME!r})")  # fmt: skip
    return parser


def _where(args: argparse.Namespace) -> dict:
    return {"prefix": args.prefix, "user": args.user, "sys_prefix": args.sys_prefix}


def _install_command(args: argparse.Namespace) -> int:
    path = install(name=args.name, display_name=args.display_name, **_where(args))
    print(f"Installed kernel {args.name!r} ({args.display_name}) in {path}")
    kernels = os.path.dirname(path)
    searched = {os.path.realpath(directory) for directory in spec_manager().kernel_dirs}
    if os.path.realpath(kernels) not in searched:
        print(f"note: Jupyter does not look in {kernels}; to use this kernel, run Jupyter with "
              f"JUPYTER_PATH={os.path.dirname(kernels)}")  # fmt: skip
    return 0


def _uninstall_command(args: argparse.Namespace) -> int:
    print(f"Removed kernel {args.name!r} from {uninstall(name=args.name, **_where(args))}")
    return 0


def _status_command(args: argparse.Namespace) -> int:
    path = spec_dir(args.name, **_where(args))
    if not loads_autogradviz(path):
        print(f"not installed: no autogradviz kernel spec {args.name!r} in {path}")
        return 1
    with open(os.path.join(path, "kernel.json"), encoding="utf-8") as file:
        spec = json.load(file)
    print(f"installed: {path} ({spec.get('display_name')}, python {spec['argv'][0]})")
    return 0


_COMMANDS = {
    "install": _install_command,
    "uninstall": _uninstall_command,
    "status": _status_command,
}
