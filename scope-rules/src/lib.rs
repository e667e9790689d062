//! # scope-rules
//!
//! Business Central extension scopes (DEV, PTE, Marketplace/AppSource, global,
//! on-prem), ID ranges, affix rules, name-length limits, and the static checks
//! built on them.
//!
//! ## Guarantees
//!
//! - **Pure**: no I/O, no printing, no environment reads. Every check takes
//!   values and returns [`Diagnostic`]s; parsing functions return typed errors.
//! - **No panics on input**: malformed app.json, AppSourceCop.json, environment
//!   JSON, names or IDs produce errors or diagnostics, never a panic.
//! - **Rules as data**: ranges ([`ranges::RANGE_TABLE`]), limits
//!   ([`limits::LIMITS`]) and the rule catalog ([`rules::RULES`]) are constants
//!   that tests and docs can enumerate.
//! - **Microsoft rule ids**: findings carry the AL/AS/PTE/AVS id Microsoft's
//!   tools would report; alkit's own publishing blockers use `ALK….`
//! - **Deterministic**: the same input gives the same diagnostics in the same
//!   order, and [`shorten::shorten`] the same name.
//!
//! ## Map
//!
//! - [`scope`]: [`Scope`] and what each scope allows.
//! - [`ranges`]: licence ranges and [`ranges::classify`].
//! - [`affix`], [`limits`], [`shorten`]: naming rules and the name shortener.
//! - [`diagnostic`]: [`Diagnostic`], [`RuleConfig`], text/JSON/SARIF renderers.
//! - [`rules`]: the rule catalog.
//! - [`moves`]: the six scope moves as data and [`moves::plan_move`] (ordered steps,
//!   identity, ID and name mappings, consequences), [`moves::infer_scope`] and
//!   [`moves::default_target_ranges`].
//! - [`deploy`]: [`deploy::deploy_check`] against a JSON [`deploy::Environment`].
//! - [`parsed`]: al-parser's typed view → [`source::ObjectDecl`].
//! - [`source`]: source-level rules over [`source::ObjectDecl`] (parser-independent input).
//! - [`manifest`], [`cop`], [`jsonpos`]: app.json / AppSourceCop.json checks
//!   with positions ([`manifest::check_manifest`], [`manifest::check_manifest_text`]).
//!
//! ```
//! use scope_rules::{Scope, ranges::{classify, MemberKind}};
//! let v = classify(Scope::Pte, MemberKind::Object, 70_000_000, &[]);
//! assert_eq!(v.rule_ids(), vec!["PTE0001"]);
//! ```

pub mod affix;
pub mod cop;
pub mod deploy;
pub mod diagnostic;
pub mod jsonpos;
pub mod limits;
pub mod manifest;
pub mod moves;
pub mod parsed;
pub mod property_rules;
pub mod ranges;
pub mod rules;
pub mod scope;
pub mod shorten;
pub mod source;

pub use cop::AppSourceCop;
pub use deploy::{AppUnderTest, Environment, deploy_check};
pub use diagnostic::{
    Diagnostic, RuleConfig, Severity, TextEdit, render_json, render_sarif, render_text,
};
pub use manifest::{ManifestSources, check_manifest, check_manifest_text};
pub use moves::{MovePlan, MoveRequest, plan_move};
pub use parsed::{objects_from_parse, objects_from_sources};
pub use ranges::IdRange;
pub use scope::Scope;
pub use source::{MemberDecl, ObjectDecl, ObjectKind, SourceContext, check_objects};
