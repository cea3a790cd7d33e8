"""Name fields of the records a user makes (officer, approver) filled with the signed-in user and locked.

The core records the signed-in user's name whatever is typed (core.permissions.acting_name) and refuses
another; the dialogs say so up front instead of asking for a name. A home opened with its key (no
users) and the system actor of cross-role tests keep the typed field.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit


def signed_in_name(runner) -> str | None:
    """The signed-in user's name as records show it, or None when nobody (or the system) is signed in."""
    actor = getattr(getattr(runner, "session", None), "actor", None)
    if actor is None or actor.is_system:
        return None
    return actor.shown


def bind_to_signed_in(editor: QLineEdit, runner) -> bool:
    """Fill ``editor`` with the signed-in user's name and make it read-only; False when nobody is signed in."""
    name = signed_in_name(runner)
    if name is None:
        return False
    editor.setText(name)
    editor.setReadOnly(True)
    editor.setToolTip(QCoreApplication.translate(
        "SignedIn", "Records carry the signed-in user's name: sign in as another user to act as them."))
    return True
