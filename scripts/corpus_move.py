#!/usr/bin/env python3
"""Moves real apps of an extracted microsoft/BCApps corpus to an AppSource range with an
affix, with their dependents, and proves each move (issue #7, "Proven on real code").

    scripts/corpus_move.py CORPUS OUTDIR [--alkit PATH] [--ts-al PATH] [--apps N]

For each app: `alkit move` (dependency symbols from the corpus itself, dependents = the
corpus projects that depend on the app), then
  * every output .al file parses under alkit (`alkit parse`) and under tree-sitter-al
    (`ts-al --list-errors`; files that already fail in the input are reported apart),
  * `alkit side-by-side` of input and output is clean,
  * the reverse move driven by move-mapping.json restores every file of the app and its
    dependents byte for byte,
  * identifier tokens outside strings and comments that still spell an old name of a
    renamed object are counted (the move's own verification re-resolves every reference).
Nothing is written inside CORPUS. Prints a table and writes OUTDIR/results.json.
"""
import argparse, glob, json, os, re, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("corpus"); p.add_argument("out")
p.add_argument("--alkit", default="target/release/alkit")
p.add_argument("--ts-al", default=None)
p.add_argument("--apps", type=int, default=20)
a = p.parse_args()

def load(path):
    t = open(path, encoding="utf-8-sig").read()
    return json.loads(re.sub(r"^\s*//.*$", "", t, flags=re.M))

apps = {}
for f in glob.glob(os.path.join(a.corpus, "src/**/app.json"), recursive=True):
    try:
        j = load(f)
    except Exception:
        continue
    d = os.path.dirname(f)
    deps = [x.get("id", x.get("appId", "")).lower() for x in j.get("dependencies", [])]
    apps[j["id"].lower()] = {"dir": d, "name": j["name"], "deps": deps,
                             "files": len(glob.glob(glob.escape(d) + "/**/*.al", recursive=True))}
dependents = {}
for i, x in apps.items():
    for dep in x["deps"]:
        dependents.setdefault(dep, []).append(i)
cands = []
for i, x in apps.items():
    if "/Apps/W1/" not in x["dir"] or not (5 <= x["files"] <= 300):
        continue
    ds = [apps[k]["dir"] for k in dependents.get(i, []) if k in apps and "/Apps/W1/" in apps[k]["dir"]]
    if ds:
        cands.append((x["files"], x["dir"], x["name"], ds))
cands.sort()
chosen = cands[:: max(1, len(cands) // a.apps)][: a.apps]

def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)

def ts_errors(path):
    if not a.ts_al:
        return None
    r = run([a.ts_al, "--list-errors", path])
    return sorted(l.strip() for l in r.stdout.splitlines() if l.strip().endswith(".al") and os.path.exists(l.strip()))

def snapshot(d):
    out = {}
    for root, dirs, files in os.walk(d):
        dirs[:] = [x for x in dirs if x not in (".git", ".alpackages", ".output", "output", ".snapshots")
                   and not os.path.exists(os.path.join(root, x, "app.json"))]
        for f in files:
            pth = os.path.join(root, f)
            out[os.path.relpath(pth, d)] = open(pth, "rb").read()
    return out

ART = {"move-mapping.json", "move-report.json", "move-report.md"}
results = []
os.makedirs(a.out, exist_ok=True)
for n, (files, d, name, ds) in enumerate(chosen):
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")
    base = os.path.join(a.out, f"{n:02d}-{slug}")
    fwd, back = os.path.join(base, "moved"), os.path.join(base, "back")
    dep_args = ["--dependents", *ds] if ds else []
    t0 = time.time()
    r = run([a.alkit, "move", d, "--to", "appsource", "--range", "70000000..74999999", "--affix", "ALK",
             "--symbols", os.path.join(a.corpus, "src"), "--allow-unresolved", "--accept-stale", "--out",
             os.path.join(fwd, "app"), "--migration-pte", os.path.join(base, "migration"), *dep_args])
    secs = time.time() - t0
    row = {"app": name, "dir": os.path.relpath(d, a.corpus), "files": files, "dependents": len(ds),
           "moveExit": r.returncode, "seconds": round(secs, 2)}
    if r.returncode != 0:
        row["error"] = (r.stderr or r.stdout)[-2000:]
        results.append(row); print(json.dumps(row)); continue
    rep = json.load(open(os.path.join(fwd, "app", "move-report.json")))
    mp = json.load(open(os.path.join(fwd, "app", "move-mapping.json")))
    row.update(renumbered=len(rep["renumbered"]), renamed=len(rep["renamed"]), edits=rep["edits"],
               unresolvedLeft=len(rep["unresolved"]), sideBySide=rep["sideBySide"]["possible"])
    labels = [x["label"] for x in rep["dependents"]]
    outs = [os.path.join(fwd, "app")] + [os.path.join(fwd, l) for l in labels]
    mig = os.path.join(base, "migration")
    # The migration PTE parses and passes `alkit check --scope pte` ("n/a": no table data).
    if not os.path.isdir(mig):
        row["migrationPte"] = "n/a" if "no data-migration app written" in r.stderr else False
    else:
        row["migrationPte"] = run([a.alkit, "parse", mig]).returncode == 0 \
            and run([a.alkit, "check", mig, "--scope", "pte"]).returncode == 0
    # alkit parse of every output project
    row["alkitParseErrors"] = sum(run([a.alkit, "parse", o]).returncode != 0 for o in outs)
    # tree-sitter-al: errors in outputs vs inputs
    if a.ts_al:
        bad_in = sum(len(ts_errors(x) or []) for x in [d] + ds)
        bad_out = sum(len(ts_errors(o) or []) for o in outs)
        row.update(tsalErrorFilesIn=bad_in, tsalErrorFilesOut=bad_out)
    sbs = run([a.alkit, "side-by-side", d, os.path.join(fwd, "app")])
    row["sideBySideExit"] = sbs.returncode
    # old object names still spelled as identifiers (outside strings and comments)
    old = {e["oldName"].lower() for e in mp["mapping"] if e["kind"] == "object" and e["oldName"] != e["newName"]}
    new = {e["newName"].lower() for e in mp["mapping"]} | {e["oldName"].lower() for e in mp["mapping"] if e["oldName"] == e["newName"]}
    left = 0
    for o in outs:
        for pth, b in snapshot(o).items():
            if not pth.lower().endswith(".al"):
                continue
            t = b.decode("utf-8", "replace")
            t = re.sub(r"//[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", " ", t, flags=re.S)
            # Declarations are not references: object headers and xmlport/query node names.
            t = re.sub(r'(?im)^\s*(table|tableextension|page|pageextension|codeunit|report|reportextension|query|xmlport|enum|enumextension|permissionset|permissionsetextension|interface|profile|controladdin|entitlement)\b[^\n]*', " ", t)
            t = re.sub(r'(?i)\b(tableelement|textelement|fieldelement|fieldattribute|dataitem|column)\s*\(\s*"[^"\n]*"', " ", t)
            for m in re.finditer(r'"([^"\n]+)"', t):
                if m.group(1).lower() in old and m.group(1).lower() not in new:
                    left += 1
    row["oldNameTokensLeft"] = left
    # reverse
    rev_deps = ["--dependents", *outs[1:]] if len(outs) > 1 else []
    rr = run([a.alkit, "move", os.path.join(fwd, "app"), "--reverse", "--mapping",
              os.path.join(fwd, "app", "move-mapping.json"), "--symbols", os.path.join(a.corpus, "src"),
              "--allow-unresolved", "--out", os.path.join(back, "app"), *rev_deps])
    row["reverseExit"] = rr.returncode
    if rr.returncode == 0:
        diffs = 0
        # Forward labels follow the sorted dependent paths; the reverse keeps the labels.
        pairs = [(d, os.path.join(back, "app"))] + [(x, os.path.join(back, l)) for x, l in zip(sorted(ds), labels)]
        for src, dst in pairs:
            s1, s2 = snapshot(src), snapshot(dst)
            for k in ART:
                s2.pop(k, None)
            diffs += sum(1 for k in set(s1) | set(s2) if s1.get(k) != s2.get(k))
        row["reverseFilesDiffering"] = diffs
    else:
        row["reverseError"] = (rr.stderr or rr.stdout)[-2000:]
    results.append(row)
    print(json.dumps(row), flush=True)
json.dump(results, open(os.path.join(a.out, "results.json"), "w"), indent=1)
