"""Install, remove and inspect the "Python 3 (autogradviz)" Jupyter kernel spec.

The kernel is the current interpreter running ipykernel with ``--ext=autogradviz``, so a notebook
on it starts with ``%load_ext autogradviz`` already done. jupyter_client and ipykernel are
imported lazily; this module imports nothing visual and nothing from IPython. The command
line (``python -m autogradviz.kernel``) is in ``kernel_command``. The installer writes only
inside the location it is given.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile

from ..errors import AutogradvizError

NAME = "autogradviz"
DISPLAY_NAME = "Python 3 (autogradviz)"
# ``--ext`` is IPython's alias for ``InteractiveShellApp.extra_extensions``: it adds to any
# ``extensions`` a user configured instead of replacing them. IPython loads the module
# ``autogradviz`` and calls its ``load_ipython_extension`` before the first cell runs.
EXTENSION_ARG = "--ext=autogradviz"
# The names jupyter_client accepts, minus "." and "..": those would name the kernels directory
# itself or its parent, which installing would replace and uninstalling would delete.
_VALID_NAME = re.compile(r"(?!\.+\Z)[a-z0-9._-]+")  # whole name only: fullmatch
_LOGOS = ("logo-32x32.png", "logo-64x64.png", "logo-svg.svg")


class KernelSpecError(AutogradvizError, OSError):
    """The kernel spec cannot be installed or removed where it was asked to be."""


class KernelNotInstalledError(KernelSpecError):
    """There is no autogradviz kernel spec at the location asked about."""


def kernel_json(display_name: str = DISPLAY_NAME) -> dict:
    """Return the content of the kernel spec's ``kernel.json``.

    Parameters
    ----------
    display_name : str
        The name Jupyter shows in its launcher and kernel picker.

    Returns
    -------
    dict
        ``argv`` runs this very interpreter (``sys.executable``, not resolved, so a venv stays
        a venv) with ipykernel and the autogradviz extension.

    Examples
    --------
    >>> spec = kernel_json()
    >>> spec["argv"][1:]
    ['-m', 'ipykernel_launcher', '-f', '{connection_file}', '--ext=autogradviz']
    >>> spec["display_name"], spec["language"]
    ('Python 3 (autogradviz)', 'python')
    """
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", EXTENSION_ARG]
    return {"argv": argv, "display_name": display_name, "language": "python",
            "metadata": {"debugger": True}}  # fmt: skip


def spec_dir(
    name: str = NAME, *, prefix: str | None = None, user: bool = False, sys_prefix: bool = False
) -> str:
    """Return the directory a kernel spec called `name` has at one location.

    Parameters
    ----------
    name : str
        The kernel spec's name (lowercase letters, digits, ``.``, ``_`` and ``-``).
    prefix, user, sys_prefix : str or bool
        At most one location: ``PREFIX/share/jupyter/kernels``, the user's Jupyter data dir
        (``JUPYTER_DATA_DIR`` if set), or ``sys.prefix`` (the running environment, the default).

    Returns
    -------
    str
        An absolute path; nothing is created.

    Raises
    ------
    KernelSpecError
        If more than one location is given or the name is not a valid kernel name.

    Examples
    --------
    >>> spec_dir(prefix="/opt/env")
    '/opt/env/share/jupyter/kernels/autogradviz'
    """
    return os.path.join(_location(name, prefix, user, sys_prefix)[1], name)


def install(
    prefix: str | None = None,
    user: bool = False,
    sys_prefix: bool = False,
    name: str = NAME,
    display_name: str = DISPLAY_NAME,
) -> str:
    """Install the autogradviz kernel spec and return its directory.

    Parameters
    ----------
    prefix, user, sys_prefix : str or bool
        Where to install; at most one. See `spec_dir`. The default is ``sys_prefix``.
    name : str
        The kernel spec's name, also its directory's name.
    display_name : str
        The name Jupyter shows for the kernel.

    Returns
    -------
    str
        The spec directory that now holds ``kernel.json`` (an existing one is replaced).

    Raises
    ------
    KernelSpecError
        If the location is ambiguous or cannot be written, the name is invalid, or ipykernel
        is missing from this interpreter.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as prefix:
    ...     path = install(prefix=prefix)
    ...     print(pathlib.Path(path).relative_to(prefix).as_posix())
    share/jupyter/kernels/autogradviz
    """
    install_prefix, kernels = _location(name, prefix, user, sys_prefix)
    destination = os.path.join(kernels, name)
    logos = _ipykernel_logos()
    # Stage next to the kernels directory, not in /tmp, so the installer writes nowhere else;
    # outside ``kernels/`` the half-written spec is never mistaken for a kernel.
    staging_root = os.path.dirname(kernels)
    try:
        os.makedirs(staging_root, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".autogradviz-", dir=staging_root) as staging:
            _write_spec(staging, display_name, logos)
            installed = spec_manager().install_kernel_spec(
                staging, name, user=install_prefix is None, prefix=install_prefix
            )
    except OSError as error:
        raise KernelSpecError(
            f"kernel install: cannot write {destination} ({error.strerror or error}). "
            "Pass --user, or --prefix with a directory you can write."
        ) from error
    assert os.path.samefile(installed, destination), (installed, destination)
    return destination


def uninstall(
    prefix: str | None = None, user: bool = False, sys_prefix: bool = False, name: str = NAME
) -> str:
    """Remove the autogradviz kernel spec from one location and return the removed directory.

    Parameters
    ----------
    prefix, user, sys_prefix : str or bool
        Where to look; at most one. See `spec_dir`. The default is ``sys_prefix``.
    name : str
        The kernel spec's name.

    Returns
    -------
    str
        The directory that was removed. Specs at other locations are left alone.

    Raises
    ------
    KernelNotInstalledError
        If that location has no spec called `name`.
    KernelSpecError
        If the spec there does not load autogradviz (it is not ours), or cannot be removed.
    """
    destination = spec_dir(name, prefix=prefix, user=user, sys_prefix=sys_prefix)
    if not os.path.isfile(os.path.join(destination, "kernel.json")):
        raise KernelNotInstalledError(
            f"kernel uninstall: no kernel spec {name!r} in {os.path.dirname(destination)}. "
            "Pass the location flag it was installed with (--user, --sys-prefix or --prefix)."
        )
    if not loads_autogradviz(destination):
        raise KernelSpecError(
            f"kernel uninstall: {destination} is not an autogradviz kernel (its argv lacks "
            f"{EXTENSION_ARG}). Remove it with: jupyter kernelspec remove {name}."
        )
    try:
        shutil.rmtree(destination)
    except OSError as error:
        raise KernelSpecError(
            f"kernel uninstall: cannot remove {destination} ({error.strerror or error}). "
            "Check that you may write there."
        ) from error
    return destination


def loads_autogradviz(path: str) -> bool:
    """Return whether the kernel spec in directory `path` loads autogradviz (False if none)."""
    try:
        with open(os.path.join(path, "kernel.json"), encoding="utf-8") as file:
            argv = json.load(file).get("argv", [])
    except (OSError, ValueError, AttributeError):
        return False
    return EXTENSION_ARG in argv


def _location(
    name: str, prefix: str | None, user: bool, sys_prefix: bool
) -> tuple[str | None, str]:
    """Return ``(install prefix, kernels directory)``; the prefix is None for ``--user``."""
    chosen = [flag for flag, on in (("--user", user), ("--sys-prefix", sys_prefix),
                                    ("--prefix", prefix is not None)) if on]  # fmt: skip
    if len(chosen) > 1:
        raise KernelSpecError(
            f"kernel spec: more than one location given ({' and '.join(chosen)}). "
            "Pass only one of --user, --sys-prefix and --prefix."
        )
    if not _VALID_NAME.fullmatch(name):
        raise KernelSpecError(
            f"kernel spec: invalid kernel name {name!r}. "
            "Use only lowercase letters, digits, '.', '_' and '-'."
        )
    if prefix is not None and not prefix.strip():
        raise KernelSpecError("kernel spec: --prefix is empty. Pass a directory.")
    if user:
        return None, spec_manager().user_kernel_dir
    base = os.path.abspath(prefix) if prefix is not None else sys.prefix
    return base, os.path.join(base, "share", "jupyter", "kernels")


def spec_manager():
    """Make a jupyter_client ``KernelSpecManager`` that keeps its notes to itself."""
    import logging

    from jupyter_client.kernelspec import KernelSpecManager

    # It warns when a prefix is not on Jupyter's search path; `main` says that more plainly.
    quiet = logging.getLogger("autogradviz.kernel.jupyter_client")
    quiet.setLevel(logging.ERROR)
    return KernelSpecManager(log=quiet)


def _ipykernel_logos() -> list[str]:
    """Paths of ipykernel's logo files (Jupyter shows them in the launcher)."""
    try:
        from ipykernel.kernelspec import RESOURCES
    except ImportError as error:
        raise KernelSpecError(
            f"kernel install: ipykernel is not installed for {sys.executable}. "
            f"Run: {sys.executable} -m pip install ipykernel."
        ) from error
    return [os.path.join(RESOURCES, logo) for logo in _LOGOS if os.path.isfile(
        os.path.join(RESOURCES, logo))]  # fmt: skip


def _write_spec(directory: str, display_name: str, logos: list[str]) -> None:
    """Write ``kernel.json`` and copy the logos into `directory`."""
    with open(os.path.join(directory, "kernel.json"), "w", encoding="utf-8") as file:
        json.dump(kernel_json(display_name), file, indent=1)
        file.write("\n")
    for logo in logos:
        shutil.copyfile(logo, os.path.join(directory, os.path.basename(logo)))
