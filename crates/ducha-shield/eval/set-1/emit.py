import json, runpy
ns = runpy.run_path("build.py")
recs = ns["RECS"]
with open("pii-blind-1.jsonl", "w", encoding="utf-8") as f:
    for i, r in enumerate(recs, 1):
        o = {"id": f"b{i:03d}", "kind": r["kind"], "text": r["text"], "identity": r["identity"],
             "pii": r["pii"], "keep": r["keep"], "families": r["families"], "note": r["note"]}
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
print(len(recs), "lines written")
