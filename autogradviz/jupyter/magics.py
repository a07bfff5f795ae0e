"""The ``%autogradviz`` line magic: switch the live graph on or off and set its options.

Usage::

    %autogradviz on | off | status
    %autogradviz [--values/--no-values] [--grads/--no-grads] [--shapes/--no-shapes]
                 [--max-nodes N] [--history K] [--rankdir auto|LR|TB] [--graphviz wasm|system]
    %autogradviz show EXPR      # the graph behind an array, without calling backward
    %autogradviz check NAME     # the last pass's gradient of NAME against finite differences
    %autogradviz quiz [values|off]  # predict the gradients (or values), then see them

Bad options print the usage, never a traceback. Imports IPython (through the extension).
"""

from __future__ import annotations

import argparse
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class

from ..graph.snapshot import last_graph
from ..render.svg import ENGINES, get_graphviz, set_graphviz
from ..teach import check
from ..teach.quiz import Quiz

USAGE = __doc__.split("Usage::", 1)[1].split("Bad options", 1)[0].rstrip()


MAX_HISTORY = 10_000  # passes a widget keeps, at most (each holds a snapshot)
MAX_NODES = 100_000  # boxes drawn, at most (Graphviz takes minutes long before this)


class _UsageError(Exception):
    """A bad ``%autogradviz`` line; the message is shown with the usage."""


def _in_range(option: str, value: int, most: int) -> int:
    """Return ``value`` if it is from 1 to ``most``; a bad line changes nothing."""
    if not 1 <= value <= most:
        raise _UsageError(f"{option} must be a whole number from 1 to {most:,}, not {value}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit the kernel
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="%autogradviz", add_help=False)
    parser.add_argument("command", nargs="?", choices=("on", "off", "status"))
    for name in ("values", "grads", "shapes"):
        parser.add_argument(f"--{name}", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--max-nodes", type=int)
    parser.add_argument("--history", type=int)
    parser.add_argument("--rankdir", choices=("auto", "LR", "TB"))
    parser.add_argument("--graphviz", choices=ENGINES)
    return parser


@magics_class
class AutogradvizMagics(Magics):
    """``%autogradviz``: control the live graph of the autogradviz extension."""

    def __init__(self, shell: Any, session: Any) -> None:
        super().__init__(shell)
        self.session = session

    @line_magic
    def autogradviz(self, line: str) -> None:
        """Switch the live graph on/off, show its status, set options, or show an array."""
        try:
            words = line.split(maxsplit=1)
            if words and words[0] == "show":  # the rest of the line is a Python expression
                self._show(words[1] if len(words) > 1 else "")
                return
            if words and words[0] == "check":
                print(_check(words[1].strip() if len(words) > 1 else ""))
                return
            if words and words[0] == "quiz":
                self._quiz(words[1].strip() if len(words) > 1 else "grads")
                return
            self._apply(_parser().parse_args(line.split()))
        except _UsageError as error:
            print(f"%autogradviz: {error}\nUsage:{USAGE}")

    def _apply(self, args: argparse.Namespace) -> None:
        session = self.session
        if args.max_nodes is not None:  # checked first: a refused line changes nothing
            _in_range("--max-nodes", args.max_nodes, MAX_NODES)
        if args.history is not None:
            _in_range("--history", args.history, MAX_HISTORY)
        for name in ("values", "grads", "shapes"):
            if getattr(args, name) is not None:
                session.options[name] = getattr(args, name)
        if args.max_nodes is not None:
            session.options["max_nodes"] = _in_range("--max-nodes", args.max_nodes, MAX_NODES)
        if args.rankdir is not None:
            session.options["rankdir"] = args.rankdir
        if args.history is not None:
            session.history = _in_range("--history", args.history, MAX_HISTORY)
        if (
            args.graphviz is not None
        ):  # the kernel's static copies (the browser draws the live one)
            set_graphviz(args.graphviz)
        if args.command in ("on", "off"):
            session.enabled = args.command == "on"
        if args.command == "status" or args.command is None:
            print(self._status())

    def _show(self, expression: str) -> None:
        if not expression:
            raise _UsageError("show needs an expression, e.g. %autogradviz show loss")
        try:
            array = self.shell.ev(expression)  # type: ignore[union-attr]  # set by IPython
            self.session.show(array)
        except Exception as error:  # a typo in EXPR: say so briefly, keep the kernel calm
            raise _UsageError(f"show {expression}: {type(error).__name__}: {error}") from None

    def _quiz(self, mode: str) -> None:
        """Start (or stop) the quiz: in the widget, or as questions in a terminal."""
        if mode not in ("grads", "values", "off"):
            raise _UsageError(f"quiz takes grads, values or off, not {mode!r}")
        session = self.session
        session.quiz = None if mode == "off" else mode
        if session.terminal:
            if mode != "off":
                _terminal_quiz(mode)
            return
        view = session.view
        if view is not None and view.graph is not None:
            view.tools.quiz.stop()
            if mode != "off":
                view.tools.quiz.start(mode)
        hidden = "gradients" if mode == "grads" else "values"
        print("quiz off: pictures show every number again" if mode == "off" else
              f"quiz on: pictures hide their {hidden}; type your predictions under each one "
              "(%autogradviz quiz off to stop)")  # fmt: skip

    def _status(self) -> str:
        session = self.session
        state = "on" if session.enabled else "off"
        where = "text (terminal)" if session.terminal else "live widget"
        options = ", ".join(f"{k}={v}" for k, v in sorted(session.options.items())) or "defaults"
        return (f"autogradviz is {state}: {where}; history {session.history}; "
                f"options: {options}; graphviz {get_graphviz()}")  # fmt: skip


def _check(name: str) -> str:
    """Return the verdict of ``check`` on box ``name`` of the last pass, as text."""
    if not name:
        raise _UsageError(
            "check needs a box: a variable's name or an id, e.g. %autogradviz check w"
        )
    try:
        return str(check(last_graph(), name))
    except Exception as error:  # no pass yet, a typo, or the replay failing
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        raise _UsageError(f"check {name}: {message}") from None


def _terminal_quiz(mode: str) -> None:
    """Ask the quiz's questions on the last pass with ``input()`` (a blank line stops)."""
    try:
        quiz = Quiz(last_graph(), mode)
    except Exception as error:  # no pass captured yet
        raise _UsageError(f"quiz: {error}") from None
    print(f"{len(quiz.questions)} question(s) on the last pass; a blank line stops.")
    while quiz.current is not None:
        text = input(f"{quiz.current.text}\n> ")
        if not text.strip():
            break
        print(quiz.answer(text))
    print(quiz.score_text)
