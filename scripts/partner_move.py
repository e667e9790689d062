#!/usr/bin/env python3
"""Moves every app of a PARTNER corpus (public non-Microsoft AL repositories, one folder per
repository: CORPUS/<owner>__<repo>/...) to an AppSource range with an affix, with its in-repo
dependents, and checks each move (issue #17, "Real partner code is the yardstick").

    scripts/partner_move.py CORPUS OUTDIR [--alkit PATH] [--ts-al PATH] [--repos a,b]
                            [--max-apps N] [--jobs N] [--skip-corpus-parse]

For each app (a folder with app.json and at least one .al file of its own):
  alkit move APP --to appsource --range 70000000..70099999 --affix XQZ --allow-unresolved
       --symbols <repo root> --dependents <in-repo apps that depend on it>
       --new-id --migration-pte OUT/mig --out OUT/fwd/app
then
  * files with syntax errors, input vs output, under alkit (`alkit parse`) and tree-sitter-al;
  * `alkit side-by-side` input vs output;
  * object IDs left outside the target range (and extension field / enum value IDs), old
    object IDs still in XML permission sets;
  * unresolved references before/after (`alkit refs --stats`, app and dependents);
  * the reverse move restores every byte of app and dependents (move-report.* and
    move-mapping.json left by the reverse are noted, not counted);
  * "possibly stale" entries of move-report.json and whether the console mentioned them;
  * old names of renamed symbols still spelled as identifiers (outside strings/comments),
    old enum ordinals in FromInteger()/AsInteger() comparisons, extension members
    declared without the affix;
  * the migration app parses (alkit and tree-sitter-al).
Also parses the whole input corpus and lists every file with syntax errors under either
parser. Nothing is written inside CORPUS. Prints a table and writes OUTDIR/results.json.
"""
import argparse, concurrent.futures as cf, glob, json, os, re, shutil, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("corpus"); p.add_argument("out")
p.add_argument("--alkit", default="target/release/alkit")
p.add_argument("--ts-al", default=None)
p.add_argument("--repos", default=None, help="comma-separated repo folder names (default: all)")
p.add_argument("--max-apps", type=int, default=0, help="at most N apps per repo (0: all)")
p.add_argument("--jobs", type=int, default=1)
p.add_argument("--skip-corpus-parse", action="store_true")
a = p.parse_args()

AFFIX, RANGE = "XQZ", (70000000, 70099999)
ART = {"move-mapping.json", "move-report.json", "move-report.md"}
SKIP_DIRS = {".git", ".alpackages", ".output", "output", ".snapshots"}
OBJ_RE = re.compile(r"(?im)^\s*(table|tableextension|page|pageextension|codeunit|report|reportextension|query|"
                    r"xmlport|enum|enumextension|permissionset|permissionsetextension)\s+(\d+)\b")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, errors="replace", **kw)


def load(path):
    t = open(path, encoding="utf-8-sig", errors="replace").read()
    return json.loads(re.sub(r"^\s*//.*$", "", t, flags=re.M))


def own_files(d):
    """Files of the project at d, not descending into nested projects."""
    out = {}
    for root, dirs, files in os.walk(d):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS
                         and not os.path.exists(os.path.join(root, x, "app.json")))
        for f in files:
            pth = os.path.join(root, f)
            out[os.path.relpath(pth, d)] = pth
    return out


def snapshot(d):
    return {k: open(v, "rb").read() for k, v in own_files(d).items()}


def al_files(d):
    return [v for k, v in sorted(own_files(d).items()) if k.lower().endswith(".al")]


def alkit_parse_errors(files):
    """Set of files alkit reports errors in (syntax or round trip), with the first message."""
    bad = {}
    for i in range(0, len(files), 200):
        r = run([a.alkit, "parse", *files[i:i + 200]])
        for line in (r.stdout + r.stderr).splitlines():
            m = re.match(r"^(.*?\.al):(\d+):(\d+): (.*)$", line, flags=re.I)
            if m and m.group(1) not in bad:
                bad[m.group(1)] = f"{m.group(2)}:{m.group(3)}: {m.group(4)}"
            elif line.startswith("round-trip") and ":" in line and ".al" in line:
                bad.setdefault(line.split(":")[1].strip(), "round-trip")
    return bad


def ts_parse_errors(files):
    if not a.ts_al or not files:
        return set()
    bad = set()
    for i in range(0, len(files), 200):
        r = run([a.ts_al, "--list-errors", *files[i:i + 200]])
        bad |= {l[len("error: "):].strip() for l in r.stdout.splitlines() if l.startswith("error: ")}
    return bad


def unresolved(d, symbols):
    r = run([a.alkit, "refs", d, "--symbols", *symbols, "--stats"])
    m = re.search(r"(?m)^total\s+(\d+)\s+(\d+)", r.stdout)
    return int(m.group(2)) if m else None


def strip_code(t):
    return re.sub(r"//[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", lambda m: re.sub(r"[^\n]", " ", m.group(0)), t, flags=re.S)


def in_range(n):
    return RANGE[0] <= n <= RANGE[1]


ANY_HDR = re.compile(r"(?im)^[ \t]*(tableextension|pageextension|reportextension|enumextension|table|page|codeunit|report|"
                     r"query|xmlport|enum|permissionset|permissionsetextension|interface|profile|controladdin|entitlement)\b")
MEMBER_RES = {
    "tableextension": [("field", r'\bfield\s*\(\s*\d+\s*;\s*("[^"\n]*"|\w+)'),
                       ("key", r'\bkey\s*\(\s*("[^"\n]*"|\w+)\s*;'),
                       ("fieldgroup", r'\bfieldgroup\s*\(\s*("[^"\n]*"|\w+)\s*;')],
    "pageextension": [("field", r'\bfield\s*\(\s*("[^"\n]*"|\w+)\s*;'),
                      ("group", r'\bgroup\s*\(\s*("[^"\n]*"|\w+)\s*\)'),
                      ("part", r'\bpart\s*\(\s*("[^"\n]*"|\w+)\s*;'),
                      ("action", r'\baction\s*\(\s*("[^"\n]*"|\w+)\s*\)')],
    "reportextension": [("column", r'\bcolumn\s*\(\s*("[^"\n]*"|\w+)\s*;'),
                        ("dataitem", r'\bdataitem\s*\(\s*("[^"\n]*"|\w+)\s*;'),
                        ("requestpage field", r'\bfield\s*\(\s*("[^"\n]*"|\w+)\s*;'),
                        ("requestpage group", r'\bgroup\s*\(\s*("[^"\n]*"|\w+)\s*\)')],
    "enumextension": [("value", r'\bvalue\s*\(\s*\d+\s*;\s*("[^"\n]*"|\w+)')],
}


def scan_output(outs, mp, old_obj_ids):
    """Old names left, old ordinals, old IDs, members without affix, odd names, XML perms."""
    old_names = {}
    for e in mp.get("mapping", []):
        if e.get("oldName") and e.get("newName") and e["oldName"] != e["newName"]:
            old_names.setdefault(e["oldName"].lower(), e)
    keep = {e["oldName"].lower() for e in mp.get("mapping", []) if e.get("oldName") == e.get("newName")}
    keep |= {e["newName"].lower() for e in mp.get("mapping", []) if e.get("newName")}
    old_vals = {e["oldId"]: e for e in mp.get("mapping", []) if e.get("kind") in ("value", "enumValue")
                and isinstance(e.get("oldId"), int) and e.get("oldId") != e.get("newId")}
    res = {"oldNameLeft": [], "oldOrdinal": [], "objIdsKept": [], "memberIdsKept": [], "noAffix": [],
           "oddNames": [], "xmlPermOldIds": 0}
    for o in outs:
        for rel, pth in own_files(o).items():
            low = rel.lower()
            if low.endswith(".xml"):
                t = open(pth, encoding="utf-8", errors="replace").read()
                res["xmlPermOldIds"] += sum(1 for m in re.finditer(r"<ObjectID>\s*(\d+)\s*</ObjectID>", t)
                                            if int(m.group(1)) in old_obj_ids)
                continue
            if not low.endswith(".al"):
                continue
            raw = open(pth, encoding="utf-8-sig", errors="replace").read()
            t = strip_code(raw)
            lines = raw.splitlines()
            for m in OBJ_RE.finditer(t):
                if not in_range(int(m.group(2))):
                    res["objIdsKept"].append(f"{os.path.basename(o)}/{rel}: {m.group(1)} {m.group(2)}")
            # old identifiers (declarations of objects excluded, as in corpus_move.py)
            t2 = re.sub(r'(?im)^[ \t]*(table|tableextension|page|pageextension|codeunit|report|reportextension|query|xmlport|enum|enumextension|permissionset|permissionsetextension|interface|profile|controladdin|entitlement)\b[^\n]*', lambda m: " " * len(m.group(0)), t)
            # names declared in this file (dataitems, xmlport nodes, query columns) are not references
            local = {m.group(2).strip('"').lower() for m in re.finditer(r'(?i)\b(dataitem|tableelement|textelement|fieldelement|fieldattribute|column)\s*\(\s*("[^"\n]*"|\w+)', t2)}
            for m in re.finditer(r'"([^"\n]+)"|(?<![\w"])([A-Za-z_]\w*)(?![\w"])', t2):
                nm = (m.group(1) or m.group(2))
                if m.group(2) and len(nm) < 4:
                    continue
                e = old_names.get(nm.lower())
                if e and nm.lower() not in keep and nm.lower() not in local and (m.group(1) or e.get("kind") == "object"):
                    ln = t2.count("\n", 0, m.start())
                    res["oldNameLeft"].append({"at": f"{os.path.basename(o)}/{rel}:{ln + 1}", "old": nm,
                                               "kind": e.get("kind"), "line": lines[ln].strip()[:200]})
            for m in re.finditer(r'(?i)FromInteger\s*\(\s*(\d+)\s*\)|AsInteger\s*\(\s*\)\s*(?:=|<>|<|>|<=|>=)\s*(\d+)', t):
                n = int(m.group(1) or m.group(2))
                if n in old_vals:
                    ln = t.count("\n", 0, m.start())
                    res["oldOrdinal"].append(f"{os.path.basename(o)}/{rel}:{ln + 1}: {lines[ln].strip()[:160]}")
            # extension objects: member IDs and affixes
            hdrs = list(ANY_HDR.finditer(t))
            for i, h in enumerate(hdrs):
                body = t[h.start(): hdrs[i + 1].start() if i + 1 < len(hdrs) else len(t)]
                kind = h.group(1).lower()
                if kind not in MEMBER_RES:
                    continue
                for m in re.finditer(r'(?i)\b(field|value)\s*\(\s*(\d+)\s*;', body):
                    if kind in ("tableextension", "enumextension") and not in_range(int(m.group(2))):
                        res["memberIdsKept"].append(f"{rel}: {kind} {m.group(1)} {m.group(2)}")
                if kind == "reportextension":
                    rp = re.search(r'(?i)\brequestpage\b', body)
                    parts = [("dataset", body[: rp.start()] if rp else body), ("requestpage", body[rp.start():] if rp else "")]
                else:
                    parts = [("", body)]
                for where, seg in parts:
                    for cat, rx in MEMBER_RES[kind]:
                        if kind == "reportextension" and (cat.startswith("requestpage") != (where == "requestpage")):
                            continue
                        for m in re.finditer("(?i)" + rx, seg):
                            nm = m.group(1).strip('"')
                            if AFFIX.lower() not in nm.lower():
                                res["noAffix"].append(f"{rel}: {kind} {cat} {nm!r}")
            for m in re.finditer(r'"([^"\n]*' + AFFIX + r'[^"\n]*)"', t, flags=re.I):
                nm = m.group(1)
                if nm != nm.strip() or "  " in nm:
                    res["oddNames"].append(f"{rel}: {nm!r}")
    return res


def discover(repo_dir):
    apps = {}
    for f in glob.glob(os.path.join(glob.escape(repo_dir), "**/app.json"), recursive=True):
        if any(s in f.split(os.sep) for s in SKIP_DIRS):
            continue
        try:
            j = load(f)
        except Exception as ex:
            print(f"skip {f}: {ex}", file=sys.stderr); continue
        if not isinstance(j, dict) or "id" not in j:
            continue
        d = os.path.dirname(f)
        deps = [str(x.get("id", x.get("appId", ""))).lower() for x in j.get("dependencies", []) or []]
        apps[d] = {"dir": d, "id": j["id"].lower(), "name": j.get("name", "?"), "deps": deps,
                   "files": len(al_files(d)), "publisher": j.get("publisher", "")}
    byid = {}
    for d, x in apps.items():
        byid.setdefault(x["id"], []).append(d)
    for d, x in apps.items():
        x["dependents"] = sorted(e for e, y in apps.items() if x["id"] in y["deps"] and e != d)
    return apps, byid


def move_one(repo, root, x, base):
    d, ds = x["dir"], x["dependents"]
    fwd, rev, mig = os.path.join(base, "fwd"), os.path.join(base, "rev"), os.path.join(base, "mig")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    row = {"repo": repo, "app": x["name"], "dir": os.path.relpath(d, a.corpus), "files": x["files"],
           "dependents": [os.path.relpath(e, root) for e in ds]}
    dep_args = ["--dependents", *ds] if ds else []
    t0 = time.time()
    r = run([a.alkit, "move", d, "--to", "appsource", "--range", f"{RANGE[0]}..{RANGE[1]}", "--affix", AFFIX,
             "--allow-unresolved", "--accept-stale", "--new-id", "--symbols", root, *dep_args, "--migration-pte", mig,
             "--out", os.path.join(fwd, "app"), "--report", os.path.join(base, "report.json")])
    row["seconds"] = round(time.time() - t0, 2)
    row["moveExit"] = r.returncode
    console = r.stdout + r.stderr
    open(os.path.join(base, "move.console.txt"), "w").write(console)
    row["moved"] = r.returncode == 0 and os.path.exists(os.path.join(fwd, "app", "move-report.json"))
    if not row["moved"]:
        row["error"] = "\n".join(l for l in console.splitlines() if "note: dependency" not in l)[-1500:]
        if os.path.exists(os.path.join(base, "report.json")):
            try:
                row["sideBySideDetail"] = json.load(open(os.path.join(base, "report.json"))).get("sideBySide")
            except Exception:
                pass
        # A move refused only because no migration app can be made: go on without one, so the
        # other checks still run ("moved" stays False for the table).
        if "no data-migration app can be made" not in console:
            return row
        shutil.rmtree(fwd, ignore_errors=True)
        r = run([a.alkit, "move", d, "--to", "appsource", "--range", f"{RANGE[0]}..{RANGE[1]}", "--affix", AFFIX,
                 "--allow-unresolved", "--accept-stale", "--symbols", root, *dep_args, "--out", os.path.join(fwd, "app")])
        row["exitWithoutMigration"] = r.returncode
        console = r.stdout + r.stderr
        open(os.path.join(base, "move-nomig.console.txt"), "w").write(console)
        if r.returncode != 0 or not os.path.exists(os.path.join(fwd, "app", "move-report.json")):
            return row
    rep = json.load(open(os.path.join(fwd, "app", "move-report.json")))
    mp = json.load(open(os.path.join(fwd, "app", "move-mapping.json")))
    row.update(renumbered=len(rep.get("renumbered", [])), renamed=len(rep.get("renamed", [])),
               edits=rep.get("edits"), verification=rep.get("verification", {}).get("method"),
               unresolvedInReport=len(rep.get("unresolved", [])))
    stale = rep.get("possiblyStale", [])
    row["stale"] = len(stale)
    row["staleOnConsole"] = bool(re.search(r"stale", console, re.I))
    row["staleSamples"] = stale[:5]
    row["updatedByName"] = len(rep.get("updatedByName", []))
    labels = [dd.get("label") for dd in rep.get("dependents", [])]
    dep_srcs = [dd.get("path") or dd.get("dir") or dd.get("source") for dd in rep.get("dependents", [])]
    if not all(dep_srcs):
        dep_srcs = sorted(ds)
    outs = [os.path.join(fwd, "app")] + [os.path.join(fwd, l) for l in labels]
    ins = [d] + list(dep_srcs)
    # parse: input vs output, both parsers
    pin, pout = [], []
    for i_dir, o_dir in zip(ins, outs):
        pin += al_files(i_dir); pout += al_files(o_dir)
    ain, aout = alkit_parse_errors(pin), alkit_parse_errors(pout)
    tin, tout = ts_parse_errors(pin), ts_parse_errors(pout)
    row.update(alkitErrIn=len(ain), alkitErrOut=len(aout), tsErrIn=len(tin), tsErrOut=len(tout))
    row["alkitOutErrors"] = dict(list(aout.items())[:10])
    if len(tout) > len(tin):
        row["tsNewErrorFiles"] = sorted(os.path.relpath(f, base) for f in tout)[:20]
    # side by side
    sbs = run([a.alkit, "side-by-side", d, os.path.join(fwd, "app"), "--json"])
    row["sideBySideExit"] = sbs.returncode
    try:
        sj = json.loads(sbs.stdout)
        row["sideBySide"] = "clean" if sj.get("possible", sbs.returncode == 0) else "clash"
        if not sj.get("possible", True):
            row["sideBySideDetail"] = json.dumps(sj)[:1500]
    except Exception:
        row["sideBySide"] = "clean" if sbs.returncode == 0 else "error"
        row["sideBySideDetail"] = (sbs.stdout + sbs.stderr)[-1500:]
    # old ids, old names, affixes
    old_obj_ids = {e["oldId"] for e in mp.get("mapping", []) if e.get("kind") == "object"
                   and e.get("oldId") != e.get("newId")}
    sc = scan_output(outs[:1], mp, old_obj_ids)
    scd = scan_output(outs[1:], mp, old_obj_ids) if len(outs) > 1 else None
    row["idsKept"] = len(sc["objIdsKept"])
    row["idsKeptSamples"] = sc["objIdsKept"][:10]
    row["memberIdsKept"] = len(sc["memberIdsKept"])
    row["memberIdsKeptSamples"] = sc["memberIdsKept"][:10]
    row["xmlPermOldIds"] = sc["xmlPermOldIds"] + (scd["xmlPermOldIds"] if scd else 0)
    row["oldNameLeft"] = len(sc["oldNameLeft"]) + (len(scd["oldNameLeft"]) if scd else 0)
    row["oldNameLeftSamples"] = (sc["oldNameLeft"] + (scd["oldNameLeft"] if scd else []))[:25]
    row["oldOrdinal"] = sc["oldOrdinal"] + (scd["oldOrdinal"] if scd else [])
    row["noAffix"] = len(sc["noAffix"])
    row["noAffixSamples"] = sc["noAffix"][:25]
    row["oddNames"] = sc["oddNames"][:10]
    # unresolved references, before and after (app + dependents)
    ub = [unresolved(x_, [root]) for x_ in ins]
    ua = [unresolved(o_, [fwd, root]) for o_ in outs]
    row["unresolvedBefore"], row["unresolvedAfter"] = ub, ua
    row["newUnresolved"] = (sum(v or 0 for v in ua) - sum(v or 0 for v in ub)) if None not in ub + ua else None
    # migration app
    if os.path.isdir(mig):
        mf = al_files(mig)
        row["migration"] = "ok" if not alkit_parse_errors(mf) and not ts_parse_errors(mf) else "parse-errors"
        row["migrationFiles"] = len(mf)
    else:
        row["migration"] = "none"
    # reverse
    rev_deps = ["--dependents", *outs[1:]] if len(outs) > 1 else []
    rr = run([a.alkit, "move", os.path.join(fwd, "app"), "--reverse", "--mapping",
              os.path.join(fwd, "app", "move-mapping.json"), "--symbols", root, "--allow-unresolved",
              "--out", os.path.join(rev, "app"), *rev_deps])
    row["reverseExit"] = rr.returncode
    if rr.returncode == 0:
        diffs, left_art, samples = 0, set(), []
        pairs = [(d, os.path.join(rev, "app"))] + [(s, os.path.join(rev, l)) for s, l in zip(dep_srcs, labels)]
        for src, dst in pairs:
            s1, s2 = snapshot(src), snapshot(dst)
            for k in ART:
                if k in s2 and k not in s1:
                    left_art.add(k); s2.pop(k)
            dk = sorted(k for k in set(s1) | set(s2) if s1.get(k) != s2.get(k))
            diffs += len(dk)
            samples += [os.path.relpath(os.path.join(dst, k), base) for k in dk[:5]]
        row["reverseFilesDiffering"] = diffs
        row["reverseDiffSamples"] = samples[:10]
        row["reverseLeavesArtifacts"] = sorted(left_art)
    else:
        row["reverseError"] = (rr.stderr or rr.stdout)[-1500:]
    return row


def corpus_parse(repos):
    out = []
    for repo in repos:
        root = os.path.join(a.corpus, repo)
        files = []
        for r_, dirs, fs in os.walk(root):
            dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
            files += [os.path.join(r_, f) for f in fs if f.lower().endswith(".al")]
        files.sort()
        ab, tb = alkit_parse_errors(files), ts_parse_errors(files)
        for f in sorted(set(ab) | tb):
            out.append({"repo": repo, "file": os.path.relpath(f, root), "alkit": ab.get(f),
                        "tsal": f in tb,
                        "class": "both" if f in ab and f in tb else ("alkit-only" if f in ab else "tsal-only")})
        print(f"corpus parse {repo}: {len(files)} files, alkit errors {len(ab)}, ts-al errors {len(tb)}", flush=True)
    return out


def main():
    repos = sorted(x for x in os.listdir(a.corpus) if os.path.isdir(os.path.join(a.corpus, x)))
    if a.repos:
        repos = [r for r in repos if r in a.repos.split(",")]
    os.makedirs(a.out, exist_ok=True)
    inventory, jobs = [], []
    for repo in repos:
        root = os.path.join(a.corpus, repo)
        apps, byid = discover(root)
        pairs = [(apps[e]["name"], x["name"]) for x in apps.values() for e in x["dependents"]]
        inventory.append({"repo": repo, "apps": len(apps), "appsWithAl": sum(1 for x in apps.values() if x["files"]),
                          "alFiles": sum(x["files"] for x in apps.values()), "dependencyPairs": pairs,
                          "duplicateIds": {k: [os.path.relpath(v, root) for v in vs] for k, vs in byid.items() if len(vs) > 1}})
        chosen = sorted((x for x in apps.values() if x["files"]), key=lambda x: x["dir"])
        if a.max_apps:
            chosen = chosen[: a.max_apps]
        for n, x in enumerate(chosen):
            slug = re.sub(r"[^A-Za-z0-9]+", "-", x["name"]).strip("-")[:40]
            jobs.append((repo, root, x, os.path.join(a.out, repo, f"{n:03d}-{slug}")))
    json.dump(inventory, open(os.path.join(a.out, "inventory.json"), "w"), indent=1)
    results = []
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        futs = {ex.submit(move_one, *j): j for j in jobs}
        for f in cf.as_completed(futs):
            try:
                row = f.result()
            except Exception as e:
                j = futs[f]
                row = {"repo": j[0], "app": j[2]["name"], "dir": j[2]["dir"], "crash": repr(e)}
            results.append(row)
            print(json.dumps({k: row.get(k) for k in ("repo", "app", "moveExit", "alkitErrIn", "alkitErrOut",
                                                       "tsErrIn", "tsErrOut", "sideBySide", "idsKept",
                                                       "newUnresolved", "reverseFilesDiffering", "stale")}), flush=True)
    results.sort(key=lambda r: (r["repo"], r.get("dir", "")))
    cp = [] if a.skip_corpus_parse else corpus_parse(repos)
    json.dump({"inventory": inventory, "results": results, "corpusParseErrors": cp},
              open(os.path.join(a.out, "results.json"), "w"), indent=1)
    hdr = ["repo/app", "files", "moved", "exit", "alkErr in/out", "tsErr in/out", "sbs", "idsKept",
           "memIdsKept", "newUnres", "revDiff", "stale(cons)", "oldNames", "noAffix", "mig"]
    print(" | ".join(hdr))
    for r in results:
        print(" | ".join(str(v) for v in [
            f"{r['repo'].split('__')[-1]}/{r.get('app')}", r.get("files"), r.get("moved"), r.get("moveExit"),
            f"{r.get('alkitErrIn')}/{r.get('alkitErrOut')}", f"{r.get('tsErrIn')}/{r.get('tsErrOut')}",
            r.get("sideBySide"), r.get("idsKept"), r.get("memberIdsKept"), r.get("newUnresolved"),
            r.get("reverseFilesDiffering", r.get("reverseExit")),
            f"{r.get('stale')}({'y' if r.get('staleOnConsole') else 'n'})", r.get("oldNameLeft"),
            r.get("noAffix"), r.get("migration")]))


if __name__ == "__main__":
    main()
