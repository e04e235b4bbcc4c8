"""The ``hierax`` command: fit, simulate, summarise and plot from a terminal.

Every command mirrors a line of the Python API, so what works in one works
in the other::

    hierax fit data.csv --global-formula "y ~ 1 + (1|participant_id)" --out fit/
    hierax summary fit/
    hierax plot fit/
    hierax simulate --theta v=0.5 a=1.0 z=0.5 t=0.3 --size 500 --out data.csv
    hierax demo
    hierax datasets

Exit status 0 on success, 1 when the input is wrong or a step fails (one line
on stderr naming the culprit; ``--debug`` shows the traceback instead), and
2 for a malformed command line.

Examples
--------
>>> main(["datasets"])  # doctest: +NORMALIZE_WHITESPACE
cavanagh_theta  3988 rows  participant_id, stim, rt, response, theta, dbs, conf
0
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

from hierax.cli._commands import PROG
from hierax.cli._parser import build_parser

__all__ = ["build_parser", "main"]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _warning_printer(command: str):
    """Show warnings as one line each, ``hierax COMMAND: warning: ...`` (not a source line)."""

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        print(f"{PROG} {command}: warning: {_one_line(message)}", file=file or sys.stderr)

    return show


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hierax`` command line; return the exit status.

    Parameters
    ----------
    argv
        The arguments after ``hierax`` (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 for bad input or a failed step, 2 for a malformed
        command line.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            if not args.debug:
                warnings.showwarning = _warning_printer(args.command)
            args.run(args)
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"{PROG} {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    return 0
