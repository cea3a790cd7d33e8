"""The one word for each decision on every screen (the list, the score panel, the override and approval
dialogs): translated once here, in one context, so no screen can say it differently. The memo template
and ``core.decisions.DECISION_WORDS`` (command line, memos, scoring texts) say the same words:
``tests/gui/test_decision_words.py`` compares them all."""

from __future__ import annotations

from PySide6.QtCore import QObject


class DecisionWords(QObject):
    def names(self) -> dict[str, str]:
        return {"approve": self.tr("Approve"), "refer": self.tr("Refer"), "decline": self.tr("Decline")}

    def name(self, code: str | None) -> str:
        return self.names().get(code or "", code or "")

    def pending(self, code: str | None, wanted: str | None) -> str:
        """The decision in effect while an override waits for an approver, in words (not "A → B?")."""
        return self.tr("{decision} (change to {wanted} requested, awaiting an approver)").format(
            decision=self.name(code), wanted=self.name(wanted))  # fmt: skip


_words: DecisionWords | None = None


def words() -> DecisionWords:
    """The shared instance (translators are installed before any screen asks)."""
    global _words
    if _words is None:
        _words = DecisionWords()
    return _words
