//! Diagnostics: what went wrong, and where (byte span; line/column via [`crate::Parse::line_col`]).

use std::fmt;

use crate::kind::SyntaxKind;

/// What a diagnostic says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiagKind {
    /// The parser expected something else here.
    Expected {
        /// What was expected, e.g. `"';'"` or `"expression"`.
        expected: &'static str,
        /// The kind of the token found instead.
        found: SyntaxKind,
    },
    /// Nesting deeper than [`crate::MAX_DEPTH`]; the nested part was kept as an error node.
    TooDeep,
    /// `'…` without its closing quote on the same line.
    UnterminatedString,
    /// `"…` without its closing quote on the same line.
    UnterminatedIdentifier,
    /// `/*` without `*/`.
    UnterminatedComment,
    /// A byte that starts no token.
    UnknownCharacter,
    /// `#if`/`#elif` condition that could not be parsed (treated as false).
    BadCondition,
    /// `#elif`/`#else`/`#endif` without a matching `#if`.
    UnexpectedDirective,
    /// `#if` without `#endif`.
    UnclosedIf,
    /// `#something` that is not a known directive.
    UnknownDirective,
    /// The input is [`crate::MAX_INPUT`] bytes or larger and was not parsed.
    InputTooLarge,
}

/// One problem found while lexing or parsing. Diagnostics never stop the parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Start byte offset (in the decoded text, see [`crate::Parse::text`]).
    pub start: u32,
    /// End byte offset (exclusive).
    pub end: u32,
    /// What went wrong.
    pub kind: DiagKind,
}

impl SyntaxError {
    pub(crate) fn new(start: u32, end: u32, kind: DiagKind) -> Self {
        Self { start, end, kind }
    }
}

impl fmt::Display for DiagKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiagKind::Expected { expected, found } => {
                write!(f, "expected {expected}, found {}", describe(*found))
            }
            DiagKind::TooDeep => write!(
                f,
                "nesting too deep (more than {} levels)",
                crate::MAX_DEPTH
            ),
            DiagKind::UnterminatedString => write!(f, "unterminated text literal"),
            DiagKind::UnterminatedIdentifier => write!(f, "unterminated quoted identifier"),
            DiagKind::UnterminatedComment => write!(f, "unterminated block comment"),
            DiagKind::UnknownCharacter => write!(f, "unknown character"),
            DiagKind::BadCondition => write!(f, "invalid preprocessor condition"),
            DiagKind::UnexpectedDirective => write!(f, "directive without matching #if"),
            DiagKind::UnclosedIf => write!(f, "#if without #endif"),
            DiagKind::UnknownDirective => write!(f, "unknown preprocessor directive"),
            DiagKind::InputTooLarge => write!(f, "input too large (4 GiB or more)"),
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

fn describe(k: SyntaxKind) -> &'static str {
    use SyntaxKind::*;
    match k {
        Eof => "end of file",
        Ident | QuotedIdent => "identifier",
        StringLit | VerbatimString => "text literal",
        Int | Decimal | BigInt | Date | Time | DateTime => "number",
        Semi => "';'",
        Comma => "','",
        Colon => "':'",
        LParen => "'('",
        RParen => "')'",
        LBracket => "'['",
        RBracket => "']'",
        LBrace => "'{'",
        RBrace => "'}'",
        Assign => "':='",
        Eq => "'='",
        Dot => "'.'",
        DotDot => "'..'",
        k if k.is_keyword() => "keyword",
        _ => "token",
    }
}
