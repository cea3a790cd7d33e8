"""Names for screen readers: every field a form lays out is named by its label.

A screen reader announces a field by its accessible name; without one it says only "edit" or "combo
box". The visible label already holds the right words, translated, so ``name_fields(root)`` gives each
field in a ``QFormLayout`` row (and each buddy of a ``QLabel``) its label's text, without the mnemonic
and the colon. It runs once where a screen's widgets are built, after its labels have their words; a
name set by hand is never replaced. Widgets without a label (a search box, a table) are named where
they are made, with ``setAccessibleName(self.tr(...))``.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView, QPlainTextEdit, QTextEdit)
_MNEMONIC_ZH = re.compile(r"\s*[(（]&\w[)）]")  # 金额(&Y): the Chinese mnemonic in brackets after the words


def label_words(text: str) -> str:
    """A label as a name: no mnemonic (``&Amount`` / ``金额(&A)``), no trailing colon or required mark."""
    text = _MNEMONIC_ZH.sub("", text or "")
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":：*").strip()


def spoken_text(widget: QWidget) -> str:
    """What a screen reader names ``widget`` by: its accessible name, else a button's own words."""
    name = widget.accessibleName().strip()
    if not name and isinstance(widget, QAbstractButton):
        name = label_words(widget.text())
    return name


def _fields_in(item) -> list[QWidget]:
    """The interactive widgets in a form row's field: the widget itself, or those inside it / its layout."""
    if item is None:
        return []
    widget, layout = item.widget(), item.layout()
    if widget is not None:
        if isinstance(widget, FIELDS):
            return [widget]
        found = [w for w in widget.findChildren(QWidget) if isinstance(w, FIELDS) and not _inside_field(w, widget)]
        return found
    if isinstance(layout, QLayout):
        found: list[QWidget] = []
        for i in range(layout.count()):
            found += _fields_in(layout.itemAt(i))
        return found
    return []


def _inside_field(widget: QWidget, top: QWidget) -> bool:
    """Part of another field (a spin box's line edit, a line edit's clear button)?"""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, FIELDS):
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget, words: str, several: bool) -> None:
    if not words or widget.accessibleName():
        return
    if isinstance(widget, QAbstractButton) and label_words(widget.text()):
        # A button says what it does ("Attach…"); the row's label says what it is for.
        if not widget.accessibleDescription():
            widget.setAccessibleDescription(words)
        return
    detail = ""
    if several:  # two fields on one row (latitude and longitude): told apart by their hints
        detail = getattr(widget, "placeholderText", lambda: "")() or widget.toolTip()
    widget.setAccessibleName(f"{words} ({detail})" if detail else words)


def name_fields(root: QWidget) -> None:
    """Name every unnamed field of ``root``'s form layouts, and every labelled buddy, by its label."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = label.widget() if label is not None else None
            if not isinstance(label, QLabel):
                continue
            fields = _fields_in(form.itemAt(row, QFormLayout.ItemRole.FieldRole))
            if not fields:
                continue
            if label.buddy() is None:
                label.setBuddy(fields[0])  # the label's mnemonic (Alt+letter) reaches the field
            unnamed = [w for w in fields if not spoken_text(w)]
            for widget in fields:
                _name(widget, label_words(label.text()), len(unnamed) > 1)
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            _name(buddy, label_words(label.text()), False)


class WindowNames(QObject):
    """The main window's lists, named by the page they are on: "Enterprises" (table), "Search Enterprises"."""

    def name_pages(self, window) -> None:
        for row in range(window.nav.count()):
            page, title = window.stack.widget(row), label_words(window.nav.item(row).text())
            view, search = getattr(page, "view", None), getattr(page, "search", None)
            if isinstance(view, QAbstractItemView) and not view.accessibleName():
                view.setAccessibleName(title)
            if isinstance(search, QLineEdit) and not search.accessibleName():
                search.setAccessibleName(self.tr("Search {page}").format(page=title))
        name_fields(window)  # the pages' filter bars (a label before each filter)


def install(window) -> WindowNames:
    """Name what the main window's pages hold; called once every page is in the window."""
    names = WindowNames(window)
    names.name_pages(window)
    return names


def readable_palette(app) -> None:
    """The application's palette with hints and selections that read (WCAG 1.4.3, 4.5:1).

    Qt paints placeholder text as the text colour at half strength, about 4:1 on white, and Fusion's
    selected row as white on a mid blue, about 3.6:1; both are made just dark enough (or light enough,
    under a dark theme). Everything else in the platform's palette is left as it is."""
    from PySide6.QtGui import QColor, QPalette

    from . import contrast

    palette = app.palette()
    role = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text, base, window = (palette.color(group, r).name() for r in (role.Text, role.Base, role.Window))
        hint = contrast.readable_mix(text, base, also=(window,))  # in a field, and on a chart's empty page
        palette.setColor(group, role.PlaceholderText, QColor(contrast.hex_colour(hint)))
        chosen = palette.color(group, role.HighlightedText).name()
        highlight = contrast.away_from(palette.color(group, role.Highlight).name(), chosen)
        palette.setColor(group, role.Highlight, QColor(contrast.hex_colour(highlight)))
    app.setPalette(palette)
