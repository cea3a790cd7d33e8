"""What the GUI's start-up path imports and how it reads its few options (issue 7, speed): the GUI's
arguments are read without building an ArgumentParser, and the store's modules leave hmac/secrets and
TOML parsing to the moment they are needed (a new home's key, the first permission check)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from loandesk.cli import gui_only


@pytest.mark.parametrize("argv, home, lang", [([], None, None), (["--home", "/d"], "/d", None),
                                              (["--home=/d", "--lang", "en"], "/d", "en"),
                                              (["--lang=zh"], None, "zh")])  # fmt: skip
def test_the_guis_own_options_are_read_by_hand(argv, home, lang):
    args = gui_only(argv)
    assert (args.home, args.lang, args.command) == (home, lang, None)


@pytest.mark.parametrize("argv", [["demo"], ["--home"], ["--home", "--lang"], ["--lang", "fr"], ["--version"],
                                  ["--home", "/d", "list", "applications"], ["-h"]])  # fmt: skip
def test_anything_else_goes_to_the_full_parser(argv):
    assert gui_only(argv) is None


def test_a_bad_language_is_still_refused_with_one_line(capsys):
    from loandesk.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--lang", "fr"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_the_store_and_the_guis_modules_import_no_argparse_translations_nor_hmac():
    code = ("import sys; import loandesk.cli, loandesk.storage, loandesk.core.permissions, loandesk.core.sizing; "
            "print(','.join(m for m in ('locale', 'hmac', 'secrets') if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
