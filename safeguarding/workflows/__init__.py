"""Every lifecycle's state machine. A lifecycle is a declaration (states, transitions,
roles, guards) that imports models and the engine only; each feature's service imports
its lifecycle and registers what the lifecycle needs from it (a loader, named permissions
and effects). `load_all()` (create_app calls it) imports every module of this package but
the engine's own, so a new lifecycle is a new module and nothing else."""

import importlib
import pkgutil

from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

# Modules of this package that are the engine and its pages, not lifecycles.
_MACHINERY = {"base", "forms", "routes"}


def load_all() -> dict[str, Lifecycle]:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _MACHINERY:
            importlib.import_module(f"{__name__}.{module.name}")
    return Lifecycle.registry


__all__ = ["Lifecycle", "Param", "Transition", "TransitionContext", "load_all"]
