#!/usr/bin/env python3
"""The peer of `ducha triage`: the pipeline a data analyst would build in Python for the same job
(issue 3) — cpca for regions, jieba for words, datasketch MinHashLSH for duplicates, regular
expressions and jieba's part-of-speech tags for redaction.

It reads the same JSONL input as `ducha triage` and writes the same pinned JSONL output (DESIGN.md),
so both are scored by one scorer (`ducha triage --score`). It is given the same reference data as the
engine: the NBS township and village lists of the city, the functional zones and the places file
(roads, landmarks, enterprises), which it loads into jieba's dictionary and its own lookup tables.

Usage: triage_peer.py [--data DIR] [--city 4109] < input.jsonl > output.jsonl
A bad input line is named on stderr by its number; the rest is processed; exit status 1 at the end.
Timing (start-up and processing) is printed on stderr.
"""

import argparse
import csv
import json
import os
import re
import sys
import time
import tomllib

T0 = time.perf_counter()

import cpca  # noqa: E402
import jieba  # noqa: E402
import jieba.posseg as pseg  # noqa: E402
from datasketch import MinHash, MinHashLSH  # noqa: E402

jieba.setLogLevel(60)

# ---- reference data --------------------------------------------------------------------------------


def short_village(name):
    """NBS writes 东陈庄村委会 / 京东社区居民委员会; people write 东陈庄村 / 京东社区."""
    for suffix, repl in (("社区居民委员会", "社区"), ("居民委员会", "社区"), ("村民委员会", "村"),
                         ("居委会", "社区"), ("村委会", "村")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + repl
    return name


class Gazetteer:
    def __init__(self, data_dir, city):
        gdir = os.path.join(data_dir, "gazetteer", city)
        self.counties = {}
        with open(os.path.join(gdir, "areas.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.counties[row["code"]] = row["name"]
        self.township_county = {}
        self.township_names = {}  # name -> [codes]
        with open(os.path.join(gdir, "streets.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                code, name, county = row["code"], row["name"], row["areaCode"]
                self.township_county[code] = county
                names = {name}
                cname = self.counties.get(county, "")
                if cname and name.startswith(cname):
                    names.add(name[len(cname):])
                if name.endswith("街道办事处"):
                    names.add(name[: -len("办事处")])
                for n in names:
                    if len(n) >= 2:
                        self.township_names.setdefault(n, []).append(code)
        self.village_township = {}
        self.village_names = {}  # name -> [codes]
        with open(os.path.join(gdir, "villages.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                code, name = row["code"], row["name"]
                self.village_township[code] = row["streetCode"]
                short = short_village(name)
                for n in {name, short}:
                    if len(n) >= 3:
                        self.village_names.setdefault(n, []).append(code)
        # Functional zones (not in NBS data): their townships route to the zone.
        self.zone_of_township = {}
        self.zone_names = {}
        zpath = os.path.join(data_dir, "gazetteer", "zones.toml")
        if os.path.exists(zpath):
            with open(zpath, "rb") as f:
                for z in tomllib.load(f).get("zone", []):
                    for t in z.get("townships", []):
                        self.zone_of_township[t] = z["code"]
                    for n in [z["name"]] + z.get("aliases", []):
                        self.zone_names[n] = z["code"]
        # Places: roads, landmarks, parks, enterprises with their county/township/village.
        self.places = {}
        ppath = os.path.join(data_dir, "places", f"{city}.csv")
        if os.path.exists(ppath):
            with open(ppath, encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    codes = (row["county_code"] or None, row["township_code"] or None,
                             row["village_code"] or None)
                    for n in [row["name"]] + [a for a in (row.get("aliases") or "").split("|") if a]:
                        self.places[n] = codes
        for words in (self.township_names, self.village_names, self.zone_names, self.places):
            for w in words:
                jieba.add_word(w, freq=200000, tag="ns")
        for c in self.counties.values():
            jieba.add_word(c, freq=200000, tag="ns")

    def county_of(self, township):
        return self.zone_of_township.get(township) or self.township_county.get(township)


# ---- classification: keyword lists an analyst would write ------------------------------------------

TYPE_WORDS = {
    "大气": ["烟", "废气", "异味", "臭味", "气味", "味道", "刺鼻", "呛", "粉尘", "扬尘", "灰尘", "油烟",
           "焚烧", "烧", "煤烟", "尾气", "喷漆", "臭气", "雾霾", "熏"],
    "水": ["废水", "污水", "排污", "直排", "偷排", "暗管", "河水", "沟", "坑塘", "水体", "黑臭", "粪水",
          "排水", "渗坑", "地下水", "水质"],
    "土壤": ["土壤", "耕地", "农田", "庄稼地", "渗漏", "填埋", "掩埋", "污染土地", "毁地"],
    "噪声": ["噪音", "噪声", "吵", "轰鸣", "响声", "震动", "扰民", "睡不着"],
    "固废": ["垃圾", "固废", "废渣", "废料", "倾倒", "堆放", "乱堆", "废品", "危废", "电瓶", "污泥",
           "建筑垃圾", "炉渣"],
    "生态": ["采砂", "挖沙", "盗采", "抽沙", "毁林", "砍伐", "湿地", "河道", "滩地", "破坏生态", "填河"],
    "辐射": ["辐射", "基站", "射线", "放射", "电磁"],
}
SANSAN_WORDS = {
    "散乱污企业": ["散乱污", "作坊", "小厂", "加工点", "黑厂", "无证", "没有手续", "没手续", "无手续",
              "无环保设施", "没有环保设施", "小加工"],
    "散煤": ["散煤", "烧煤", "燃煤", "蜂窝煤", "煤球", "劣质煤", "卖煤", "煤炭"],
    "散尘": ["扬尘", "裸土", "渣土", "苫盖", "土方", "工地", "尘土"],
}


def classify(text):
    types = [t for t, words in TYPE_WORDS.items() if any(w in text for w in words)]
    if not types:
        types = ["其他"]
    best, best_n = None, 0
    for cat, words in SANSAN_WORDS.items():
        n = sum(text.count(w) for w in words)
        if n > best_n:
            best, best_n = cat, n
    return types, best


# ---- redaction ---------------------------------------------------------------------------------------

D = "[0-9０-９]"
PATTERNS = [
    ("【身份证号】", re.compile(rf"(?<![0-9０-９]){D}{{17}}[{D[1:-1]}Xx]|(?<![0-9０-９]){D}{{15}}(?![0-9０-９])")),
    ("【邮箱】", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("【电话】", re.compile(rf"(?:\+?86[\s-]?)?(?<![0-9０-９])[1１][3-9３-９]{D}(?:[\s-]?{D}){{8}}(?![0-9０-９])")),
    ("【电话】", re.compile(rf"(?<![0-9０-９])0{D}{{2,3}}[\s-]?{D}{{7,8}}(?![0-9０-９])")),
    ("【账号】", re.compile(r"(?i)(?<=qq)[：:\s号]*[0-9]{5,12}|(?<=微信)[：:\s号]*[A-Za-z][A-Za-z0-9_-]{5,19}")),
    ("【住址】", re.compile(rf"[\u4e00-\u9fa5]{{2,8}}(?:小区|花园|家园|苑|公寓)(?:{D}+号楼)?(?:{D}+单元)?(?:{D}+(?:室|号)?)?")),
]
NAME_CONTEXT = re.compile(r"(?:我叫|举报人[：:]?|联系人[：:]?|姓名[：:]?)([\u4e00-\u9fa5]{2,3})")
TITLE = re.compile(r"([\u4e00-\u9fa5])(先生|女士|师傅|大爷|大妈)")


def redact(text, who, keep_words):
    out = text
    for field, token in (("name", "某某"), ("phone", "【电话】"), ("address", "【住址】")):
        v = (who or {}).get(field)
        if v and len(v) >= 2 and v in out:
            out = out.replace(v, token)
    for token, pat in PATTERNS:
        out = pat.sub(token, out)
    out = NAME_CONTEXT.sub(lambda m: m.group(0)[: -len(m.group(1))] + m.group(1)[0] + "某", out)
    out = TITLE.sub(r"某\2", out)
    # Person names by jieba's part of speech, except the names of places it was given.
    parts = []
    for w, flag in pseg.cut(out):
        if flag == "nr" and w not in keep_words and len(w) >= 2:
            parts.append(w[0] + "某")
        else:
            parts.append(w)
    return "".join(parts)


# ---- routing -----------------------------------------------------------------------------------------


def route(text, tokens, cp, gaz, city):
    """cpca's county (adcode) refined by the township/village/place words jieba found."""
    adcode = cp.get("adcode")
    adcode = str(adcode) if adcode and str(adcode) != "nan" else None
    county = None
    outside = False
    if adcode:
        if adcode.startswith(city):
            if adcode in gaz.counties:
                county = adcode
        else:
            outside = True
    for z, code in gaz.zone_names.items():
        if z in text:
            county = code
            break
    towns = set()
    villages = set()
    place_hits = []
    for t in tokens:
        if t in gaz.township_names:
            towns.update(gaz.township_names[t])
        if t in gaz.village_names:
            villages.update(gaz.village_names[t])
        if t in gaz.places:
            place_hits.append(gaz.places[t])
    if outside and not towns and not villages:
        return "OUTSIDE", None, None
    if county:
        in_county = {t for t in towns if gaz.county_of(t) == county}
        towns = in_county or set()
    township = next(iter(towns)) if len(towns) == 1 else None
    if township is None and not towns:
        for pc, pt, _pv in place_hits:
            if pt and (county is None or pc == county):
                township = pt
                break
    if villages:
        cands = [v for v in villages if township is None or gaz.village_township[v] == township]
        if county and township is None:
            cands = [v for v in cands if gaz.county_of(gaz.village_township[v]) == county]
        village = cands[0] if len(cands) == 1 else None
    else:
        village = None
    if village and township is None:
        township = gaz.village_township[village]
    if township and county is None:
        county = gaz.county_of(township)
    if county is None:
        for pc, _pt, _pv in place_hits:
            if pc:
                county = pc
                break
    if county is None:
        return "UNKNOWN", None, None
    return county, township, village


# ---- duplicates --------------------------------------------------------------------------------------

STOP = set("的 了 是 在 有 个 就 我 你 他 她 们 这 那 也 都 还 又 和 与 及 把 被 给 着 很 吧 呢 啊 嗯 喂 "
           "您好 你好 一个 那个 就是 反映 举报 问题 情况 现在 之前 上回 已经 请 督察组 尊敬 此致 敬礼".split())
PUNCT = re.compile(r"^[\W_]+$")


def shingles(text, tokens, kind):
    """What MinHash sees: jieba words without stop words, or Han character n-grams."""
    if kind == "words":
        return {t.encode("utf-8") for t in tokens if t not in STOP and not PUNCT.match(t)}
    k = 2 if kind == "char2" else 3
    han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fa5")
    return {han[i:i + k].encode("utf-8") for i in range(max(len(han) - k + 1, 1))}


class Duplicates:
    def __init__(self, threshold=0.5, num_perm=128):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.num_perm = num_perm
        self.threshold = threshold
        self.sigs = {}
        self.root = {}
        self.place = {}

    def check_and_add(self, key, words, place):
        """`place` = (county, township, village) from the router; candidates must not contradict it."""
        m = MinHash(num_perm=self.num_perm)
        m.update_batch(list(words))
        best, best_j = None, 0.0
        for cand in self.lsh.query(m):
            other = self.place[cand]
            if any(a not in (None, "UNKNOWN") and b not in (None, "UNKNOWN") and a != b for a, b in zip(place, other)):
                continue
            j = m.jaccard(self.sigs[cand])
            if j >= self.threshold and (j > best_j or (j == best_j and cand < best)):
                best, best_j = cand, j
        self.lsh.insert(key, m)
        self.sigs[key] = m
        self.place[key] = place
        root = self.root[best] if best is not None else key
        self.root[key] = root
        return (root if best is not None else None), best_j


# ---- the pipeline ------------------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "data"))
    ap.add_argument("--city", default="4109")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--dup-threshold", type=float, default=0.4)
    ap.add_argument("--shingles", choices=["words", "char2", "char3"], default="words")
    args = ap.parse_args()

    gaz = Gazetteer(args.data, args.city)
    keep_words = set(gaz.township_names) | set(gaz.village_names) | set(gaz.places) | set(gaz.counties.values())
    jieba.initialize()
    cpca.transform(["濮阳县"])  # load cpca's tables before timing the processing
    dups = Duplicates(threshold=args.dup_threshold)
    t_ready = time.perf_counter()

    out = sys.stdout
    bad = 0
    n = 0
    keys = {}
    pending = []

    def flush(batch):
        nonlocal n
        if not batch:
            return
        df = cpca.transform([it["text"] for _, it in batch])
        records = df.to_dict("records")
        for (_line, it), cp in zip(batch, records):
            text = it["text"]
            tokens = jieba.lcut(text)
            county, township, village = route(text, tokens, cp, gaz, args.city)
            types, sansan = classify(text)
            redacted = redact(text, it.get("complainant"), keep_words)
            key = len(keys)
            keys[key] = it["id"]
            sh = shingles(redacted, jieba.lcut(redacted) if args.shingles == "words" else (), args.shingles)
            dup, score = dups.check_and_add(key, sh, (county, township, village))
            rec = {
                "id": it["id"],
                "county_code": county,
                "township_code": township,
                "village_code": village,
                "pollution_types": types,
                "sansan": sansan,
                "dup_of": keys[dup] if dup is not None else None,
                "redacted_text": redacted,
                "confidence": {
                    "county_code": 0.9 if county not in ("UNKNOWN",) else 0.5,
                    "township_code": 0.8 if township else 0.5,
                    "village_code": 0.7 if village else 0.5,
                    "pollution_types": 0.7,
                    "sansan": 0.6,
                    "dup_of": round(score, 3) if dup is not None else 0.8,
                },
            }
            out.write(json.dumps(rec, ensure_ascii=False))
            out.write("\n")
            n += 1

    for line_no, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            bad += 1
            print(f"错误：第{line_no}行：不是有效的UTF-8文本", file=sys.stderr)
            continue
        if not line:
            continue
        try:
            it = json.loads(line.lstrip("\ufeff"))
            if not isinstance(it, dict) or "id" not in it or not isinstance(it.get("text"), str):
                raise ValueError("缺少 id 或 text")
        except ValueError as e:
            bad += 1
            print(f"错误：第{line_no}行：无法解析输入行：{e}", file=sys.stderr)
            continue
        pending.append((line_no, it))
        if len(pending) >= args.batch:
            flush(pending)
            pending = []
    flush(pending)
    out.flush()
    t_end = time.perf_counter()
    print(
        f"peer: {n} lines; start-up {t_ready - T0:.2f} s, processing {t_end - t_ready:.2f} s "
        f"({n / max(t_end - t_ready, 1e-9):.0f} lines/s)",
        file=sys.stderr,
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
