//! Deployment check: would publishing this app into this environment be
//! blocked? A pure function over an [`AppUnderTest`] and an [`Environment`].
//!
//! # Environment JSON
//!
//! A simple, documented format (not a Microsoft format):
//!
//! ```json
//! {
//!   "platform": "24.0.0.0",
//!   "kind": "sandbox",
//!   "apps": [
//!     {
//!       "id": "437dbf0e-84ff-417a-965d-ed2bb9650972",
//!       "name": "Base Application",
//!       "publisher": "Microsoft",
//!       "version": "24.0.16410.0",
//!       "scope": "global",
//!       "platform": "24.0.0.0",
//!       "contentHash": "sha256:…",
//!       "objects": [
//!         { "type": "table", "id": 18, "name": "Customer",
//!           "members": [{ "id": 1, "name": "No." }] },
//!         { "type": "tableextension", "id": 70000000, "name": "ABC Customer",
//!           "extends": "Customer", "members": [{ "id": 70000000, "name": "ABC Points" }] }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - `platform` (optional): the environment's platform version.
//! - `kind` (optional): `production`, `sandbox` or `onprem`.
//! - `apps[].scope`: any [`Scope`] spelling — `appsource`/`marketplace`, `pte`,
//!   `dev`, `global` (= Microsoft), `microsoft`, `embed`, `onprem`,
//!   `onprem-tenant`, `runtime-package`.
//! - `apps[].platform`, `contentHash`, `objects` are optional; object `id` is
//!   optional (interfaces have none); `extends` and `members` (fields or enum
//!   values, each `{id?, name}`) are optional and only used for AVS0112/AVS0113.
//!   Versions are `major.minor[.build[.revision]]`.
//!   Unknown keys are ignored.
//!
//! # What is reported
//!
//! | code | when |
//! |---|---|
//! | ALK0001 | an installed app has the same id, and one is a global app while the other is a PTE |
//! | ALK0002 | a DEV extension has the same id and version as an installed global app |
//! | AVS0107 | an installed app has the same id and version but a different content hash (both hashes known) |
//! | ALK0008 | an installed app of the same id has a higher version (warning: an install would be a downgrade) |
//! | ALK0003 | a dependency resolves to an installed app of a scope this app may not depend on (global apps depend only on global apps) |
//! | ALK0005 | a dependency is not installed, or only below its minimum version (warning) |
//! | ALK0004 | a runtime package built for another platform major.minor than the environment's |
//! | ALK0006 | the app's scope cannot be deployed to this kind of environment |
//! | AVS0110 / AVS0111 | an object's type+ID / type+name is already used by another installed app |
//! | AVS0112 / AVS0113 | a field (enum value) has an ID / name already used on the same base object by another installed app, where one of the two is added by an extension |
//!
//! AVS0110–AVS0113 are the side-by-side rules of [`crate::checks::side_by_side`], applied
//! to the app and each other installed app ([`SideBySideApp`] converts both).
//!
//! ```
//! use scope_rules::checks::deploy::{deploy_check, AppUnderTest, Environment};
//! use scope_rules::Scope;
//! let env = Environment::from_json_str(r#"{"apps":[{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11",
//!   "name":"Loyalty","publisher":"Contoso","version":"1.0.0.0","scope":"pte"}]}"#).unwrap();
//! let app = AppUnderTest::new("5B4F3A0E-9C1D-4E55-8A7B-2F6C1D9E0A11", "Loyalty", "Contoso",
//!     "2.0.0.0".parse().unwrap(), Scope::APPSOURCE, "app.json");
//! let d = deploy_check(&app, &env);
//! assert_eq!(d[0].code, "ALK0001");
//! ```

use std::collections::{BTreeMap, HashSet};

use al_manifest::{AppManifest, AppVersion};
use serde::Deserialize;

use crate::checks::diagnostic::Diagnostic;
use crate::checks::rules::RuleId;
use crate::checks::side_by_side::{
    self, SideBySideApp, SideBySideMember, SideBySideMemberKind, SideBySideObject,
};
use crate::checks::source::{MemberKind, ObjectDecl, ObjectKind};
use crate::scope::{DeployTarget, Scope};

/// What kind of environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvironmentKind {
    /// SaaS production.
    Production,
    /// SaaS sandbox.
    Sandbox,
    /// On-prem server.
    OnPrem,
}

impl EnvironmentKind {
    /// The matching deploy target.
    pub const fn target(self) -> DeployTarget {
        match self {
            EnvironmentKind::Production => DeployTarget::SaasProduction,
            EnvironmentKind::Sandbox => DeployTarget::SaasSandbox,
            EnvironmentKind::OnPrem => DeployTarget::OnPrem,
        }
    }
}

/// An object of an installed app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvObject {
    /// Object type.
    pub kind: ObjectKind,
    /// Object ID, if the type has one.
    pub id: Option<u32>,
    /// Object name.
    pub name: String,
    /// For extension objects: the extended object's name.
    pub extends: Option<String>,
    /// Fields (tables, table extensions) or values (enums, enum extensions).
    pub members: Vec<EnvMember>,
}

/// A field or enum value of an installed object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EnvMember {
    /// Field number or enum ordinal.
    pub id: Option<u32>,
    /// Name.
    pub name: String,
}

/// An app installed (or published) in the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvApp {
    /// App id (GUID text, compared case-insensitively).
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version.
    pub version: AppVersion,
    /// Scope.
    pub scope: Scope,
    /// Platform it was built for (runtime packages).
    pub platform: Option<AppVersion>,
    /// Content hash, when known.
    pub content_hash: Option<String>,
    /// Its objects, when known.
    pub objects: Vec<EnvObject>,
}

/// An environment: its platform, kind and installed apps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// Platform version.
    pub platform: Option<AppVersion>,
    /// Kind of environment, when known.
    pub kind: Option<EnvironmentKind>,
    /// Installed apps.
    pub apps: Vec<EnvApp>,
}

/// Why an environment description could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EnvironmentError {
    /// Not JSON of the expected shape.
    #[error("environment JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A value is not valid (path and reason).
    #[error("environment JSON: {path}: {message}")]
    Invalid {
        /// JSON path, e.g. `apps[2].scope`.
        path: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEnv {
    platform: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    apps: Vec<RawApp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawApp {
    id: String,
    name: String,
    publisher: String,
    version: String,
    scope: String,
    platform: Option<String>,
    content_hash: Option<String>,
    #[serde(default)]
    objects: Vec<RawObject>,
}

#[derive(Deserialize)]
struct RawObject {
    #[serde(rename = "type")]
    kind: String,
    id: Option<u32>,
    name: String,
    extends: Option<String>,
    #[serde(default)]
    members: Vec<EnvMember>,
}

fn invalid(path: String, message: impl ToString) -> EnvironmentError {
    EnvironmentError::Invalid {
        path,
        message: message.to_string(),
    }
}

fn version(text: &str, path: String) -> Result<AppVersion, EnvironmentError> {
    AppVersion::parse_lenient(text.trim()).map_err(|e| invalid(path, e))
}

impl Environment {
    /// Parses the environment JSON described in the module docs.
    pub fn from_json_str(text: &str) -> Result<Self, EnvironmentError> {
        let raw: RawEnv = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text))?;
        let platform = raw
            .platform
            .as_deref()
            .map(|p| version(p, "platform".into()))
            .transpose()?;
        let kind = match raw.kind.as_deref().map(|k| k.trim().to_ascii_lowercase()) {
            None => None,
            Some(k) => Some(match k.as_str() {
                "production" | "prod" => EnvironmentKind::Production,
                "sandbox" => EnvironmentKind::Sandbox,
                "onprem" | "on-prem" => EnvironmentKind::OnPrem,
                _ => {
                    return Err(invalid(
                        "kind".into(),
                        format!("unknown kind {k:?} (production, sandbox, onprem)"),
                    ));
                }
            }),
        };
        let mut apps = Vec::with_capacity(raw.apps.len());
        for (i, a) in raw.apps.into_iter().enumerate() {
            let scope = a
                .scope
                .parse::<Scope>()
                .map_err(|e| invalid(format!("apps[{i}].scope"), e))?;
            let mut objects = Vec::with_capacity(a.objects.len());
            for (j, o) in a.objects.into_iter().enumerate() {
                let kind = o
                    .kind
                    .parse::<ObjectKind>()
                    .map_err(|e| invalid(format!("apps[{i}].objects[{j}].type"), e))?;
                objects.push(EnvObject {
                    kind,
                    id: o.id,
                    name: o.name,
                    extends: o.extends,
                    members: o.members,
                });
            }
            apps.push(EnvApp {
                id: a.id.trim().to_ascii_lowercase(),
                name: a.name,
                publisher: a.publisher,
                version: version(&a.version, format!("apps[{i}].version"))?,
                scope,
                platform: a
                    .platform
                    .as_deref()
                    .map(|p| version(p, format!("apps[{i}].platform")))
                    .transpose()?,
                content_hash: a.content_hash,
                objects,
            });
        }
        Ok(Environment {
            platform,
            kind,
            apps,
        })
    }
}

/// A dependency of the app under test (`version` is a minimum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyRef {
    /// App id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Minimum version.
    pub version: AppVersion,
}

/// The app to be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppUnderTest {
    /// App id (compared case-insensitively).
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version.
    pub version: AppVersion,
    /// Scope it will be published in.
    pub scope: Scope,
    /// `Some(platform)` when the app is a runtime package built on that platform.
    pub runtime_package_platform: Option<AppVersion>,
    /// Content hash, when known.
    pub content_hash: Option<String>,
    /// Declared dependencies.
    pub dependencies: Vec<DependencyRef>,
    /// Its objects (members are not used here).
    pub objects: Vec<ObjectDecl>,
    /// Label for app-level diagnostics (e.g. the .app path or `app.json`).
    pub file: String,
}

impl AppUnderTest {
    /// An app with no dependencies, objects, hash, not a runtime package.
    pub fn new(
        id: &str,
        name: &str,
        publisher: &str,
        version: AppVersion,
        scope: Scope,
        file: &str,
    ) -> Self {
        AppUnderTest {
            id: id.trim().to_ascii_lowercase(),
            name: name.to_string(),
            publisher: publisher.to_string(),
            version,
            scope,
            runtime_package_platform: None,
            content_hash: None,
            dependencies: Vec::new(),
            objects: Vec::new(),
            file: file.to_string(),
        }
    }

    /// Builds the identity and dependencies from a manifest.
    pub fn from_manifest(m: &AppManifest, scope: Scope, file: &str) -> Self {
        let mut app = AppUnderTest::new(
            &m.id.to_string(),
            &m.name,
            &m.publisher,
            m.version,
            scope,
            file,
        );
        app.dependencies = m
            .dependencies
            .iter()
            .map(|d| DependencyRef {
                id: d.id.to_string().to_ascii_lowercase(),
                name: d.name.clone(),
                publisher: d.publisher.clone(),
                version: d.version,
            })
            .collect();
        app
    }
}

impl AppUnderTest {
    /// Whether the app is a runtime package (built for a platform, or in the
    /// on-prem runtime-package scope).
    pub fn is_runtime_package(&self) -> bool {
        self.runtime_package_platform.is_some() || self.scope == Scope::OnPremRuntimePackage
    }
}

/// Checks a Marketplace submission (a set of apps uploaded together):
/// AVS0103 when an app id occurs twice, AVS0104 for each runtime package.
///
/// ```
/// use scope_rules::checks::deploy::{check_submission, AppUnderTest};
/// use scope_rules::Scope;
/// let a = AppUnderTest::new("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11", "A", "P", "1.0.0.0".parse().unwrap(), Scope::APPSOURCE, "a.app");
/// let d = check_submission(&[a.clone(), a]);
/// assert_eq!(d[0].code, "AVS0103");
/// ```
pub fn check_submission(apps: &[AppUnderTest]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for app in apps {
        let id = app.id.trim().to_ascii_lowercase();
        if let Some(first) = seen.get(&id) {
            out.push(diag(
                RuleId::AVS0103,
                &app.file,
                format!("app id {id} is already in this submission ({first})"),
            ));
        } else {
            seen.insert(id, &app.file);
        }
        if app.is_runtime_package() {
            out.push(diag(
                RuleId::AVS0104,
                &app.file,
                format!(
                    "{:?} is a runtime package; runtime packages are on-prem only and cannot be submitted to the Marketplace",
                    app.name
                ),
            ));
        }
    }
    out
}

fn diag(code: RuleId, file: &str, message: String) -> Diagnostic {
    Diagnostic::new(code, code.default_severity(), file, message)
}

fn label(a: &EnvApp) -> String {
    format!(
        "{:?} by {:?} {} ({})",
        a.name, a.publisher, a.version, a.scope
    )
}

/// Reports what would block publishing `app` into `env` (see the module docs
/// for the rules). Diagnostics come in a fixed order: identity, dependencies,
/// platform and target, then objects.
pub fn deploy_check(app: &AppUnderTest, env: &Environment) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = app.file.as_str();
    let app_id = app.id.trim().to_ascii_lowercase();

    // Identity.
    for inst in env.apps.iter().filter(|a| a.id == app_id) {
        let global_vs_pte = (app.scope.is_global() && inst.scope == Scope::Pte)
            || (app.scope == Scope::Pte && inst.scope.is_global());
        if global_vs_pte {
            out.push(diag(
                RuleId::ALK0001,
                file,
                format!(
                    "app id {app_id} is already used by {}; a global app and a PTE cannot share an id",
                    label(inst)
                ),
            ));
        }
        if app.scope == Scope::Dev && inst.scope.is_global() && inst.version == app.version {
            out.push(diag(
                RuleId::ALK0002,
                file,
                format!(
                    "a DEV extension may not have the id and version of the global app {}; change the version or, better, the id",
                    label(inst)
                ),
            ));
        }
        if inst.version == app.version
            && let (Some(mine), Some(theirs)) = (&app.content_hash, &inst.content_hash)
            && !mine.trim().eq_ignore_ascii_case(theirs.trim())
        {
            out.push(diag(
                RuleId::AVS0107,
                file,
                format!(
                    "{} is already published with different content; raise the version",
                    label(inst)
                ),
            ));
        }
        if inst.version > app.version && !global_vs_pte {
            out.push(diag(
                RuleId::ALK0008,
                file,
                format!(
                    "{} is newer than {}; installing this version would be a downgrade",
                    label(inst),
                    app.version
                ),
            ));
        }
    }

    // Dependencies.
    for dep in &app.dependencies {
        let dep_id = dep.id.trim().to_ascii_lowercase();
        let candidates: Vec<&EnvApp> = env.apps.iter().filter(|a| a.id == dep_id).collect();
        let Some(best) = candidates.iter().max_by_key(|a| a.version) else {
            out.push(diag(
                RuleId::ALK0005,
                file,
                format!(
                    "dependency {:?} by {:?} ({dep_id}) is not installed in the environment",
                    dep.name, dep.publisher
                ),
            ));
            continue;
        };
        if !best.version.satisfies(&dep.version) {
            out.push(diag(
                RuleId::ALK0005,
                file,
                format!(
                    "dependency {:?} needs at least {}, but the environment has {}",
                    dep.name, dep.version, best.version
                ),
            ));
        }
        if !app.scope.may_depend_on(best.scope) {
            out.push(diag(
                RuleId::ALK0003,
                file,
                format!(
                    "a {} app may not depend on {}{}",
                    app.scope,
                    label(best),
                    if app.scope.is_global() {
                        "; global apps may only depend on global apps"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }

    // Platform and target.
    if let (Some(built), Some(env_platform)) = (app.runtime_package_platform, env.platform)
        && (built.major, built.minor) != (env_platform.major, env_platform.minor)
    {
        out.push(diag(
            RuleId::ALK0004,
            file,
            format!(
                "the runtime package was built for platform {built}, the environment runs {env_platform}; runtime packages only work on the platform version that produced them"
            ),
        ));
    }
    let effective_scope = if app.runtime_package_platform.is_some() {
        Scope::OnPremRuntimePackage
    } else {
        app.scope
    };
    if let Some(kind) = env.kind
        && !effective_scope.can_deploy_to(kind.target())
    {
        out.push(diag(
            RuleId::ALK0006,
            file,
            format!("a {effective_scope} app cannot be deployed to a {kind:?} environment"),
        ));
    }

    // Objects and their members.
    side_by_side_clashes(app, env, &app_id, &mut out);
    out
}

impl<'a> From<&'a AppUnderTest> for SideBySideApp<'a> {
    /// The app's objects and the members that can clash, at their places. Namespaces
    /// are left out: the environment format carries none, so names compare without them.
    fn from(app: &'a AppUnderTest) -> Self {
        let member_kind = |k: MemberKind| match k {
            MemberKind::Field => Some(SideBySideMemberKind::Field),
            MemberKind::EnumValue => Some(SideBySideMemberKind::EnumValue),
            MemberKind::Key => Some(SideBySideMemberKind::Key),
            MemberKind::Control => Some(SideBySideMemberKind::Control),
            MemberKind::Action => Some(SideBySideMemberKind::Action),
            _ => None,
        };
        let objects = app
            .objects
            .iter()
            .map(|o| SideBySideObject {
                extends: o
                    .extends
                    .as_ref()
                    .map(|e| crate::parsed::target_name(&e.target)),
                members: o
                    .members
                    .iter()
                    .filter_map(|m| {
                        Some(SideBySideMember {
                            kind: member_kind(m.kind)?,
                            id: m.id,
                            name: &m.name,
                            line: m.line,
                            column: m.column,
                        })
                    })
                    .collect(),
                file: &o.file,
                line: o.line,
                column: o.column,
                ..SideBySideObject::new(o.kind, o.id, &o.name)
            })
            .collect();
        SideBySideApp { objects }
    }
}

impl<'a> From<&'a EnvApp> for SideBySideApp<'a> {
    /// The installed app's objects; their members are the fields of tables and table
    /// extensions and the values of enums and enum extensions (members of other objects
    /// are left out: the environment format does not say what they are).
    fn from(app: &'a EnvApp) -> Self {
        let objects = app
            .objects
            .iter()
            .map(|o| {
                let kind = match o.kind.base_kind().unwrap_or(o.kind) {
                    ObjectKind::Table => Some(SideBySideMemberKind::Field),
                    ObjectKind::Enum => Some(SideBySideMemberKind::EnumValue),
                    _ => None,
                };
                SideBySideObject {
                    extends: o.extends.as_deref(),
                    members: kind
                        .map(|kind| {
                            o.members
                                .iter()
                                .map(|m| SideBySideMember {
                                    kind,
                                    id: m.id,
                                    name: &m.name,
                                    line: 1,
                                    column: 1,
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    ..SideBySideObject::new(o.kind, o.id, &o.name)
                }
            })
            .collect();
        SideBySideApp { objects }
    }
}

/// AVS0110–AVS0113 (see [`crate::checks::side_by_side`]) against every other installed
/// app: each object or member of the app is reported once per rule, with the first
/// installed app it clashes with; objects first (AVS0110 before AVS0111), then members
/// (AVS0112 before AVS0113), in declaration order.
fn side_by_side_clashes(
    app: &AppUnderTest,
    env: &Environment,
    app_id: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mine = SideBySideApp::from(app);
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for inst in env.apps.iter().filter(|a| a.id != app_id) {
        let theirs = SideBySideApp::from(inst);
        let other = label(inst);
        for c in side_by_side::clashes(&mine, &theirs) {
            if seen.insert((c.rule, c.a)) {
                found.push((c, c.to_diagnostic(&mine, &theirs, &other)));
            }
        }
    }
    found.sort_by_key(|(c, _)| (c.rule.is_member(), c.a, c.rule));
    out.extend(found.into_iter().map(|(_, d)| d));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::source::MemberDecl;

    const A: &str = "5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11";
    const B: &str = "a7c2e9d4-3b18-4f6a-9e05-6d1b8c4f2e37";

    fn v(s: &str) -> AppVersion {
        s.parse().unwrap()
    }

    fn env(apps: &str) -> Environment {
        Environment::from_json_str(&format!(
            r#"{{"platform":"24.0.0.0","kind":"sandbox","apps":[{apps}]}}"#
        ))
        .unwrap()
    }

    fn app_json(id: &str, version: &str, scope: &str, extra: &str) -> String {
        format!(
            r#"{{"id":"{id}","name":"N","publisher":"P","version":"{version}","scope":"{scope}"{extra}}}"#
        )
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn parse_errors() {
        assert!(matches!(
            Environment::from_json_str("{"),
            Err(EnvironmentError::Json(_))
        ));
        let e = Environment::from_json_str(&format!(
            "{{\"apps\":[{}]}}",
            app_json(A, "1.0.0.0", "cloud", "")
        ))
        .unwrap_err();
        assert!(e.to_string().contains("apps[0].scope"), "{e}");
        let e =
            Environment::from_json_str(&format!("{{\"apps\":[{}]}}", app_json(A, "x", "pte", "")))
                .unwrap_err();
        assert!(e.to_string().contains("apps[0].version"), "{e}");
        let e = Environment::from_json_str(&format!(
            "{{\"apps\":[{}]}}",
            app_json(
                A,
                "1.0",
                "pte",
                r#","objects":[{"type":"widget","name":"x"}]"#
            )
        ))
        .unwrap_err();
        assert!(e.to_string().contains("objects[0].type"), "{e}");
        assert!(Environment::from_json_str(r#"{"kind":"moon"}"#).is_err());
        assert_eq!(
            Environment::from_json_str("{}").unwrap(),
            Environment::default()
        );
    }

    #[test]
    fn global_and_pte_share_id() {
        let e = env(&app_json(A, "1.0.0.0", "pte", ""));
        let ok = AppUnderTest::new(B, "N", "P", v("1.0.0.0"), Scope::APPSOURCE, "x.app");
        assert!(deploy_check(&ok, &e).is_empty());
        let bad = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::APPSOURCE, "x.app");
        assert_eq!(codes(&deploy_check(&bad, &e)), vec!["ALK0001"]);
        let e = env(&app_json(A, "1.0.0.0", "appsource", ""));
        let bad = AppUnderTest::new(A, "N", "P", v("2.0.0.0"), Scope::Pte, "x.app");
        assert_eq!(codes(&deploy_check(&bad, &e)), vec!["ALK0001"]);
    }

    #[test]
    fn dev_equal_to_global() {
        let e = env(&app_json(A, "1.0.0.0", "appsource", ""));
        let bad = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Dev, "x.app");
        assert_eq!(codes(&deploy_check(&bad, &e)), vec!["ALK0002"]);
        let ok = AppUnderTest::new(A, "N", "P", v("1.0.0.1"), Scope::Dev, "x.app");
        assert!(deploy_check(&ok, &e).is_empty());
    }

    #[test]
    fn same_version_different_content() {
        let e = env(&app_json(A, "1.0.0.0", "pte", r#","contentHash":"abc""#));
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Pte, "x.app");
        assert!(deploy_check(&app, &e).is_empty());
        app.content_hash = Some("ABC".into());
        assert!(deploy_check(&app, &e).is_empty());
        app.content_hash = Some("def".into());
        assert_eq!(codes(&deploy_check(&app, &e)), vec!["AVS0107"]);
        app.version = v("0.9.0.0");
        assert_eq!(codes(&deploy_check(&app, &e)), vec!["ALK0008"]);
    }

    #[test]
    fn dependency_scopes() {
        let e = env(&format!(
            "{},{}",
            app_json(B, "1.2.0.0", "pte", ""),
            app_json(
                "437dbf0e-84ff-417a-965d-ed2bb9650972",
                "24.0.0.0",
                "global",
                ""
            )
        ));
        let dep = |id: &str, ver: &str| DependencyRef {
            id: id.into(),
            name: "D".into(),
            publisher: "P".into(),
            version: v(ver),
        };
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::APPSOURCE, "x.app");
        app.dependencies = vec![dep("437DBF0E-84FF-417A-965D-ED2BB9650972", "24.0.0.0")];
        assert!(deploy_check(&app, &e).is_empty());
        app.dependencies.push(dep(B, "1.0.0.0"));
        assert_eq!(codes(&deploy_check(&app, &e)), vec!["ALK0003"]);
        app.scope = Scope::Pte;
        assert!(deploy_check(&app, &e).is_empty());
        app.dependencies.push(dep(B, "2.0.0.0"));
        app.dependencies
            .push(dep("00000000-0000-0000-0000-000000000001", "1.0.0.0"));
        assert_eq!(codes(&deploy_check(&app, &e)), vec!["ALK0005", "ALK0005"]);
    }

    #[test]
    fn runtime_package_platform_and_targets() {
        let e = env("");
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::OnPremGlobal, "x.app");
        app.runtime_package_platform = Some(v("23.0.0.0"));
        let mut on_prem = e.clone();
        on_prem.kind = Some(EnvironmentKind::OnPrem);
        assert_eq!(codes(&deploy_check(&app, &on_prem)), vec!["ALK0004"]);
        app.runtime_package_platform = Some(v("24.0.5.0"));
        assert!(deploy_check(&app, &on_prem).is_empty());
        assert_eq!(codes(&deploy_check(&app, &e)), vec!["ALK0006"]);
        let dev = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Dev, "x.app");
        let mut prod = e.clone();
        prod.kind = Some(EnvironmentKind::Production);
        assert_eq!(codes(&deploy_check(&dev, &prod)), vec!["ALK0006"]);
        assert!(deploy_check(&dev, &e).is_empty());
    }

    #[test]
    fn object_clashes() {
        let e = env(&app_json(
            B,
            "1.0.0.0",
            "pte",
            r#","objects":[{"type":"table","id":50100,"name":"Loyalty Setup"},{"type":"Interface","name":"IReward"}]"#,
        ));
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Pte, "x.app");
        let mut t = ObjectDecl::new(
            ObjectKind::Table,
            Some(50100),
            "\"LOYALTY SETUP\"",
            "src/t.al",
        );
        t.line = 3;
        app.objects = vec![
            t,
            ObjectDecl::new(ObjectKind::Page, Some(50100), "Loyalty Setup", "src/p.al"),
            ObjectDecl::new(ObjectKind::Interface, None, "IReward", "src/i.al"),
        ];
        let d = deploy_check(&app, &e);
        assert_eq!(codes(&d), vec!["AVS0110", "AVS0111", "AVS0111"]);
        assert_eq!((d[0].file.as_str(), d[0].line), ("src/t.al", 3));
        // Same app id: an upgrade, not a clash.
        app.id = B.into();
        app.version = v("1.1.0.0");
        assert!(deploy_check(&app, &e).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_environment_text_never_panics(text in "\\PC{0,200}") {
            let _ = Environment::from_json_str(&text);
        }
    }

    #[test]
    fn submission() {
        let a = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::APPSOURCE, "a.app");
        let mut b = AppUnderTest::new(B, "N", "P", v("1.0.0.0"), Scope::APPSOURCE, "b.app");
        assert!(check_submission(&[a.clone(), b.clone()]).is_empty());
        b.runtime_package_platform = Some(v("24.0.0.0"));
        assert_eq!(
            codes(&check_submission(&[a.clone(), b, a])),
            vec!["AVS0104", "AVS0103"]
        );
    }

    #[test]
    fn member_clashes_on_shared_base() {
        use crate::checks::source::{Extends, MemberDecl, MemberKind};
        let e = env(&format!(
            "{},{}",
            app_json(
                "437dbf0e-84ff-417a-965d-ed2bb9650972",
                "24.0.0.0",
                "global",
                r#","objects":[{"type":"table","id":18,"name":"Customer","members":[{"id":1,"name":"No."}]}]"#
            ),
            app_json(
                B,
                "1.0.0.0",
                "appsource",
                r#","objects":[{"type":"tableextension","id":70000000,"name":"X Cust","extends":"Customer","members":[{"id":50100,"name":"Points"}]}]"#
            )
        ));
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Pte, "x.app");
        let mut te = ObjectDecl::new(ObjectKind::TableExtension, Some(50100), "Cust Ext", "c.al");
        te.extends = Some(Extends {
            target: "\"Customer\"".into(),
            owner: crate::checks::source::Owner::Other,
        });
        te.members = vec![
            MemberDecl::new(MemberKind::Field, Some(50100), "Loyalty").at(4, 9),
            MemberDecl::new(MemberKind::Field, Some(50101), "points").at(5, 9),
            MemberDecl::new(MemberKind::Field, Some(1), "Fine"),
            MemberDecl::new(MemberKind::Field, Some(50102), "Other"),
        ];
        app.objects = vec![te];
        let d = deploy_check(&app, &e);
        assert_eq!(codes(&d), vec!["AVS0112", "AVS0113", "AVS0112"]);
        assert_eq!((d[0].line, d[0].column), (4, 9));
    }

    #[test]
    fn own_table_members_clash_with_an_installed_extension() {
        // The app declares the base table; another installed app extends it (an upgrade
        // of the table's app, the old version excluded as the same app id).
        let e = env(&format!(
            "{},{}",
            app_json(
                A,
                "1.0.0.0",
                "pte",
                r#","objects":[{"type":"table","id":50100,"name":"Tier"}]"#
            ),
            app_json(
                B,
                "1.0.0.0",
                "pte",
                r#","objects":[{"type":"tableextension","id":50200,"name":"Tier Ext","extends":"Tier","members":[{"id":50101,"name":"Bonus"}]}]"#
            )
        ));
        let mut app = AppUnderTest::new(A, "N", "P", v("1.1.0.0"), Scope::Pte, "x.app");
        let mut t = ObjectDecl::new(ObjectKind::Table, Some(50100), "Tier", "t.al");
        t.members = vec![
            MemberDecl::new(MemberKind::Field, Some(1), "Code"),
            MemberDecl::new(MemberKind::Field, Some(50101), "\"Extra\"").at(6, 9),
        ];
        app.objects = vec![t];
        let d = deploy_check(&app, &e);
        assert_eq!(codes(&d), vec!["AVS0112"]);
        assert_eq!((d[0].file.as_str(), d[0].line, d[0].column), ("t.al", 6, 9));
        assert!(
            d[0].message.starts_with(
                "\"Extra\" (50101) on \"tier\": ID 50101 is already used by \"Tier Ext\" of "
            ),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn base_names_compare_ignoring_case_beyond_ascii() {
        let e = env(&app_json(
            B,
            "1.0.0.0",
            "pte",
            r#","objects":[{"type":"table","id":50300,"name":"Änderung","members":[{"id":1,"name":"Nr."}]}]"#,
        ));
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Pte, "x.app");
        let mut te = ObjectDecl::new(ObjectKind::TableExtension, Some(50100), "Ext", "e.al");
        te.extends = Some(crate::checks::source::Extends {
            target: "\"ÄNDERUNG\"".into(),
            owner: crate::checks::source::Owner::Other,
        });
        te.members = vec![MemberDecl::new(MemberKind::Field, Some(1), "Other")];
        app.objects = vec![te];
        assert_eq!(codes(&deploy_check(&app, &e)), vec!["AVS0112"]);
    }

    #[test]
    fn dotnet_declarations_never_clash() {
        let e = env(&app_json(
            B,
            "1.0.0.0",
            "pte",
            r#","objects":[{"type":"dotnet","name":""}]"#,
        ));
        let mut app = AppUnderTest::new(A, "N", "P", v("1.0.0.0"), Scope::Pte, "x.app");
        app.objects = vec![ObjectDecl::new(ObjectKind::DotNet, None, "", "d.al")];
        assert!(deploy_check(&app, &e).is_empty());
    }

    #[test]
    fn from_manifest() {
        let m = AppManifest::from_json_str(&format!(
            r#"{{"id":"{A}","name":"N","publisher":"P","version":"1.0.0.0","dependencies":[{{"id":"{B}","name":"D","publisher":"P","version":"1.0.0.0"}}]}}"#
        ))
        .unwrap();
        let app = AppUnderTest::from_manifest(&m, Scope::Pte, "app.json");
        assert_eq!(app.id, A);
        assert_eq!(app.dependencies[0].id, B);
    }
}
