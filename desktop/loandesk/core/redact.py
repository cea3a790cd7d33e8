"""Keep personal data out of messages and logs (domain.md §8).

A message about a bad cell names the row and the field and shows the value only masked: a value in a
personal field is masked as that field is on screen, and any value that looks like an ID number, a
mobile number or a Chinese personal name is masked wherever it turns up, because a shifted row or a
mislabelled column puts them under other headers.
"""

from __future__ import annotations

import re

from .codes import mask_id, mask_name, mask_phone

# Resident ID numbers (18 or the old 15 digits) and bank card numbers: long runs of digits.
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{15,19}[Xx]?(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# The commonest surnames (about 85 % of people): a run of 2-4 Han characters starting with one reads
# as a name. Ordinary words that start with one are masked too: a masked word costs less than a name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎"
    "甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙")
MAX_SHOWN = 24  # characters of a value a message shows; the rest is cut (40 nines need not be repeated)


def looks_like_name(text: str) -> bool:
    if not 2 <= len(text) <= 4:
        return False
    return text[0] in SURNAMES or text.startswith(COMPOUND_SURNAMES)


def _mask_han(match: re.Match) -> str:
    run = match.group()
    return mask_name(run) if looks_like_name(run) else run


def safe_text(value) -> str:
    """The value as a message may show it: ID-like and mobile-like numbers and name-like words masked,
    long values cut."""
    text = str(value)
    text = _LONG_NUMBER.sub(lambda m: mask_id(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    text = _HAN_RUN.sub(_mask_han, text)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "…"
    return text


PERSONAL_MASKERS = {"legal_rep_name": mask_name, "legal_rep_id": mask_id, "legal_rep_phone": mask_phone}


def safe_value(field: str | None, value) -> str:
    """A cell's value for a message about ``field``: a personal field's value masked as on screen."""
    masker = PERSONAL_MASKERS.get(field or "")
    if masker:
        return masker(str(value).strip())
    return safe_text(value)


def redact(text: str) -> str:
    """Free text (an exception's message for the log): anything quoted becomes '…', then as safe_text."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", "'…'", str(text))
    text = _LONG_NUMBER.sub(lambda m: mask_id(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    return _HAN_RUN.sub(_mask_han, text)
