#!/usr/bin/env python3
"""Validate pii-blind-4.jsonl (blind evaluation set, written independently of the redactor).

Adapted from validate3.py of the blind-3 set.

Checks:
  * every line is a JSON object with the required fields and types;
  * ids are c001, c002, ... in order; kind is one of the six kinds;
  * every pii / keep item is a non-empty exact substring of text;
  * no occurrence of any keep item overlaps any occurrence of any pii item;
  * plain 18-digit ID numbers (in pii, identity.id_number, and 18-digit
    4109-prefixed runs in the text that are not keep items) have a valid
    GB 11643 checksum; grouped/full-width/Chinese-numeral IDs in pii are
    normalised and checked too;
  * invisible / format characters (category Cf, Zl, Zp, Cc, and spaces
    other than U+0020) are not stored raw in the file: they must be written
    as \\uXXXX escapes so that the JSONL stays reviewable.
Prints counts per kind and per family. Exit status 1 on any error.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

PATH = Path(__file__).with_name('pii-blind-4.jsonl')
KINDS = {'complaint', 'report', 'callback', 'opinion', 'accountability', 'staff_note'}
ID_FIELDS = ('name', 'phone', 'id_number', 'address', 'email', 'handle')
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CK = '10X98765432'


def id_ok(s):
    s = s.upper()
    if not re.fullmatch(r'[0-9]{17}[0-9X]', s):
        return False
    return CK[sum(int(a) * w for a, w in zip(s, W)) % 11] == s[17]


def occurrences(text, sub):
    out, start = [], 0
    while True:
        i = text.find(sub, start)
        if i < 0:
            return out
        out.append((i, i + len(sub)))
        start = i + 1


CN_DIGITS = dict(zip('〇零一二三四五六七八九', '00123456789'))


def norm_digits(s):
    """Fold any Unicode decimal digit (full-width, Arabic-Indic, mathematical, ...)
    and Chinese numerals to ASCII; drop separators and invisible characters."""
    t = unicodedata.normalize('NFKC', s)
    out = []
    for c in t:
        if c in CN_DIGITS:
            out.append(CN_DIGITS[c])
        elif unicodedata.decimal(c, None) is not None:
            out.append(str(unicodedata.decimal(c)))
        else:
            out.append(c)
    t = ''.join(out)
    return re.sub(r'[\s\-\u2010-\u2015\u00b7.\u200b-\u200f\u202a-\u202e\u2060\u00ad\ufeff]', '', t)


def main(path=PATH):
    errors = []
    kinds, fams = Counter(), Counter()
    n_pii = n_keep = 0
    no_pii = 0
    identity_nullish = 0
    lines = Path(path).read_text(encoding='utf-8').split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    for ln, line in enumerate(lines, 1):
        raw = sorted({'U+%04X' % ord(c) for c in line
                      if unicodedata.category(c) in ('Cf', 'Zl', 'Zp', 'Cc', 'Zs') and c != ' '})
        if raw:
            errors.append(f'line {ln}: raw invisible character(s) {", ".join(raw)}; write them as \\u escapes')
        try:
            o = json.loads(line)
        except Exception as e:  # noqa: BLE001
            errors.append(f'line {ln}: bad JSON: {e}')
            continue
        if not isinstance(o, dict):
            errors.append(f'line {ln}: not a JSON object')
            continue
        rid = o.get('id')
        want = 'c%03d' % ln
        if rid != want:
            errors.append(f'line {ln}: id {rid!r}, expected {want}')
        bad_field = False
        for k, t in (('kind', str), ('text', str), ('identity', dict), ('pii', list),
                     ('keep', list), ('families', list), ('note', str)):
            if not isinstance(o.get(k), t):
                errors.append(f'{rid}: field {k} missing or not {t.__name__}')
                bad_field = True
        if bad_field:
            continue
        if o['kind'] not in KINDS:
            errors.append(f'{rid}: bad kind {o["kind"]}')
        kinds[o['kind']] += 1
        ident = o['identity']
        if set(ident) != set(ID_FIELDS):
            errors.append(f'{rid}: identity keys {sorted(ident)}')
        for v in ident.values():
            if v is not None and not isinstance(v, str):
                errors.append(f'{rid}: identity value {v!r} not str/null')
        if not (ident.get('name') and ident.get('phone') and ident.get('address')):
            identity_nullish += 1  # partly or wholly null: name, phone or address missing
        text = o['text']
        for f in o['families']:
            if not isinstance(f, str) or not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', f):
                errors.append(f'{rid}: family tag {f!r} is not lower-case-with-hyphens')
            fams[f] += 1
        if not o['note'].strip():
            errors.append(f'{rid}: empty note')
        if not o['pii']:
            no_pii += 1
        spans_p, spans_k = [], []
        for lab, items, spans in (('pii', o['pii'], spans_p), ('keep', o['keep'], spans_k)):
            for it in items:
                if not isinstance(it, str) or not it:
                    errors.append(f'{rid}: empty/non-string {lab} item {it!r}')
                    continue
                occ = occurrences(text, it)
                if not occ:
                    errors.append(f'{rid}: {lab} item not in text: {it!r}')
                spans.extend((a, b, it) for a, b in occ)
        n_pii += len(o['pii'])
        n_keep += len(o['keep'])
        for a, b, p in spans_p:
            for c, d, k in spans_k:
                if a < d and c < b:
                    errors.append(f'{rid}: keep {k!r}@{c} overlaps pii {p!r}@{a}')
        # ID checksums
        cands = []
        for it in o['pii']:
            if re.fullmatch(r'[0-9]{17}[0-9Xx]', it):
                cands.append(it)
            else:
                nd = norm_digits(it)
                if re.fullmatch(r'4109[0-9]{13}[0-9Xx]', nd):
                    cands.append(nd)
        if ident.get('id_number') and len(ident['id_number']) == 18:
            cands.append(ident['id_number'])
        keep_text = ' '.join(o['keep'])
        for m in re.finditer(r'(?<![0-9A-Za-z])4109[0-9]{13}[0-9Xx](?![0-9A-Za-z])', text):
            if m.group(0) not in keep_text:
                cands.append(m.group(0))
        for c in cands:
            if not id_ok(c):
                errors.append(f'{rid}: ID checksum invalid: {c}')
    print(f'lines: {len(lines)}  pii items: {n_pii}  keep items: {n_keep}  '
          f'lines without pii: {no_pii}  identity partly/wholly null (name, phone or address missing): {identity_nullish}')
    print('per kind:', dict(sorted(kinds.items())))
    print('per family:')
    for f, c in sorted(fams.items(), key=lambda x: (-x[1], x[0])):
        print(f'  {f:40s} {c}')
    if errors:
        print(f'\n{len(errors)} ERROR(S):')
        for e in errors:
            print('  ' + e)
        return 1
    print('\nOK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else PATH))
