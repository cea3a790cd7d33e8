"""Help > User guide (F1): the tellers' and field officers' guide, in the user's language, inside the app.

The guide is Markdown under ``resources/help/<lang>/NN-topic.md`` (one topic per file, ``NN`` its place in
the contents, the first ``# `` line its title), so the bank can edit it without touching code. F1 opens
the topic of the screen in front of the user (context help): the enterprise or application list, the
intake form, the score panel, a memo, About... A screen of another area names its topic with the Qt
property ``helpTopic`` (``widget.setProperty("helpTopic", "sync")``) on itself or a parent.

The files are read off the GUI thread, once per language, then kept. This module loads on the first
F1 (``help_menu`` puts the menu item and the shortcut on the window at start-up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from loandesk.core.i18n import language
from loandesk.paths import resource

FIRST_TOPIC = "daily-path"
# The topic each screen opens at F1, by the class of the window or panel the focus is in (nearest first).
CONTEXT_TOPICS = {
    "IntakeForm": "intake",
    "MemoDialog": "memo",
    "RecordDecisionDialog": "decisions",
    "ApprovalDialog": "decisions",
    "OverrideRequestDialog": "decisions",
    "OverrideConfirmDialog": "decisions",
    "DuplicateDialog": "enterprises",
    "ScorePanel": "decisions",
    "DecisionDock": "decisions",
    "AboutDialog": "backup",
    "DraftsDialog": "intake",
    "SelfCheckDialog": "daily-path",
}
PAGE_TOPICS = ("enterprises", "applications")  # the main window's pages, in their order
_FILE = re.compile(r"\d+-([a-z0-9-]+)\.md")
# A line break inside a Chinese paragraph of the source reads as a space in Markdown; Chinese has none.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SOFT_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    markdown: str


def guide_folder(lang: str) -> Path:
    folder = resource("help", lang)
    return folder if folder.is_dir() else resource("help", "en")


def load_guide(lang: str) -> list[Topic]:
    """Every topic of the guide in ``lang`` (English where there is none), in contents order."""
    topics = []
    for path in sorted(guide_folder(lang).glob("*.md")):
        found = _FILE.fullmatch(path.name)
        if not found:
            continue
        text = _SOFT_BREAK.sub("", path.read_text(encoding="utf-8"))
        first = next((line for line in text.splitlines() if line.startswith("# ")), path.stem)
        topics.append(Topic(found.group(1), first.removeprefix("# ").strip(), text))
    return topics


def topic_for(widget: QWidget | None) -> str:
    """The topic for the screen ``widget`` (the focus widget, say) is on: the nearest ``helpTopic``
    property or known screen walking up its parents; on the main window, its current page's."""
    while widget is not None:
        named = widget.property("helpTopic")
        if isinstance(named, str) and named:
            return named
        topic = CONTEXT_TOPICS.get(type(widget).__name__)
        if topic:
            return topic
        if type(widget).__name__ == "MainWindow" and hasattr(widget, "stack"):
            index = widget.stack.currentIndex()
            return PAGE_TOPICS[index] if 0 <= index < len(PAGE_TOPICS) else FIRST_TOPIC
        widget = widget.parentWidget()
    return FIRST_TOPIC


_guides: dict[str, list[Topic]] = {}  # read once per language


class _Loader(QThread):
    loaded = Signal(object)  # list[Topic]

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang

    def run(self) -> None:
        try:
            topics = load_guide(self.lang)
        except OSError:
            topics = []
        self.loaded.emit(topics)


class HelpViewer(QDialog):
    """Contents on the left, the topic on the right, a box to find words in the whole guide."""

    topic_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None, lang: str | None = None) -> None:
        super().__init__(parent)
        self.lang = lang or language()
        self.topics: list[Topic] = []
        self.current: str | None = None
        self._wanted = FIRST_TOPIC
        self.setWindowTitle(self.tr("Loan Desk user guide"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(1000, 660)  # fits a 1366x768 screen beside the taskbar

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find in the guide (e.g. credit code, sync, memo)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Find in the guide"))
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._find_next)
        top.addWidget(self.search, 1)
        self.found_label = QLabel()
        top.addWidget(self.found_label)
        layout.addLayout(top)

        splitter = QSplitter()
        self.contents = QListWidget()
        self.contents.setAccessibleName(self.tr("Contents"))
        self.contents.currentItemChanged.connect(self._chosen)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Guide text"))
        self.browser.setOpenLinks(False)  # links between topics are ours to follow
        self.browser.anchorClicked.connect(self._follow)
        self.browser.zoomIn(2)  # read at the counter, not at a desk: larger than the list text
        self.browser.setPlainText(self.tr("Loading the guide…"))
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 740])
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox()
        self.back_button = buttons.addButton(self.tr("&Back"), QDialogButtonBox.ButtonRole.ActionRole)
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_button.setEnabled(False)
        self.back_button.clicked.connect(self._back)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self._history: list[str] = []

        if self.lang in _guides:
            self._loaded(_guides[self.lang])
        else:
            self._loader = _Loader(self.lang, self)
            self._loader.loaded.connect(self._loaded)
            self._loader.start()

    # ---- contents ----------------------------------------------------------------------------
    def _loaded(self, topics: list[Topic]) -> None:
        _guides[self.lang] = topics
        self.topics = topics
        self.contents.clear()
        for topic in topics:
            item = QListWidgetItem(topic.title)
            item.setData(Qt.ItemDataRole.UserRole, topic.id)
            self.contents.addItem(item)
        if not topics:
            self.browser.setPlainText(self.tr("The user guide is missing from this installation."))
            return
        self.show_topic(self._wanted, remember=False)

    def topic_ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def show_topic(self, topic_id: str, remember: bool = True) -> None:
        """Show ``topic_id`` (the first topic when the guide has no such topic)."""
        self._wanted = topic_id
        if not self.topics:
            return  # still loading: shown when the guide arrives
        ids = self.topic_ids()
        if topic_id not in ids:
            topic_id = FIRST_TOPIC if FIRST_TOPIC in ids else ids[0]
        if remember and self.current and self.current != topic_id:
            self._history.append(self.current)
        self.back_button.setEnabled(bool(self._history))
        row = ids.index(topic_id)
        if self.contents.currentRow() != row:
            self.contents.blockSignals(True)
            self.contents.setCurrentRow(row)
            self.contents.blockSignals(False)
        self.browser.setMarkdown(self.topics[row].markdown)
        self.current = topic_id
        self.topic_shown.emit(topic_id)

    def _chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.show_topic(item.data(Qt.ItemDataRole.UserRole))

    def _follow(self, url: QUrl) -> None:
        """A link to another topic (``credit-code.md``) opens it; the guide links nowhere else."""
        name = url.path().rsplit("/", 1)[-1]
        if name.endswith(".md"):
            self.show_topic(re.sub(r"^\d+-", "", name[:-3]))

    def _back(self) -> None:
        if self._history:
            self.show_topic(self._history.pop(), remember=False)
            self.back_button.setEnabled(bool(self._history))

    # ---- finding -----------------------------------------------------------------------------
    def matching_topics(self, text: str) -> list[str]:
        words = text.casefold().split()
        return [t.id for t in self.topics if all(w in t.markdown.casefold() for w in words)]

    def _filter(self, text: str) -> None:
        """Only the topics holding every word typed stay in the contents; the first one is shown."""
        found = set(self.matching_topics(text)) if text.strip() else set(self.topic_ids())
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            item.setHidden(item.data(Qt.ItemDataRole.UserRole) not in found)
        if not text.strip():
            self.found_label.clear()
            return
        self.found_label.setText(self.tr("%n topic(s)", "", len(found)))
        if found and self.current not in found:
            self.show_topic(next(i for i in self.topic_ids() if i in found))
        self._find_next()

    def _find_next(self) -> None:
        words = self.search.text().split()
        if words and not self.browser.find(words[0]):
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            self.browser.find(words[0])
