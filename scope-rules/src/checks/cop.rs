//! AppSourceCop.json: the model is [`al_manifest::AppSourceCop`]; this module
//! adds what the scope checks need on top of it.
//!
//! ```
//! use scope_rules::checks::cop::{AppSourceCop, affixes_of};
//! let cop = AppSourceCop::from_json_str(r#"{ "mandatoryAffixes": ["ABC"], "mandatorySuffix": "abc" }"#).unwrap();
//! let affixes = affixes_of(&cop);
//! assert_eq!(affixes.as_slice(), &["ABC".to_string()]);
//! assert!(affixes.has_affix("Setup abc"));
//! ```

pub use al_manifest::AppSourceCop;

use crate::affix::Affixes;

/// The effective affix set of AppSourceCop.json (`mandatoryAffixes` ∪
/// `mandatoryPrefix` ∪ `mandatorySuffix`, deduplicated case-insensitively).
pub fn affixes_of(cop: &AppSourceCop) -> Affixes {
    Affixes::new(cop.affixes())
}
