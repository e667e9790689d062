//! `alkit licence check|convert|show`: the licence check for runtime packages.
//!
//! `check` reads a licence (`.bclicense` or a licence range file; `.flf` is refused) and the
//! objects of a project folder (every `.al` file) or a `.app` (its AL source, else its
//! SymbolReference.json), and reports per object whether the licence allows generating a
//! runtime package (direct Insert, treated like publishing) and running it (direct Execute).
//! Exit code 1 if any object fails, 2 for bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use runtime_pack::licence::{
    Date, LicObject, Licence, LicenceCheck, LicenceFormat, ObjectCheck, ObjectType,
    SignatureStatus, Status, check_objects, read_licence, write_range_file,
};
use runtime_pack::{PackageKind, SymbolObjectType};

use super::check::{is_app_file, read_package};
use crate::output::{to_json_pretty, write_atomic};
use crate::project::read_al_files;

/// `alkit licence ...`
#[derive(Debug, Args)]
pub struct LicenceArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: LicenceCommand,
}

/// Licence subcommands.
#[derive(Debug, Subcommand)]
pub enum LicenceCommand {
    /// Check every object of a project folder or .app against a licence (exit 1 if any is
    /// outside it).
    Check(CheckArgs),
    /// Write a licence range file (`type from to permissions [expires]`) from a .bclicense.
    Convert(ConvertArgs),
    /// Show a licence's facts: licensee, serial number, country, expiry, collections.
    Show(ShowArgs),
}

/// `alkit licence check DIR|FILE.app --licence FILE`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project folder (all .al files below it) or a .app package.
    pub path: PathBuf,
    /// Licence: a .bclicense or a licence range file.
    #[arg(long, alias = "license")]
    pub licence: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The date that decides expiry (YYYY-MM-DD); default: today (UTC).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<Date>,
    /// Ask for the XML signature's integrity check (not implemented: reported as not checked).
    #[arg(long)]
    pub verify_signature: bool,
}

/// `alkit licence convert FILE.bclicense [--out FILE]`
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The licence to convert (.bclicense; a range file is normalised).
    pub file: PathBuf,
    /// Where to write the range file (atomically); default: standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `alkit licence show FILE`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The licence (.bclicense or range file).
    pub file: PathBuf,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Ask for the XML signature's integrity check (not implemented: reported as not checked).
    #[arg(long)]
    pub verify_signature: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Runs `alkit licence`.
pub fn run(args: LicenceArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match args.command {
        LicenceCommand::Check(a) => run_check(a),
        LicenceCommand::Convert(a) => run_convert(a),
        LicenceCommand::Show(a) => run_show(a),
    }
}

fn load(path: &Path) -> Result<Licence, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    read_licence(&bytes).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Today's date (UTC) from the system clock.
pub(crate) fn today_utc() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → calendar date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: u16::try_from(year).unwrap_or(9999),
        month,
        day,
    }
}

fn signature_line(lic: &Licence, asked: bool) -> String {
    match (&lic.signature, lic.format) {
        (_, LicenceFormat::RangeFile) => "none (range file)".to_string(),
        (SignatureStatus::Absent, _) => "none (unsigned file)".to_string(),
        (SignatureStatus::NotChecked { signer }, _) => {
            let by = signer
                .as_deref()
                .map(|s| format!(" by {s}"))
                .unwrap_or_default();
            if asked {
                format!(
                    "present{by}; integrity NOT CHECKED: alkit does not implement XML \
                     canonicalisation (C14N), so --verify-signature cannot verify it (a check would \
                     prove integrity only, never that Microsoft issued the file)"
                )
            } else {
                format!("present{by}; not checked")
            }
        }
    }
}

fn format_name(f: LicenceFormat) -> &'static str {
    match f {
        LicenceFormat::BcLicense => ".bclicense",
        LicenceFormat::RangeFile => "licence range file",
    }
}

// ---------------------------------------------------------------- objects

fn symbol_kind(t: SymbolObjectType) -> ObjectType {
    use SymbolObjectType as S;
    match t {
        S::Table => ObjectType::Table,
        S::Codeunit => ObjectType::Codeunit,
        S::Page => ObjectType::Page,
        S::PageExtension => ObjectType::PageExtension,
        S::PageCustomization => ObjectType::PageCustomization,
        S::TableExtension => ObjectType::TableExtension,
        S::Report => ObjectType::Report,
        S::XmlPort => ObjectType::XmlPort,
        S::Query => ObjectType::Query,
        S::Profile => ObjectType::Profile,
        S::ProfileExtension => ObjectType::ProfileExtension,
        S::ControlAddIn => ObjectType::ControlAddIn,
        S::EnumType => ObjectType::Enum,
        S::EnumExtensionType => ObjectType::EnumExtension,
        S::DotNetPackage => ObjectType::DotNet,
        S::Interface => ObjectType::Interface,
        S::PermissionSet => ObjectType::PermissionSet,
        S::PermissionSetExtension => ObjectType::PermissionSetExtension,
        S::ReportExtension => ObjectType::ReportExtension,
    }
}

/// Objects declared in AL source. `TableType` and `ObsoleteState` are read from the
/// object-level properties of the parser's typed view (`#if` branches are not evaluated).
pub(crate) fn objects_from_al(label: &str, bytes: &[u8]) -> Vec<LicObject> {
    let parse = al_parser::parse(bytes);
    let mut out = Vec::new();
    for o in parse.source_file().objects() {
        let Some(kind) = o.kind().and_then(|k| ObjectType::from_keyword(k.as_str())) else {
            continue;
        };
        let mut temporary = false;
        let mut obsolete_removed = false;
        for p in o.properties() {
            let name = p.name();
            let value = p
                .value()
                .map(|v| String::from_utf8_lossy(v.text()).trim().to_string())
                .unwrap_or_default();
            if name.eq_ignore_ascii_case("TableType") && value.eq_ignore_ascii_case("Temporary") {
                temporary = true;
            }
            if name.eq_ignore_ascii_case("ObsoleteState") && value.eq_ignore_ascii_case("Removed") {
                obsolete_removed = true;
            }
        }
        out.push(LicObject {
            kind,
            id: o.id().and_then(|i| i.value),
            name: o.name().map(|n| n.value).unwrap_or_default(),
            temporary,
            obsolete_removed,
            source: label.to_string(),
        });
    }
    out
}

fn objects_of(path: &Path) -> Result<Vec<LicObject>, Box<dyn std::error::Error>> {
    if !is_app_file(path) {
        if !path.is_dir() {
            return Err(format!("{}: not a project folder or a .app file", path.display()).into());
        }
        let files = read_al_files(path)?;
        return Ok(files
            .iter()
            .flat_map(|(label, bytes)| objects_from_al(label, bytes))
            .collect());
    }
    let pkg = read_package(path)?;
    let file = path.display().to_string();
    if pkg.kind() == PackageKind::Runtime {
        return Err(format!(
            "{file}: is a runtime package: it holds no AL source or symbols to check (check the \
             project or the .app it was generated from)"
        )
        .into());
    }
    package_objects(&pkg, &file)
}

/// The objects of a package (named `file` in messages) for the licence check: from its AL
/// source, else from its SymbolReference.json (`TableType = Temporary` and removed objects
/// marked).
pub(crate) fn package_objects(
    pkg: &runtime_pack::Package,
    file: &str,
) -> Result<Vec<LicObject>, Box<dyn std::error::Error>> {
    let sources: Vec<_> = pkg
        .source_files()
        .filter(|e| {
            Path::new(&e.path)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("al"))
        })
        .collect();
    if !sources.is_empty() {
        return Ok(sources
            .iter()
            .flat_map(|e| objects_from_al(&format!("{file}!{}", e.path), &e.data))
            .collect());
    }
    let symbols = pkg
        .symbol_reference()
        .map_err(|e| format!("{file}: SymbolReference.json: {e}"))?
        .ok_or_else(|| {
            format!("{file}: the package has neither AL source nor SymbolReference.json")
        })?;
    let prop = |o: &runtime_pack::SymbolObject, name: &str| -> Option<String> {
        o.properties
            .as_ref()?
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| p.value.as_ref())
            .and_then(|v| v.as_str().map(str::to_string))
    };
    Ok(symbols
        .objects()
        .into_iter()
        .map(|f| {
            let o = f.object;
            LicObject {
                kind: symbol_kind(f.kind),
                id: u32::try_from(o.id).ok().filter(|id| *id != 0),
                name: o.name.clone(),
                temporary: prop(o, "TableType")
                    .is_some_and(|v| v.eq_ignore_ascii_case("Temporary")),
                obsolete_removed: prop(o, "ObsoleteState")
                    .is_some_and(|v| v.eq_ignore_ascii_case("Removed")),
                source: format!("{file}!SymbolReference.json"),
            }
        })
        .collect())
}

// ---------------------------------------------------------------- check

fn range_text(r: Option<(u32, u32)>) -> String {
    r.map_or("none".to_string(), |(f, t)| format!("{f}..{t}"))
}

fn ok_or(b: Option<bool>, missing: &str) -> &str {
    if b == Some(true) { "ok" } else { missing }
}

fn object_title(c: &ObjectCheck) -> String {
    let o = &c.object;
    let id = o.id.map(|i| format!(" {i}")).unwrap_or_default();
    format!("{}{id} \"{}\"", o.kind.keyword(), o.name)
}

fn object_line(c: &ObjectCheck) -> String {
    let tag = match c.status {
        Status::Ok => "ok     ",
        Status::Fail => "FAIL   ",
        Status::Warning => "warning",
        Status::Skipped => "skip   ",
    };
    let title = object_title(c);
    let Some(coll) = c.collection else {
        return format!("{tag} {title}: {}", c.notes.join("; "));
    };
    let mut s = format!(
        "{tag} {title}: collection={}, range={}, {}",
        coll.file_name(),
        range_text(c.range),
        c.permissions.describe()
    );
    if let Some((r, p)) = &c.table_data {
        s.push_str(&format!(
            ", tabledata={} {}",
            range_text(*r),
            p.to_letters()
        ));
    }
    s.push_str(&format!(
        ", publish={}, generate={}, runtime={}",
        ok_or(c.publish, "missing I"),
        ok_or(c.generate, "missing I"),
        ok_or(c.runtime, "missing X")
    ));
    if !c.notes.is_empty() {
        s.push_str(&format!(" ({})", c.notes.join("; ")));
    }
    s
}

fn licence_facts(lic: &Licence) -> Vec<(String, String)> {
    let mut v = vec![("format".to_string(), format_name(lic.format).to_string())];
    let mut push = |k: &str, val: Option<String>| {
        if let Some(x) = val {
            v.push((k.to_string(), x));
        }
    };
    push("serial", lic.serial().map(str::to_string));
    push("licensee", lic.licensee().map(str::to_string));
    push("country", lic.country().map(str::to_string));
    push("expires", lic.expires().map(|d| d.to_string()));
    for c in &lic.comments {
        let k = c.key.to_ascii_lowercase();
        if !["serial", "licensee", "country", "expires"].contains(&k.as_str()) {
            v.push((c.key.clone(), c.value.clone()));
        }
    }
    v
}

fn run_check(a: CheckArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let lic = load(&a.licence)?;
    let objects = objects_of(&a.path)?;
    let today = a.today.unwrap_or_else(today_utc);
    let report: LicenceCheck = check_objects(&lic, &objects, Some(today));
    let failures: Vec<&ObjectCheck> = report.failures().collect();
    let count = |s: Status| report.objects.iter().filter(|o| o.status == s).count();
    let signature = signature_line(&lic, a.verify_signature);
    if a.json {
        let facts: serde_json::Map<String, serde_json::Value> = licence_facts(&lic)
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let value = serde_json::json!({
            "licence": {
                "file": a.licence.display().to_string(),
                "facts": facts,
                "signature": signature,
            },
            "path": a.path.display().to_string(),
            "today": today,
            "requirements": {
                "generate": "direct Insert (generating a runtime package is treated like publishing)",
                "publish": "direct Insert",
                "runtime": "direct Execute",
            },
            "warnings": report.warnings,
            "objects": report.objects,
            "summary": {
                "ok": count(Status::Ok),
                "failed": count(Status::Fail),
                "warnings": count(Status::Warning),
                "skipped": count(Status::Skipped),
            },
            "passed": failures.is_empty(),
        });
        out!("{}", to_json_pretty(&value)?);
    } else {
        let mut out = String::new();
        out.push_str(&format!("licence {}:", a.licence.display()));
        for (k, v) in licence_facts(&lic) {
            out.push_str(&format!(" {k}={v};"));
        }
        out.push_str(&format!(" signature: {signature}\n"));
        out.push_str(&format!(
            "today {today}; generate = direct Insert (like publishing), runtime = direct Execute\n"
        ));
        for w in &report.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        for c in &report.objects {
            out.push_str(&object_line(c));
            out.push('\n');
        }
        out.push_str(&format!(
            "{} objects: {} ok, {} failed, {} warnings, {} skipped\n",
            report.objects.len(),
            count(Status::Ok),
            count(Status::Fail),
            count(Status::Warning),
            count(Status::Skipped)
        ));
        if !failures.is_empty() {
            out.push_str(&format!(
                "{} objects are outside the licence; a runtime package cannot be generated:\n",
                failures.len()
            ));
            for c in &failures {
                let mut missing = Vec::new();
                if c.generate != Some(true) {
                    missing.push("Insert (generate/publish)");
                }
                if c.runtime != Some(true) {
                    missing.push("Execute (runtime)");
                }
                out.push_str(&format!(
                    "  {} ({}): missing {}\n",
                    object_title(c),
                    c.object.source,
                    missing.join(" and ")
                ));
            }
        }
        out!("{out}");
    }
    if failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        errln!(
            "alkit: error: {} objects are outside the licence",
            failures.len()
        );
        Ok(ExitCode::from(1))
    }
}

// ---------------------------------------------------------------- convert, show

fn run_convert(a: ConvertArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let lic = load(&a.file)?;
    let text = write_range_file(&lic);
    match &a.out {
        Some(out) => {
            write_atomic(out, text.as_bytes()).map_err(|e| format!("{}: {e}", out.display()))?;
            let rows: usize = lic
                .collections
                .iter()
                .filter(|c| c.kind.is_some())
                .map(|c| c.ranges.len())
                .sum();
            errln!(
                "alkit: wrote {} ({rows} ranges; signature and header not carried over)",
                out.display()
            );
        }
        None => out!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn run_show(a: ShowArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let lic = load(&a.file)?;
    let signature = signature_line(&lic, a.verify_signature);
    let collections: Vec<serde_json::Value> = lic
        .collections
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "code": c.kind.map(|k| k.code()),
                "rows": c.ranges.len(),
                "declared_rows": c.declared_count,
                "full_rimdx_rows": c.ranges.iter().filter(|r| r.permissions.to_letters() == "RIMDX").count(),
                "expiring_rows": c.ranges.iter().filter(|r| r.expiry.is_some()).count(),
            })
        })
        .collect();
    if a.json {
        let facts: serde_json::Map<String, serde_json::Value> = licence_facts(&lic)
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let value = serde_json::json!({
            "file": a.file.display().to_string(),
            "facts": facts,
            "header": lic.header.iter().filter_map(|l| Some(serde_json::json!({"key": l.key.as_ref()?, "value": l.value}))).collect::<Vec<_>>(),
            "signature": signature,
            "collections": collections,
            "warnings": lic.warnings,
        });
        out!("{}", to_json_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!("{}\n", a.file.display());
    for (k, v) in licence_facts(&lic) {
        out.push_str(&format!("  {k:<10} {v}\n"));
    }
    out.push_str(&format!("  signature  {signature}\n"));
    let kv: Vec<_> = lic.header.iter().filter(|l| l.key.is_some()).collect();
    if !kv.is_empty() {
        out.push_str("header (labels as written, not interpreted):\n");
        for l in kv {
            let v = l.value.as_deref().unwrap_or_default().replace('\n', " / ");
            out.push_str(&format!(
                "  {}: {v}\n",
                l.key.as_deref().unwrap_or_default()
            ));
        }
    }
    out.push_str("collections:\n");
    for c in &collections {
        out.push_str(&format!(
            "  {:<20} code {:>4}  {:>4} rows  ({} RIMDX, {} with expiry)\n",
            c["name"].as_str().unwrap_or_default(),
            c["code"]
                .as_u64()
                .map_or("?".to_string(), |n| n.to_string()),
            c["rows"].as_u64().unwrap_or(0),
            c["full_rimdx_rows"].as_u64().unwrap_or(0),
            c["expiring_rows"].as_u64().unwrap_or(0)
        ));
    }
    for w in &lic.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out!("{out}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(civil_from_days(20_454).to_string(), "2026-01-01");
    }
}
