"""memo, verify-memo: issuing credit memos as PDF and checking a memo file against the store."""

from __future__ import annotations

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
        "memo is rendered in this language beside it: the same memo number and version, its own verification "
        "code (approved if that one is; nothing is superseded). Otherwise a new version is issued (scoring the "
        "application first if it never was), superseding the memos in force in both languages: under the same "
        "number for the same decision, under a new number for a new decision (a rescore, a confirmed override, "
        "or an approver's decision that changes the decision or the limit). Once the approver has decided "
        "(loandesk approve), the memo is the approved one; an approved memo is replaced only with --reissue.",
    )
    p.add_argument("application", nargs="?", help="application reference (A-...) or id")
    p.add_argument("--out", help="PDF file to write")
    p.add_argument("--lang", dest="memo_lang", choices=["zh", "en"], help="memo language (default: --lang or zh)")
    p.add_argument("--all-pending", action="store_true",
                   help="issue memos for every application whose decision in effect has none yet; safe to run "
                   "again after a crash or a kill: the rerun also writes the memos that run saved but had not yet "
                   "written into --out-dir")  # fmt: skip
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
        description="FILE is verified only if its bytes are exactly those of a memo issued here and in force "
        "(exit 0). A QR code is not secret: a scan, an edited or re-saved file, or a page carrying a memo's code "
        "(read from its text or, with zbarimg from zbar-tools, its QR code) proves only that such a memo exists: "
        "the stored memo's key facts (borrower, amount, decision, limit, approver, date) are printed to compare "
        "with the paper (exit 3). --code takes exactly the code printed under the QR code, nothing around it: "
        "exit 3 with the facts when it names a memo issued here. Exit 1: matches nothing, or the memo was "
        "superseded; 2: a malformed code, a file that is not a PDF, or bad arguments.",
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
        with store_for(args, "draft_memo" if args.all_pending else "print_memo") as store:
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
    _write(path, service.memo_pdf(store, row["id"]))
    with store.db.atomic():  # who took a copy of which memo, when
        store.audit("exported", row["memo_no"], {"version": row["version"], "lang": row["lang"]})
    say(pick(f"{'issued' if new else 'memo on file'} {row['memo_no']} (version {row['version']}) -> {path}",
             f"{'已签发' if new else '已存档的'}报告 {row['memo_no']}（第 {row['version']} 版）-> {path}"))  # fmt: skip
    print_json(_summary(row, path, new))
    return EXIT_OK


def _plan_path(out_dir: Path, lang: str) -> Path:
    return out_dir / f".loandesk-batch-{lang}.json"


def _batch_file(out_dir: Path, ref: str, row: dict) -> Path:
    return out_dir / f"{ref}_{row['memo_no']}_v{row['version']}_{row['lang']}.pdf"


def _batch(store, args, lang: str) -> int:
    """Issue every pending memo into --out-dir, safely re-runnable after a crash or a kill.

    Pending: an application whose decision in effect has no memo in this language yet, or one this
    folder's unfinished batch planned (its plan file) whose memo file is not in the folder. A memo
    saved but killed before its file was written is then written from the stored PDF by the rerun,
    so a rerun produces every memo the first run would have. The plan file is written (atomically)
    before the first memo is issued and removed when the batch has gone through.
    """
    import json

    from loandesk.memo import service
    from loandesk.memo.template import template_for

    if not args.out_dir:
        raise CommandError(pick("--all-pending needs --out-dir DIR", "--all-pending 需要 --out-dir 目录"))
    out_dir = output_folder(args.out_dir)
    template = template_for(store)  # read once for the whole batch (with the branch's names)
    plan_file = _plan_path(out_dir, lang)
    planned: list[str] = []
    if plan_file.is_file():  # an earlier run into this folder did not finish
        try:
            planned = list(json.loads(plan_file.read_text(encoding="utf-8")).get("applications", []))
        except (ValueError, OSError):
            planned = []
    plan = list(dict.fromkeys([*planned, *service.pending_application_ids(store)]))
    _write(plan_file, json.dumps({"lang": lang, "applications": plan}).encode("utf-8"))
    done, written, failed = [], [], []
    for app_id in plan:
        app = store.application(app_id)
        if app is None:
            continue
        ref = app.ref
        try:
            row, new = service.memo_in_force(store, app_id, lang), False
            if row is None:
                row, new = service.issue_memo(store, app_id, lang, template=template, **_options(args)), True
            path = _batch_file(out_dir, ref, row)
            rewrite = not new and not path.is_file()
            if new or rewrite:
                _write(path, service.memo_pdf(store, row["id"]))
                with store.db.atomic():
                    store.audit("exported", row["memo_no"], {"version": row["version"], "lang": row["lang"]})
        except service.MemoError as exc:  # one application's problem does not stop the batch
            failed.append({"application": ref, "error": str(exc)})
            say(f"{ref}: {exc}")
            continue
        except OSError as exc:
            raise CommandError(pick(f"cannot write the memo of {ref} into {out_dir}: {exc.strerror or exc}",
                                    f"无法将 {ref} 的报告写入 {out_dir}：{exc.strerror or exc}")) from exc  # fmt: skip
        if new:
            done.append({"application": ref, **_summary(row, path, True)})
        elif rewrite:  # saved by a run that was stopped before it wrote the file
            written.append({"application": ref, **_summary(row, path, False)})
    plan_file.unlink(missing_ok=True)
    say(pick(f"issued {len(done)} memos into {out_dir}; {len(written)} issued earlier written again; "
             f"{len(failed)} failed",
             f"已签发 {len(done)} 份报告至 {out_dir}；补写此前已签发的 {len(written)} 份；"
             f"失败 {len(failed)} 份"))  # fmt: skip
    print_json({"issued": done, "written": written, "failed": failed})
    return EXIT_FAILED if failed else EXIT_OK


_HEADS = {"verified": ("VERIFIED", "核验通过"), "exists": ("NOT PROVEN", "未能证明"),
          "superseded": ("SUPERSEDED", "已被替代"), "unknown": ("NO MATCH", "无匹配"),
          "unreadable": ("UNREADABLE", "无法识别")}  # fmt: skip


def _print_verification(result, subject: str) -> int:
    head = pick(*_HEADS.get(result.status, (result.status.upper(), result.status)))
    print(f"{head}  {subject}: {result.message()}")
    for line in result.fact_lines():  # the stored memo's facts, to compare with the paper
        print(f"    {line}")
    return result.exit_code


def verify_memo(args) -> int:
    from loandesk.memo.verify import verify_code, verify_pdf

    if bool(args.file) == (args.code is not None):
        raise CommandError(pick("give a memo FILE or --code CODE (one of them)",
                                "请给出报告文件 FILE 或 --code 核验码（二者选一）"))  # fmt: skip
    if args.code is not None:
        with store_for(args, "verify_memo") as store:
            result = verify_code(store, args.code)
        if result.status == "unreadable":  # not a code at all: bad input, said in one line
            raise CommandError(result.message(), EXIT_BAD_INPUT)
        return _print_verification(result, result.memo_no or "")
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(pick(f"no file {path}", f"文件不存在：{path}"))
    with store_for(args, "verify_memo") as store:
        result = verify_pdf(store, path.read_bytes())
    if result.status == "unreadable":
        raise CommandError(pick(f"{path}: {result.message_en}", f"{path}：{result.message_zh}"), EXIT_BAD_INPUT)
    return _print_verification(result, str(path))
