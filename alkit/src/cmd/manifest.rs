//! `alkit manifest show|to-xml`: the app manifest of a project, validated.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use al_manifest::{AppJsonDocument, AppManifest, ManifestDiagnostic, Severity};
use clap::{Args, Subcommand};

use crate::output;

/// `alkit manifest ...`
#[derive(Debug, Args)]
pub struct ManifestArgs {
    /// What to do with the manifest.
    #[command(subcommand)]
    pub action: ManifestAction,
}

/// Manifest actions.
#[derive(Debug, Subcommand)]
pub enum ManifestAction {
    /// Show the app.json of a project (a folder holding app.json, or the file itself).
    Show {
        /// Project folder or app.json file.
        path: PathBuf,
        /// Print the typed model as JSON instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Print (or write) the NavxManifest.xml a package built from this app.json carries.
    ToXml {
        /// Project folder or app.json file.
        path: PathBuf,
        /// Write the XML to this file (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Resolves `DIR|app.json` to the app.json path.
pub fn app_json_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("app.json")
    } else {
        path.to_path_buf()
    }
}

/// Reads and parses an app.json; errors name the file (as given) and the JSON path.
pub fn load_manifest(path: &Path) -> Result<(PathBuf, AppManifest), Box<dyn std::error::Error>> {
    let (file, doc) = load_document(path)?;
    Ok((file, doc.manifest().clone()))
}

/// Reads and parses an app.json as an editable document (keeps the original text).
pub fn load_document(
    path: &Path,
) -> Result<(PathBuf, AppJsonDocument), Box<dyn std::error::Error>> {
    let file = app_json_path(path);
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let text = decode_text(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let label = file.display().to_string();
    let doc = AppJsonDocument::parse_named(&text, &label)?;
    Ok((file, doc))
}

/// Decodes a JSON/text file with the one decoder ([`al_manifest::text::decode`]): UTF-8
/// (with or without BOM) or UTF-16 LE/BE with BOM (transcoded). A UTF-8 BOM is kept (the
/// parsers accept it, and an edited app.json is written back with it). Anything else is
/// an error saying which encoding and where it broke.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    use al_manifest::text::{TextEncoding, decode};
    let d = decode(bytes).map_err(|e| e.to_string())?;
    Ok(match d.encoding {
        TextEncoding::Utf8Bom => format!("\u{FEFF}{}", d.text),
        _ => d.text.into_owned(),
    })
}

/// Renders a manifest diagnostic in the `file(line,col): severity CODE: message` form.
pub fn render_diagnostic(d: &ManifestDiagnostic) -> String {
    let pos = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("({l},{c})"),
        _ => String::new(),
    };
    let sev = d.severity.as_str();
    let code = d.code.map(|c| format!(" {c}")).unwrap_or_default();
    let path = if d.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", d.path)
    };
    format!("{}{pos}: {sev}{code}: {path}{}", d.file, d.message)
}

/// Runs `alkit manifest`.
pub fn run(args: ManifestArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match args.action {
        ManifestAction::Show { path, json } => {
            let (_, doc) = load_document(&path)?;
            let m = doc.manifest();
            if json {
                out!("{}", output::to_json_pretty(m)?);
            } else {
                out!("{}", summary(m));
            }
            let findings = doc.validate();
            for d in &findings {
                errln!("{}", render_diagnostic(d));
            }
            Ok(if findings.iter().any(|d| d.severity == Severity::Error) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        ManifestAction::ToXml { path, out } => {
            let (_, m) = load_manifest(&path)?;
            let xml = m.to_navx().to_xml();
            match out {
                Some(out) => output::write_atomic(&out, xml.as_bytes())
                    .map_err(|e| format!("{}: {e}", out.display()))?,
                None => out!("{xml}"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "-".to_string(), ToString::to_string)
}

/// A human summary of a manifest.
pub fn summary(m: &AppManifest) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{} {} by {}", m.name, m.version, m.publisher);
    let _ = writeln!(s, "  id            {}", m.id);
    let _ = writeln!(
        s,
        "  runtime       {}   target {}",
        opt(&m.runtime),
        m.target.as_ref().map_or("-", |t| t.as_str())
    );
    let _ = writeln!(
        s,
        "  platform      {}   application {}",
        opt(&m.platform),
        opt(&m.application)
    );
    let ranges = m.id_ranges();
    let ranges = if ranges.is_empty() {
        "(none)".to_string()
    } else {
        ranges
            .iter()
            .map(|r| format!("{}..{}", r.from, r.to))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(s, "  id ranges     {ranges}");
    if m.dependencies.is_empty() {
        let _ = writeln!(s, "  dependencies  (none)");
    } else {
        let _ = writeln!(s, "  dependencies");
        for d in &m.dependencies {
            let _ = writeln!(
                s,
                "    {} by {} >= {} ({})",
                d.name, d.publisher, d.version, d.id
            );
        }
    }
    let p = m.effective_resource_exposure_policy();
    let _ = writeln!(
        s,
        "  exposure      allowDebugging={} allowDownloadingSource={} includeSourceInSymbolFile={} applyToDevExtension={}{}",
        p.allow_debugging,
        p.allow_downloading_source,
        p.include_source_in_symbol_file,
        p.apply_to_dev_extension,
        match m.show_my_code {
            Some(v) => format!(" (legacy showMyCode={v})"),
            None => String::new(),
        }
    );
    if !m.features.is_empty() {
        let _ = writeln!(s, "  features      {}", m.features.join(", "));
    }
    if !m.extra.is_empty() {
        let keys: Vec<&str> = m.extra.keys().map(String::as_str).collect();
        let _ = writeln!(s, "  other keys    {}", keys.join(", "));
    }
    s
}
