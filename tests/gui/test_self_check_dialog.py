"""Help > Self-check: the real checks on a background thread, one row each, the result copied for the help desk."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from loandesk import selfcheck
from loandesk.ui.self_check_dialog import show_self_check


def run_dialog(qtbot):
    dialog = show_self_check()
    qtbot.addWidget(dialog)
    assert dialog.running and not dialog.again_button.isEnabled()  # the window is not blocked meanwhile
    with qtbot.waitSignal(dialog.finished_checks, timeout=180_000) as finished:
        pass
    return dialog, finished.args[0]


def rows(dialog):
    return [[dialog.table.topLevelItem(i).text(c) for c in range(3)] for i in range(dialog.table.topLevelItemCount())]


def test_every_check_passes_and_the_results_copy_as_the_command_prints_them(qtbot):
    dialog, passed = run_dialog(qtbot)
    assert passed
    shown = rows(dialog)
    assert [r[:2] for r in shown] == [["Passed", c.label_en] for c in selfcheck.CHECKS]
    assert "Qt started (offscreen)" in shown[5][2]  # the running application's own platform
    assert dialog.summary.text() == f"All {len(selfcheck.CHECKS)} checks passed."
    assert dialog.again_button.isEnabled() and not dialog.running
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert len(copied) == len(selfcheck.CHECKS) and all(line.startswith("PASS  ") for line in copied)
    assert copied[0] == f"PASS  store: {shown[0][2]}"


def test_a_missing_font_shows_which_checks_failed(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("LOANDESK_MEMO_FONT", str(tmp_path / "gone.ttc"))
    by_name = {c.name: c for c in selfcheck.CHECKS}
    monkeypatch.setattr(selfcheck, "CHECKS", [by_name["store"], by_name["fonts"], by_name["translations"]])
    dialog, passed = run_dialog(qtbot)
    assert not passed
    assert [r[:2] for r in rows(dialog)] == [["Passed", "store"], ["FAILED", "fonts"], ["Passed", "translations"]]
    assert "which is not a file" in rows(dialog)[1][2]
    assert dialog.summary.text() == "1 of 3 checks failed: fonts. Copy the results for the help desk."


def test_closing_while_checks_run_drops_their_late_results(qtbot):
    from loandesk.ui import self_check_dialog

    dialog = show_self_check()
    assert dialog.running
    dialog.close()  # deleted on close; the checks go on without it
    qtbot.waitUntil(lambda: not self_check_dialog._running, timeout=180_000)


def test_the_help_menu_runs_the_self_check(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMenu

    by_name = {c.name: c for c in selfcheck.CHECKS}
    monkeypatch.setattr(selfcheck, "CHECKS", [by_name["store"], by_name["fonts"]])
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert isinstance(help_menu, QMenu)
    next(a for a in help_menu.actions() if a.text() == "&Self-check…").trigger()
    dialog = window.self_check_dialog
    with qtbot.waitSignal(dialog.finished_checks, timeout=180_000) as finished:
        pass
    assert finished.args[0] is True
    assert [r[:2] for r in rows(dialog)] == [["Passed", "store"], ["Passed", "fonts"]]
    dialog.close()
