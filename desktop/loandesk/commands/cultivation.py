"""``loandesk import-list``: import a regulator's or head office's enterprise list (issue 10).

Prints the counts (``--json``: imported, updated, unchanged, rejected, warned, duplicates, rows) and
writes the report of rejected and warned rows (``--rejects``: row, field, value, severity, reason).
Exit 0 when the import was written (with rejected rows and warnings), 2 when nothing was written
(the file is refused, or every row is rejected), with a one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from loandesk.core.i18n import language, pick

from .common import EXIT_BAD_INPUT, EXIT_OK, CommandError, output_file, print_json, say, store_for


def register(sub) -> None:
    p = sub.add_parser("import-list", help="import an enterprise list (CSV or XLSX; Chinese or English headers); "
                       "the same credit code updates the enterprise on file")  # fmt: skip
    p.add_argument("file", help="the list: CSV (UTF-8, UTF-8 with BOM, GBK, GB18030) or XLSX")
    p.add_argument("--rejects", metavar="OUT.csv", help="write the rejected and warned rows here "
                   "(row, field, value, severity, reason)")  # fmt: skip
    p.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default the first)")
    p.add_argument("--json", action="store_true", help="print the counts as a JSON object")
    p.set_defaults(handler=import_list)


def import_list(args) -> int:
    from loandesk.lists import writing
    from loandesk.lists.reading import EXCEL_SUFFIXES
    from loandesk.storage.enterprise_import import import_file

    source = Path(args.file).expanduser()
    if args.sheet and source.suffix.lower() not in EXCEL_SUFFIXES:
        raise CommandError(pick(f"--sheet is for Excel workbooks (.xlsx); {source.name} is not one",
                                f"--sheet 仅用于 Excel 工作簿（.xlsx）；{source.name} 不是工作簿"))  # fmt: skip
    rejects = output_file(args.rejects, suffixes=(".csv",), not_same_as=source, option="--rejects") \
        if args.rejects else None  # fmt: skip
    with store_for(args, "import_list") as store:
        result = import_file(store, source, sheet=args.sheet, lang=language())
    if rejects is not None:
        writing.write_table(result.report, rejects)
    if args.json:
        print_json(result.counts())
    else:
        print(result.summary(language()))
    if not result.written:
        where = pick(f"; the reasons are in {rejects}", f"；原因见 {rejects}") if rejects else \
            pick("; give --rejects OUT.csv to see why", "；使用 --rejects OUT.csv 查看原因")  # fmt: skip
        raise CommandError(pick(f"{source.name}: every row was rejected, nothing was imported{where}",
                                f"{source.name}：所有行均被拒绝，未导入任何数据{where}"), EXIT_BAD_INPUT)  # fmt: skip
    if result.rejected:
        say(pick(f"{result.rejected} row(s) rejected", f"{result.rejected} 行被拒绝")
            + (pick(f": see {rejects}", f"：见 {rejects}") if rejects else ""))  # fmt: skip
    return EXIT_OK
