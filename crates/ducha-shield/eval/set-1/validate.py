#!/usr/bin/env python3
"""Validate pii-blind-1.jsonl: structure, exact substrings, keep/pii overlap,
family coverage, and GB 11643 checksums of 18-digit ID numbers."""
import json, os, re, sys, unicodedata
from collections import Counter

PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-blind-1.jsonl")
KINDS = {"complaint", "report", "callback", "opinion", "accountability"}
IDF = ["name", "phone", "id_number", "address", "email", "handle"]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHK = "10X98765432"
CN = {"〇": "0", "零": "0", "洞": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
      "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
      "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"}
INVIS = "\u200b\u200c\u200d\u2060\u00ad\u202a\u202b\u202c\u202d\u202e\ufeff"

def occurrences(text, s):
    out, i = [], text.find(s)
    while i >= 0:
        out.append((i, i + len(s)))
        i = text.find(s, i + 1)
    return out

def id_ok(s):
    return CHK[sum(int(a) * b for a, b in zip(s[:17], W)) % 11] == s[17].upper()

def unrlo(s):
    """Undo a display-correct right-to-left override: text between U+202E and
    U+202C is stored reversed."""
    return re.sub("\u202e(.*?)(\u202c|$)", lambda m: m.group(1)[::-1], s)

def normalise_digits(s):
    """Map full-width/Chinese numerals to ASCII and drop separators; used only to
    find ID-shaped pii strings and check their checksum."""
    t = unicodedata.normalize("NFKC", unrlo(s))
    t = "".join(CN.get(c, c) for c in t)
    return re.sub(r"[\s\-·.\u3000" + INVIS + "]", "", t)

errors, fam = [], Counter()
kinds, allnull, unknown_lines = Counter(), 0, 0
lines = open(PATH, encoding="utf-8").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
raw = open(PATH, "rb").read()
if raw.startswith(b"\xef\xbb\xbf"):
    errors.append("file starts with a BOM")
ids_checked = 0
for n, line in enumerate(lines, 1):
    try:
        o = json.loads(line)
    except Exception as e:
        errors.append(f"line {n}: bad JSON: {e}")
        continue
    want = f"b{n:03d}"
    if o.get("id") != want:
        errors.append(f"line {n}: id {o.get('id')} != {want}")
    if o.get("kind") not in KINDS:
        errors.append(f"{want}: bad kind {o.get('kind')}")
    kinds[o.get("kind")] += 1
    ident = o.get("identity")
    if not isinstance(ident, dict) or set(ident) != set(IDF):
        errors.append(f"{want}: identity must have exactly {IDF}")
    else:
        if all(v is None for v in ident.values()):
            allnull += 1
        known = {normalise_digits(v).replace("-", "").lower() for v in ident.values() if v}
        def is_known(p):
            q = normalise_digits(p).lower()
            q = re.sub(r"^(\+86|0086|\(\+86\))", "", q).replace("(", "").replace(")", "").replace("/", "").replace("，", "").replace(",", "")
            return any(q and (q == k or (len(q) >= 6 and q in k)) for k in known)
        if all(v is None for v in ident.values()) or any(not is_known(p) for p in o.get("pii", [])):
            unknown_lines += 1
    text = o.get("text", "")
    for key in ("pii", "keep", "families"):
        if not isinstance(o.get(key), list):
            errors.append(f"{want}: {key} must be a list")
    if not o.get("families"):
        errors.append(f"{want}: no families")
    if not isinstance(o.get("note"), str) or not o["note"]:
        errors.append(f"{want}: missing note")
    pocc = []
    for p in o.get("pii", []):
        occ = occurrences(text, p)
        if not occ:
            errors.append(f"{want}: pii not in text: {p!r}")
        pocc += occ
    for k in o.get("keep", []):
        occ = occurrences(text, k)
        if not occ:
            errors.append(f"{want}: keep not in text: {k!r}")
        for a, b in occ:
            for c, d in pocc:
                if a < d and c < b:
                    errors.append(f"{want}: keep {k!r} overlaps pii {text[c:d]!r}")
    for f_ in set(o.get("families", [])):
        fam[f_] += 1
    # ID checksums: plain-digit 18-char IDs anywhere in pii, and normalised ID-shaped pii
    for p in o.get("pii", []):
        for m in re.finditer(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])", unrlo(p)):
            ids_checked += 1
            if not id_ok(m.group()):
                errors.append(f"{want}: bad ID checksum {m.group()}")
        q = normalise_digits(p)
        if re.fullmatch(r"[1-6][0-9]{16}[0-9Xx]", q) and not re.fullmatch(r"[0-9]{17}[0-9Xx]", unrlo(p)):
            ids_checked += 1
            if not id_ok(q):
                errors.append(f"{want}: bad ID checksum (normalised) {p!r} -> {q}")
    if isinstance(ident, dict) and ident.get("id_number"):
        v = ident["id_number"]
        if len(v) == 18 and not id_ok(v):
            errors.append(f"{want}: bad identity id_number checksum {v}")

for f_, c in sorted(fam.items()):
    if c < 5:
        errors.append(f"family {f_!r} appears in only {c} lines")

print(f"{len(lines)} lines; kinds: {dict(kinds)}; identity wholly null: {allnull}; lines with some pii not in identity (or no identity): {unknown_lines}; IDs checked: {ids_checked}")
print("families:", ", ".join(f"{k}={v}" for k, v in sorted(fam.items(), key=lambda x: (-x[1], x[0]))))
if errors:
    print(f"{len(errors)} ERRORS:")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
