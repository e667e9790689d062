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
//!   ([`limits::LIMITS`]) and the rule catalog ([`checks::rules::RULES`]) are constants
//!   that tests and docs can enumerate.
//! - **Microsoft rule ids**: findings carry the AL/AS/PTE/AVS id Microsoft's
//!   tools would report; alkit's own publishing blockers use `ALK….`
//! - **Deterministic**: the same input gives the same diagnostics in the same
//!   order, and [`shorten::shorten`] the same name.
//!
//! ## Rules covered
//!
//! Decidable from app.json, AppSourceCop.json and AL source, and checked
//! here (severities in [`checks::rules::RULES`]):
//!
//! - **Manifest** ([`checks::manifest`]): AL1046–AL1048, AS0014, AS0015, AS0047,
//!   AS0048, AS0051–AS0056, AS0081, AS0084, AS0085, AS0092, AS0100, AS0126,
//!   AS0096/AS0097 (against the baseline name/publisher given in
//!   AppSourceCop.json), PTE0005, PTE0009–PTE0012, PTE0020, ALK0007.
//! - **Source** ([`checks::source`], [`checks::property_rules`]): AL0264, AL0297, AL0304,
//!   AL0305, AL0468, AL0534, AL0566, AL0659, AS0008, AS0011, AS0013, AS0016,
//!   AS0058, AS0061, AS0062, AS0073, AS0075, AS0076, AS0079, AS0098 (new members),
//!   AS0099, AS0103, AS0110–AS0113, AS0127, AS0138, PTE0001–PTE0004, PTE0006, PTE0007,
//!   PTE0008, PTE0013, PTE0016–PTE0019, PTE0021–PTE0024, PTE0026; AS0094/PTE0014 over XML
//!   files with [`checks::property_rules::check_xml_permission_sets`].
//! - **Source + dependency symbols** ([`checks::dependencies`]): AS0059, AS0105, AS0116,
//!   AS0119–AS0122, AS0130, AS0141, AS0142, PTE0025, and ALK0010 for what the symbols
//!   given could not decide; AS0011/AS0079/AS0098 on members of extension objects take
//!   the owner from the symbols ([`parsed::mark_owners`], ALK0009 without).
//! - **Package / environment** ([`checks::deploy`]): AVS0103, AVS0104, AVS0107,
//!   AVS0110–AVS0113, ALK0001–ALK0006, ALK0008.
//!
//! Not checked: AS0060 (the methods AppSourceCop considers unsafe are listed neither on
//! its page nor in the spec).
//!
//! Not checked, because they need the **baseline** (previous version's
//! .app): AS0001–AS0007, AS0009, AS0010, AS0018–AS0036, AS0038–AS0044,
//! AS0049, AS0050, AS0063–AS0071, AS0072 (next Major.Minor for *newly*
//! obsoleted symbols), AS0074, AS0077, AS0078, AS0080, AS0082, AS0083,
//! AS0086, AS0088–AS0091, AS0095, AS0098 for existing enum values, AS0101,
//! AS0102, AS0106–AS0109, AS0114, AS0115, AS0117, AS0118, AS0123–AS0125,
//! AS0128, AS0129, AS0131–AS0137, AS0139, AS0140, AS0146.
//!
//! Also not checked: AS0057 and AS0087 (need the .xlf translation files),
//! AS0093 (dropped from Microsoft's index; Marketplace apps may now define
//! entitlements), AS0012 (legacy, replaced by AS0011).
//!
//! ## Map
//!
//! The folder tree shows the crate's two jobs:
//!
//! - top level, the rules as data both jobs use: [`scope`] ([`Scope`] and what each scope
//!   allows), [`ranges`] (licence ranges, [`ranges::classify`]), [`affix`], [`limits`],
//!   [`shorten`] (naming rules and the name shortener), [`parsed`] (al-parser's typed view →
//!   [`checks::source::ObjectDecl`]);
//! - [`checks`]: the static checks — [`checks::manifest`] and [`checks::cop`] (app.json,
//!   AppSourceCop.json), [`checks::source`] and [`checks::property_rules`] (AL source),
//!   [`checks::deploy`] (a package against an environment), the rule catalog
//!   [`checks::rules`] and [`checks::diagnostic`] (findings and their renderers);
//! - [`move_engine`]: moving an app between scopes, one file a stage (request → plan →
//!   resolve → edits → proof → verification → outputs → report), with [`move_app`] chaining
//!   them, [`move_engine::plan_project`] for the plan alone, and the data-migration app.
//!
//! ```
//! use scope_rules::{Scope, ranges::{classify, IdKind}};
//! let v = classify(Scope::Pte, IdKind::Object, 70_000_000, &[]);
//! assert_eq!(v.rule_ids(), vec!["PTE0001"]);
//! ```

pub mod affix;
pub mod checks;
pub mod limits;
pub mod move_engine;
pub mod parsed;
pub mod ranges;
pub mod scope;
pub mod shorten;

pub use checks::cop::AppSourceCop;
pub use checks::deploy::{AppUnderTest, Environment, deploy_check};
pub use checks::diagnostic::{
    Diagnostic, RuleConfig, Severity, TextEdit, render_json, render_sarif, render_text,
};
pub use checks::manifest::{ManifestSources, check_manifest, check_manifest_text};
pub use checks::rules::RuleId;
pub use checks::source::{MemberDecl, ObjectDecl, ObjectKind, SourceContext, check_objects};
pub use move_engine::{
    MoveError, MoveMapping, MoveOptions, MoveOutcome, MovePlan, MoveReport, MoveRequest, move_app,
    plan_move,
};
pub use parsed::{objects_from_parse, objects_from_sources};
pub use ranges::IdRange;
pub use scope::Scope;

/// Most files one parallel task takes in the loops over a project's files: rayon otherwise
/// leaves long runs of files unsplit, and one thread finishes them while the others idle.
pub(crate) const FILES_PER_TASK: usize = 8;
