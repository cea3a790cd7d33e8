"""memo, verify-memo: issuing credit memos as PDF and checking a memo file against the store."""

from __future__ import annotations

import sys
from pathlib import Path

from loandesk.core.i18n import language, pick

from .common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    output_file,
    output_folder,
    print_json,
    say,
    store_for,
)


def register(sub) -> None:
    p = sub.add_parser(
        "memo",
        help="issue a credit memo (PDF) for an application, or for every application still without one",
        description="Write the application's memo to --out. The stored memo is written again when it is "
        "for the decision in effect in that language. When only the other language's memo is on file, the same "
        "memo is issued in this language beside it (approved if that one is; nothing is superseded). Otherwise "
        "a new version is issued (scoring the application first if it never was), superseding the memos in "
        "force in both languages. Once the approver has decided (loandesk approve), the memo is the approved one; "
        "an approved memo is replaced only with --reissue.",
    )
    p.add_argument("application", nargs="?", help="application reference (A-...) or id")
    p.add_argument("--out", help="PDF file to write")
    p.add_argument("--lang", dest="memo_lang", choices=["zh", "en"], help="memo language (default: --lang or zh)")
    p.add_argument("--all-pending", action="store_true", help="issue memos for every application without one")
    p.add_argument("--out-dir", help="folder for --all-pending memos (one PDF per application)")
    p.add_argument("--reissue", action="store_true",
                   help="issue a new version even if one is on file (needed to replace an approved memo)")
    p.add_argument("--officer", help="officer's name printed on the memo (default: the application's officer)")
    p.add_argument("--conclusion", help="the officer's conclusion (default: standard wording)")
    p.add_argument("--condition", action="append", help="a condition of the credit (repeat for more)")
    p.add_argument("--history", action="store_true", help="print the application's memo versions as JSON")
    p.set_defaults(handler=memo)

    p = sub.add_parser(
        "verify-memo",
        help="check a memo PDF file, or the code printed on a memo, against the memos issued from this data home",
        description="FILE: the memo PDF verifies only if its bytes are exactly those issued (a re-saved or "
        "edited copy does not; the answer says whether its text still matches). A scanned PDF (page images "
        "only) is checked by its QR code when zbarimg (zbar-tools) is installed. --code: the text of the QR "
        "code (as a phone shows it or a barcode reader types it, or as printed under the QR code) is checked "
        "against the stored memo's number and content hash; that proves which memo a printout claims to be, "
        "not what the paper shows. Exit 0: matches a memo in force; 1: altered, superseded, never issued "
        "or not a memo code; 2: bad arguments or no such file.",
    )
    p.add_argument("file", nargs="?", help="the memo PDF file (as issued, or a scan of the printout)")
    p.add_argument("--code", help='the verification code: "LOANDESK-MEMO:M-...;SHA256:..."')
    p.set_defaults(handler=verify_memo)


def _write(path: Path, data: bytes) -> None:
    """Whole or nothing, owner-only (0600): a failed write never leaves half a PDF or a .part file."""
    from loandesk.lists.output import write_private

    write_private(path, data)


def _summary(row: dict, path: Path | None, new: bool) -> dict:
    keys = ("memo_no", "version", "status", "lang", "content_sha256", "file_sha256", "issued_at")
    out = {k: row[k] for k in keys}
    out.update(new=new, file=str(path) if path else None)
    return out


def memo(args) -> int:
    from loandesk.memo.fonts import FontMissing
    from loandesk.memo.service import MemoError
    from loandesk.memo.template import TemplateError

    lang = args.memo_lang or language()
    if args.all_pending == bool(args.application):
        raise CommandError(pick("give an APPLICATION reference or --all-pending (not both)",
                                "请给出申请编号 APPLICATION 或 --all-pending（二者选一）"))  # fmt: skip
    try:
        with store_for(args) as store:
            if args.all_pending:
                return _batch(store, args, lang)
            return _one(store, args, lang)
    except (MemoError, FontMissing, TemplateError) as exc:
        raise CommandError(str(exc), EXIT_FAILED if isinstance(exc, MemoError) else EXIT_BAD_INPUT) from exc


def _options(args) -> dict:
    return {"officer": args.officer, "conclusion": args.conclusion, "conditions": args.condition}


def _one(store, args, lang: str) -> int:
    from loandesk.memo import service
    from loandesk.storage import memos as repo

    if args.history:
        record = store.application_record(args.application)
        if record is None:
            raise CommandError(pick(f"no application {args.application!r}", f"没有申请 {args.application!r}"))
        print_json(repo.memos_for(store, record["id"]))
        return EXIT_OK
    if not args.out:
        raise CommandError(pick("--out FILE.pdf is required", "需要 --out 文件.pdf"))
    path = output_file(args.out, suffixes=(".pdf",), option="--out")  # checked before a memo is issued
    if args.reissue or args.conclusion or args.condition or args.officer:
        row = service.issue_memo(store, args.application, lang, reissue=args.reissue, **_options(args))
        new = True
    else:
        row, new = service.memo_for_output(store, args.application, lang)
    _write(path, service.memo_pdf(store, row["memo_no"]))
    say(pick(f"{'issued' if new else 'memo on file'} {row['memo_no']} (version {row['version']}) -> {path}",
             f"{'已签发' if new else '已存档的'}报告 {row['memo_no']}（第 {row['version']} 版）-> {path}"))  # fmt: skip
    print_json(_summary(row, path, new))
    return EXIT_OK


def _batch(store, args, lang: str) -> int:
    from loandesk.memo import service
    from loandesk.memo.template import load_template

    if not args.out_dir:
        raise CommandError(pick("--all-pending needs --out-dir DIR", "--all-pending 需要 --out-dir 目录"))
    out_dir = output_folder(args.out_dir)
    template = load_template(store.home)  # read once for the whole batch
    done, failed = [], []
    for app_id in service.pending_application_ids(store):
        ref = store.application(app_id).ref
        try:
            row = service.issue_memo(store, app_id, lang, template=template, **_options(args))
        except service.MemoError as exc:  # one application's problem does not stop the batch
            failed.append({"application": ref, "error": str(exc)})
            say(f"{ref}: {exc}")
            continue
        path = out_dir / f"{ref}_{row['memo_no']}.pdf"
        _write(path, service.memo_pdf(store, row["memo_no"]))
        done.append({"application": ref, **_summary(row, path, True)})
    say(pick(f"issued {len(done)} memos into {out_dir}; {len(failed)} failed",
             f"已签发 {len(done)} 份报告至 {out_dir}；失败 {len(failed)} 份"))  # fmt: skip
    print_json({"issued": done, "failed": failed})
    return EXIT_FAILED if failed else EXIT_OK


def verify_memo(args) -> int:
    from loandesk.memo.service import verify_code, verify_pdf

    if bool(args.file) == (args.code is not None):
        raise CommandError(pick("give a memo FILE or --code CODE (one of them)",
                                "请给出报告文件 FILE 或 --code 核验码（二者选一）"))  # fmt: skip
    if args.code is not None:
        with store_for(args) as store:
            result = verify_code(store, args.code)
        print(f"{'OK' if result.ok else 'FAIL'}  {result.memo_no or args.code.strip()}: {result.message()}")
        return EXIT_OK if result.ok else EXIT_FAILED
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(pick(f"no file {path}", f"文件不存在：{path}"))
    with store_for(args) as store:
        result = verify_pdf(store, path.read_bytes())
    print(f"{'OK' if result.ok else 'FAIL'}  {path}: {result.message()}", file=sys.stdout)
    return EXIT_OK if result.ok else EXIT_FAILED
