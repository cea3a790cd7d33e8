"""backup, restore: one encrypted archive of a data home, and a new home made from one."""

from __future__ import annotations

from pathlib import Path

from loandesk.core.i18n import pick

from .common import EXIT_OK, CommandError, say, store_for


def register(sub) -> None:
    p = sub.add_parser(
        "backup",
        help="write an encrypted backup of the data home (one .zip file)",
        description="OUT: the .zip to write, or a folder to write loandesk-backup-BRANCH-DATE-TIME.zip into. "
        "The copy is consistent even while Loan Desk is in use. It holds the encrypted store, the attachments "
        "(encrypted), the key ring (the store key wrapped under each user's password), the memo template and "
        "preferences, but never an unwrapped key: a restore needs a user's password (or, for a home from before "
        "users, its store.key). Needs the export permission; audited.",
    )
    p.add_argument("out", help="the backup file (.zip) to write, or a folder for it")
    p.set_defaults(handler=backup)

    p = sub.add_parser(
        "restore",
        help="restore a backup into a new, empty data home and check that it opens",
        description="Every file is checked against the backup's checksums and the database must open with "
        "the key and hold what was backed up, before the new home appears; a failed restore leaves nothing. "
        "A backup with a key ring opens with a user's password (--user/LOANDESK_USER, LOANDESK_PASSWORD or a "
        "prompt), and the same users sign in to the restored home with the same passwords.",
    )
    p.add_argument("archive", help="the backup file written by `loandesk backup`")
    p.add_argument("--into", required=True, metavar="NEWHOME", help="the new data home (absent or empty)")
    p.add_argument("--key-from", metavar="PATH",
                   help="for a backup of a home from before users: the original home's store.key file (or folder)")
    p.set_defaults(handler=restore)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def backup(args) -> int:
    from loandesk.paths import data_home
    from loandesk.storage.backup import BackupError
    from loandesk.storage.backup import backup as write_backup
    from loandesk.storage.connection import DB_FILE

    home = data_home(args.home)
    if not (home / DB_FILE).is_file():
        raise CommandError(pick(f"{home} holds no Loan Desk store: nothing to back up",
                                f"{home} 中没有信贷工作台的数据：无可备份"))  # fmt: skip
    try:
        with store_for(args, "export") as store:
            info = write_backup(store, Path(args.out))
            with store.db.atomic():  # the whole store leaves in one file: who, when, how much
                store.audit("backup", info.path.name, {"tables": info.tables, "attachments": info.attachments})
    except BackupError as exc:
        raise CommandError(exc.message()) from None
    except OSError as exc:
        raise CommandError(pick(f"cannot write {args.out}: {exc.strerror}",
                                f"无法写入 {args.out}：{exc.strerror}")) from None  # fmt: skip
    ents, apps = info.tables.get("enterprises", 0), info.tables.get("applications", 0)
    key = home / "store.key"
    if info.has_keyring:
        say(pick(f"backed up {home}: {ents} enterprises, {apps} applications, {info.attachments} attachments, "
                 f"{_size(info.size)}. The backup holds the key ring, not the key: a restore needs a user's password.",
                 f"已备份 {home}：{ents} 家企业、{apps} 笔申请、{info.attachments} 个附件，共 {_size(info.size)}。"
                 "备份含密钥环而不含明文密钥：恢复时需要用户密码。"))  # fmt: skip
        print(info.path)
        return EXIT_OK
    say(pick(f"backed up {home}: {ents} enterprises, {apps} applications, {info.attachments} attachments, "
             f"{_size(info.size)}. The backup does not hold the key: a restore needs {key}, so keep a copy of "
             "that file apart from the backup.",
             f"已备份 {home}：{ents} 家企业、{apps} 笔申请、{info.attachments} 个附件，共 {_size(info.size)}。"
             f"备份中不含密钥：恢复时需要 {key}，请将该文件另行妥善保管，勿与备份放在一起。"))  # fmt: skip
    print(info.path)
    return EXIT_OK


def restore(args) -> int:
    from loandesk.storage.backup import BackupError
    from loandesk.storage.backup import restore as restore_backup

    keys = None if args.key_from else _unwrapped(args, Path(args.archive))
    try:
        counts = restore_backup(Path(args.archive), Path(args.into),
                                key_from=Path(args.key_from) if args.key_from else None, keys=keys)
    except BackupError as exc:
        raise CommandError(exc.message()) from None
    except OSError as exc:
        raise CommandError(pick(f"cannot restore into {args.into}: {exc.strerror}",
                                f"无法恢复到 {args.into}：{exc.strerror}")) from None  # fmt: skip
    say(pick(f"restored into {args.into}: {counts.get('enterprises', 0)} enterprises, "
             f"{counts.get('applications', 0)} applications; open it with loandesk --home {args.into}",
             f"已恢复到 {args.into}：{counts.get('enterprises', 0)} 家企业、{counts.get('applications', 0)} 笔申请；"
             f"用 loandesk --home {args.into} 打开"))  # fmt: skip
    return EXIT_OK


def _unwrapped(args, archive: Path):
    """The store key from the backup's key ring, unwrapped with the signed-in user's password."""
    import json
    import zipfile

    from loandesk.security.keyring import KEYRING_FILE, Keyring, KeyringError
    from loandesk.security.session import StaticKey

    from .auth import credentials

    try:
        with zipfile.ZipFile(archive) as zf:
            data = json.loads(zf.read(KEYRING_FILE))
    except KeyError:
        raise CommandError(pick(f"{archive} holds no key ring (a home from before users): give its store.key "
                                "with --key-from", f"{archive} 中没有密钥环（旧版数据目录）：请用 --key-from 提供其 "
                                "store.key")) from None  # fmt: skip
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise CommandError(pick(f"cannot read {archive}: {exc}", f"无法读取 {archive}：{exc}")) from None
    user, secret = credentials(args)
    try:
        return StaticKey(Keyring(archive / KEYRING_FILE, data).unwrap(user, secret))
    except (KeyringError, KeyError, TypeError) as exc:
        raise CommandError(pick(f"the backup's key ring does not open for {user}: {exc}",
                                f"备份的密钥环无法由 {user} 打开：{exc}") if not isinstance(exc, KeyringError)
                           else exc.message()) from None  # fmt: skip
