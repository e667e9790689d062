//! Writing BcNuGet packages (runtime-distribution.md §3, the format agreed in
//! BusinessCentralApps/GenerateBcNuGet): one app per package.
//!
//! - full: `publisher.name.appid`, the `.app` at the root;
//! - symbols: `publisher.name.symbols.appid` (AppSourceSymbols' naming), a symbols-only `.app`;
//! - runtime, indirect: `publisher.name.runtime.appid`, no files, a dependency on the compiled
//!   package `publisher.name.runtime-<a-b-c-d>` version `1.0.0.0`;
//! - runtime, compiled: `publisher.name.runtime-<a-b-c-d>`, version = the BC application
//!   version it was made on, `Microsoft.Application` `[a.b.c.d,a.(b+1))`, the runtime `.app`
//!   at the root and other localizations in folders named by country.
//!
//! Every package lists the app's dependencies as `publisher.name.appid` + minimum version
//! (symbols packages: their symbols ids) and `Microsoft.Application` / `Microsoft.Platform`.
//! The bytes are deterministic: fixed entry order and timestamps, the core-properties part
//! named from a hash of id and version.

use super::naming::{bcnuget_id, id_part, symbols_id};
use super::nuspec::{Nuspec, NuspecDependency};
use super::version::{NuGetVersion, VersionRange};

/// What a package says about the app besides id and version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NuspecMetadata {
    /// `<title>`: the app's name.
    pub title: String,
    /// `<description>`: the app's brief or description.
    pub description: String,
    /// `<authors>`: the publisher.
    pub authors: String,
}

/// A dependency of the app (from its manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDependency {
    /// App id.
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Minimum version.
    pub version: NuGetVersion,
}

/// The app a package is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// App id.
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version.
    pub version: NuGetVersion,
    /// Brief or description (may be empty).
    pub description: String,
    /// `application` of the manifest.
    pub application: Option<NuGetVersion>,
    /// `platform` of the manifest.
    pub platform: Option<NuGetVersion>,
    /// `dependencies` of the manifest.
    pub dependencies: Vec<AppDependency>,
}

/// The version of an app manifest's version field.
fn nv(v: &al_manifest::AppVersion) -> NuGetVersion {
    NuGetVersion::new([
        u64::from(v.major),
        u64::from(v.minor),
        u64::from(v.build),
        u64::from(v.revision),
    ])
}

impl AppInfo {
    /// From an app manifest (app.json model).
    pub fn from_manifest(m: &al_manifest::AppManifest) -> Self {
        Self {
            id: m.id,
            name: m.name.clone(),
            publisher: m.publisher.clone(),
            version: nv(&m.version),
            description: m
                .brief
                .clone()
                .filter(|b| !b.trim().is_empty())
                .or_else(|| m.description.clone())
                .unwrap_or_default(),
            application: m.application.as_ref().map(nv),
            platform: m.platform.as_ref().map(nv),
            dependencies: m
                .dependencies
                .iter()
                .map(|d| AppDependency {
                    id: d.id,
                    name: d.name.clone(),
                    publisher: d.publisher.clone(),
                    version: nv(&d.version),
                })
                .collect(),
        }
    }

    fn metadata(&self) -> NuspecMetadata {
        NuspecMetadata {
            title: self.name.clone(),
            description: if self.description.trim().is_empty() {
                format!("{} by {}", self.name, self.publisher)
            } else {
                self.description.clone()
            },
            authors: self.publisher.clone(),
        }
    }

    /// `Microsoft.Application` (at least `application`) and `Microsoft.Platform`.
    fn microsoft_dependencies(&self) -> Vec<NuspecDependency> {
        let mut out = Vec::new();
        if let Some(a) = &self.application {
            out.push(NuspecDependency {
                id: "Microsoft.Application".into(),
                range: VersionRange::at_least(a.clone()),
            });
        }
        if let Some(p) = &self.platform {
            out.push(NuspecDependency {
                id: "Microsoft.Platform".into(),
                range: VersionRange::at_least(p.clone()),
            });
        }
        out
    }

    /// The app's dependencies as BcNuGet ids (`symbols`: as symbols ids).
    fn app_dependencies(&self, symbols: bool) -> Vec<NuspecDependency> {
        self.dependencies
            .iter()
            .map(|d| NuspecDependency {
                id: if symbols {
                    symbols_id(&d.publisher, &d.name, None, d.id)
                } else {
                    bcnuget_id(&d.publisher, &d.name, d.id)
                },
                range: VersionRange::at_least(d.version.clone()),
            })
            .collect()
    }

    /// `publisher.name.runtime-<a-b-c-d>`: the compiled runtime package of this version.
    pub fn compiled_runtime_id(&self) -> String {
        format!(
            "{}.{}.runtime-{}",
            id_part(&self.publisher),
            id_part(&self.name),
            self.version.to_string().replace('.', "-")
        )
    }
}

/// A written package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltNupkg {
    /// Package id.
    pub id: String,
    /// Version.
    pub version: NuGetVersion,
    /// `<id>.<version>.nupkg`.
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

fn built(spec: &Nuspec, meta: &NuspecMetadata, files: &[(&str, &[u8])]) -> BuiltNupkg {
    BuiltNupkg {
        id: spec.id.clone(),
        version: spec.version.clone(),
        file_name: format!("{}.{}.nupkg", spec.id, spec.version),
        bytes: write_package(spec, meta, files),
    }
}

/// The full package: the `.app` (`file_name`, its bytes) at the root.
///
/// ```
/// use runtime_pack::nuget::{AppInfo, Nupkg, full_package};
/// let app = AppInfo { id: uuid::Uuid::nil(), name: "Loyalty".into(), publisher: "Contoso Ltd".into(),
///     version: "1.2.0.0".parse().unwrap(), description: String::new(),
///     application: Some("24.0.0.0".parse().unwrap()), platform: None, dependencies: vec![] };
/// let p = full_package(&app, "Contoso Ltd_Loyalty_1.2.0.0.app", b"not read here");
/// assert_eq!(p.id, "ContosoLtd.Loyalty.00000000-0000-0000-0000-000000000000");
/// assert_eq!(p.file_name, "ContosoLtd.Loyalty.00000000-0000-0000-0000-000000000000.1.2.0.0.nupkg");
/// ```
pub fn full_package(app: &AppInfo, file_name: &str, bytes: &[u8]) -> BuiltNupkg {
    let mut dependencies = app.microsoft_dependencies();
    dependencies.extend(app.app_dependencies(false));
    let spec = Nuspec {
        id: bcnuget_id(&app.publisher, &app.name, app.id),
        version: app.version.clone(),
        dependencies,
    };
    built(&spec, &app.metadata(), &[(file_name, bytes)])
}

/// The symbols package: a symbols-only `.app` at the root.
pub fn symbols_package(app: &AppInfo, file_name: &str, bytes: &[u8]) -> BuiltNupkg {
    let mut dependencies = app.microsoft_dependencies();
    dependencies.extend(app.app_dependencies(true));
    let spec = Nuspec {
        id: symbols_id(&app.publisher, &app.name, None, app.id),
        version: app.version.clone(),
        dependencies,
    };
    built(&spec, &app.metadata(), &[(file_name, bytes)])
}

/// The indirect runtime package: no files; the app's dependencies plus the compiled package.
pub fn runtime_indirect_package(app: &AppInfo) -> BuiltNupkg {
    let mut dependencies = app.microsoft_dependencies();
    dependencies.extend(app.app_dependencies(false));
    dependencies.push(NuspecDependency {
        id: app.compiled_runtime_id(),
        range: VersionRange::at_least(NuGetVersion::new([1, 0, 0, 0])),
    });
    let spec = Nuspec {
        id: format!(
            "{}.{}.runtime.{}",
            id_part(&app.publisher),
            id_part(&app.name),
            app.id
        ),
        version: app.version.clone(),
        dependencies,
    };
    built(&spec, &app.metadata(), &[])
}

/// The compiled runtime package for one BC application version: `files` as (country folder
/// or `None` for the root, file name, bytes).
pub fn runtime_compiled_package(
    app: &AppInfo,
    bc_version: &NuGetVersion,
    files: &[(Option<&str>, &str, &[u8])],
) -> Result<BuiltNupkg, String> {
    let [major, minor, ..] = bc_version.parts;
    let upper: NuGetVersion = format!("{major}.{}", minor + 1).parse()?;
    let range: VersionRange = format!("[{bc_version},{upper})").parse()?;
    let mut dependencies = vec![NuspecDependency {
        id: "Microsoft.Application".into(),
        range,
    }];
    if let Some(p) = &app.platform {
        dependencies.push(NuspecDependency {
            id: "Microsoft.Platform".into(),
            range: VersionRange::at_least(p.clone()),
        });
    }
    let spec = Nuspec {
        id: app.compiled_runtime_id(),
        version: bc_version.clone(),
        dependencies,
    };
    let paths: Vec<String> = files
        .iter()
        .map(|(c, f, _)| match c {
            Some(c) => format!("{c}/{f}"),
            None => (*f).to_string(),
        })
        .collect();
    let entries: Vec<(&str, &[u8])> = paths
        .iter()
        .zip(files)
        .map(|(p, (_, _, b))| (p.as_str(), *b))
        .collect();
    Ok(built(&spec, &app.metadata(), &entries))
}

/// A nupkg (OPC): `<id>.nuspec`, `[Content_Types].xml`, `_rels/.rels`, the core properties
/// part, then `files`; deflated, fixed timestamps (1980-01-01), deterministic.
pub fn write_package(spec: &Nuspec, meta: &NuspecMetadata, files: &[(&str, &[u8])]) -> Vec<u8> {
    use sha2::Digest;
    use std::io::Write;
    let spec_name = format!("{}.nuspec", spec.id);
    let hash = sha2::Sha256::digest(format!("{}\n{}", spec.id, spec.version).as_bytes());
    let props_name = format!(
        "package/services/metadata/core-properties/{}.psmdcp",
        hash.iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let types = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\" /><Default Extension=\"nuspec\" ContentType=\"application/octet\" /><Default Extension=\"psmdcp\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\" /><Default Extension=\"app\" ContentType=\"application/octet\" /></Types>";
    let rels = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Type=\"http://schemas.microsoft.com/packaging/2010/07/manifest\" Target=\"/{spec_name}\" Id=\"R1\" /><Relationship Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"/{props_name}\" Id=\"R2\" /></Relationships>"
    );
    let props = core_properties(spec, meta);
    let nuspec = spec.to_xml_with(meta);
    let mut all: Vec<(&str, &[u8])> = vec![
        (&spec_name, nuspec.as_bytes()),
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        (&props_name, props.as_bytes()),
    ];
    all.extend_from_slice(files);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, data) in all {
        // Writing to memory cannot fail.
        let _ = zip.start_file(name, opts);
        let _ = zip.write_all(data);
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// `package/services/metadata/core-properties/*.psmdcp`.
fn core_properties(spec: &Nuspec, meta: &NuspecMetadata) -> String {
    use al_manifest::xml::escape_text as t;
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><coreProperties xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\"><dc:creator>{}</dc:creator><dc:description>{}</dc:description><dc:identifier>{}</dc:identifier><version>{}</version><keywords></keywords><dc:title>{}</dc:title><lastModifiedBy>alkit</lastModifiedBy></coreProperties>",
        t(&meta.authors),
        t(&meta.description),
        t(&spec.id),
        spec.version,
        t(&meta.title)
    )
}
