#!/usr/bin/env python3
"""Generate data/dict/places.txt: country and region names for jieba.

Reads the Unicode CLDR Simplified Chinese territory names that the Python
`babel` package ships (``Locale('zh').territories``: countries such as 'US',
'JP', and regions such as '001' world, '150' Europe, '419' Latin America),
keeps those that are usable as dictionary words, adds the hand-curated
aliases in tools/place_aliases.txt (CLDR short forms babel drops, press short
forms, country-pair abbreviations, seas and islands, organisations), and
writes them in jieba's user-dictionary format (`word freq tag`):

    name 1000 ns        place name
    name 1000 nt        organisation (marked so in the alias file)

Rules for a CLDR name:
  * it must consist of 2+ Chinese characters and nothing else (names with
    Latin letters, digits, hyphens or other punctuation are dropped);
  * a bracketed part, as in 刚果（金）, is removed and the rest kept if it is
    still 2+ Chinese characters (a comment line in the output says so);
  * pseudo and unknown territories (XA, XB, ZZ) and names that are frequent
    non-place words (世界) are excluded; every exclusion is printed with its
    reason and listed at the end of the output.

The output is sorted, has no duplicates, and is byte-for-byte the same on
every run with the same babel version, except for the date line, which is
taken from --date (default: today).

Setup and use (from the repository root):

    pip install babel==2.19.0
    python3 tools/cldr_places.py [--date YYYY-MM-DD]

Run it once, and again only when babel or tools/place_aliases.txt changes;
never edit data/dict/places.txt by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import babel
from babel import Locale

# The babel version the committed places.txt was generated with. Another
# version may carry another CLDR release, and so other names: the script
# still runs, but warns.
PINNED_BABEL = "2.19.0"

FREQ = 1000
PLACE_TAG = "ns"
TAGS = ("ns", "nt")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "dict" / "places.txt"
DEFAULT_ALIASES = ROOT / "tools" / "place_aliases.txt"

# CLDR territory codes: two letters, or three digits for a UN M.49 region.
# Any other key babel might expose (e.g. an `alt` form) is a variant.
CODE_RE = re.compile(r"^(?:[A-Z]{2}|\d{3})$")

# Chinese characters: CJK Unified Ideographs, Extension A, Extensions B-H,
# and the compatibility ideographs.
HAN = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f\U00030000-\U0003134f"
)
HAN_NAME_RE = re.compile(f"^[{HAN}]{{2,}}$")
# A bracketed part, full- or half-width.
BRACKET_RE = re.compile(r"[（(][^）)]*[）)]")

# Territories that are not places.
EXCLUDED_CODES = {
    "XA": "CLDR pseudo-locale territory (pseudo-accents), not a place",
    "XB": "CLDR pseudo-locale territory (pseudo-bidi), not a place",
    "ZZ": "CLDR 'unknown region', not a place",
}

# Names that are also frequent non-place words: as dictionary words tagged
# `ns` they would mis-tag the common word (and, since jieba-rs replaces the
# frequency of a word it already has, change how it segments).
EXCLUDED_NAMES = {
    "世界": "CLDR 001 'World': a very common non-place word "
    "(世界和平, 世界经济, 全世界)",
    "巴勒斯坦领土": "CLDR PS main name, a phrase: as one word it swallows 领土 "
    "(巴勒斯坦领土不可分割), a key word of diplomatic text; the short form "
    "巴勒斯坦 comes from the alias file",
}

# Names that must come out of a correct run; checked before writing.
SPOT_CHECK = (
    "美国", "日本", "菲律宾", "乌克兰", "以色列", "巴勒斯坦", "沙特阿拉伯",
    "哈萨克斯坦", "印度尼西亚", "新西兰", "朝鲜", "韩国", "欧洲", "非洲",
    "拉丁美洲", "中国", "香港", "澳门", "台湾",
)


def fail(msg: str) -> None:
    print(f"cldr_places.py: error: {msg}", file=sys.stderr)
    sys.exit(1)


def cldr_version() -> str:
    get = getattr(babel.core, "get_cldr_version", None)
    return str(get()) if get else "unknown (babel does not expose it)"


def clean_cldr_name(name: str) -> tuple[str | None, str | None]:
    """(kept name or None, note): the note says what was done or why not."""
    if HAN_NAME_RE.match(name):
        return name, None
    if BRACKET_RE.search(name):
        stripped = BRACKET_RE.sub("", name)
        if HAN_NAME_RE.match(stripped):
            return stripped, f"{name} -> {stripped}: bracketed part removed"
        return None, "bracketed name whose remainder is not 2+ Chinese characters"
    if len(name) < 2:
        return None, "single character"
    return None, "not Chinese characters only (Latin letters, digits or punctuation)"


def read_cldr(excluded: list[str], notes: list[str]) -> dict[str, str]:
    """CLDR names kept -> the territory code(s) they came from."""
    territories = Locale("zh").territories
    kept: dict[str, str] = {}
    variants = 0
    for code in sorted(territories):
        name = territories[code]
        if not CODE_RE.match(code):
            variants += 1  # an alt/variant form, if this babel exposes any
        if code in EXCLUDED_CODES:
            excluded.append(f"{name} ({code}): {EXCLUDED_CODES[code]}")
            continue
        kept_name, note = clean_cldr_name(name)
        if kept_name is None:
            excluded.append(f"{name} ({code}): {note}")
            continue
        if note:
            notes.append(f"{note} ({code})")
        if kept_name in EXCLUDED_NAMES:
            excluded.append(f"{kept_name} ({code}): {EXCLUDED_NAMES[kept_name]}")
            continue
        kept[kept_name] = f"{kept[kept_name]},{code}" if kept_name in kept else code
    if variants:
        notes.append(f"{variants} CLDR short/variant forms exposed by babel were read")
    else:
        notes.append(
            "babel exposes no CLDR short/variant (alt) forms: its CLDR import "
            "keeps only the main name of each territory; the useful short forms "
            "(香港, 澳门, 巴勒斯坦 ...) are in tools/place_aliases.txt"
        )
    return kept


def read_aliases(path: Path) -> dict[str, str]:
    """Alias name -> tag. Format: `name [tag] # reason`."""
    aliases: dict[str, str] = {}
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{no}"
        body, sep, reason = line.partition("#")
        if not sep or not reason.strip():
            fail(f"{where}: expected 'name [tag] # reason', got '{raw}'")
        parts = body.split()
        if len(parts) not in (1, 2):
            fail(f"{where}: expected 'name [tag] # reason', got '{raw}'")
        name = parts[0]
        tag = parts[1] if len(parts) == 2 else PLACE_TAG
        if not HAN_NAME_RE.match(name):
            fail(f"{where}: '{name}' is not 2+ Chinese characters")
        if tag not in TAGS:
            fail(f"{where}: tag '{tag}' is not one of {', '.join(TAGS)}")
        if name in aliases:
            fail(f"{where}: '{name}' is listed twice")
        if name in EXCLUDED_NAMES:
            fail(f"{where}: '{name}' is excluded: {EXCLUDED_NAMES[name]}")
        aliases[name] = tag
    return aliases


def parse_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--date", type=parse_date, default=dt.date.today().isoformat(),
                    help="date for the header line (YYYY-MM-DD; default today)")
    ap.add_argument("--aliases", type=Path, default=DEFAULT_ALIASES,
                    help=f"alias file (default {DEFAULT_ALIASES.relative_to(ROOT)})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help=f"output file (default {DEFAULT_OUT.relative_to(ROOT)})")
    args = ap.parse_args()

    if babel.__version__ != PINNED_BABEL:
        print(f"cldr_places.py: warning: babel {babel.__version__} is not the pinned "
              f"{PINNED_BABEL}; the names may differ from the committed file",
              file=sys.stderr)

    excluded: list[str] = []
    notes: list[str] = []
    cldr = read_cldr(excluded, notes)
    aliases = read_aliases(args.aliases)

    entries: dict[str, str] = {name: PLACE_TAG for name in cldr}
    overlap = sorted(n for n in aliases if n in cldr)
    for name, tag in aliases.items():
        entries[name] = tag  # the alias file's tag wins
    alias_only = len(aliases) - len(overlap)

    missing = [n for n in SPOT_CHECK if n not in entries]
    if missing:
        fail(f"expected names missing from the output: {' '.join(missing)}")

    header = [
        "# Country, region and organisation names for jieba (word freq tag).",
        "# Generated by tools/cldr_places.py from the Unicode CLDR Simplified Chinese",
        f"# territory names (Locale('zh').territories) via babel {babel.__version__},"
        f" CLDR {cldr_version()},",
        "# plus the curated aliases in tools/place_aliases.txt.",
        f"# Date: {args.date}",
        "# Do not edit: change tools/place_aliases.txt or the script, and rerun",
        "#   python3 tools/cldr_places.py",
        f"# {len(entries)} names: {len(cldr)} from CLDR, {alias_only} from the alias file"
        f" only ({len(overlap)} in both, alias tag used: {' '.join(overlap) or '-'}).",
        "# Tags: ns = place name, nt = organisation.",
        "# Note: jieba-rs add_word replaces the frequency of a word already in its",
        "# default dictionary (e.g. 中国) and keeps that word's old tag.",
    ]
    header += [f"# {n}" for n in notes]
    body = [f"{name} {FREQ} {entries[name]}" for name in sorted(entries)]
    footer = ["# Excluded CLDR names (not written above):"]
    footer += [f"#   {e}" for e in excluded] or ["#   none"]

    text = "\n".join(header + body + footer) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

    for e in excluded:
        print(f"excluded: {e}")
    for n in notes:
        print(f"note: {n}")
    print(f"wrote {args.out}: {len(entries)} names ({len(cldr)} from CLDR, "
          f"{alias_only} alias-only, {len(overlap)} in both), babel {babel.__version__}, "
          f"CLDR {cldr_version()}, date {args.date}")


if __name__ == "__main__":
    main()
