"""Help > About says which build this is: a bundle's build date and commit from the build record the
bundle carries; a source checkout says it is one (no build date), with its last commit."""

from __future__ import annotations

import datetime as dt

from loandesk import __version__, build_info
from loandesk.ui.about_dialog import AboutDialog

BUILT = dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC)


def open_about(window, qtbot, resources=None) -> AboutDialog:
    dialog = AboutDialog(window.runner, window.home, window, resources=resources)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.facts is not None, timeout=10_000)
    return dialog


def test_about_shows_the_build_date_from_the_build_record(window, qtbot, tmp_path):
    import json

    resources = tmp_path / "resources"
    resources.mkdir()
    (resources / build_info.BUILD_INFO).write_text(json.dumps(build_info.record(__version__, "abc1234", BUILT)))
    dialog = open_about(window, qtbot, resources)
    assert dialog.built_label.text() == "30 Nov 2026 (commit abc1234)"
    dialog.close()


def test_about_says_a_source_checkout_has_no_build_date(window, qtbot):
    dialog = open_about(window, qtbot)  # the app's own resources: the tests run from a checkout
    assert dialog.built_label.text().startswith("no build: a source checkout")
    info = dialog.facts["built"]
    if info.commit:  # git is there: the last commit, so IT can tell which code this is
        assert info.commit in dialog.built_label.text() and "last commit" in dialog.built_label.text()
    dialog.close()


def test_about_says_when_the_build_record_cannot_be_read(window, qtbot, tmp_path):
    (tmp_path / build_info.BUILD_INFO).write_text("{half a file", encoding="utf-8")
    dialog = open_about(window, qtbot, tmp_path)
    assert dialog.built_label.text() == "unknown: the build record cannot be read"
    dialog.close()


def test_about_in_chinese_names_the_build(window, qtbot, tmp_path, qapp):
    import json

    from loandesk.core.i18n import set_language
    from loandesk.ui import i18n

    translators = i18n.install_translators(qapp, "zh")
    try:
        (tmp_path / build_info.BUILD_INFO).write_text(json.dumps(build_info.record(__version__, "abc1234", BUILT)))
        dialog = open_about(window, qtbot, tmp_path)
        assert dialog.built_label.text() == "2026年11月30日（提交 abc1234）"
        dialog.close()
        checkout = open_about(window, qtbot)
        assert checkout.built_label.text().startswith("无（从源代码运行")
        checkout.close()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        set_language("en")
