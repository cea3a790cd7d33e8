"""The user's language for messages made outside Qt (validators, CLI, memos).

Qt screens translate their own strings with ``tr``; domain messages are chosen
here from a catalogue so the CLI and the GUI say the same thing in the same
language. Chinese is the default: our users read Chinese.
"""

from __future__ import annotations

import os

SUPPORTED = ("zh", "en")
_current = None


def language() -> str:
    global _current
    if _current is None:
        env = (os.environ.get("LOANDESK_LANG") or "zh").lower()
        _current = "en" if env.startswith("en") else "zh"
    return _current


def set_language(lang: str) -> None:
    global _current
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; choose one of {SUPPORTED}")
    _current = lang


def pick(en: str, zh: str, lang: str | None = None) -> str:
    return zh if (lang or language()) == "zh" else en
