//! Symbol index: every object of an app (and of its dependencies) with the members others
//! refer to.
//!
//! The model is plain data (serde-serializable, so tools can cache and diff it). It is filled
//! from source by [`AppSymbols::from_sources`] (every preprocessor branch is parsed, see
//! [`crate::branch_configurations`]) or, for packages, by an adapter that maps a
//! `SymbolReference.json` onto the same types. [`SymbolIndex::new`] joins apps, checks that
//! every declared dependency is present (missing ones are reported in
//! [`SymbolIndex::diagnostics`], never ignored) and builds the lookup tables.
//!
//! ```
//! use al_parser::symbols::{AppInfo, AppSymbols, SourceText, SymbolIndex};
//! use al_parser::ast::ObjectKind;
//!
//! let files = vec![SourceText::new("T.al", b"table 50100 \"My T\" { fields { field(1; \"No.\"; Code[20]) { } } }".to_vec())];
//! let parsed = al_parser::symbols::ParsedApp::parse(AppInfo::named("My App"), files);
//! let index = SymbolIndex::new(vec![AppSymbols::from_parsed(&parsed)]);
//! let t = index.find_object(ObjectKind::Table, "my t").unwrap();
//! assert_eq!(index.object(t).unwrap().id.map(|i| i.0), Some(50100));
//! ```

mod build;
mod model;

pub(crate) use build::FILES_PER_TASK;
pub(crate) use build::{
    ExtraSite, element_args, extract as build_extract, procedure_member, single_word,
};
pub use build::{ParsedApp, ParsedFile};
pub(crate) use model::FastMap;
pub use model::*;
