//! The `<id>.nuspec` manifest of a NuGet package: id, version, dependencies.

use super::NuGetError;
use super::version::{NuGetVersion, VersionRange};

/// One `<dependency id="…" version="…"/>` of a nuspec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NuspecDependency {
    /// The package id as written.
    pub id: String,
    /// The version range (no `version` attribute: any version).
    pub range: VersionRange,
}

/// What alkit reads of a nuspec.
///
/// ```
/// use runtime_pack::nuget::Nuspec;
/// let xml = r#"<?xml version="1.0"?>
/// <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
///   <metadata><id>Contoso.Loyalty.5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11</id><version>1.2.0.0</version>
///     <dependencies><group><dependency id="Microsoft.Application" version="[24.0,25.0)"/></group></dependencies>
///   </metadata></package>"#;
/// let n = Nuspec::parse(xml).unwrap();
/// assert_eq!(n.version.to_string(), "1.2.0.0");
/// assert_eq!(n.dependencies[0].id, "Microsoft.Application");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nuspec {
    /// `metadata/id`.
    pub id: String,
    /// `metadata/version`.
    pub version: NuGetVersion,
    /// Every dependency, of every group (target frameworks mean nothing to BC packages).
    pub dependencies: Vec<NuspecDependency>,
}

impl Nuspec {
    /// Parses a nuspec (UTF-8, BOM allowed).
    pub fn parse(text: &str) -> Result<Self, NuGetError> {
        let bad = |m: String| NuGetError::Nuspec(m);
        let root = al_manifest::xml::parse(text.trim_start_matches('\u{feff}'))
            .map_err(|e| bad(e.to_string()))?;
        if root.name != "package" {
            return Err(bad(format!(
                "root element is <{}>, not <package>",
                root.name
            )));
        }
        let meta = root
            .child("metadata")
            .ok_or_else(|| bad("no <metadata>".into()))?;
        let id = meta
            .child("id")
            .map(|e| e.text.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| bad("no <id>".into()))?;
        let version = meta
            .child("version")
            .ok_or_else(|| bad("no <version>".into()))?
            .text
            .parse()
            .map_err(bad)?;
        let mut dependencies = Vec::new();
        if let Some(deps) = meta.child("dependencies") {
            let mut add = |e: &al_manifest::xml::Element| -> Result<(), NuGetError> {
                let id = e
                    .attr("id")
                    .ok_or_else(|| bad("a <dependency> without id".into()))?;
                let range = e.attr("version").unwrap_or("").parse().map_err(bad)?;
                dependencies.push(NuspecDependency {
                    id: id.to_owned(),
                    range,
                });
                Ok(())
            };
            for d in deps.children_named("dependency") {
                add(d)?;
            }
            for g in deps.children_named("group") {
                for d in g.children_named("dependency") {
                    add(d)?;
                }
            }
        }
        Ok(Self {
            id,
            version,
            dependencies,
        })
    }

    /// A nuspec document for `id` `version` with `dependencies` (for packages built by tools
    /// and tests).
    ///
    /// ```
    /// use runtime_pack::nuget::{Nuspec, NuspecDependency};
    /// let n = Nuspec { id: "A.B".into(), version: "1.0".parse().unwrap(), dependencies: vec![
    ///     NuspecDependency { id: "C.D".into(), range: "[1.0,2.0)".parse().unwrap() }] };
    /// assert_eq!(Nuspec::parse(&n.to_xml()).unwrap(), n);
    /// ```
    pub fn to_xml(&self) -> String {
        self.to_xml_with(&super::pack::NuspecMetadata {
            title: String::new(),
            description: "Business Central app".into(),
            authors: "alkit".into(),
        })
    }

    /// The nuspec document with `<title>` (when not empty), `<description>` and `<authors>`.
    pub fn to_xml_with(&self, meta: &super::pack::NuspecMetadata) -> String {
        use al_manifest::xml::{escape_attr, escape_text};
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\">\n  <metadata>\n",
        );
        s.push_str(&format!("    <id>{}</id>\n", escape_text(&self.id)));
        s.push_str(&format!("    <version>{}</version>\n", self.version));
        if !meta.title.is_empty() {
            s.push_str(&format!(
                "    <title>{}</title>\n",
                escape_text(&meta.title)
            ));
        }
        s.push_str(&format!(
            "    <authors>{}</authors>\n    <description>{}</description>\n",
            escape_text(&meta.authors),
            escape_text(&meta.description)
        ));
        s.push_str("    <dependencies>\n");
        for d in &self.dependencies {
            s.push_str(&format!(
                "      <dependency id=\"{}\" version=\"{}\" />\n",
                escape_attr(&d.id),
                escape_attr(&d.range.to_string())
            ));
        }
        s.push_str("    </dependencies>\n  </metadata>\n</package>\n");
        s
    }
}
