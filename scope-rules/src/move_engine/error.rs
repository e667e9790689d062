//! One error type for the whole move: bad input, unresolved references, a plan that cannot
//! be made, edits that cannot be built, and a failed verification.

use crate::move_engine::report::Unresolved;
use crate::shorten::ShortenError;

/// Why a move (or its plan) did not happen: nothing is produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The input is wrong (message says what, where and what was expected).
    #[error("{0}")]
    Input(String),
    /// Files of the app do not parse (refused unless `allow_syntax_errors`).
    #[error("{} syntax error(s) in the app's files: {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Syntax(Vec<crate::move_engine::report::SyntaxProblem>),
    /// References could not be resolved and `allow_unresolved` was not set.
    #[error("{} object(s) not found and {} reference(s) unresolved (pass the dependencies' symbols, or allow unresolved references)", missing.len(), refs.len())]
    Unresolved {
        /// Objects referenced but not found, as (kind, name).
        missing: Vec<(String, String)>,
        /// Unresolved references.
        refs: Vec<Unresolved>,
    },
    /// The moved sources failed verification.
    #[error("verification of the moved sources failed: {}", .0.join("; "))]
    Verification(Vec<String>),
    /// The target ranges hold too few IDs.
    #[error("the target ranges have no free ID left for {what}")]
    OutOfIds {
        /// Which item ran out.
        what: String,
    },
    /// The move needs an affix but none was given.
    #[error("moving to {0} adds affixes, but no affix was given")]
    AffixMissing(String),
    /// The move needs a new app id but none was given.
    #[error("moving from {from} to {to} requires a new app id, but none was given")]
    NewIdMissing {
        /// Source scope.
        from: String,
        /// Target scope.
        to: String,
    },
    /// A name could not be shortened.
    #[error("cannot rename {name:?}: {source}")]
    Shorten {
        /// The name.
        name: String,
        /// Why.
        source: ShortenError,
    },
    /// A symbol of the plan is not in the workspace's source app.
    #[error("{0}: not found in the project's symbols")]
    NotFound(String),
    /// Renaming or renumbering a symbol failed.
    #[error("{symbol}: {source}")]
    Edit {
        /// The symbol.
        symbol: String,
        /// Why.
        source: al_parser::edit::EditError,
    },
    /// Two edits of different symbols overlap.
    #[error("overlapping edits in {file} at bytes {a_start}..{a_end} and {b_start}..{b_end}")]
    Overlap {
        /// The file.
        file: String,
        /// First edit start.
        a_start: u32,
        /// First edit end.
        a_end: u32,
        /// Second edit start.
        b_start: u32,
        /// Second edit end.
        b_end: u32,
    },
}
