"""The department directory: names, aliases and keywords used to suggest who leads a task.

The default directory (departments.toml beside this module) lists the units the sample report names. A user's
own TOML file in the same shape replaces it. Suggestions only come from keywords actually found in the text.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tracker.errors import ImportFailed

DEFAULT_DIRECTORY_FILE = "departments.toml"


@dataclass(frozen=True)
class DepartmentEntry:
    name: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Suggestion:
    department: str
    score: float
    keywords: tuple[str, ...]  # the keywords found in the text, in the order first seen


_PREFIX = re.compile(r"^(?:区委|区|市|县|镇|省|高新区|开发区|新区|本级)")
_PAREN_TAIL = re.compile(r"[（(][^（）()]*[）)]$")


def _canonical(name: str) -> str:
    """区司法局 → 司法局, 市市场监管局（区食药安办） → 市场监管局: for lookups only, never for display."""
    name = re.sub(r"\s+", "", name)
    if len(name) > 3:
        name = _PAREN_TAIL.sub("", name)
    stripped = _PREFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


@dataclass
class DepartmentDirectory:
    entries: list[DepartmentEntry] = field(default_factory=list)
    source: str = ""
    # Names of the district the directory describes ("淄博高新区"). Its aliases are that district's own ways of
    # naming its units (办公室 → 党政办公室, 综合执法局 → 综合行政执法与应急管理局, a merged bureau); a report from
    # elsewhere keeps its own names. Empty: the directory is the user's own, for whatever they import.
    district: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._by_name: dict[str, DepartmentEntry] = {}
        self._by_canonical: dict[str, DepartmentEntry] = {}
        for entry in self.entries:
            for n in entry.all_names():
                self._by_name.setdefault(n, entry)
                self._by_canonical.setdefault(_canonical(n), entry)
        self._keyword_owner: dict[str, list[DepartmentEntry]] = {}
        for entry in self.entries:
            for kw in entry.keywords:
                owners = self._keyword_owner.setdefault(kw, [])
                if entry not in owners:
                    owners.append(entry)
        self._tokenizer: Any = None  # built on first use: only tasks without a named owner need it

    # -- lookups ------------------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    def covers(self, text: str) -> bool:
        """Whether a document (its issuers and title) is from the district this directory describes."""
        return not self.district or any(d in text for d in self.district)

    def find(self, name_or_alias: str, *, aliases: bool = True) -> DepartmentEntry | None:
        """The entry a written name refers to (exact name or alias, then without 区/市 prefixes), or None. Without
        ``aliases`` only the department's own name counts (区司法局 → 司法局), for a report from elsewhere."""
        key = re.sub(r"\s+", "", name_or_alias or "")
        if not key:
            return None
        bare = _canonical(key)
        if not aliases:
            entry = self._by_name.get(key) or self._by_name.get(bare)
            found = entry if entry is not None else self._by_canonical.get(bare)
            same = found is not None and (found.name in (key, bare) or _canonical(found.name) == bare)
            return found if same else None
        if key in self._by_name:
            return self._by_name[key]
        # 区市场监管局 → 市场监管局 is a name as it stands (whose own "市" is no prefix); else compare both bare
        return self._by_name.get(bare) or self._by_canonical.get(bare)

    # -- suggestions --------------------------------------------------------------------------------------------
    def suggest(self, text: str) -> list[str]:
        """Departments whose keywords occur in ``text``, best first (empty when no keyword is found)."""
        return [s.department for s in self.suggestions(text)]

    def best(self, text: str, *, title: str = "") -> Suggestion | None:
        """The single best lead suggestion, or None when the text holds none of the keywords."""
        found = self.suggestions(text, title=title)
        return found[0] if found else None

    def suggestions(self, text: str, *, title: str = "") -> list[Suggestion]:
        """Score each department by the keywords found (a keyword in the title counts twice)."""
        if not self._keyword_owner or not text:
            return []
        if not any(kw in text or kw in title for kw in self._keyword_owner):
            return []  # no keyword even as a substring: no need to load jieba's dictionary
        scores: dict[str, float] = {}
        seen_kw: dict[str, list[str]] = {}
        first_pos: dict[str, int] = {}
        order = {e.name: i for i, e in enumerate(self.entries)}
        for weight, part in ((2.0, title), (1.0, text)):
            if not part:
                continue
            for pos, token in enumerate(self._tokens(part)):
                for entry in self._keyword_owner.get(token, ()):
                    scores[entry.name] = scores.get(entry.name, 0.0) + weight
                    kws = seen_kw.setdefault(entry.name, [])
                    if token not in kws:
                        kws.append(token)
                    first_pos.setdefault(entry.name, pos + (0 if weight > 1 else 100000))
        ranked = sorted(scores, key=lambda n: (-scores[n], first_pos.get(n, 0), order.get(n, 0)))
        return [Suggestion(n, scores[n], tuple(seen_kw[n])) for n in ranked]

    def _tokens(self, text: str) -> list[str]:
        """Words of the text as jieba segments it over our keywords, plus keywords with punctuation."""
        tokens: list[str] = []
        jieba = self._jieba()
        if jieba is not None:
            tokens = [t for t in jieba.lcut(text, HMM=False) if t.strip()]
        else:  # pragma: no cover - jieba is a dependency; stay useful without it
            tokens = [kw for kw in self._keyword_owner if kw in text]
        # keywords jieba cannot keep whole (punctuation inside, e.g. 镇（街道）)
        for kw in self._keyword_owner:
            if not kw.isalnum() and kw in text:
                tokens.append(kw)
        return tokens

    def _jieba(self) -> Any:
        if self._tokenizer is None:
            try:
                self._tokenizer = keyword_tokenizer(self._keyword_owner)
            except Exception:  # pragma: no cover - a broken cache dir must not stop an import
                return None
        return self._tokenizer


def keyword_tokenizer(keywords: Iterable[str]) -> Any:
    """A jieba tokenizer whose dictionary is the directory's keywords.

    Matching needs only to know where our keywords stand in the text, and jieba's own 350,000-word
    dictionary takes 0.4–1 s to load on every run (more than the rest of an import together); a keyword
    dictionary loads in milliseconds and segments the text the same way around the keywords.
    """
    import hashlib

    from platformdirs import user_cache_dir

    from tracker.importer.segment import import_jieba

    jieba = import_jieba()
    words = sorted({kw for kw in keywords if kw.isalnum() and len(kw) > 1})
    digest = hashlib.sha256(("v3\n" + "\n".join(words)).encode("utf-8")).hexdigest()[:16]
    cache = Path(user_cache_dir("tracker", appauthor=False))
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        cache = Path(tempfile.gettempdir())
    path = cache / f"keywords-{digest}.dict"
    if not path.exists():
        # Keywords outweigh any other word, so a keyword in the text is always found; the ordinary words that
        # straddle a keyword's edge (深入|学习 around 入学) keep their own weight, so 深入学习 is not read as 入学.
        guards = _straddling_words(jieba, words)
        # every character may stand alone: jieba only offers a single character where no longer word starts
        chars = sorted({c for w in [*words, *(g for g, _ in guards)] for c in w})
        body = "".join(f"{w} 100000000 n\n" for w in words) + "".join(f"{w} {f} n\n" for w, f in guards)
        body = (body + "".join(f"{c} 1 x\n" for c in chars)) or "的 1 u\n"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(body, encoding="utf-8")
        tmp.replace(path)  # atomic: several imports may start at once
    tokenizer = jieba.Tokenizer(dictionary=str(path))
    tokenizer.tmp_dir = str(cache)
    tokenizer.initialize()
    return tokenizer


def _straddling_words(jieba: Any, keywords: list[str]) -> list[tuple[str, int]]:
    """Words of jieba's own dictionary that end with the start of a keyword or start with its end, and contain
    no keyword: the words a keyword-only dictionary would wrongly cut through. Read once per keyword set (the
    result is cached with the keyword dictionary)."""
    if not keywords:
        return []
    heads = {kw[:i] for kw in keywords for i in range(1, len(kw))}
    tails = {kw[-i:] for kw in keywords for i in range(1, len(kw))}
    out: list[tuple[str, int]] = []
    try:
        source = jieba.get_dict_file()
    except Exception:  # pragma: no cover - a jieba without its dictionary still segments around keywords
        return []
    with source:
        for raw in source:
            parts = raw.decode("utf-8", "ignore").split()
            if len(parts) < 2 or len(parts[0]) < 2 or not parts[1].isdigit() or int(parts[1]) < 50:
                continue
            word = parts[0]
            if not any(word[-i:] in heads or word[:i] in tails for i in range(1, len(word))):
                continue
            if any(kw in word for kw in keywords):
                continue
            out.append((word, int(parts[1])))
    return out


def _as_list(value: Any, what: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ImportFailed(f"部门目录格式错误：{where} 的 {what} 应为字符串列表")
    return tuple(v.strip() for v in value if v.strip())


def parse_directory(data: dict[str, Any], source: str = "") -> DepartmentDirectory:
    raw = data.get("department", data.get("departments", []))
    if not isinstance(raw, list):
        raise ImportFailed(f"部门目录格式错误：应有 [[department]] 表（{source}）")
    entries: list[DepartmentEntry] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise ImportFailed(f"部门目录格式错误：第 {i} 个部门缺少名称（{source}）")
        where = item["name"].strip()
        entries.append(
            DepartmentEntry(
                name=where,
                aliases=_as_list(item.get("aliases"), "aliases", where),
                keywords=_as_list(item.get("keywords"), "keywords", where),
            )
        )
    return DepartmentDirectory(entries, source=source, district=_as_list(data.get("district"), "district", source))


def load_directory(path: Path | None = None) -> DepartmentDirectory:
    """Read a directory TOML file; without a path, the default one shipped with tracker."""
    try:
        if path is None:
            raw = resources.files("tracker.importer").joinpath(DEFAULT_DIRECTORY_FILE).read_bytes()
            source = DEFAULT_DIRECTORY_FILE
        else:
            raw = Path(path).read_bytes()
            source = str(path)
    except OSError as err:
        raise ImportFailed(f"无法读取部门目录：{path}（{err.strerror or err}）") from err
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ImportFailed(f"部门目录不是有效的 TOML 文件：{source}（{err}）") from err
    return parse_directory(data, source)


def directory_from_names(names: Iterable[str]) -> DepartmentDirectory:
    """A directory with names only (no keywords): lookups work, nothing is ever suggested."""
    return DepartmentDirectory([DepartmentEntry(n) for n in names])
