"""The bundle's entry point: PyInstaller freezes this script, which hands over to ``loandesk.cli:main``.

A script rather than ``-m loandesk`` because PyInstaller needs a file to start from; it stays this small
so the frozen program behaves exactly as the installed ``loandesk`` command does.
"""

import sys

from loandesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
