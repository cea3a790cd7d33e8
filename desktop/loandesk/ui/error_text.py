"""An error as the user should read it (Qt-free, so the main window can import it before any dialog)."""

from __future__ import annotations

from loandesk.core.i18n import language


def user_message(error: BaseException) -> str:
    """Loan Desk's own errors carry their zh/en text; anything else shows as Python words it."""
    if hasattr(error, "message"):
        try:
            return error.message(language())
        except TypeError:
            pass
    return str(error) or type(error).__name__
