#!/usr/bin/env python3
"""Symbols-only parity on a BCApps checkout: for every W1 app that depends on another W1 app,
`alkit refs DEPENDENT --stats` with the dependency given as its source folder and with it
given as the symbols-only package `alkit symbols pack` makes. Prints one line per pair and a
summary; the tables should be identical.

  scripts/symbols_parity.py BCAPPS_SRC --alkit BIN [--work DIR] [--limit N]

BCAPPS_SRC is the `src` folder of an extracted microsoft/BCApps. The dependency is copied to
--work without its logo (extracted corpora hold no images). Dependencies that keep modules in
nested projects (app.json below app.json) are reported and skipped: alkit pack, like move and
check, reads a project without its nested projects, so their symbols-only package is partial.
"""
import argparse, glob, json, os, re, shutil, subprocess, sys

MS = {"437dbf0e-84ff-417a-965d-ed2bb9650972", "63ca2fa4-4f03-4f2b-a480-172fef340d3f",
      "f3552374-a1f2-4356-848e-196002525837", "c1335042-3002-4257-bf8a-75c898ccb1b8"}

def load(path):
    try:
        return json.load(open(path, encoding="utf-8-sig"))
    except Exception:
        return None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("--alkit", required=True)
    ap.add_argument("--work", default="/tmp/symbols-parity")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    w1 = os.path.join(a.src, "Apps", "W1")
    apps = {}
    for f in glob.glob(os.path.join(w1, "**", "app.json"), recursive=True):
        j = load(f)
        if j and "id" in j:
            apps[j["id"].lower()] = (os.path.dirname(f), j)
    base = [os.path.join(a.src, p) for p in ("Layers/W1/BaseApp", "System Application/App", "Business Foundation/App")]
    pairs = []
    for _, (d, j) in sorted(apps.items(), key=lambda x: x[1][0]):
        if "test" in d.lower():
            continue
        deps = [(x.get("id") or x.get("appId", "")).lower() for x in j.get("dependencies", [])]
        for di in deps:
            if di in apps and di not in MS and "test" not in apps[di][0].lower():
                others = [apps[o][0] for o in deps if o in apps and o != di]
                pairs.append((apps[di][0], d, others))
    if a.limit:
        pairs = pairs[: a.limit]
    same = differ = skipped = 0
    os.makedirs(a.work, exist_ok=True)
    for dep, dependent, others in pairs:
        rel = lambda p: os.path.relpath(p, w1)
        nested = [f for f in glob.glob(os.path.join(dep, "**", "app.json"), recursive=True) if os.path.dirname(f) != dep]
        if nested:
            print(f"SKIP {rel(dep)} -> {rel(dependent)}: {len(nested)} nested projects")
            skipped += 1
            continue
        copy = os.path.join(a.work, "dep")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(dep, copy)
        aj = os.path.join(copy, "app.json")
        text = open(aj, encoding="utf-8-sig").read()
        open(aj, "w", encoding="utf-8").write(re.sub(r'"logo"\s*:\s*"[^"]*"\s*,?', "", text))
        out = os.path.join(a.work, "sym")
        shutil.rmtree(out, ignore_errors=True)
        r = subprocess.run([a.alkit, "symbols", "pack", copy, "--out", out + "/"], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"SKIP {rel(dep)}: symbols pack failed: {r.stderr.strip().splitlines()[-1:]}")
            skipped += 1
            continue
        pkg = glob.glob(os.path.join(out, "*.app"))[0]
        def stats(first):
            r = subprocess.run([a.alkit, "refs", dependent, "--symbols", first, *others, *base, "--stats", "-q"],
                               capture_output=True, text=True)
            return [l for l in r.stdout.splitlines() if not l.startswith("indexed")]
        s1, s2 = stats(dep), stats(pkg)
        tot = lambda s: (s[-1] if s else "").split()[1:]
        if s1 == s2:
            same += 1
            print(f"SAME {rel(dep)} -> {rel(dependent)}: resolved/unresolved {tot(s1)}")
        else:
            differ += 1
            print(f"DIFF {rel(dep)} -> {rel(dependent)}: source {tot(s1)} symbols {tot(s2)}")
            for l1, l2 in zip(s1, s2):
                if l1 != l2:
                    print(f"     {l1!r} vs {l2!r}")
    print(f"{same} identical, {differ} different, {skipped} skipped, of {len(pairs)} pairs")
    return 0 if differ == 0 else 1

if __name__ == "__main__":
    sys.exit(main())
