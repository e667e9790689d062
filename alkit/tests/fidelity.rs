//! Fidelity against the real AL compiler: every compiler-made package in `$ALKIT_REAL_APPS`
//! that carries AL source is extracted with `alkit extract`, rebuilt with `alkit pack`, and its
//! `NavxManifest.xml` and `SymbolReference.json` are compared with the rebuilt ones object by
//! object, field by field. Prints a match table and the kinds of mismatch (one example each);
//! fails when a package's match rate falls below the thresholds measured and stored below.
//!
//! Skipped (with a note) when `ALKIT_REAL_APPS` is not set: the packages are not redistributable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::alkit;
use runtime_pack::{Package, SymbolObject, SymbolReference, TypeDefinition};

/// Minimum match rates in percent, measured on the compiler-made test packages:
/// (file name prefix, objects, fields, methods, manifest attributes).
/// Measured 2026-11-21 (see the mismatch kinds printed by the test for what is left).
const THRESHOLDS: &[(&str, f64, f64, f64, f64)] = &[
    ("Default publisher_Al_1.0.0.0", 100.0, 100.0, 100.0, 100.0),
    // BC 11 compiler (no runtime, platform 11): `Type` text instead of `TypeDefinition`, no
    // ReferenceSourceFileName; alkit writes that layout for platform ≤ 11 without runtime.
    ("GetAddress_2e8f77a", 100.0, 100.0, 100.0, 100.0),
    ("GetAddress_339de00", 100.0, 100.0, 100.0, 100.0),
    (
        "Microsoft_Business Foundation_24",
        100.0,
        100.0,
        100.0,
        94.5,
    ),
    ("Microsoft_System_24", 100.0, 100.0, 100.0, 93.3),
    // TargetObject carries `#<base app id>#` from compiler 16 on.
    ("SECore27", 16.2, 100.0, 100.0, 93.3),
    // BC 11 layout too, but its manifest has no Platform: not recognisable as BC 11.
    ("System11", 0.0, 0.0, 100.0, 100.0),
    ("System19", 97.3, 100.0, 82.6, 100.0),
];

/// Matched / total counter.
#[derive(Default, Clone, Copy)]
struct Ratio {
    ok: usize,
    all: usize,
}

impl Ratio {
    fn add(&mut self, ok: bool) {
        self.all += 1;
        if ok {
            self.ok += 1;
        }
    }
    fn pct(self) -> f64 {
        if self.all == 0 {
            100.0
        } else {
            self.ok as f64 * 100.0 / self.all as f64
        }
    }
    fn show(self) -> String {
        format!("{}/{} ({:.1}%)", self.ok, self.all, self.pct())
    }
}

#[derive(Default)]
struct Score {
    objects: Ratio,
    fields: Ratio,
    keys: Ratio,
    values: Ratio,
    methods: Ratio,
    manifest: Ratio,
    /// Mismatch kind -> (count, one example).
    kinds: BTreeMap<String, (usize, String)>,
}

impl Score {
    fn miss(&mut self, kind: &str, example: String) {
        let e = self
            .kinds
            .entry(kind.to_owned())
            .or_insert_with(|| (0, example));
        e.0 += 1;
    }
}

/// Start tags with their attributes: key `Tag#n.attr` (n = occurrence of that tag).
fn xml_attrs(xml: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with(['?', '!', '/']) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        let n = seen.entry(name.to_owned()).or_default();
        *n += 1;
        let idx = *n;
        let mut a = &tag[name_end..];
        while let Some(eq) = a.find("=\"") {
            let key = a[..eq].trim().trim_start_matches('/').trim();
            let after = &a[eq + 2..];
            let Some(close) = after.find('"') else { break };
            out.insert(format!("{name}#{idx}.{key}"), after[..close].to_owned());
            a = &after[close + 1..];
        }
        rest = &rest[end..];
    }
    out
}

fn ty(t: &Option<TypeDefinition>) -> String {
    t.as_ref().map(|t| t.name.clone()).unwrap_or_default()
}

/// A type as the file states it: `TypeDefinition.Name`, else the BC 11 text under `key`
/// (`"Type"`, `"ReturnType"`) in the unmodelled keys.
fn ty_or_text(
    t: &Option<TypeDefinition>,
    extra: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> String {
    match t {
        Some(t) => t.name.clone(),
        None => extra
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned(),
    }
}

fn compare_object(kind: &str, a: &SymbolObject, b: &SymbolObject, s: &mut Score) {
    let label = format!("{kind} {} \"{}\"", a.id, a.name);
    let mut ok = true;
    if a.id != b.id || a.name != b.name {
        ok = false;
        s.miss(
            "object id/name",
            format!("{label}: rebuilt {} \"{}\"", b.id, b.name),
        );
    }
    // `alkit extract` writes `src/<path>` entries at `<path>`, so the rebuilt project-relative
    // paths are the compiler's.
    let rebuilt_rsfn = b.reference_source_file_name.clone();
    if a.reference_source_file_name != rebuilt_rsfn {
        ok = false;
        s.miss(
            "object ReferenceSourceFileName",
            format!(
                "{label}: {:?} vs rebuilt {:?}",
                a.reference_source_file_name, rebuilt_rsfn
            ),
        );
    }
    if a.target_object != b.target_object {
        ok = false;
        s.miss(
            "object TargetObject",
            format!(
                "{label}: {:?} vs rebuilt {:?}",
                a.target_object, b.target_object
            ),
        );
    }
    s.objects.add(ok);

    let bf = b.fields.as_deref().unwrap_or_default();
    for f in a.fields.as_deref().unwrap_or_default() {
        let found = bf.iter().find(|g| g.id == f.id);
        let good = match found {
            None => {
                s.miss(
                    "field missing",
                    format!("{label} field {} \"{}\"", f.id, f.name),
                );
                false
            }
            Some(g) if g.name != f.name => {
                s.miss(
                    "field name",
                    format!(
                        "{label} field {}: \"{}\" vs rebuilt \"{}\"",
                        f.id, f.name, g.name
                    ),
                );
                false
            }
            Some(g)
                if ty(&f.type_definition) != ty(&g.type_definition)
                    || f.type_text != g.type_text =>
            {
                s.miss(
                    "field type",
                    format!(
                        "{label} field \"{}\": {:?}/{:?} vs rebuilt {:?}/{:?}",
                        f.name,
                        ty(&f.type_definition),
                        f.type_text,
                        ty(&g.type_definition),
                        g.type_text
                    ),
                );
                false
            }
            Some(_) => true,
        };
        s.fields.add(good);
    }

    let bk = b.keys.as_deref().unwrap_or_default();
    for (i, k) in a.keys.as_deref().unwrap_or_default().iter().enumerate() {
        let good = match bk.get(i) {
            None => {
                s.miss("key missing", format!("{label} key \"{}\"", k.name));
                false
            }
            Some(g) if g.name != k.name => {
                s.miss(
                    "key name",
                    format!("{label} key {i}: \"{}\" vs rebuilt \"{}\"", k.name, g.name),
                );
                false
            }
            Some(g) if g.field_names != k.field_names => {
                s.miss(
                    "key field names",
                    format!(
                        "{label} key \"{}\": {:?} vs rebuilt {:?}",
                        k.name, k.field_names, g.field_names
                    ),
                );
                false
            }
            Some(_) => true,
        };
        s.keys.add(good);
    }

    let bv = b.values.as_deref().unwrap_or_default();
    for v in a.values.as_deref().unwrap_or_default() {
        let good = bv
            .iter()
            .any(|w| w.ordinal == v.ordinal && w.name == v.name);
        if !good {
            s.miss(
                "enum value",
                format!("{label} value {} \"{}\"", v.ordinal, v.name),
            );
        }
        s.values.add(good);
    }

    // Methods: the n-th method of a name matches the n-th rebuilt one (overloads).
    let bm = b.methods.as_deref().unwrap_or_default();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for m in a.methods.as_deref().unwrap_or_default() {
        let n = used.entry(m.name.to_lowercase()).or_default();
        let found = bm
            .iter()
            .filter(|x| x.name.eq_ignore_ascii_case(&m.name))
            .nth(*n);
        *n += 1;
        let mlabel = format!("{label} method {}", m.name);
        let good = match found {
            None => {
                s.miss("method missing", mlabel);
                false
            }
            Some(x) if x.name != m.name => {
                s.miss(
                    "method name case",
                    format!("{mlabel} vs rebuilt {}", x.name),
                );
                false
            }
            Some(x) => {
                let pa = m.parameters.as_deref().unwrap_or_default();
                let pb = x.parameters.as_deref().unwrap_or_default();
                let mut good = true;
                if pa.len() != pb.len() {
                    s.miss(
                        "method parameter count",
                        format!("{mlabel}: {} vs rebuilt {}", pa.len(), pb.len()),
                    );
                    good = false;
                } else {
                    for (p, q) in pa.iter().zip(pb) {
                        if p.name != q.name {
                            s.miss(
                                "parameter name",
                                format!("{mlabel}: {} vs rebuilt {}", p.name, q.name),
                            );
                            good = false;
                        } else if ty_or_text(&p.type_definition, &p.extra, "Type")
                            != ty_or_text(&q.type_definition, &q.extra, "Type")
                        {
                            s.miss(
                                "parameter type",
                                format!(
                                    "{mlabel}({}): {} vs rebuilt {}",
                                    p.name,
                                    ty_or_text(&p.type_definition, &p.extra, "Type"),
                                    ty_or_text(&q.type_definition, &q.extra, "Type")
                                ),
                            );
                            good = false;
                        } else if p.is_var.unwrap_or(false) != q.is_var.unwrap_or(false) {
                            s.miss(
                                "parameter IsVar",
                                format!(
                                    "{mlabel}({}): {:?} vs rebuilt {:?}",
                                    p.name, p.is_var, q.is_var
                                ),
                            );
                            good = false;
                        }
                    }
                }
                let (ra, rb) = (
                    ty_or_text(&m.return_type_definition, &m.extra, "ReturnType"),
                    ty_or_text(&x.return_type_definition, &x.extra, "ReturnType"),
                );
                if ra != rb {
                    s.miss("return type", format!("{mlabel}: {ra:?} vs rebuilt {rb:?}"));
                    good = false;
                }
                good
            }
        };
        s.methods.add(good);
    }
}

fn compare_symbols(a: &SymbolReference, b: &SymbolReference, s: &mut Score) {
    let rebuilt = b.objects();
    for o in a.objects() {
        let kind = o.kind.array_name();
        let found = rebuilt
            .iter()
            .find(|r| r.kind == o.kind && o.object.id != 0 && r.object.id == o.object.id)
            .or_else(|| {
                rebuilt
                    .iter()
                    .find(|r| r.kind == o.kind && r.object.name == o.object.name)
            });
        match found {
            Some(r) => compare_object(kind, o.object, r.object, s),
            None => {
                s.miss(
                    "object missing",
                    format!("{kind} {} \"{}\"", o.object.id, o.object.name),
                );
                s.objects.add(false);
                let empty = SymbolObject {
                    id: o.object.id,
                    name: o.object.name.clone(),
                    reference_source_file_name: None,
                    target_object: None,
                    fields: None,
                    keys: None,
                    values: None,
                    methods: None,
                    properties: None,
                    extra: Default::default(),
                };
                // Count the missing object's members as unmatched.
                let mut tmp = Score::default();
                compare_object(kind, o.object, &empty, &mut tmp);
                s.fields.all += tmp.fields.all;
                s.keys.all += tmp.keys.all;
                s.values.all += tmp.values.all;
                s.methods.all += tmp.methods.all;
            }
        }
    }
}

fn compare_manifest(a: &str, b: &str, s: &mut Score) {
    let ma = xml_attrs(a);
    let mb = xml_attrs(b);
    for (k, v) in &ma {
        let good = mb.get(k) == Some(v);
        if !good {
            let kind = format!("manifest {}", k.split('#').next().unwrap_or(k));
            let tail = k.split('.').next_back().unwrap_or(k);
            s.miss(
                &format!("{kind}.{tail}"),
                format!("{k}: {v:?} vs rebuilt {:?}", mb.get(k)),
            );
        }
        s.manifest.add(good);
    }
}

fn rebuild(app: &Path, work: &Path) -> PathBuf {
    let dir = work.join("src-tree");
    let out = work.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let r = alkit(&["extract", app.to_str().unwrap(), dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "extract {}: {}", app.display(), r.stderr);
    // Generated by `pack`: drop the compiler's copies so nothing is reused.
    for f in [
        "SymbolReference.json",
        "NavxManifest.xml",
        "[Content_Types].xml",
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let r = alkit(&[
        "pack",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "pack {}: {}", app.display(), r.stderr);
    std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "app"))
        .expect("pack wrote an .app")
}

#[test]
fn rebuilt_packages_match_the_compiler() {
    let Some(root) = std::env::var_os("ALKIT_REAL_APPS") else {
        eprintln!("skipped: set ALKIT_REAL_APPS to a folder of compiler-made .app files");
        return;
    };
    let mut apps: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "app"))
        .collect();
    apps.sort();
    let work_root = std::env::temp_dir().join(format!("alkit-fidelity-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for (n, app) in apps.iter().enumerate() {
        let Ok(bytes) = std::fs::read(app) else {
            continue;
        };
        let Ok(pkg) = Package::read(&bytes) else {
            continue;
        };
        let orig = pkg.app_package();
        if orig.source_files().next().is_none() {
            continue;
        }
        let file = app.file_name().unwrap().to_string_lossy().into_owned();
        let work = work_root.join(n.to_string());
        let built_path = rebuild(app, &work);
        let built_bytes = std::fs::read(&built_path).unwrap();
        let built = Package::read(&built_bytes).expect("rebuilt package reads");
        let mut s = Score::default();
        let (Some(sa), Some(sb)) = (
            orig.symbol_reference().ok().flatten(),
            built.symbol_reference().ok().flatten(),
        ) else {
            panic!("{file}: SymbolReference.json missing or unreadable");
        };
        compare_symbols(&sa, &sb, &mut s);
        compare_manifest(
            &orig.manifest_xml().unwrap_or_default(),
            &built.manifest_xml().unwrap_or_default(),
            &mut s,
        );
        table.push(format!(
            "{file}\n  objects {}  fields {}  keys {}  enum values {}  methods {}  manifest {}",
            s.objects.show(),
            s.fields.show(),
            s.keys.show(),
            s.values.show(),
            s.methods.show(),
            s.manifest.show()
        ));
        for (k, (c, ex)) in &s.kinds {
            table.push(format!("    {c:>5} × {k}: e.g. {ex}"));
        }
        if let Some(&(_, o, f, m, x)) = THRESHOLDS.iter().find(|t| file.starts_with(t.0)) {
            let got = [
                s.objects.pct(),
                s.fields.pct(),
                s.methods.pct(),
                s.manifest.pct(),
            ];
            for (what, (g, min)) in ["objects", "fields", "methods", "manifest"]
                .iter()
                .zip(got.iter().zip([o, f, m, x]))
            {
                if *g + 1e-9 < min {
                    failures.push(format!("{file}: {what} {g:.1}% < {min:.1}%"));
                }
            }
        } else {
            table.push(format!(
                "    (no stored threshold for {file}: reported only)"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&work_root);
    println!("{}", table.join("\n"));
    assert!(
        failures.is_empty(),
        "below thresholds:\n{}",
        failures.join("\n")
    );
}
