//! `alkit inspect FILE.app [--json]`: what a package is, who made it, whether its signature digest
//! matches, what it contains.
//!
//! The package is read lazily ([`LazyPackage`]): every container, signature and zip-directory
//! check of a full read applies, but only `NavxManifest.xml` and `SymbolReference.json` are
//! inflated (their size and CRC checked), and objects are listed from a light parse of the symbol
//! file ([`SymbolSummary`]).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use runtime_pack::{
    DigestCheck, LazyPackage, NAVX_MANIFEST, PackageError, SYMBOL_REFERENCE, SignatureInfo,
    SymbolSummary,
};
use serde_json::{Value, json};

use crate::output;

/// `alkit inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The package (.app) to inspect.
    pub file: PathBuf,
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// How the JSON report names a digest check.
fn digest_word(d: DigestCheck) -> &'static str {
    match d {
        DigestCheck::Match => "match",
        DigestCheck::Mismatch => "mismatch",
        DigestCheck::UnsupportedAlgorithm => "unsupported-algorithm",
    }
}

/// The signature as JSON (`null` when unsigned).
fn signature_json(s: Option<&SignatureInfo>) -> Value {
    match s {
        None => Value::Null,
        Some(s) => json!({
            "offset": s.offset,
            "digest": digest_word(s.digest),
            "digestAlgorithm": s.digest_algorithm,
            "signedDigest": hex(&s.signed_digest),
            "computedDigest": s.computed_digest.as_deref().map(hex),
            "signerSubject": s.signer_subject,
            "signerCommonName": s.signer_common_name,
            "certificates": s.certificate_count,
            "verified": "digest only; the CMS signature and certificate chain are not verified",
        }),
    }
}

/// The app's `NavxManifest.xml` and `SymbolReference.json`, inflated (the only entries
/// `inspect` reads). An entry that cannot be inflated is a defect of the package.
#[derive(Debug, Default)]
pub struct AppFiles {
    /// `NavxManifest.xml`, if present.
    pub manifest: Option<Vec<u8>>,
    /// `SymbolReference.json`, if present.
    pub symbols: Option<Vec<u8>>,
}

impl AppFiles {
    /// Inflates both files from the app package (the embedded one of a ready-to-run wrapper).
    pub fn read(p: &LazyPackage<'_>) -> Result<Self, PackageError> {
        Ok(Self {
            manifest: p.read_app_file(NAVX_MANIFEST)?,
            symbols: p.read_app_file(SYMBOL_REFERENCE)?,
        })
    }
}

/// The app from `NavxManifest.xml` as JSON, and the problem when it cannot be read.
fn manifest_json(files: &AppFiles) -> (Value, Option<String>) {
    let Some(bytes) = files.manifest.as_deref() else {
        return (Value::Null, None);
    };
    let m = match al_manifest::NavxManifest::from_xml_bytes(bytes) {
        Ok(m) => m,
        Err(e) => return (Value::Null, Some(e.to_string())),
    };
    let a = &m.app;
    let policy = m.resource_exposure_policy.as_ref().map(|r| {
        json!({
            "allowDebugging": r.allow_debugging,
            "allowDownloadingSource": r.allow_downloading_source,
            "includeSourceInSymbolFile": r.include_source_in_symbol_file,
            "applyToDevExtension": r.apply_to_dev_extension,
        })
    });
    let value = json!({
        "id": a.id.to_string(),
        "name": a.name,
        "publisher": a.publisher,
        "version": a.version.to_string(),
        "brief": a.brief,
        "platform": a.platform.as_ref().map(ToString::to_string),
        "application": a.application.as_ref().map(ToString::to_string),
        "runtime": a.runtime.as_ref().map(ToString::to_string),
        "target": a.target,
        "showMyCode": a.show_my_code,
        "dependencies": m.dependencies.iter().map(|d| json!({
            "id": d.id.to_string(),
            "name": d.name,
            "publisher": d.publisher,
            "minVersion": d.min_version.to_string(),
        })).collect::<Vec<_>>(),
        "idRanges": m.id_ranges.iter().map(|r| json!({"from": r.from, "to": r.to})).collect::<Vec<_>>(),
        "internalsVisibleTo": m.internals_visible_to.iter().map(|v| json!({
            "id": v.id.to_string(), "name": v.name, "publisher": v.publisher,
        })).collect::<Vec<_>>(),
        "features": m.features,
        "resourceExposurePolicy": policy,
    });
    (value, None)
}

/// The objects of `SymbolReference.json` (counts and items) as JSON, and the problem when it
/// cannot be read.
fn objects_json(files: &AppFiles) -> (Value, Option<String>) {
    let Some(bytes) = files.symbols.as_deref() else {
        return (Value::Null, None);
    };
    match SymbolSummary::from_slice(bytes) {
        Err(e) => (Value::Null, Some(e.to_string())),
        Ok(s) => {
            let mut counts = serde_json::Map::new();
            for (ty, n) in s.counts() {
                counts.insert(ty.array_name().to_owned(), json!(n));
            }
            let items: Vec<Value> = s
                .objects()
                .iter()
                .map(|o| {
                    json!({
                        "type": o.kind.array_name(),
                        "id": o.id,
                        "name": o.name,
                        "namespace": o.namespace,
                        "source": o.reference_source_file_name,
                    })
                })
                .collect();
            (json!({"counts": counts, "items": items}), None)
        }
    }
}

/// Everything `inspect` reports, as JSON (also the source of the text rendering).
pub fn report(file: &str, p: &LazyPackage<'_>, files: &AppFiles) -> (Value, Vec<String>) {
    let mut problems = Vec::new();
    let (app, manifest_error) = manifest_json(files);
    let (objects, symbols_error) = objects_json(files);
    problems.extend(manifest_error.map(|e| format!("NavxManifest.xml: {e}")));
    problems.extend(symbols_error.map(|e| format!("SymbolReference.json: {e}")));
    let h = p.header();
    let entries: Vec<Value> = p
        .entries()
        .iter()
        .map(|e| {
            json!({"name": e.name, "path": e.path, "size": e.size, "compressedSize": e.compressed_size})
        })
        .collect();
    let ready_to_run = p.ready_to_run().map(|(m, inner)| {
        json!({
            "embeddedAppFileName": m.embedded_app_file_name,
            "embeddedAppId": m.embedded_app_id,
            "embeddedAppName": m.embedded_app_name,
            "embeddedAppPublisher": m.embedded_app_publisher,
            "embeddedAppVersion": m.embedded_app_version,
            "inner": {
                "kind": inner.kind().as_str(),
                "signed": inner.is_signed(),
                "packageId": inner.header().package_id.to_string(),
                "signature": signature_json(inner.signature()),
                "entries": inner.entries().len(),
            },
        })
    });
    let runtime = p.runtime_info().map(|r| {
        // The platform it was made on is not readable inside; the community's file name
        // (`….runtime-<bcVersion>[-<country>].app`) says it.
        let named = std::path::Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(runtime_pack::runtime::parse_runtime_file_name);
        json!({
            "neaHeader": hex(&r.nea_header),
            "declaredLength": r.declared_length,
            "extraBytes": r.extra_bytes,
            "bcVersionFromFileName": named.as_ref().map(|n| n.bc_version.clone()),
            "countryFromFileName": named.as_ref().and_then(|n| n.country.clone()),
            "note": "runtime package: opaque, not decoded",
        })
    });
    let value = json!({
        "file": file,
        "size": p.file_len(),
        "kind": p.kind().as_str(),
        "signed": p.is_signed(),
        "header": {
            "version": h.version,
            "headerSize": h.header_size,
            "packageId": h.package_id.to_string(),
            "contentLength": h.content_length,
        },
        "signature": signature_json(p.signature()),
        "runtime": runtime,
        "readyToRun": ready_to_run,
        "app": app,
        "entries": entries,
        "objects": objects,
        "problems": problems,
    });
    (value, problems)
}

/// A JSON value as the text report shows it: strings bare, null as `-`.
/// A value of the package as text; strings with control characters shown escaped
/// ([`runtime_pack::shown`]), so a hostile name cannot write to the terminal.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => runtime_pack::shown(s),
        Value::Null => "-".to_owned(),
        other => other.to_string(),
    }
}

/// The signature line: `unsigned`, or the digest and the signer (not verified).
fn signature_line(sig: &Value) -> String {
    if sig.is_null() {
        "unsigned".to_owned()
    } else {
        let alg = match sig["digestAlgorithm"].as_str() {
            Some(runtime_pack::OID_SHA256) => "sha256".to_owned(),
            Some(runtime_pack::OID_SHA1) => "sha1".to_owned(),
            _ => show(&sig["digestAlgorithm"]),
        };
        format!(
            "signed, digest {} ({alg}), signer {} [digest only; signature and chain not verified]",
            show(&sig["digest"]),
            show(&sig["signerSubject"])
        )
    }
}

/// The text report of [`report`]'s value.
fn text(v: &Value) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "File:          {} ({} bytes)",
        show(&v["file"]),
        v["size"]
    );
    let _ = writeln!(o, "Kind:          {}", show(&v["kind"]));
    let _ = writeln!(
        o,
        "Package id:    {} (header v{}, payload {} bytes)",
        show(&v["header"]["packageId"]),
        v["header"]["version"],
        v["header"]["contentLength"]
    );
    let _ = writeln!(o, "Signature:     {}", signature_line(&v["signature"]));
    if !v["runtime"].is_null() {
        let _ = writeln!(
            o,
            "Runtime:       .NEA payload, {} extra container bytes; opaque (not decoded); made on: {}",
            v["runtime"]["extraBytes"],
            match v["runtime"]["bcVersionFromFileName"].as_str() {
                Some(bc) => format!("Business Central {bc} (from the file name)"),
                None => "not known (the file name does not say)".to_string(),
            }
        );
    }
    if !v["readyToRun"].is_null() {
        let r = &v["readyToRun"];
        let _ = writeln!(
            o,
            "Ready-to-run:  embeds {} ({} package, {})",
            show(&r["embeddedAppFileName"]),
            show(&r["inner"]["kind"]),
            signature_line(&r["inner"]["signature"])
        );
    }
    if !v["app"].is_null() {
        text_app(&mut o, &v["app"]);
    }
    let entries = v["entries"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "Entries:       {}  (size, compressed, path)",
        entries.len()
    );
    for e in entries {
        let _ = writeln!(
            o,
            "  {:>10} {:>10}  {}",
            e["size"].as_u64().unwrap_or_default(),
            e["compressedSize"].as_u64().unwrap_or_default(),
            show(&e["path"])
        );
    }
    if let Some(counts) = v["objects"]["counts"].as_object() {
        let total: u64 = counts.values().filter_map(Value::as_u64).sum();
        let _ = writeln!(o, "Objects:       {total}");
        for (k, n) in counts {
            let _ = writeln!(o, "  {k}: {n}");
        }
    }
    for p in v["problems"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let _ = writeln!(o, "Problem:       {}", show(p));
    }
    o
}

/// The app lines of the text report: identity, platform, dependencies, ID ranges, exposure.
fn text_app(o: &mut String, a: &Value) {
    let _ = writeln!(
        o,
        "App:           {} by {} {} (id {})",
        show(&a["name"]),
        show(&a["publisher"]),
        show(&a["version"]),
        show(&a["id"])
    );
    let _ = writeln!(
        o,
        "Platform:      {}   Application: {}   Runtime: {}   Target: {}",
        show(&a["platform"]),
        show(&a["application"]),
        show(&a["runtime"]),
        show(&a["target"])
    );
    let deps = a["dependencies"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let _ = writeln!(o, "Dependencies:  {}", deps.len());
    for d in deps {
        let _ = writeln!(
            o,
            "  - {} by {} >= {} ({})",
            show(&d["name"]),
            show(&d["publisher"]),
            show(&d["minVersion"]),
            show(&d["id"])
        );
    }
    let ranges: Vec<String> = a["idRanges"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{}..{}", r["from"], r["to"]))
        .collect();
    let _ = writeln!(o, "Id ranges:     {}", ranges.join(", "));
    let p = &a["resourceExposurePolicy"];
    if p.is_null() {
        let _ = writeln!(o, "Exposure:      showMyCode={}", show(&a["showMyCode"]));
    } else {
        let _ = writeln!(
            o,
            "Exposure:      allowDebugging={} allowDownloadingSource={} includeSourceInSymbolFile={} applyToDevExtension={}",
            show(&p["allowDebugging"]),
            show(&p["allowDownloadingSource"]),
            show(&p["includeSourceInSymbolFile"]),
            show(&p["applyToDevExtension"])
        );
    }
}

/// Runs `alkit inspect`. A defective package is an error naming the defect; a manifest or symbol
/// file that does not parse is reported and exits 1.
pub fn run(args: InspectArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let label = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{label}: {e}"))?;
    let package = LazyPackage::read(&bytes).map_err(|e| format!("{label}: {e}"))?;
    let files = AppFiles::read(&package).map_err(|e| format!("{label}: {e}"))?;
    let (value, problems) = report(&label, &package, &files);
    if args.json {
        out!("{}", output::to_json_pretty(&value)?);
    } else {
        out!("{}", text(&value));
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use runtime_pack::Uuid;
    use runtime_pack::fixtures;

    fn report_of(name: &str, bytes: &[u8]) -> (Value, Vec<String>) {
        let p = LazyPackage::read(bytes).unwrap();
        let files = AppFiles::read(&p).unwrap();
        report(name, &p, &files)
    }

    #[test]
    fn report_of_each_kind() {
        let normal = fixtures::normal_package(Uuid::nil(), Uuid::nil(), "Fixture App");
        let (v, problems) = report_of("x.app", &normal);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(v["kind"], "normal");
        assert_eq!(v["signed"], false);
        assert_eq!(v["app"]["name"], "Fixture App");
        assert_eq!(v["app"]["idRanges"][0]["from"], 50100);
        assert_eq!(v["app"]["dependencies"][0]["name"], "Base Application");
        assert_eq!(v["objects"]["counts"]["Tables"], 1);
        assert_eq!(v["objects"]["items"][2]["namespace"], "Fixture.Sales");
        let t = text(&v);
        assert!(t.contains("Kind:          normal"), "{t}");
        assert!(
            t.contains("src/System Codeunits/Fixture Codeunit.Codeunit.al"),
            "{t}"
        );

        let signed = fixtures::sign(normal.clone(), None, "Fixture Signer");
        let (v, _) = report_of("s.app", &signed);
        assert_eq!(v["signed"], true);
        assert_eq!(v["signature"]["digest"], "match");
        assert_eq!(v["signature"]["signerCommonName"], "Fixture Signer");
        let mut tampered = signed;
        tampered[13] ^= 1;
        let (v, _) = report_of("t.app", &tampered);
        assert_eq!(v["signature"]["digest"], "mismatch");

        let runtime = fixtures::runtime_package(Uuid::nil());
        let (v, _) = report_of("r.app", &runtime);
        assert_eq!(v["kind"], "runtime");
        assert!(v["app"].is_null());

        let r2r = fixtures::ready_to_run_package(Uuid::nil(), "inner.app", &normal);
        let (v, _) = report_of("w.app", &r2r);
        assert_eq!(v["kind"], "ready-to-run");
        assert_eq!(v["app"]["name"], "Fixture App");
        assert_eq!(v["readyToRun"]["inner"]["kind"], "normal");
    }

    #[test]
    fn defective_package_is_an_error_naming_the_defect() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slip.app");
        let zip = fixtures::zip_raw(&[("../../evil.al", b"x")]);
        std::fs::write(&path, runtime_pack::write_container(Uuid::nil(), &zip)).unwrap();
        let err = run(InspectArgs {
            file: path,
            json: true,
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("../../evil.al"), "{err}");
    }
}
