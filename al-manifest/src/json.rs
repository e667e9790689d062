//! Reading `app.json` text into [`AppManifest`]: JSON-with-comments syntax,
//! BOM, case-insensitive keys, typed errors with JSON path and line:column.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use uuid::Uuid;

use crate::diag::{DiagnosticKind, ManifestDiagnostic, ManifestErrors, line_col};
use crate::model::{
    AppManifest, BuildInfo, Dependency, IdRange, InternalsVisibleTo, KNOWN_PROPERTIES,
    ResourceExposurePolicy, SourceInfo, Target,
};
use crate::version::{AppVersion, RuntimeVersion};

/// The UTF-8 byte order mark.
pub(crate) const BOM: char = '\u{feff}';

/// Parse options shared by every JSON reader of this crate (and the CLI's readers of AL
/// JSON files such as rule sets): JSON plus comments and trailing commas (what
/// Newtonsoft.Json, which the AL tools use, tolerates); no JSON5 extras.
///
/// ```
/// let o = al_manifest::json_parse_options();
/// assert!(o.allow_trailing_commas && o.allow_comments && !o.allow_single_quoted_strings);
/// ```
pub fn parse_options() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

pub(crate) fn path_to_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Name of an AST property.
pub(crate) fn prop_name<'a>(n: &'a ObjectPropName<'a>) -> &'a str {
    n.as_str()
}

/// Parses JSON(C) text (BOM already stripped) to an AST or a syntax diagnostic.
pub(crate) fn parse_ast<'a>(text: &'a str, file: &str) -> Result<Ast<'a>, ManifestErrors> {
    let res =
        jsonc_parser::parse_to_ast(text, &Default::default(), &parse_options()).map_err(|e| {
            let (line, col) = line_col(text, e.range().start);
            ManifestErrors::single(
                ManifestDiagnostic::error(DiagnosticKind::Syntax, file, "", e.kind().to_string())
                    .at(line, col),
            )
        })?;
    res.value.ok_or_else(|| {
        ManifestErrors::single(
            ManifestDiagnostic::error(
                DiagnosticKind::Syntax,
                file,
                "",
                "expected a JSON object, found an empty document",
            )
            .at(1, 1),
        )
    })
}

/// Parses a JSON number literal. Integers that fit `i64`/`u64` stay integers;
/// others use Rust's correctly rounded `f64` parser (serde_json's default parser
/// is not correctly rounded, which would break print/parse round-trips).
fn number(lit: &str) -> Option<Number> {
    if let Ok(i) = lit.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = lit.parse::<u64>() {
        return Some(Number::from(u));
    }
    lit.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(Number::from_f64)
}

/// Converts an AST to a `serde_json::Value` (later duplicate keys win).
pub(crate) fn ast_to_value(ast: &Ast<'_>, text: &str, file: &str) -> Result<Value, ManifestErrors> {
    Ok(match ast {
        Ast::StringLit(s) => Value::String(s.value.to_string()),
        Ast::NumberLit(n) => match number(n.value) {
            Some(num) => Value::Number(num),
            None => {
                let (l, c) = line_col(text, n.range.start);
                return Err(ManifestErrors::single(
                    ManifestDiagnostic::error(
                        DiagnosticKind::Syntax,
                        file,
                        "",
                        format!("number {} is out of range", n.value),
                    )
                    .at(l, c),
                ));
            }
        },
        Ast::BooleanLit(b) => Value::Bool(b.value),
        Ast::NullKeyword(_) => Value::Null,
        Ast::Array(a) => Value::Array(
            a.elements
                .iter()
                .map(|e| ast_to_value(e, text, file))
                .collect::<Result<_, _>>()?,
        ),
        Ast::Object(o) => {
            let mut map = Map::new();
            for p in &o.properties {
                let v = ast_to_value(&p.value, text, file)?;
                let key = prop_name(&p.name).to_string();
                // Later duplicates win, but keep the first position (like Newtonsoft's JObject).
                map.insert(key, v);
            }
            Value::Object(map)
        }
    })
}

/// Finds the AST node at `path` (keys matched case-insensitively, last duplicate
/// wins); returns the deepest node reached.
pub(crate) fn ast_at<'b, 'a>(mut node: &'b Ast<'a>, path: &[Seg]) -> &'b Ast<'a> {
    for seg in path {
        let next = match (seg, node) {
            (Seg::Key(k), Ast::Object(o)) => o
                .properties
                .iter()
                .rev()
                .find(|p| prop_name(&p.name) == k)
                .or_else(|| {
                    o.properties
                        .iter()
                        .rev()
                        .find(|p| prop_name(&p.name).eq_ignore_ascii_case(k))
                })
                .map(|p| &p.value),
            (Seg::Index(i), Ast::Array(a)) => a.elements.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

pub(crate) fn ast_start(node: &Ast<'_>) -> usize {
    match node {
        Ast::StringLit(n) => n.range.start,
        Ast::NumberLit(n) => n.range.start,
        Ast::BooleanLit(n) => n.range.start,
        Ast::NullKeyword(n) => n.range.start,
        Ast::Array(n) => n.range.start,
        Ast::Object(n) => n.range.start,
    }
}

/// Renames keys of `obj` that match one of `known` case-insensitively to the
/// canonical spelling; when that spelling is already present (exactly, or from an
/// earlier casing) the key is dropped.
pub(crate) fn canonicalize(obj: &mut Map<String, Value>, known: &[&str]) {
    let renames: Vec<(String, &str)> = obj
        .keys()
        .filter_map(|k| {
            known
                .iter()
                .find(|c| **c != k && c.eq_ignore_ascii_case(k))
                .map(|c| (k.clone(), *c))
        })
        .collect();
    for (from, to) in renames {
        if obj.contains_key(to) {
            // Another casing of a property that is already present: ignored like
            // a duplicate key (keeping it as "unknown" would make it collide with
            // the known property on the next read).
            obj.retain(|k, _| *k != from);
            continue;
        }
        // Keep the position: rebuild the map in order.
        let old = std::mem::take(obj);
        for (k, v) in old {
            if k == from {
                obj.insert(to.to_string(), v);
            } else {
                obj.insert(k, v);
            }
        }
    }
}

fn canonicalize_nested(root: &mut Map<String, Value>) {
    canonicalize(root, KNOWN_PROPERTIES);
    let refs = ["id", "appId", "name", "publisher", "version"];
    for key in ["dependencies", "internalsVisibleTo"] {
        if let Some(Value::Array(items)) = root.get_mut(key) {
            for it in items.iter_mut() {
                if let Value::Object(o) = it {
                    canonicalize(o, &refs);
                }
            }
        }
    }
    if let Some(Value::Object(o)) = root.get_mut("idRange") {
        canonicalize(o, &["from", "to"]);
    }
    if let Some(Value::Array(items)) = root.get_mut("idRanges") {
        for it in items.iter_mut() {
            if let Value::Object(o) = it {
                canonicalize(o, &["from", "to"]);
            }
        }
    }
    if let Some(Value::Object(o)) = root.get_mut("resourceExposurePolicy") {
        canonicalize(
            o,
            &[
                "allowDebugging",
                "allowDownloadingSource",
                "includeSourceInSymbolFile",
                "applyToDevExtension",
            ],
        );
    }
    if let Some(Value::Object(o)) = root.get_mut("source") {
        canonicalize(o, &["repositoryUrl", "commit"]);
    }
    if let Some(Value::Object(o)) = root.get_mut("build") {
        canonicalize(o, &["by", "url"]);
    }
}

fn value_at<'v>(mut v: &'v Value, path: &[Seg]) -> &'v Value {
    for seg in path {
        let next = match (seg, v) {
            (Seg::Key(k), Value::Object(o)) => o.get(k),
            (Seg::Index(i), Value::Array(a)) => a.get(*i),
            _ => None,
        };
        match next {
            Some(n) => v = n,
            None => break,
        }
    }
    v
}

pub(crate) struct Checker<'t> {
    pub(crate) file: &'t str,
    pub(crate) text: &'t str,
    pub(crate) ast: &'t Ast<'t>,
    pub(crate) root: &'t Value,
    pub(crate) errors: Vec<ManifestDiagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, kind: DiagnosticKind, path: Vec<Seg>, message: String) {
        let node = ast_at(self.ast, &path);
        let (l, c) = line_col(self.text, ast_start(node));
        self.errors.push(
            ManifestDiagnostic::error(kind, self.file, path_to_string(&path), message).at(l, c),
        );
    }

    pub(crate) fn check<T: DeserializeOwned>(&mut self, key: &str) {
        let Some(v) = self.root.get(key) else { return };
        if let Err(e) = serde_path_to_error::deserialize::<_, T>(v) {
            let mut path = vec![Seg::Key(key.to_string())];
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => path.push(Seg::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => path.push(Seg::Key(key.clone())),
                    _ => {}
                }
            }
            let msg = e.inner().to_string();
            let at = value_at(self.root, &path);
            let leaf = match path.last() {
                Some(Seg::Key(k)) => k.as_str(),
                _ => key,
            };
            let kind = if msg.starts_with("missing field") {
                DiagnosticKind::MissingProperty
            } else if at.is_string()
                && matches!(
                    leaf,
                    "version" | "platform" | "application" | "test" | "runtime"
                )
            {
                DiagnosticKind::InvalidVersion
            } else if at.is_string() && (matches!(leaf, "id" | "appId") || key == "alternateIds") {
                DiagnosticKind::InvalidGuid
            } else {
                DiagnosticKind::WrongType
            };
            self.push(kind, path, msg);
        }
    }
}

/// Parses `text` (BOM already stripped) whose top level must be a JSON object, as
/// the settings files (AppSourceCop.json, AL-Go's) are: the tree (for positions) and the
/// object.
pub(crate) fn parse_object<'a>(
    text: &'a str,
    file: &str,
) -> Result<(Ast<'a>, Map<String, Value>), ManifestErrors> {
    let ast = parse_ast(text, file)?;
    match ast_to_value(&ast, text, file)? {
        Value::Object(root) => Ok((ast, root)),
        _ => {
            let (l, c) = line_col(text, ast_start(&ast));
            Err(ManifestErrors::single(
                ManifestDiagnostic::error(
                    DiagnosticKind::WrongType,
                    file,
                    "",
                    "expected a JSON object at the top level",
                )
                .at(l, c),
            ))
        }
    }
}

/// Parses `app.json` text. `file` labels the diagnostics.
pub(crate) fn parse_manifest(text: &str, file: &str) -> Result<AppManifest, ManifestErrors> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let ast = parse_ast(text, file)?;
    let mut value = ast_to_value(&ast, text, file)?;
    let Value::Object(root) = &mut value else {
        let (l, c) = line_col(text, ast_start(&ast));
        return Err(ManifestErrors::single(
            ManifestDiagnostic::error(
                DiagnosticKind::WrongType,
                file,
                "",
                "expected a JSON object at the top level",
            )
            .at(l, c),
        ));
    };
    canonicalize_nested(root);
    // `null` for an optional known property means "absent".
    root.retain(|k, v| {
        !(v.is_null()
            && KNOWN_PROPERTIES.contains(&k.as_str())
            && !matches!(k.as_str(), "id" | "name" | "publisher" | "version"))
    });
    let present: Vec<bool> = ["id", "name", "publisher", "version"]
        .iter()
        .map(|k| root.contains_key(*k))
        .collect();
    let mut ck = Checker {
        file,
        text,
        ast: &ast,
        root: &value,
        errors: Vec::new(),
    };
    let (root_line, root_col) = line_col(text, ast_start(&ast));
    for (&req, present) in ["id", "name", "publisher", "version"].iter().zip(present) {
        if !present {
            ck.errors.push(
                ManifestDiagnostic::error(
                    DiagnosticKind::MissingProperty,
                    file,
                    req,
                    format!("missing required property \"{req}\""),
                )
                .at(root_line, root_col),
            );
        }
    }
    ck.check::<Uuid>("id");
    for k in [
        "name",
        "publisher",
        "brief",
        "description",
        "privacyStatement",
        "EULA",
        "help",
        "helpBaseUrl",
        "url",
        "logo",
        "contextSensitiveHelpUrl",
        "applicationInsightsConnectionString",
        "applicationInsightsKey",
    ] {
        ck.check::<String>(k);
    }
    for k in ["version", "platform", "application", "test"] {
        ck.check::<AppVersion>(k);
    }
    ck.check::<Vec<Dependency>>("dependencies");
    ck.check::<Vec<InternalsVisibleTo>>("internalsVisibleTo");
    ck.check::<bool>("propagateDependencies");
    ck.check::<bool>("showMyCode");
    for k in [
        "screenshots",
        "features",
        "supportedLocales",
        "preprocessorSymbols",
        "suppressWarnings",
        "keyVaultUrls",
        "resourceFolders",
    ] {
        ck.check::<Vec<String>>(k);
    }
    ck.check::<IdRange>("idRange");
    ck.check::<Vec<IdRange>>("idRanges");
    ck.check::<ResourceExposurePolicy>("resourceExposurePolicy");
    ck.check::<RuntimeVersion>("runtime");
    ck.check::<Target>("target");
    ck.check::<SourceInfo>("source");
    ck.check::<BuildInfo>("build");
    ck.check::<Vec<Uuid>>("alternateIds");
    let mut errors = ck.errors;
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.line, d.column));
        return Err(ManifestErrors {
            diagnostics: errors,
        });
    }
    serde_json::from_value::<AppManifest>(value).map_err(|e| {
        ManifestErrors::single(ManifestDiagnostic::error(
            DiagnosticKind::WrongType,
            file,
            "",
            e.to_string(),
        ))
    })
}

impl AppManifest {
    /// Parses `app.json` text into the typed model.
    ///
    /// Accepts a UTF-8 BOM, `//` and `/* */` comments and trailing commas.
    /// Property names are matched case-insensitively (Newtonsoft.Json's default;
    /// the canonical camelCase spelling is used in the model). When one property
    /// appears in several casings, the exact spelling wins (else the first casing
    /// seen) and the others are ignored; for duplicate keys the last one wins. `null` for an
    /// optional property means absent. On failure every problem found is
    /// reported, each with the JSON path and line:column; diagnostics are labelled
    /// `app.json` (relabel with [`ManifestErrors::with_file`]).
    ///
    /// ```
    /// use al_manifest::AppManifest;
    /// let err = AppManifest::from_json_str("{\n  \"id\": \"nope\",\n  \"name\": \"A\",\n  \"publisher\": \"P\",\n  \"version\": \"1.0\"\n}").unwrap_err();
    /// let lines: Vec<String> = err.diagnostics.iter().map(|d| d.to_string()).collect();
    /// assert!(lines[0].starts_with("app.json:2:9: id: "));
    /// assert!(lines[1].starts_with("app.json:5:14: version: expected major.minor.build.revision"));
    /// ```
    pub fn from_json_str(text: &str) -> Result<AppManifest, ManifestErrors> {
        parse_manifest(text, "app.json")
    }

    /// Like [`AppManifest::from_json_str`], labelling diagnostics with `file`.
    pub fn from_json_str_named(text: &str, file: &str) -> Result<AppManifest, ManifestErrors> {
        parse_manifest(text, file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = r#"{
  "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0",
  "name": "My App",
  "publisher": "Contoso",
  "version": "1.2.3.4"
}"#;

    fn errs(text: &str) -> Vec<String> {
        AppManifest::from_json_str(text)
            .unwrap_err()
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn minimal() {
        let m = AppManifest::from_json_str(MIN).unwrap();
        assert_eq!(m.name, "My App");
        assert_eq!(m.version, AppVersion::new(1, 2, 3, 4));
        assert_eq!(m.id.to_string(), "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0");
    }

    #[test]
    fn bom_comments_trailing_commas() {
        let t = "\u{feff}// header\n{\n  /* c */ \"id\": \"0B0DE19D-F18D-4C1E-82E3-DFD8F7AA59F0\",\n  \"name\": \"A\", \"publisher\": \"P\", \"version\": \"1.0.0.0\",\n}";
        let m = AppManifest::from_json_str(t).unwrap();
        assert_eq!(m.id.to_string(), "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0");
    }

    #[test]
    fn full_manifest() {
        let t = r#"{
  "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0",
  "name": "Full", "publisher": "Contoso", "version": "2.0.0.0",
  "brief": "b", "description": "d", "privacyStatement": "https://p", "EULA": "https://e",
  "help": "https://h", "helpBaseUrl": "https://hb", "url": "https://u", "logo": "logo.png",
  "contextSensitiveHelpUrl": "https://c/{0}/",
  "dependencies": [
    { "id": "63ca2fa4-4f03-4f2b-a480-172fef340d3f", "name": "System Application", "publisher": "Microsoft", "version": "24.0.0.0" },
    { "appId": "437dbf0e-84ff-417a-965d-ed2bb9650972", "name": "Base Application", "publisher": "Microsoft", "version": "24.0.0.0", "x": 1 }
  ],
  "internalsVisibleTo": [ { "id": "11111111-1111-1111-1111-111111111111", "name": "Tests", "publisher": "Contoso" } ],
  "propagateDependencies": true,
  "screenshots": ["s.png"],
  "platform": "24.0.0.0", "application": "24.0.0.0", "test": "14.0.0.0",
  "idRanges": [ { "from": 50100, "to": 50149 }, { "from": 50200, "to": 50249 } ],
  "resourceExposurePolicy": { "allowDebugging": true, "includeSourceInSymbolFile": true },
  "runtime": "13.0", "target": "OnPrem",
  "features": ["NoImplicitWith", "TranslationFile"],
  "supportedLocales": ["da-DK"], "preprocessorSymbols": ["CLEAN24"], "suppressWarnings": ["AL0432"],
  "keyVaultUrls": ["https://kv.vault.azure.net"],
  "applicationInsightsConnectionString": "InstrumentationKey=0",
  "applicationInsightsKey": "00000000-0000-0000-0000-000000000000",
  "source": { "repositoryUrl": "https://git", "commit": "abc" },
  "build": { "by": "AL-Go", "url": "https://ci" },
  "alternateIds": ["22222222-2222-2222-2222-222222222222"],
  "resourceFolders": ["res"],
  "unknownThing": [1, 2, {"a": null}]
}"#;
        let m = AppManifest::from_json_str(t).unwrap();
        assert_eq!(m.dependencies.len(), 2);
        assert_eq!(m.dependencies[1].id_key, crate::IdKey::AppId);
        assert_eq!(m.dependencies[1].extra.get("x"), Some(&Value::from(1)));
        assert_eq!(m.id_ranges().len(), 2);
        let p = m.resource_exposure_policy.clone().unwrap();
        assert!(
            p.allow_debugging && !p.allow_downloading_source && p.include_source_in_symbol_file
        );
        assert_eq!(m.runtime, Some(RuntimeVersion::new(13, 0)));
        assert_eq!(m.target, Some(Target::OnPrem));
        assert_eq!(m.eula.as_deref(), Some("https://e"));
        assert_eq!(m.source.as_ref().unwrap().commit.as_deref(), Some("abc"));
        assert_eq!(m.build.as_ref().unwrap().by.as_deref(), Some("AL-Go"));
        assert_eq!(m.alternate_ids.len(), 1);
        assert!(m.extra.contains_key("unknownThing"));
        // model -> JSON -> model
        let back = AppManifest::from_json_str(&m.to_json_string()).unwrap();
        assert_eq!(back, m);
        let json = m.to_json_string();
        assert!(json.contains("\"appId\": \"437dbf0e"));
        assert!(json.contains("\"EULA\""));
    }

    #[test]
    fn case_insensitive_keys() {
        let t = r#"{"Id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "NAME": "A", "Publisher": "P",
            "Version": "1.0.0.0", "eula": "x", "IdRanges": [{"From": 1, "TO": 2}],
            "Dependencies": [{"AppId": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "Name": "d", "Publisher": "p", "Version": "1.0.0.0"}]}"#;
        let m = AppManifest::from_json_str(t).unwrap();
        assert_eq!(m.eula.as_deref(), Some("x"));
        assert_eq!(m.id_ranges(), vec![IdRange::new(1, 2)]);
        assert_eq!(m.dependencies[0].name, "d");
    }

    #[test]
    fn syntax_error_has_line_col() {
        let e = errs("{\n  \"id\": \"x\",\n  \"name\" \"A\"\n}");
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("app.json:3:"), "{}", e[0]);
        let e = errs("");
        assert!(e[0].starts_with("app.json:1:1: "), "{}", e[0]);
        let e = errs("[1]");
        assert_eq!(
            e[0],
            "app.json:1:1: expected a JSON object at the top level"
        );
    }

    #[test]
    fn all_errors_reported_with_paths() {
        let t = r#"{
  "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0",
  "name": 5,
  "publisher": "P",
  "version": "1.0.0.0",
  "idRanges": [ { "from": 1, "to": 2 }, { "from": -1, "to": "x" } ],
  "dependencies": [ { "id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "n", "publisher": "p", "version": "1.x.0.0" } ],
  "alternateIds": ["zz"]
}"#;
        let e = AppManifest::from_json_str(t).unwrap_err();
        let kinds: Vec<_> = e
            .diagnostics
            .iter()
            .map(|d| (d.kind, d.path.clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (DiagnosticKind::WrongType, "name".to_string()),
                (DiagnosticKind::WrongType, "idRanges[1].from".to_string()),
                (
                    DiagnosticKind::InvalidVersion,
                    "dependencies[0].version".to_string()
                ),
                (DiagnosticKind::InvalidGuid, "alternateIds[0]".to_string()),
            ]
        );
        let s = e.diagnostics[0].to_string();
        assert_eq!(
            s,
            "app.json:3:11: name: invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn missing_required() {
        let e = AppManifest::from_json_str(r#"{"name": "A"}"#).unwrap_err();
        let paths: Vec<_> = e.diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, vec!["id", "publisher", "version"]);
        assert!(
            e.diagnostics
                .iter()
                .all(|d| d.kind == DiagnosticKind::MissingProperty)
        );
        let e = AppManifest::from_json_str(
            r#"{"id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0",
                "dependencies": [{"name": "x", "publisher": "y", "version": "1.0.0.0"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.diagnostics[0].kind, DiagnosticKind::MissingProperty);
        assert_eq!(e.diagnostics[0].path, "dependencies[0]");
    }

    #[test]
    fn numbers_round_trip_exactly() {
        for lit in [
            "122222222222222622222222222222222622222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222",
            "222222222222222222222222",
            "0.1",
            "-1.5e-300",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            let t = format!(
                r#"{{"id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0", "x": {lit}}}"#
            );
            let m = AppManifest::from_json_str(&t).unwrap();
            let back = AppManifest::from_json_str(&m.to_json_string()).unwrap();
            assert_eq!(back, m, "{lit}");
        }
        let t = r#"{"id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0", "x": 1e400}"#;
        assert!(AppManifest::from_json_str(t).is_err());
    }

    #[test]
    fn nulls_are_absent_and_relabel() {
        let t = r#"{"id": "0b0de19d-f18d-4c1e-82e3-dfd8f7aa59f0", "name": "A", "publisher": "P", "version": "1.0.0.0", "brief": null, "features": null}"#;
        let m = AppManifest::from_json_str(t).unwrap();
        assert!(m.brief.is_none() && m.features.is_empty());
        let e = AppManifest::from_json_str_named("{", "x/app.json").unwrap_err();
        assert!(e.to_string().starts_with("x/app.json:"));
        let e = e.with_file("y.json");
        assert!(e.to_string().starts_with("y.json:"));
    }
}
