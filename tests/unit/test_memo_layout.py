"""Long content flows over pages cleanly, and Chinese lines never start with a closing mark."""

from __future__ import annotations

import itertools
import random

from memo_support import add_decision, make_store, page_count, pdf_text, squash, words_by_page
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from loandesk.memo import linebreak, service
from loandesk.memo.fonts import register_font

PUNCT = "，。、；：？！）》」"


def _lines(text: str, width: float) -> list[str]:
    style = ParagraphStyle("t", fontName=register_font(), fontSize=10, leading=14, wordWrap="CJK")
    para = Paragraph(text, style)
    para.wrap(width, 10_000)
    lines = para.blPara.lines
    if para.blPara.kind == 0:
        return ["".join(words) for _, words in lines]
    return ["".join(w.text for w in line.words) for line in lines]


def test_reportlab_alone_would_start_lines_with_a_chinese_comma_and_ours_never_do():
    rng = random.Random(3)
    texts = ["".join(rng.choice("经营收入稳定客户集中度较高" + PUNCT) for _ in range(300)) for _ in range(6)]
    texts.append("企业主要客户为本地超市（含连锁）。" * 30)
    linebreak.install()
    bad = []
    for text in texts:
        for width in range(90, 330, 7):
            lines = _lines(text, width)
            assert "".join(lines) == text  # nothing lost or duplicated
            bad += [(width, line) for line in lines[1:] if line[:1] in linebreak.CANNOT_START]
            bad += [(width, a) for a, _ in itertools.pairwise(lines) if a[-1:] in linebreak.CANNOT_END]
    assert not bad, bad[:5]


def test_long_name_long_notes_and_many_factors_span_pages_without_overlap(tmp_path):
    store, app_ids = make_store(tmp_path, count=1)
    app_id = app_ids[0]
    long_name = "杭州" + "恒瑞鑫源泰丰华盛永达兴旺嘉禾宏图锦程明远博创" * 5 + "农业科技发展有限公司"
    notes = "\n".join(f"第{i}次走访：企业生产经营正常，订单饱满（主要来自长三角地区的连锁超市），库存、应收账款与"
                      f"纳税申报数据相互印证；实际控制人从业多年，口碑良好。" * 3 for i in range(1, 25))
    store.db.execute("UPDATE enterprises SET enterprise_name = ? WHERE id = (SELECT enterprise_id FROM applications "
                     "WHERE id = ?)", (long_name, app_id))  # fmt: skip
    store.db.execute("UPDATE applications SET site_notes = ?, officer = '李明' WHERE id = ?", (notes, app_id))
    factors = [{"variable": f"f{i}", "label": {"zh": f"评分因子{i}：近十二个月开票销售额同比变化（按季度平均）",
                                                "en": f"Factor {i}"}, "value": i * 1000, "points": i}
               for i in range(60)]  # fmt: skip
    add_decision(store, app_id, factors=factors)
    row = service.issue_memo(store, app_id, "zh")
    path = tmp_path / "long.pdf"
    path.write_bytes(service.memo_pdf(store, row["id"]))

    pages = page_count(path)
    assert pages >= 5
    text = pdf_text(path)
    flat = squash(text)
    assert squash(long_name) in flat
    assert all(f"评分因子{i}：" in flat for i in range(60))
    assert "第24次走访" in flat
    per_page = text.split("\f")
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in squash(per_page[n - 1])
    assert sum("评分因子" in squash(p) and "取值" in squash(p) for p in per_page) >= 2  # header repeats

    for page in words_by_page(path, tmp_path):
        words = [w for w in page if (w[3] - w[1]) < 40]  # leave out the big watermark glyphs
        words.sort()
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b[0] >= a[2]:
                    break
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert not (overlap_x > 1 and overlap_y > 1), (a, b)

    for line in text.splitlines()[1:]:
        assert line.strip()[:1] not in linebreak.CANNOT_START, line
    store.close()
