"""``loandesk --self-check``: does this installation work? One line per check, exit 0 only when all pass.

Each check does what the app does with the real functions, in a temporary data home that is deleted
afterwards (the user's own data is never opened): open an encrypted store, save a demo intake, score
it, issue its memo and verify the PDF; then the Chinese font, Qt's platform plugins and the compiled
translations. The GUI's Help menu runs the same checks (``ui/self_check_dialog.py``).

No Qt at import: the Qt checks import PySide6 inside themselves, so the CLI stays Qt-free until they run,
and they work without a display (the offscreen platform).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loandesk.core.i18n import language, pick

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"  # what an unencrypted SQLite file starts with
CJK_SAMPLE = "信贷工作台授信调查报告"  # characters every memo prints
DESKTOP_PLATFORMS = {"linux": ("xcb", "wayland"), "win32": ("windows",), "darwin": ("cocoa",)}


class CheckFailed(Exception):
    """A check's answer is "no": the message says what is wrong, in both languages."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh


@dataclass
class Context:
    """What the checks share: the temporary data home and what earlier checks made in it."""

    home: Path
    lang: str
    store: object | None = None
    application_id: str | None = None
    keep: list = field(default_factory=list)  # Qt objects that must outlive their check

    def need_application(self) -> str:
        if self.application_id is None:
            raise CheckFailed("not run: no intake was saved", "未运行：未能保存受理记录")
        return self.application_id


@dataclass(frozen=True)
class Check:
    name: str  # stable, for scripts and support staff
    label_en: str
    label_zh: str
    run: Callable[[Context], tuple[bool, str]]

    def label(self, lang: str | None = None) -> str:
        return pick(self.label_en, self.label_zh, lang)


@dataclass(frozen=True)
class Outcome:
    check: Check
    ok: bool
    detail: str
    seconds: float

    def line(self, lang: str | None = None) -> str:
        status = pick("PASS", "通过", lang) if self.ok else pick("FAIL", "失败", lang)
        colon = pick(": ", "：", lang)
        return f"{status}  {self.check.label(lang)}{colon}{self.detail}"


# ---- the checks --------------------------------------------------------------------------------
def check_build(ctx: Context) -> tuple[bool, str]:
    """Which build this is (what About shows): a bundle must carry its build record."""
    from loandesk import __version__, build_info
    from loandesk.core import formatting

    info = build_info.read()
    date = formatting.date_text(info.date, ctx.lang) if info.date else pick("unknown date", "日期不详", ctx.lang)
    commit = info.commit or pick("unknown", "不详", ctx.lang)
    name = f"Loan Desk {__version__}" if ctx.lang != "zh" else f"信贷工作台 {__version__}"
    if info.kind == "bundle":
        return True, pick(f"{name}, built {info.built_at} from commit {commit}",
                          f"{name}，构建于 {info.built_at}，提交 {commit}", ctx.lang)  # fmt: skip
    if info.kind == "checkout":
        return True, pick(f"{name}, source checkout (no build), last commit {date} {commit}",
                          f"{name}，源代码运行（非构建版本），最近提交 {date} {commit}", ctx.lang)  # fmt: skip
    if info.kind == "installed":
        return True, pick(f"{name}, installed package without a build record, installed {date}",
                          f"{name}，已安装的软件包（无构建记录），安装于 {date}", ctx.lang)  # fmt: skip
    raise CheckFailed(f"the build record cannot be read: {info.problem}", f"无法读取构建记录：{info.problem}")


def check_store(ctx: Context) -> tuple[bool, str]:
    from loandesk.storage import Store
    from loandesk.storage.connection import DB_FILE

    ctx.store = Store.open(ctx.home)
    version = ctx.store.db.execute("PRAGMA cipher_version").fetchone()
    header = (ctx.home / DB_FILE).read_bytes()[:16]
    if not version or header == SQLITE_PLAIN_HEADER:
        raise CheckFailed("the store file is not encrypted (SQLCipher is missing)",
                          "存储文件未加密（缺少 SQLCipher）")  # fmt: skip
    return True, pick(f"opened a temporary encrypted store (SQLCipher {version[0]})",
                      f"已打开临时加密存储（SQLCipher {version[0]}）", ctx.lang)  # fmt: skip


def check_intake(ctx: Context) -> tuple[bool, str]:
    from loandesk.core.intake import validate_intake
    from loandesk.demo import demo_record

    if ctx.store is None:
        raise CheckFailed("not run: the store did not open", "未运行：存储未能打开")
    result = validate_intake(demo_record(random.Random(20261122), 0))
    if not result.ok:
        problems = "; ".join(f.describe(ctx.lang) for f in result.errors[:3])
        raise CheckFailed(f"the demo intake does not validate: {problems}", f"演示受理记录未通过校验：{problems}")
    _enterprise, application = ctx.store.save_intake(result.values)
    if ctx.store.application_record(application.id) is None:
        raise CheckFailed("the saved application cannot be read back", "已保存的申请无法读回")
    ctx.application_id = application.id
    return True, pick(f"saved and read back a demo intake ({application.ref})",
                      f"已保存并读回演示受理记录（{application.ref}）", ctx.lang)  # fmt: skip


def check_scoring(ctx: Context) -> tuple[bool, str]:
    from loandesk.core.decisions import decision_word
    from loandesk.scoring.service import score_application

    decision = score_application(ctx.store, ctx.need_application())
    word = decision_word(decision["decision"], ctx.lang)
    score = f"{decision['score']:g}" if isinstance(decision.get("score"), int | float) else "—"
    return True, pick(f"scored with the rule pack in force: score {score}, {word}",
                      f"已用现行规则包评分：{score} 分，{word}", ctx.lang)  # fmt: skip


def check_fonts(ctx: Context) -> tuple[bool, str]:
    from reportlab.pdfbase.ttfonts import TTFont

    from loandesk.memo.fonts import find_font

    path = find_font()
    index = 0 if path.suffix.lower() == ".ttc" else None
    face = (TTFont("LoanDeskSelfCheck", str(path), subfontIndex=index) if index is not None
            else TTFont("LoanDeskSelfCheck", str(path))).face  # fmt: skip
    missing = [c for c in CJK_SAMPLE if ord(c) not in face.charToGlyph]
    if missing:
        raise CheckFailed(f"{path} has no glyphs for {''.join(missing)}", f"{path} 缺少字形：{''.join(missing)}")
    return True, pick(f"Chinese font {path.name} ({path})", f"中文字体 {path.name}（{path}）", ctx.lang)


def check_memo(ctx: Context) -> tuple[bool, str]:
    from loandesk.memo.service import issue_memo, memo_pdf, verify_pdf

    row = issue_memo(ctx.store, ctx.need_application(), ctx.lang)
    pdf = memo_pdf(ctx.store, row["memo_no"])
    verdict = verify_pdf(ctx.store, pdf)
    if not verdict.ok:
        raise CheckFailed(f"memo {row['memo_no']} does not verify: {verdict.message('en')}",
                          f"报告 {row['memo_no']} 核验未通过：{verdict.message('zh')}")  # fmt: skip
    size = f"{len(pdf) / 1024:.0f} KB"
    return True, pick(f"issued memo {row['memo_no']} ({size} PDF) and verified it",
                      f"已签发报告 {row['memo_no']}（PDF {size}）并核验通过", ctx.lang)  # fmt: skip


def _platform_plugins() -> tuple[Path, list[str]]:
    """Qt's platform plugin folder and the plugins in it: libqxcb.so, qwindows.dll -> xcb, windows."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    files = folder.iterdir() if folder.is_dir() else []
    found = {p.name.split(".")[0].removeprefix("lib").removeprefix("q") for p in files
             if p.suffix in (".so", ".dll", ".dylib")}  # fmt: skip
    return folder, sorted(found)


def check_qt(ctx: Context) -> tuple[bool, str]:
    from PySide6.QtGui import QGuiApplication

    folder, found = _platform_plugins()
    wanted = DESKTOP_PLATFORMS.get(sys.platform, ())
    if wanted and not any(name in found for name in wanted):
        raise CheckFailed(f"no desktop platform plugin ({', '.join(wanted)}) in {folder}: the window cannot open",
                          f"{folder} 中没有桌面平台插件（{', '.join(wanted)}）：无法打开窗口")  # fmt: skip
    if QGuiApplication.instance() is None:  # the CLI: start Qt without a display, as a remote shell has none
        if "offscreen" not in found:  # Qt would abort the whole process rather than fail this check
            raise CheckFailed(f"no offscreen platform plugin in {folder}: Qt cannot be started here",
                              f"{folder} 中没有 offscreen 平台插件：无法在此启动 Qt")  # fmt: skip
        ctx.keep.append(QGuiApplication(["loandesk", "-platform", "offscreen"]))
    running = QGuiApplication.platformName()
    return True, pick(f"Qt started ({running}); platform plugins: {', '.join(found)}",
                      f"Qt 已启动（{running}）；平台插件：{', '.join(found)}", ctx.lang)  # fmt: skip


def _finished_messages(ts: Path) -> list[tuple[str, str, str | None, str]]:
    """(context, source, disambiguation, translation) of each finished, non-plural message of a .ts file."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for msg in context.iter("message"):
            translation = msg.find("translation")
            if msg.get("numerus") == "yes" or translation is None or translation.get("type") or not translation.text:
                continue
            found.append((name, msg.findtext("source") or "", msg.findtext("comment"), translation.text))
    return found


def _qm_for(ts: Path) -> Path | None:
    """The .qm the app would load for ``ts``: the compiled cache, else one shipped beside it (a bundle),
    else compiled now when lrelease is here."""
    from loandesk.ui import i18n

    cached = i18n.cached_path(ts)
    if cached.is_file():
        return cached
    shipped = i18n.shipped(ts)
    if shipped is not None:
        return shipped
    return i18n.build({ts: cached})[ts] if i18n.lrelease() else None


def check_translations(ctx: Context) -> tuple[bool, str]:
    from PySide6.QtCore import QTranslator

    from loandesk.ui import i18n

    files = i18n.translation_files("zh")
    if not files:
        raise CheckFailed("no Chinese translation files (*_zh_CN.ts) among the resources",
                          "资源中没有中文翻译文件（*_zh_CN.ts）")  # fmt: skip
    checked = 0
    for ts in files:
        qm = _qm_for(ts)
        translator = QTranslator()
        if qm is None or not translator.load(str(qm)):
            raise CheckFailed(f"{ts.name} has no loadable compiled translation (.qm)",
                              f"{ts.name} 没有可加载的已编译翻译（.qm）")  # fmt: skip
        for context, source, comment, expected in _finished_messages(ts):
            got = translator.translate(context, source, comment)
            if got != expected:
                raise CheckFailed(f"{qm.name}: {source!r} is not translated (got {got!r})",
                                  f"{qm.name}：{source!r} 未翻译（得到 {got!r}）")  # fmt: skip
            checked += 1
    return True, pick(f"{len(files)} Chinese translation files load; {checked} strings translated",
                      f"{len(files)} 个中文翻译文件可加载；{checked} 条文字均已翻译", ctx.lang)  # fmt: skip


CHECKS: list[Check] = [
    Check("store", "store", "存储", check_store),
    Check("intake", "intake", "受理", check_intake),
    Check("scoring", "scoring", "评分", check_scoring),
    Check("fonts", "fonts", "字体", check_fonts),
    Check("memo", "memo", "报告", check_memo),
    Check("qt", "Qt plugins", "Qt 插件", check_qt),
    Check("translations", "translations", "翻译", check_translations),
    Check("build", "build", "版本", check_build),  # which build answered (About shows the same)
]


def _run_one(check: Check, ctx: Context) -> Outcome:
    started = time.perf_counter()
    try:
        ok, detail = check.run(ctx)
    except CheckFailed as exc:
        ok, detail = False, pick(exc.en, exc.zh, ctx.lang)
    except Exception as exc:  # any failure is this check's answer, never a crash of the whole self-check
        # Loan Desk's own errors (FontMissing, MemoError, StoreLocked...) carry a message for the user.
        own = type(exc).__module__.startswith("loandesk.")
        ok, detail = False, str(exc) if own else f"{type(exc).__name__}: {exc}"
    return Outcome(check, ok, detail, time.perf_counter() - started)


def run_checks(lang: str | None = None, checks: list[Check] | None = None,
               on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:  # fmt: skip
    """Run every check in a temporary data home (deleted afterwards); ``on_outcome`` hears each as it ends."""
    lang = lang or language()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="loandesk-selfcheck-") as tmp:
        ctx = Context(home=Path(tmp) / "home", lang=lang)
        try:
            for check in CHECKS if checks is None else checks:
                outcome = _run_one(check, ctx)
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
        finally:
            if ctx.store is not None:
                ctx.store.close()  # before the folder goes (Windows cannot delete an open file)
    return outcomes


def main(lang: str | None = None) -> int:
    """Print one line per check as it ends; exit code 0 only when every check passed."""
    outcomes = run_checks(lang, on_outcome=lambda o: print(o.line(lang), flush=True))
    failed = sum(not o.ok for o in outcomes)
    return 0 if failed == 0 else 1
