#![allow(clippy::unwrap_used, clippy::panic)]
//! `runtime_pack::nuget`: nupkg checks, `.app` selection by country, resolution over an
//! in-memory source (minimums, re-selection, lock file, nuspec mismatch).

use runtime_pack::nuget::*;
use runtime_pack::{ReadLimits, fixtures};

fn spec(id: &str, v: &str, deps: &[(&str, &str)]) -> Nuspec {
    Nuspec {
        id: id.into(),
        version: v.parse().unwrap(),
        dependencies: deps
            .iter()
            .map(|(i, r)| NuspecDependency {
                id: (*i).into(),
                range: r.parse().unwrap(),
            })
            .collect(),
    }
}

fn app(name: &str) -> Vec<u8> {
    fixtures::normal_package(uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), name)
}

#[test]
fn nupkg_checks() {
    let limits = ReadLimits::default();
    let a = app("A");
    // Apps at the root and in a country folder; deeper ones and other files ignored.
    let z = write_nupkg(
        &spec("P.A", "1.0", &[]),
        &[
            ("A.app", &a),
            ("dk/A.app", &a),
            ("x/y/A.app", &a),
            ("tools/install.ps1", b"rm -rf /"),
        ],
    );
    let n = Nupkg::read(&z, &limits).unwrap();
    assert_eq!(n.apps.len(), 2);
    assert_eq!(n.apps_for(Some("DK"))[0].country.as_deref(), Some("dk"));
    assert_eq!(n.apps_for(Some("de"))[0].country, None);
    assert_eq!(n.apps_for(None)[0].file_name, "A.app");
    for (entries, what) in [
        (vec![("../A.app", a.as_slice())], "traversal"),
        (vec![("/abs.app", a.as_slice())], "absolute"),
        (vec![("C:/x.app", a.as_slice())], "drive"),
        (vec![("a\\..\\b.app", a.as_slice())], "backslash"),
        (vec![("A.app", b"not a package".as_slice())], "bad app"),
        (vec![("x.nuspec", b"<package/>".as_slice())], "two nuspecs"),
        (
            vec![("A.app", a.as_slice()), ("a.APP", a.as_slice())],
            "duplicate",
        ),
    ] {
        let z = write_nupkg(&spec("P.A", "1.0", &[]), &entries);
        assert!(Nupkg::read(&z, &limits).is_err(), "{what}");
    }
    let z = write_nupkg(
        &spec("P.A", "1.0", &[]),
        &[("big.app", &vec![0u8; 4 << 20])],
    );
    let mut small = ReadLimits::default();
    small.max_total_size = 1 << 20;
    assert!(matches!(Nupkg::read(&z, &small), Err(NuGetError::Zip(_))));
    assert!(Nupkg::read(b"PK\x03\x04 truncated", &limits).is_err());
    assert!(Nupkg::read(&fixtures::zip_raw(&[("a.txt", b"x")]), &limits).is_err());
}

/// An in-memory feed: (id, version, nupkg).
struct Mem {
    name: &'static str,
    packages: Vec<(String, NuGetVersion, Vec<u8>)>,
    downloads: Vec<String>,
}

impl Mem {
    fn new(name: &'static str, specs: &[Nuspec]) -> Self {
        Self {
            name,
            packages: specs
                .iter()
                .map(|s| (s.id.clone(), s.version.clone(), write_nupkg(s, &[])))
                .collect(),
            downloads: Vec::new(),
        }
    }
}

impl PackageSource for Mem {
    fn name(&self) -> String {
        self.name.into()
    }
    fn versions(&mut self, id: &str) -> Result<Option<Vec<NuGetVersion>>, SourceError> {
        let v: Vec<_> = self
            .packages
            .iter()
            .filter(|p| p.0.eq_ignore_ascii_case(id))
            .map(|p| p.1.clone())
            .collect();
        Ok((!v.is_empty()).then_some(v))
    }
    fn download(&mut self, id: &str, v: &NuGetVersion) -> Result<Vec<u8>, SourceError> {
        self.downloads.push(format!("{id} {v}"));
        self.packages
            .iter()
            .find(|p| p.0.eq_ignore_ascii_case(id) && p.1 == *v)
            .map(|p| p.2.clone())
            .ok_or_else(|| SourceError::NotFound(format!("{id} {v}")))
    }
}

const X: &str = "11111111-1111-1111-1111-111111111111";
const Y: &str = "22222222-2222-2222-2222-222222222222";

#[test]
fn resolution_takes_minimums_reselects_and_honours_the_lock() {
    let x = format!("Pub.X.{X}");
    let y = format!("Pub.Y.{Y}");
    // X 1.0 needs Y ≥ 1.0; Y 1.0 needs nothing; X 2.0 needs Y ≥ 2.0.
    let specs = [
        spec(&x, "1.0", &[(&y, "1.0")]),
        spec(&x, "2.0", &[(&y, "2.0")]),
        spec(&y, "1.0", &[]),
        spec(&y, "2.0", &[]),
        spec(&y, "3.0", &[]),
    ];
    let mut feed = Mem::new("mem", &specs);
    let xid = uuid::Uuid::parse_str(X).unwrap();
    let yid = uuid::Uuid::parse_str(Y).unwrap();
    let roots = [Requirement::app(
        "Pub",
        "X",
        xid,
        "1.0".parse().unwrap(),
        None,
    )];
    let r = resolve(&roots, &mut [&mut feed], &ResolveOptions::default()).unwrap();
    let got: Vec<String> = r
        .packages
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    assert_eq!(got, [format!("{x} 1.0"), format!("{y} 1.0")]);
    // A root asking Y ≥ 2.5 after X chose Y 1.0: Y is chosen again.
    let roots2 = [
        Requirement::app("Pub", "X", xid, "1.0".parse().unwrap(), None),
        Requirement::app("Pub", "Y", yid, "2.5".parse().unwrap(), None),
    ];
    let r = resolve(&roots2, &mut [&mut feed], &ResolveOptions::default()).unwrap();
    assert_eq!(r.packages.len(), 2);
    assert_eq!(r.packages[1].version.to_string(), "3.0");
    // Highest.
    let opts = ResolveOptions {
        highest: true,
        ..ResolveOptions::default()
    };
    let r = resolve(&roots, &mut [&mut feed], &opts).unwrap();
    assert_eq!(r.packages[0].version.to_string(), "2.0");
    assert_eq!(r.packages[1].version.to_string(), "3.0");
    // The lock fixes X at 2.0 (not the lowest) and checks its digest.
    let x2 = write_nupkg(&specs[1], &[]);
    let mut lock = LockFile::default();
    lock.packages.push(LockedPackage {
        id: x.clone(),
        version: "2.0".into(),
        sha256: sha256_hex(&x2),
        feed: "mem".into(),
        apps: vec![],
    });
    let opts = ResolveOptions {
        lock: Some(lock.clone()),
        ..ResolveOptions::default()
    };
    let r = resolve(&roots, &mut [&mut feed], &opts).unwrap();
    assert_eq!(r.packages[0].version.to_string(), "2.0");
    assert_eq!(r.packages[1].version.to_string(), "2.0");
    lock.packages[0].sha256 = sha256_hex(b"other");
    let opts = ResolveOptions {
        lock: Some(lock),
        ..ResolveOptions::default()
    };
    let e = resolve(&roots, &mut [&mut feed], &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("differs from the lock file"), "{e}");
    // Nothing fits.
    let roots3 = [Requirement::app(
        "Pub",
        "X",
        xid,
        "9.0".parse().unwrap(),
        None,
    )];
    let e = resolve(&roots3, &mut [&mut feed], &ResolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no version") && e.contains("listed: 1.0, 2.0"),
        "{e}"
    );
}

#[test]
fn sources_are_asked_in_order_and_a_wrong_nuspec_is_refused() {
    let mut empty = Mem::new("first", &[]);
    let mut second = Mem::new("second", &[spec("Microsoft.Platform.symbols", "24.0", &[])]);
    let roots = [Requirement::platform("24.0".parse().unwrap())];
    let r = resolve(
        &roots,
        &mut [&mut empty, &mut second],
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(r.packages[0].source, "second");
    // The feed lists 25.0 but serves a nupkg whose nuspec says 24.0.
    let mut lying = Mem::new("lying", &[]);
    lying.packages.push((
        "Microsoft.Platform.symbols".into(),
        "25.0".parse().unwrap(),
        write_nupkg(&spec("Microsoft.Platform.symbols", "24.0", &[]), &[]),
    ));
    let roots = [Requirement::platform("25.0".parse().unwrap())];
    let e = resolve(&roots, &mut [&mut lying], &ResolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("the nuspec says"), "{e}");
    // A nuspec naming an id that would leave a cache folder or a URL path.
    let mut evil = Mem::new(
        "evil",
        &[spec(
            "Microsoft.Platform.symbols",
            "24.0",
            &[("../../etc", "1.0")],
        )],
    );
    let roots = [Requirement::platform("24.0".parse().unwrap())];
    let e = resolve(&roots, &mut [&mut evil], &ResolveOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a valid package id"), "{e}");
    // BcNuGet's Microsoft.Application dependency maps to the MSSymbols package.
    let r = Requirement::from_dependency(
        "Microsoft.Application",
        "[24.0,25.0)".parse().unwrap(),
        "x",
        Some("dk"),
    );
    assert_eq!(r.key, APPLICATION_KEY);
    assert_eq!(
        r.candidates,
        [
            "Microsoft.Application.dk.symbols",
            "Microsoft.Application.symbols"
        ]
    );
}
