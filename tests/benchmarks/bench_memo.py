"""Credit memos in a batch (memos/second) against a bare two-page reportlab document, same run, same font.

    memo_batch: issuing N memos (build, hash, store in the encrypted DB, write the PDF file) like
                ``loandesk memo --all-pending --out-dir DIR``; baseline: a bare two-page platypus
                document of Chinese paragraphs in the same embedded TrueType font, built N times.
                Goal: within 2x of the baseline.
    memo_first: a fresh ``loandesk memo REF --out FILE`` process (start-up, imports, font, store);
                baseline: a fresh Python process building the bare document.

BENCH_MEMO_COUNT (default 1000) sets N. Scoring the demo applications is set-up, not timed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNT = int(os.environ.get("BENCH_MEMO_COUNT", "1000"))

BARE = r"""
import io
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate
from loandesk.memo.fonts import register_font

font = register_font()
style = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
TEXT = "企业主营农产品加工，经营稳定，纳税信用等级为A级，近十二个月开票销售额一千四百万元。" * 4


def bare_document() -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=font)
    doc.build([Paragraph(TEXT, style) for _ in range(20)])  # 20 paragraphs fill two A4 pages
    return out.getvalue()
"""


def bare_document_factory():
    namespace: dict = {}
    exec(BARE, namespace)  # the same code runs in the fresh-process baseline below
    return namespace["bare_document"]


def setup(home: Path) -> list[str]:
    from loandesk.demo import populate
    from loandesk.storage import Store

    store = Store.open(home, branch="HZ01")
    app_ids = populate(store, COUNT, seed=11)
    try:
        from loandesk.scoring.service import score_application
    except ModuleNotFoundError:  # scoring not installed: store a fixed decision the way it would
        sys.path.insert(0, str(ROOT / "tests" / "unit"))
        from memo_support import add_decision as score_application  # type: ignore[no-redef]
    for app_id in app_ids:
        score_application(store, app_id)
    refs = [store.application(a).ref for a in app_ids[:1]]
    store.close()
    return refs


def batch(home: Path, out_dir: Path) -> tuple[int, float]:
    from loandesk.memo import service
    from loandesk.memo.template import load_template
    from loandesk.storage import Store

    store = Store.open(home)
    template = load_template(home)
    out_dir.mkdir()
    started = time.perf_counter()
    done = 0
    for app_id in service.pending_application_ids(store):
        row = service.issue_memo(store, app_id, "zh", template=template)
        (out_dir / f"{row['memo_no']}.pdf").write_bytes(service.memo_pdf(store, row["memo_no"]))
        done += 1
    elapsed = time.perf_counter() - started
    store.close()
    return done, elapsed


def main() -> int:
    bare_document = bare_document_factory()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        t0 = time.perf_counter()
        refs = setup(home)
        print(f"   set-up: {COUNT} demo applications scored in {time.perf_counter() - t0:.1f} s", flush=True)

        bare_document()  # warm the font and imports, as the batch is warmed by its first memo
        started = time.perf_counter()
        sizes = [len(bare_document()) for _ in range(COUNT)]
        bare_rate = COUNT / (time.perf_counter() - started)

        pages = subprocess.run(["pdfinfo", "-"], input=bare_document(), capture_output=True).stdout
        bare_pages = next((line.split()[-1] for line in pages.decode().splitlines() if line.startswith("Pages")), "?")

        first = Path(tmp) / "first.pdf"
        cmd = [str(Path(sys.executable).parent / "loandesk"), "--home", str(home), "memo", refs[0], "--out", str(first)]
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BARE + "\nbare_document()"], check=True, cwd=ROOT)
        bare_first_s = time.perf_counter() - started

        done, elapsed = batch(home, Path(tmp) / "out")
        memo_rate = done / elapsed
        memo_sizes = [p.stat().st_size for p in (Path(tmp) / "out").glob("*.pdf")]
        memo_pages = subprocess.run(["pdfinfo", str(first)], capture_output=True, text=True).stdout
        memo_pages = next((ln.split()[-1] for ln in memo_pages.splitlines() if ln.startswith("Pages")), "?")

    print(f"memo_batch: {memo_rate:.1f} memos/s  (baseline bare {bare_pages}-page reportlab document, same font: "
          f"{bare_rate:.1f} docs/s; ratio {bare_rate / memo_rate:.2f}x slower; goal <= 2x)")
    print(f"   {done} memos of {memo_pages} pages, mean {sum(memo_sizes) / max(len(memo_sizes), 1) / 1024:.0f} KiB; "
          f"bare document {sum(sizes) / len(sizes) / 1024:.0f} KiB")
    print(f"memo_first: {first_s:.2f} s  (baseline fresh process building the bare document: {bare_first_s:.2f} s; "
          f"ratio {first_s / bare_first_s:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
