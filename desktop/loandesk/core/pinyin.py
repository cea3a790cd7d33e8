"""Sorting Chinese names by pinyin, as Chinese users expect lists and exports to be ordered.

Code-point order puts 张 (U+5F20) before 李 (U+674E) and 王 (U+738B) after both, which no reader
expects. Here each Han character sorts by its reading (syllable, then tone), then by the character
itself (so 张 and 章, both zhāng, still sort apart and always the same way), as the zh-CN pinyin
collation of CLDR/ICU does. Digits and Latin letters (case-insensitive) come before Han characters;
full-width forms are read as their ASCII equivalents (``（`` as ``(``).

Readings come from pypinyin's dictionaries, with its phrase dictionary for characters read several
ways: 重庆 is chóng qìng (C), 重要 zhòng yào (Z), 银行 yín háng. Person names read polyphonic surnames
as surnames: 曾 zēng, 单 shàn, 解 xiè, 仇 qiú, 尉迟 yù chí (``name_sort_key``).

The dictionaries (~0.2 s to load) load on the first Han character sorted, never at start-up; keys are
cached, since a list sort compares the same names many times.
"""

from __future__ import annotations

import functools
import threading

# Polyphonic surnames and their reading as a surname; compound surnames first (two characters).
SURNAMES = {
    "尉迟": ("yu4", "chi2"), "万俟": ("mo4", "qi2"), "单于": ("chan2", "yu2"), "长孙": ("zhang3", "sun1"),
    "曾": ("zeng1",), "单": ("shan4",), "解": ("xie4",), "仇": ("qiu2",), "朴": ("piao2",), "区": ("ou1",),
    "查": ("zha1",), "秘": ("bi4",), "盖": ("ge3",), "乐": ("yue4",), "缪": ("miao4",), "覃": ("qin2",),
    "召": ("shao4",), "种": ("chong2",), "折": ("she2",), "翟": ("zhai2",), "员": ("yun4",), "尉": ("wei4",),
    "重": ("chong2",), "繁": ("po2",), "句": ("gou1",), "祭": ("zhai4",), "宁": ("ning4",), "沈": ("shen3",),
    "柏": ("bai3",), "藏": ("zang4",), "便": ("pian2",), "参": ("shen1",), "乘": ("cheng2",), "弗": ("fu2",),
    "哈": ("ha3",), "华": ("hua4",), "纪": ("ji3",), "角": ("jue2",), "隗": ("wei3",), "眭": ("sui1",),
}  # fmt: skip

_TONED = {
    "ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4), "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3),
    "è": ("e", 4), "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4), "ō": ("o", 1), "ó": ("o", 2),
    "ǒ": ("o", 3), "ò": ("o", 4), "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4), "ǖ": ("v", 1),
    "ǘ": ("v", 2), "ǚ": ("v", 3), "ǜ": ("v", 4), "ü": ("v", 5), "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4),
    "ḿ": ("m", 2), "ê": ("e", 5),
}  # fmt: skip
# A key spends one character on a reading: its place among all readings, from U+0080 (above ASCII, so
# digits and Latin letters sort first; two bytes of UTF-8 in the stores' name indexes, where the Private
# Use Area took three). A Han character with no reading sorts after every reading; any other symbol last.
# Every non-ASCII character of a text is preceded by such a marker, so markers are only ever compared
# with markers or ASCII, never with the characters themselves.
_FIRST_READING = 0x80
_LAST_TWO_BYTE = 0x7FF
_OTHER = "\uf8ff"

# What the keys are made from: the stores' pinyin indexes (storage.list_indexes) are rebuilt when this
# changes. Bump it with the pypinyin pin, or when the key's shape changes (a test checks the pin).
PINYIN_KEY_VERSION = "pypinyin 0.55.0, key 2"

_lock = threading.Lock()
_data: _Dictionaries | None = None


class _Dictionaries:
    """pypinyin's readings, reshaped for speed: each character's default reading, and only the phrases
    that read some character otherwise (重庆 chóng, 银行 háng): the others cannot change a key."""

    def __init__(self) -> None:
        from pypinyin.phrases_dict import phrases_dict
        from pypinyin.pinyin_dict import pinyin_dict

        self.chars = pinyin_dict
        phrases = {}
        for phrase, readings in phrases_dict.items():
            if len(phrase) >= 2 and len(readings) == len(phrase) and all(readings):
                phrases[phrase] = tuple(r[0] for r in readings)
        # Every reading in order: "xi1" before "xian1" (the tone digit sorts before any letter), so 西安
        # (xī ān) comes before 先 (xiān), as in a dictionary.
        toned = set(",".join(pinyin_dict.values()).split(",")).union(*phrases.values())  # ~1,600 distinct
        syllable = {t: _syllable(t) for t in toned}
        self.syllables = sorted(set(syllable.values()))
        self.codes = {syl: chr(_FIRST_READING + i) for i, syl in enumerate(self.syllables)}
        self.not_listed = chr(_FIRST_READING + len(self.syllables))
        if ord(self.not_listed) > _LAST_TWO_BYTE:  # a pypinyin with many more readings: keys still order
            raise RuntimeError(f"{len(self.syllables)} readings do not fit the key's marker range")
        self.chunks: dict[str, str] = {}  # character -> its part of a key, filled as characters are met
        self.phrases: dict[str, tuple[str, ...]] = {}
        self.prefixes: set[str] = set()  # every beginning of such a phrase (two characters or more)
        for phrase, read in phrases.items():
            codes = tuple(self.codes[syllable[r]] for r in read)
            if any(self.chunk(ch)[0] != c for ch, c in zip(phrase, codes, strict=True)):
                self.phrases[phrase] = codes
                self.prefixes.update(phrase[:i] for i in range(2, len(phrase) + 1))

    def default(self, ch: str) -> str | None:
        listed = self.chars.get(ord(ch))
        return None if listed is None else _syllable(listed.partition(",")[0])

    def code(self, syllable: str) -> str:
        return self.codes[syllable]

    def chunk(self, ch: str) -> str:
        found = self.chunks.get(ch)
        if found is None:
            reading = self.default(ch)
            if reading is not None:
                found = self.codes[reading] + ch  # the reading, then the character breaks a tie
            elif ch < "\x80":
                found = ch.upper() if "a" <= ch <= "z" else ch  # ASCII: before every reading
            else:
                found = (self.not_listed if _is_han(ch) else _OTHER) + ch
            self.chunks[ch] = found
        return found

    def reading(self, part: str) -> str | None:
        index = ord(part[0]) - _FIRST_READING
        return self.syllables[index] if 0 <= index < len(self.syllables) else None


def _dictionaries() -> _Dictionaries:
    """Loaded once, on first use, by whichever thread sorts first."""
    global _data
    if _data is None:
        with _lock:
            if _data is None:
                _data = _Dictionaries()
    return _data


@functools.lru_cache(maxsize=8192)
def _syllable(toned: str) -> str:
    """``zhòng`` -> ``zhong4``, ``lǜ`` -> ``lv4``, ``de`` -> ``de5`` (neutral tone last)."""
    letters, tone = [], 5
    for ch in toned:
        plain = _TONED.get(ch)
        if plain is None:
            letters.append(ch)
        else:
            letters.append(plain[0])
            tone = plain[1] if plain[1] != 5 else tone
    return "".join(letters) + str(tone)


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F or 0xF900 <= code <= 0xFAFF
    )


def _parts(text: str) -> list[str]:
    """Each character's part of the key; characters in a phrase read as the phrase reads them (forward
    maximum matching, as pypinyin segments)."""
    data = _dictionaries()
    known = data.chunks
    parts = [known.get(ch) or data.chunk(ch) for ch in text]
    prefixes, phrases = data.prefixes, data.phrases
    i, n = 0, len(text)
    while i < n - 1:
        end, found = i + 2, None
        while end <= n:
            piece = text[i:end]
            if piece not in prefixes:  # most characters begin no such phrase: one look-up
                break
            read = phrases.get(piece)
            if read is not None:
                found = (end, read)
            end += 1
        if found:
            stop, read = found
            for j, reading in enumerate(read, start=i):
                parts[j] = reading + text[j]
            i = stop
        else:
            i += 1
    return parts


def _normal(text: str) -> str:
    import unicodedata  # here, not at start-up: the store imports this module when it opens

    return unicodedata.normalize("NFKC", text).strip() if not text.isascii() else text.strip()


@functools.lru_cache(maxsize=1 << 15)  # the lists' sorts keep their own, larger cache (order_key)
def sort_key(text: str | None) -> str:
    """A text whose code-point order is the pinyin order of ``text`` (enterprise names, any text)."""
    if not text:
        return ""
    text = _normal(text)
    if text.isascii():  # no dictionary needed: a list of Latin names never loads it
        return "".join(ch.upper() if "a" <= ch <= "z" else ch for ch in text)
    return "".join(_parts(text))


@functools.lru_cache(maxsize=1 << 15)
def name_sort_key(name: str | None) -> str:
    """``sort_key`` for a person's name: a polyphonic surname is read as a surname (曾 zēng, not céng)."""
    if not name:
        return ""
    name = _normal(name)
    for length in (2, 1):
        surname = SURNAMES.get(name[:length])
        if surname is not None and len(surname) == min(length, len(name)):
            code = _dictionaries().code
            head = "".join(code(r) + ch for r, ch in zip(surname, name, strict=False))
            return head + (sort_key(name[length:]) if len(name) > length else "")
    return sort_key(name)


def readings(text: str) -> list[str]:
    """The readings a key is made of (``['chong2', 'qing4']``); characters that are not Han as they are."""
    text = _normal(text)
    data = _dictionaries()
    return [data.reading(part) or ch for ch, part in zip(text, _parts(text), strict=True)]


# A list sort asks for every row's key each time: cached for ~130,000 names (~30 MB at most), a branch's
# whole list; a 530,000-row regulator list computes most keys again (~3 us each).
@functools.lru_cache(maxsize=1 << 17)
def order_key(text: str | None) -> str | None:
    """A total order's key, for SQL's ``PINYIN_KEY(name)`` (which the stores index): ``sort_key``, which
    spells out every character of a text already in its usual form; after it, for any other text (ASCII
    in lower case, full-width forms, spaces at either end), "\x01" and the text itself, so that ``abc``
    and ``ABC`` still differ and sort the same way every time (the usual form first). The text is not
    repeated for the names the index holds (~15 MB less at 530,000). ``compare`` is this order; NULL
    stays NULL."""
    if text is None:
        return None
    key = sort_key(text)
    return key if _usual(text) else key + "\x01" + text


@functools.lru_cache(maxsize=1 << 16)
def name_order_key(name: str | None) -> str | None:
    """``order_key`` for a person's name (``name_sort_key``)."""
    if name is None:
        return None
    key = name_sort_key(name)
    return key if _usual(name) else key + "\x01" + name


def _usual(text: str) -> bool:
    """The text in the form ``sort_key`` reads (no change by NFKC, trimming or upper-casing ASCII): its key
    then names it alone."""
    if text != text.strip() or any("a" <= ch <= "z" for ch in text):
        return False
    import unicodedata

    return text.isascii() or unicodedata.is_normalized("NFKC", text)


def compare(a: str | None, b: str | None) -> int:
    """-1, 0 or 1: ``a`` before, with or after ``b`` in pinyin order (SQLite's ``COLLATE PINYIN``): the
    order of ``order_key``, so the lists' indexes, the collation and Python agree. Texts read the same
    (``ABC``, ``Abc``, ``abc``) come the usual form first, then by code point: the order is total."""
    if a == b:
        return 0
    return -1 if (order_key(a) or "") < (order_key(b) or "") else 1


def compare_names(a: str | None, b: str | None) -> int:
    """``compare`` for person names (``COLLATE PINYIN_NAME``)."""
    if a == b:
        return 0
    return -1 if (name_order_key(a) or "") < (name_order_key(b) or "") else 1
