#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `alkit symbols fetch` against a real HTTP server on loopback, started by each test,
//! serving a static NuGet v3 feed built from fixture packages (MSSymbols-shaped application,
//! base application and platform packages; a BcNuGet-shaped package of the example app),
//! each `.app` packed by `alkit pack` (runtime-pack's builder) from a tiny AL project.
//! Failures: a missing package, a 404 on one listed version, a 500 then success (retry),
//! a slow response (timeout), a corrupt nupkg, a nupkg with a traversal entry, a private
//! feed needing a token, plain http to a non-loopback host. Then the lock file (second run
//! offline) and `symbols fetch` + `move`/`refs` on the bundled example. No test needs the
//! internet.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Run, alkit, alkit_env, repo_root};
use runtime_pack::nuget::{Nuspec, NuspecDependency, write_nupkg};

const BASE_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";
const APPLICATION_ID: &str = "c1335042-3002-4257-bf8a-75c898ccb1b8";
const SYSTEM_ID: &str = "8874ed3a-0643-4247-9ced-7a7002f7135d";
const LOYALTY_ID: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";

// ---------------------------------------------------------------- fixture packages

fn app_json(id: &str, name: &str, version: &str, deps: &str) -> String {
    format!(
        r#"{{"id":"{id}","name":"{name}","publisher":"Microsoft","version":"{version}","dependencies":[{deps}],"idRanges":[{{"from":1,"to":99999}}],"runtime":"13.0","target":"Cloud"}}"#
    )
}

const BASE_AL: &[(&str, &str)] = &[
    (
        "src/Customer.Table.al",
        "namespace Microsoft.Sales.Customer;\ntable 18 Customer\n{\n    fields\n    {\n        field(1; \"No.\"; Code[20]) { }\n        field(2; Name; Text[100]) { }\n    }\n    keys\n    {\n        key(PK; \"No.\") { Clustered = true; }\n    }\n}\n",
    ),
    (
        "src/CustomerCard.Page.al",
        "namespace Microsoft.Sales.Customer;\npage 21 \"Customer Card\"\n{\n    PageType = Card;\n    SourceTable = Customer;\n    layout\n    {\n        area(Content)\n        {\n            group(General)\n            {\n                field(Name; Rec.Name) { }\n            }\n        }\n    }\n    actions\n    {\n        area(Processing)\n        {\n            action(Stats) { }\n        }\n    }\n}\n",
    ),
    (
        "src/SalesHeader.Table.al",
        "namespace Microsoft.Sales.Document;\ntable 36 \"Sales Header\"\n{\n    fields\n    {\n        field(3; \"No.\"; Code[20]) { }\n        field(2; \"Sell-to Customer No.\"; Code[20]) { }\n    }\n}\n",
    ),
    (
        "src/SalesLineType.Enum.al",
        "namespace Microsoft.Sales.Document;\nenum 37 \"Sales Line Type\"\n{\n    Extensible = true;\n    value(0; \" \") { }\n    value(2; Item) { }\n}\n",
    ),
    (
        "src/SalesPost.Codeunit.al",
        "namespace Microsoft.Sales.Posting;\nusing Microsoft.Sales.Document;\ncodeunit 80 \"Sales-Post\"\n{\n    [IntegrationEvent(false, false)]\n    local procedure OnAfterPostSalesDoc(var SalesHeader: Record \"Sales Header\"; SalesShptHdrNo: Code[20]; RetRcpHdrNo: Code[20]; SalesInvHdrNo: Code[20]; SalesCrMemoHdrNo: Code[20])\n    begin\n    end;\n}\n",
    ),
];

/// Packs a tiny project with `alkit pack`; returns (file name, bytes).
fn pack(app_json: &str, files: &[(&str, &str)]) -> (String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.json"), app_json).unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let r = alkit(&[
        "pack",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .next()
        .unwrap();
    (
        file.file_name().to_string_lossy().into_owned(),
        std::fs::read(file.path()).unwrap(),
    )
}

/// The builder writes page controls flat and without `Kind`; the compiler nests them. Puts
/// `Customer Card`'s controls in the compiler's nested form, and repacks.
fn with_page_controls(app: &[u8]) -> Vec<u8> {
    fn add(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("Name").and_then(|n| n.as_str()) == Some("Customer Card")
                    && m.contains_key("Id")
                {
                    m.insert(
                        "Controls".into(),
                        serde_json::json!([{"Name":"General","Kind":0,"Controls":[{"Name":"Name","Kind":8}]}]),
                    );
                }
                m.values_mut().for_each(add);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(add),
            _ => {}
        }
    }
    let pkg = runtime_pack::Package::read(app).unwrap();
    let entries = pkg
        .app_package()
        .entries()
        .iter()
        .map(|e| {
            if e.path == runtime_pack::SYMBOL_REFERENCE {
                let text = e.text().unwrap();
                let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
                add(&mut v);
                runtime_pack::build::BuildEntry::new(
                    e.path.clone(),
                    serde_json::to_vec(&v).unwrap(),
                )
            } else {
                runtime_pack::build::BuildEntry::new(e.path.clone(), e.data.clone())
            }
        })
        .filter(|e| e.path != "[Content_Types].xml")
        .collect();
    runtime_pack::build::build_package(entries, &runtime_pack::build::BuildOptions::default())
        .unwrap()
}

fn nuspec(id: &str, version: &str, deps: &[(&str, &str)]) -> Nuspec {
    Nuspec {
        id: id.into(),
        version: version.parse().unwrap(),
        dependencies: deps
            .iter()
            .map(|(i, r)| NuspecDependency {
                id: (*i).into(),
                range: r.parse().unwrap(),
            })
            .collect(),
    }
}

/// (package id, version, nupkg) of the MSSymbols-shaped feed (platform, application,
/// base application) and a BcNuGet-shaped package of examples/loyalty.
struct Fixture {
    packages: Vec<(String, String, Vec<u8>)>,
}

fn base_id() -> String {
    format!("Microsoft.BaseApplication.symbols.{BASE_ID}")
}
fn loyalty_id() -> String {
    format!("ContosoPartners.CustomerLoyalty.{LOYALTY_ID}")
}

fn fixture() -> &'static Fixture {
    static F: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let (sys_name, sys) = pack(
            &app_json(SYSTEM_ID, "System", "24.0.0.0", ""),
            &[("src/Dummy.Codeunit.al", "codeunit 2000000000 \"Platform Dummy\" { }\n")],
        );
        let base_dep = format!(
            r#"{{"id":"{BASE_ID}","name":"Base Application","publisher":"Microsoft","version":"24.0.0.0"}}"#
        );
        let (base_name, base) = pack(&app_json(BASE_ID, "Base Application", "24.0.0.0", ""), BASE_AL);
        let base = with_page_controls(&base);
        let (app_name, app) = pack(
            &app_json(APPLICATION_ID, "Application", "24.0.0.0", &base_dep),
            &[],
        );
        let (loy_name, loy) = {
            let dir = repo_root().join("examples/loyalty");
            let out = tempfile::tempdir().unwrap();
            let r = alkit(&["pack", dir.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            let f = std::fs::read_dir(out.path()).unwrap().flatten().next().unwrap();
            (f.file_name().to_string_lossy().into_owned(), std::fs::read(f.path()).unwrap())
        };
        let mut packages = Vec::new();
        for v in ["24.0.0", "25.0.0"] {
            let spec = nuspec("Microsoft.Platform.symbols", v, &[]);
            packages.push((spec.id.clone(), v.to_owned(), write_nupkg(&spec, &[(&sys_name, &sys)])));
        }
        let base_pkg = base_id();
        for v in ["24.0.0", "24.1.0"] {
            let spec = nuspec(
                "Microsoft.Application.symbols",
                v,
                &[(&base_pkg, "24.0.0"), ("Microsoft.Platform.symbols", "24.0.0")],
            );
            packages.push((spec.id.clone(), v.to_owned(), write_nupkg(&spec, &[(&app_name, &app)])));
        }
        let spec = nuspec(&base_pkg, "24.0.0", &[("Microsoft.Platform.symbols", "24.0.0")]);
        packages.push((spec.id.clone(), "24.0.0".into(), write_nupkg(&spec, &[(&base_name, &base)])));
        // BcNuGet: publisher.name.appid, depending on Microsoft.Application and Microsoft.Platform.
        let spec = nuspec(
            &loyalty_id(),
            "1.2.0.0",
            &[("Microsoft.Application", "24.0.0.0"), ("Microsoft.Platform", "24.0.0.0")],
        );
        packages.push((spec.id.clone(), "1.2.0".into(), write_nupkg(&spec, &[(&loy_name, &loy)])));
        Fixture { packages }
    })
}

// ---------------------------------------------------------------- the feed server

/// How one path answers.
#[derive(Clone)]
enum Answer {
    Body(Vec<u8>),
    Status(u16),
    /// `n` times 500, then the body.
    FailThen(Arc<AtomicUsize>, Vec<u8>),
    /// The body after a delay.
    Slow(Duration, Vec<u8>),
    /// A 302 to this location.
    Redirect(String),
}

/// Requests seen: (path, Authorization header).
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

struct Feed {
    url: String,
    routes: Arc<Mutex<HashMap<String, Answer>>>,
    seen: Seen,
}

impl Feed {
    fn set(&self, path: &str, a: Answer) {
        self.routes.lock().unwrap().insert(path.to_owned(), a);
    }
    fn nupkg_path(id: &str, v: &str) -> String {
        let l = id.to_lowercase();
        format!("/flat/{l}/{v}/{l}.{v}.nupkg")
    }
    fn hits(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.0 == path)
            .count()
    }
}

/// Starts a feed on 127.0.0.1 serving `packages`; `token`: the feed needs basic auth with it.
fn serve(packages: &[(String, String, Vec<u8>)], token: Option<&str>) -> Feed {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/v3/index.json");
    let mut routes = HashMap::new();
    routes.insert(
        "/v3/index.json".to_owned(),
        Answer::Body(
            format!(r#"{{"version":"3.0.0","resources":[{{"@id":"http://127.0.0.1:{port}/flat/","@type":"PackageBaseAddress/3.0.0"}},{{"@id":"http://127.0.0.1:{port}/search","@type":"SearchQueryService/3.0.0-rc"}}]}}"#)
                .into_bytes(),
        ),
    );
    let mut versions: HashMap<String, Vec<String>> = HashMap::new();
    for (id, v, bytes) in packages {
        versions
            .entry(id.to_lowercase())
            .or_default()
            .push(v.clone());
        routes.insert(Feed::nupkg_path(id, v), Answer::Body(bytes.clone()));
    }
    for (id, vs) in versions {
        routes.insert(
            format!("/flat/{id}/index.json"),
            Answer::Body(
                serde_json::json!({ "versions": vs })
                    .to_string()
                    .into_bytes(),
            ),
        );
    }
    // Search (`/search?q=…`): the ids that contain the query, as NuGet's search matches.
    let ids: Vec<String> = {
        let mut v: Vec<String> = packages.iter().map(|p| p.0.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let routes = Arc::new(Mutex::new(routes));
    let seen = Arc::new(Mutex::new(Vec::new()));
    // Basic auth: any user name, the token as password (as GitHub Packages and Azure DevOps).
    let auth = token.map(str::to_owned);
    let (r2, s2) = (routes.clone(), seen.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (routes, seen, auth, ids) = (r2.clone(), s2.clone(), auth.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                let authz = head
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                    .map(|l| l.split_once(':').unwrap().1.trim().to_owned());
                seen.lock().unwrap().push((path.clone(), authz.clone()));
                // `/blob/` stands for a storage host: open, as the signed URLs of real feeds.
                let authorised = match &auth {
                    None => true,
                    Some(_) if path.starts_with("/blob/") => true,
                    Some(t) => authz.as_deref().is_some_and(|a| {
                        a.strip_prefix("Basic ").is_some_and(|b64| {
                            decode_b64(b64)
                                .is_some_and(|d| d.split_once(':').is_some_and(|(_, p)| p == t))
                        })
                    }),
                };
                let search = path.strip_prefix("/search?").map(|q| {
                    let q = q
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("q="))
                        .unwrap_or("")
                        .to_lowercase();
                    let data: Vec<serde_json::Value> = ids
                        .iter()
                        .filter(|i| i.to_lowercase().contains(&q))
                        .map(|i| serde_json::json!({ "id": i, "version": "1.0.0" }))
                        .collect();
                    Answer::Body(serde_json::json!({ "data": data }).to_string().into_bytes())
                });
                let answer = if authorised {
                    routes.lock().unwrap().get(&path).cloned().or(search)
                } else {
                    Some(Answer::Status(401))
                };
                let mut location = String::new();
                let (status, body) = match answer {
                    None => (404, Vec::new()),
                    Some(Answer::Redirect(to)) => {
                        location = format!("Location: {to}\r\n");
                        (302, Vec::new())
                    }
                    Some(Answer::Status(s)) => (s, Vec::new()),
                    Some(Answer::Body(b)) => (200, b),
                    Some(Answer::FailThen(n, b)) => {
                        if n.load(Ordering::SeqCst) > 0 {
                            n.fetch_sub(1, Ordering::SeqCst);
                            (500, Vec::new())
                        } else {
                            (200, b)
                        }
                    }
                    Some(Answer::Slow(d, b)) => {
                        std::thread::sleep(d);
                        (200, b)
                    }
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\n{location}Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    Feed { url, routes, seen }
}

fn decode_b64(s: &str) -> Option<String> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
    String::from_utf8(bytes).ok()
}

// ---------------------------------------------------------------- helpers

/// A copy of an example project in a temporary folder.
fn copy_example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("examples").join(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

fn fetch(dir: &Path, feed: &str, extra: &[&str]) -> Run {
    let mut args = vec!["symbols", "fetch", dir.to_str().unwrap(), "--feed", feed];
    args.extend_from_slice(extra);
    alkit(&args)
}

fn apps_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join(".alpackages"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

// ---------------------------------------------------------------- tests

#[test]
fn fetch_resolves_transitively_writes_a_lock_and_runs_offline_the_second_time() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let p = copy_example("loyalty-rewards");
    let r = fetch(p.path(), &feed.url, &["--retries", "0"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        apps_in(p.path()),
        [
            "Contoso Partners_Customer Loyalty_1.2.0.0.app",
            "Microsoft_Application_24.0.0.0.app",
            "Microsoft_Base Application_24.0.0.0.app",
            "Microsoft_System_24.0.0.0.app",
        ]
    );
    // Lowest versions that fit: application 24.0.0 (not 24.1.0), platform 24.0.0 (not 25).
    let lock_text = std::fs::read_to_string(p.path().join("alkit-symbols.lock.json")).unwrap();
    let lock = runtime_pack::nuget::LockFile::from_json(&lock_text).unwrap();
    let ids: Vec<(&str, &str)> = lock
        .packages
        .iter()
        .map(|x| (x.id.as_str(), x.version.as_str()))
        .collect();
    assert!(
        ids.contains(&("Microsoft.Application.symbols", "24.0.0")),
        "{ids:?}"
    );
    assert!(
        ids.contains(&("Microsoft.Platform.symbols", "24.0.0")),
        "{ids:?}"
    );
    assert!(ids.contains(&(loyalty_id().as_str(), "1.2.0")), "{ids:?}");
    for pk in &lock.packages {
        assert_eq!(pk.sha256.len(), 64);
        assert_eq!(pk.feed, feed.url);
    }
    // Second run: from the cache and the lock, without the server answering anything.
    feed.routes.lock().unwrap().clear();
    std::fs::remove_dir_all(p.path().join(".alpackages")).unwrap();
    let before = feed.seen.lock().unwrap().len();
    let r = fetch(p.path(), &feed.url, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("offline"), "{}", r.stdout);
    assert_eq!(
        feed.seen.lock().unwrap().len(),
        before,
        "no request on the second run"
    );
    assert_eq!(apps_in(p.path()).len(), 4);
    assert_eq!(
        std::fs::read_to_string(p.path().join("alkit-symbols.lock.json")).unwrap(),
        lock_text
    );
    let r = fetch(p.path(), &feed.url, &["--offline"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // --highest takes the newest that fits.
    let q = copy_example("loyalty");
    let feed = serve(&f.packages, None);
    let r = fetch(q.path(), &feed.url, &["--highest"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lock = std::fs::read_to_string(q.path().join("alkit-symbols.lock.json")).unwrap();
    assert!(
        lock.contains("\"24.1.0\"") && lock.contains("\"25.0.0\""),
        "{lock}"
    );
}

#[test]
fn offline_without_a_cache_is_an_error() {
    let p = copy_example("loyalty");
    let r = fetch(
        p.path(),
        "https://feed.invalid/v3/index.json",
        &["--offline"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--offline"), "{}", r.stderr);
}

#[test]
fn a_missing_package_names_the_app_and_the_ids_tried() {
    let f = fixture();
    // The feed without the example's BcNuGet package.
    let without: Vec<_> = f
        .packages
        .iter()
        .filter(|p| p.0 != loyalty_id())
        .cloned()
        .collect();
    let feed = serve(&without, None);
    let p = copy_example("loyalty-rewards");
    let r = fetch(p.path(), &feed.url, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains(LOYALTY_ID), "{}", r.stderr);
    assert!(r.stderr.contains(&loyalty_id()), "{}", r.stderr);
    assert!(!p.path().join("alkit-symbols.lock.json").exists());
}

#[test]
fn a_404_on_one_listed_version_passes_it_over() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    feed.set(
        &Feed::nupkg_path("Microsoft.Application.symbols", "24.0.0"),
        Answer::Status(404),
    );
    let p = copy_example("loyalty");
    let r = fetch(p.path(), &feed.url, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("HTTP 404") && r.stderr.contains("passed over"),
        "{}",
        r.stderr
    );
    let lock = std::fs::read_to_string(p.path().join("alkit-symbols.lock.json")).unwrap();
    assert!(lock.contains("\"24.1.0\""), "{lock}");
}

#[test]
fn a_500_is_retried_then_succeeds() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let path = Feed::nupkg_path(&base_id(), "24.0.0");
    let bytes = f
        .packages
        .iter()
        .find(|p| p.0 == base_id())
        .unwrap()
        .2
        .clone();
    feed.set(
        &path,
        Answer::FailThen(Arc::new(AtomicUsize::new(1)), bytes),
    );
    let p = copy_example("loyalty");
    let r = fetch(p.path(), &feed.url, &["--retries", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(feed.hits(&path), 2);
    // Always 500: the error names the feed, the package and the status.
    let feed = serve(&f.packages, None);
    feed.set(&path, Answer::Status(500));
    let p = copy_example("loyalty");
    let r = fetch(p.path(), &feed.url, &["--retries", "1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(&feed.url), "{}", r.stderr);
    assert!(r.stderr.contains(&base_id()), "{}", r.stderr);
    assert!(
        r.stderr.contains("HTTP 500") && r.stderr.contains("2 attempts"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_slow_response_times_out() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let path = Feed::nupkg_path(&base_id(), "24.0.0");
    feed.set(&path, Answer::Slow(Duration::from_secs(4), Vec::new()));
    let p = copy_example("loyalty");
    let t = std::time::Instant::now();
    let r = fetch(p.path(), &feed.url, &["--timeout", "1", "--retries", "0"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("timed out") && r.stderr.contains(&base_id()),
        "{}",
        r.stderr
    );
    assert!(t.elapsed() < Duration::from_secs(4));
}

#[test]
fn a_corrupt_nupkg_is_refused() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let path = Feed::nupkg_path(&base_id(), "24.0.0");
    let mut bytes = f
        .packages
        .iter()
        .find(|p| p.0 == base_id())
        .unwrap()
        .2
        .clone();
    bytes.truncate(bytes.len() / 2);
    feed.set(&path, Answer::Body(bytes));
    let p = copy_example("loyalty");
    let r = fetch(p.path(), &feed.url, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&base_id()) && r.stderr.contains("nupkg"),
        "{}",
        r.stderr
    );
    assert!(!p.path().join("alkit-symbols.lock.json").exists());
}

#[test]
fn a_nupkg_with_a_traversal_entry_is_refused() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let spec = nuspec(&base_id(), "24.0.0", &[]);
    let app =
        runtime_pack::fixtures::normal_package(uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), "Evil");
    let evil = write_nupkg(&spec, &[("../../evil.app", &app)]);
    feed.set(&Feed::nupkg_path(&base_id(), "24.0.0"), Answer::Body(evil));
    let outer = tempfile::tempdir().unwrap();
    let proj = outer.path().join("a/b");
    copy_dir(&repo_root().join("examples/loyalty"), &proj);
    let r = fetch(&proj, &feed.url, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("evil.app"), "{}", r.stderr);
    assert!(!outer.path().join("evil.app").exists() && !proj.join("evil.app").exists());
}

#[test]
fn a_private_feed_needs_its_token_which_is_never_shown_or_stored() {
    let f = fixture();
    let token = "s3cr3t-PAT-value";
    let feed = serve(&f.packages, Some(token));
    let p = copy_example("loyalty");
    let r = fetch(p.path(), &feed.url, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("HTTP 401") && r.stderr.contains("token"),
        "{}",
        r.stderr
    );
    let args = [
        "symbols",
        "fetch",
        p.path().to_str().unwrap(),
        "--feed",
        &feed.url,
        "--token-env",
        "ALKIT_TEST_FEED_TOKEN",
    ];
    let r = alkit_env(&args, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ALKIT_TEST_FEED_TOKEN"), "{}", r.stderr);
    let r = alkit_env(&args, &[("ALKIT_TEST_FEED_TOKEN", "wrong")]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("refused") && !r.stderr.contains("wrong"),
        "{}",
        r.stderr
    );
    let r = alkit_env(&args, &[("ALKIT_TEST_FEED_TOKEN", token)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains(token) && !r.stderr.contains(token));
    let lock = std::fs::read_to_string(p.path().join("alkit-symbols.lock.json")).unwrap();
    assert!(!lock.contains(token));
    assert_eq!(apps_in(p.path()).len(), 3);
    // A download redirected to another host (a storage URL) gets no token; redirects to
    // plain http on a non-loopback host are refused.
    let feed = serve(&f.packages, Some(token));
    let path = Feed::nupkg_path(&base_id(), "24.0.0");
    let bytes = f
        .packages
        .iter()
        .find(|p| p.0 == base_id())
        .unwrap()
        .2
        .clone();
    let port = feed
        .url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    feed.set("/blob/base.nupkg", Answer::Body(bytes));
    feed.set(
        &path,
        Answer::Redirect(format!("http://localhost:{port}/blob/base.nupkg")),
    );
    let q = copy_example("loyalty");
    let args = [
        "symbols",
        "fetch",
        q.path().to_str().unwrap(),
        "--feed",
        &feed.url,
        "--token-env",
        "ALKIT_TEST_FEED_TOKEN",
    ];
    let r = alkit_env(&args, &[("ALKIT_TEST_FEED_TOKEN", token)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let seen = feed.seen.lock().unwrap().clone();
    assert!(seen.iter().any(|(p, a)| p == &path && a.is_some()));
    assert!(
        seen.iter()
            .any(|(p, a)| p == "/blob/base.nupkg" && a.is_none()),
        "{seen:?}"
    );
    feed.set(
        &path,
        Answer::Redirect("http://example.com/blob/base.nupkg".into()),
    );
    let q = copy_example("loyalty");
    let args = [
        "symbols",
        "fetch",
        q.path().to_str().unwrap(),
        "--feed",
        &feed.url,
        "--token-env",
        "ALKIT_TEST_FEED_TOKEN",
    ];
    let r = alkit_env(&args, &[("ALKIT_TEST_FEED_TOKEN", token)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("only https://"), "{}", r.stderr);
}

#[test]
fn feeds_come_from_the_config_file_and_plain_http_is_only_for_loopback() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let p = copy_example("loyalty");
    std::fs::write(
        p.path().join("alkit-symbols.json"),
        format!(r#"{{"country":"w1","feeds":[{{"url":"{}"}}]}}"#, feed.url),
    )
    .unwrap();
    let r = alkit(&["symbols", "fetch", p.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = fetch(p.path(), "http://example.com/v3/index.json", &["--update"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("only https://"), "{}", r.stderr);
}

#[test]
fn fetched_symbols_resolve_the_examples_base_app_references_in_refs_and_move() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let p = copy_example("loyalty");
    let r = fetch(p.path(), &feed.url, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = p.path().to_str().unwrap();
    let r = alkit(&["refs", dir, "--stats", "--unresolved"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("alkit: symbols: 3 package(s)"),
        "{}",
        r.stderr
    );
    // Every reference resolves but the platform's built-ins (events, action areas), which
    // no symbol package declares.
    let unresolved: Vec<&str> = r.stdout.lines().filter(|l| l.contains(".al:")).collect();
    assert!(unresolved.len() <= 2, "{}", r.stdout);
    assert!(
        unresolved.iter().all(|l| l.ends_with("(platform symbol)")),
        "{}",
        r.stdout
    );
    let out = tempfile::tempdir().unwrap();
    let target: PathBuf = out.path().join("moved");
    let r = alkit(&[
        "move",
        dir,
        "--to",
        "appsource",
        "--range",
        "70000000..70000099",
        "--affix",
        "CLY",
        "--id",
        "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0",
        // The page extension's `Rec."…"` fields are updated by name: the base page's source
        // table is not read from a package's symbols yet, so the move (rightly) asks for a
        // look at them; everything else resolves.
        "--accept-stale",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("Microsoft_Base Application_24.0.0.0.app"),
        "{}",
        r.stderr
    );
    // Without --allow-unresolved the move ran, and the summary lists no object not found
    // and no unresolved reference.
    assert!(!r.stdout.contains("objects not found"), "{}", r.stdout);
}

#[test]
fn packages_written_by_nuget_pack_resolve_through_a_feed() {
    // The full and the symbols package `alkit nuget pack` writes for the loyalty example stand
    // in for the fixture's hand-made one: `symbols fetch` resolves loyalty-rewards through each.
    let out = tempfile::tempdir().unwrap();
    let r = alkit(&[
        "nuget",
        "pack",
        repo_root().join("examples/loyalty").to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for (folder, id) in [
        ("full", loyalty_id()),
        (
            "symbols",
            format!("ContosoPartners.CustomerLoyalty.symbols.{LOYALTY_ID}"),
        ),
    ] {
        let file = out.path().join(folder).join(format!("{id}.1.2.0.0.nupkg"));
        let bytes = std::fs::read(&file).unwrap();
        let mut packages: Vec<_> = fixture()
            .packages
            .iter()
            .filter(|(i, _, _)| *i != loyalty_id())
            .cloned()
            .collect();
        packages.push((id.clone(), "1.2.0".into(), bytes));
        let feed = serve(&packages, None);
        let p = copy_example("loyalty-rewards");
        let r = fetch(p.path(), &feed.url, &["--retries", "0"]);
        assert_eq!(r.code, 0, "{folder}: {}\n{}", r.stdout, r.stderr);
        assert!(
            apps_in(p.path())
                .contains(&"Contoso Partners_Customer Loyalty_1.2.0.0.app".to_string()),
            "{folder}: {:?}",
            apps_in(p.path())
        );
        let lock = std::fs::read_to_string(p.path().join("alkit-symbols.lock.json")).unwrap();
        assert!(lock.contains(&id), "{folder}: {lock}");
    }
}

/// The fixture feed without the example's package, plus package `id` 1.2.0 (depending on
/// `deps`) holding the `.app` of the fixture package `app_from`.
fn feed_with_loyalty_as(id: &str, app_from: &str, deps: &[(&str, &str)]) -> Feed {
    let f = fixture();
    let mut packages: Vec<_> = f
        .packages
        .iter()
        .filter(|p| p.0 != loyalty_id())
        .cloned()
        .collect();
    let (_, _, from) = f.packages.iter().find(|p| p.0 == app_from).unwrap();
    let inner =
        runtime_pack::nuget::Nupkg::read(from, &runtime_pack::ReadLimits::default()).unwrap();
    let app = &inner.apps[0];
    let spec = nuspec(id, "1.2.0", deps);
    packages.push((
        id.to_owned(),
        "1.2.0".into(),
        write_nupkg(&spec, &[(&app.file_name, &app.bytes)]),
    ));
    serve(&packages, None)
}

#[test]
fn a_dependency_published_under_another_name_is_found_by_searching_for_its_app_id() {
    // The feed has the example's app under a name its dependents do not use (renamed
    // since; AppSourceSymbols spells publishers its own way).
    let renamed = format!("ContosoLtd.Loyalty.symbols.{LOYALTY_ID}");
    let feed = feed_with_loyalty_as(
        &renamed,
        &loyalty_id(),
        &[("Microsoft.Application.symbols", "24.0.0")],
    );
    let p = copy_example("loyalty-rewards");
    let r = fetch(p.path(), &feed.url, &["--retries", "0"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("by searching for the app id"),
        "{}",
        r.stderr
    );
    assert!(
        apps_in(p.path()).contains(&"Contoso Partners_Customer Loyalty_1.2.0.0.app".to_owned())
    );
    let lock = std::fs::read_to_string(p.path().join("alkit-symbols.lock.json")).unwrap();
    assert!(lock.contains(&renamed), "{lock}");
    assert!(
        feed.hits(&format!(
            "/search?q={LOYALTY_ID}&prerelease=true&semVerLevel=2.0.0&take=100"
        )) == 1
    );
}

#[test]
fn a_package_holding_another_app_is_refused() {
    // The example's package id, but the base application's app inside: an impostor.
    let feed = feed_with_loyalty_as(&loyalty_id(), &base_id(), &[]);
    let p = copy_example("loyalty-rewards");
    let r = fetch(p.path(), &feed.url, &["--retries", "0"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(BASE_ID) && r.stderr.contains("refused"),
        "{}",
        r.stderr
    );
    assert!(apps_in(p.path()).is_empty(), "{:?}", apps_in(p.path()));
    assert!(!p.path().join("alkit-symbols.lock.json").exists());
}

#[test]
fn baseline_fetches_the_version_appsourcecop_names_into_appsourcecoppackages() {
    let f = fixture();
    let feed = serve(&f.packages, None);
    let p = copy_example("loyalty");
    // Without AppSourceCop.json's version: a clear error, nothing written.
    let r = fetch(p.path(), &feed.url, &["--baseline"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("AppSourceCop.json") && r.stderr.contains("version"),
        "{}",
        r.stderr
    );
    std::fs::write(
        p.path().join("AppSourceCop.json"),
        r#"{"mandatoryAffixes":["CLY"],"version":"1.2.0.0"}"#,
    )
    .unwrap();
    let r = fetch(p.path(), &feed.url, &["--baseline", "--retries", "0"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let dir = p.path().join(".appSourceCopPackages");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // The app itself only: its dependencies are not the baseline.
    assert_eq!(files, ["Contoso Partners_Customer Loyalty_1.2.0.0.app"]);
    assert!(!p.path().join(".alpackages").exists());
    let lock = std::fs::read_to_string(p.path().join("alkit-baseline.lock.json")).unwrap();
    assert!(lock.contains(&loyalty_id()), "{lock}");
    assert!(!p.path().join("alkit-symbols.lock.json").exists());
    // A version the feed does not have: named in the error.
    std::fs::write(
        p.path().join("AppSourceCop.json"),
        r#"{"mandatoryAffixes":["CLY"],"version":"1.1.0.0"}"#,
    )
    .unwrap();
    let r = fetch(
        p.path(),
        &feed.url,
        &["--baseline", "--update", "--retries", "0"],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("[1.1.0.0]"), "{}", r.stderr);
}
