"""The PySide6 face of Loan Desk: the only package that imports Qt (checked by import-linter).

Work-around for the pinned PySide6 6.12.0 wheels on Python 3.11: several bindings return
``None``, ``True`` or ``False`` without taking a reference (``Signal.emit``'s result,
``QComboBox.currentData()`` / ``QModelIndex.data()`` of an empty value, ``addItem(text, None)``).
On 3.12+ those singletons are immortal and nothing happens; on 3.11 every such call lowers
their reference count until CPython aborts with "none_dealloc" / "bool_dealloc" (reproduced:
1,000 ``emit`` calls are enough). Until the wheels are fixed or Python >= 3.12 is required,
give the three singletons a reference count no session can exhaust, as 3.12 does.
"""

from __future__ import annotations

import sys


def _immortalise_singletons() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_immortalise_singletons()
