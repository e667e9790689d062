//! # al-parser
//!
//! A lossless, fast, error-recovering parser for the AL language of Microsoft Dynamics 365
//! Business Central.
//!
//! ## Guarantees
//!
//! - **Lossless**: every byte of the input belongs to exactly one token (trivia included), and
//!   [`Parse::to_bytes`] gives back the input byte for byte — for every input, valid or not,
//!   including invalid UTF-8, UTF-16 with BOM (decoded, then encoded back), doubled BOMs and
//!   any mix of CRLF/LF/CR.
//! - **Never panics, never overflows the stack**: recursion is bounded by [`MAX_DEPTH`]
//!   nesting levels; deeper input becomes an error node with a [`DiagKind::TooDeep`]
//!   diagnostic (safe on 2 MB rayon worker stacks).
//! - **Always a tree**: invalid input gives [`SyntaxKind::Error`] nodes plus diagnostics
//!   (byte span → [`Parse::line_col`], what was expected, what was found); parsing continues.
//! - **Compact**: tokens are `(kind, start offset)` pairs and nodes a flat preorder arena
//!   (`kind`, token range, descendant count): no per-token heap strings.
//!
//! ## Design
//!
//! bytes → [`source`](Encoding) decoding → byte lexer with an integrated preprocessor →
//! recursive-descent parser over the *active* significant tokens → flat tree → typed view
//! ([`ast`]).
//!
//! **Preprocessor (Roslyn's model).** The lexer evaluates `#if/#elif/#else/#endif` for a
//! given set of defined symbols ([`Defines`]). Directive lines are trivia tokens
//! ([`SyntaxKind::Directive`]); the source of an inactive branch becomes one
//! [`SyntaxKind::DisabledText`] trivia token (its bytes are kept, so the tree stays
//! lossless) and the parser only sees the active tokens. Directives may therefore cut
//! through anything: object headers duplicated under `#if/#else` sharing one body,
//! procedure signatures duplicated per branch, half expressions. To see *every* branch,
//! parse once per configuration returned by [`branch_configurations`] and deduplicate
//! results by byte span. `#pragma`, `#region`, `#endregion` are plain trivia.
//!
//! **Structure.** Object bodies are parsed generically: `Name = value;` properties,
//! `keyword { … }` sections, `keyword(args) { … }` elements (fields, keys, values, controls,
//! actions, dataitems, columns, xmlport nodes, `modify`/`addafter`/…), triggers, procedures,
//! var sections. Unknown properties and element keywords are kept, never rejected.
//! Property values with a known shape are parsed into structure — `TableRelation`
//! ([`SyntaxKind::ConditionalRelation`], [`SyntaxKind::Relation`], [`SyntaxKind::WhereClause`]
//! with `const`/`filter`/`field`/`upperlimit` [`SyntaxKind::FilterValue`]s), `CalcFormula`
//! (`sum`/`count`/`exist`/`lookup`/`average`/`min`/`max`), table views (`sorting`/`order`/`where`),
//! links (`RunPageLink`, `SubPageLink`, `DataItemLink`), `Permissions`/`AccessByPermission`
//! entries and `RunObject`. A value that does not fit its shape, and every other property,
//! is kept as raw tokens with parenthesised groups as [`SyntaxKind::TokenGroup`] nodes — never
//! an error. Code (statements and expressions) is fully parsed.
//!
//! **Operator precedence** (AL follows Pascal/C/AL; highest first):
//! `.` `::` `()` `[]` → unary `not` `-` `+` → `*` `/` `div` `mod` `and` →
//! `+` `-` `or` `xor` → `=` `<>` `<` `>` `<=` `>=` `in` `is` `as` → `..` → `? :`.
//! So `a = b and c` is `a = (b and c)`, as the AL compiler reads it.
//!
//! ## Measured (microsoft/BCApps, 36,605 `.al` files, 716 MB)
//!
//! 0 round-trip differences; 1 file with syntax errors (a procedure genuinely missing its
//! `end;`) with no symbols defined and when every file is parsed once per
//! [`branch_configurations`] entry. About 200–270 MB per CPU-second single-threaded on the
//! BaseApp folder (`examples/parse_dir.rs`), roughly 15–25× tree-sitter-al on the same input
//! (`benches/benches/parse.rs`); peak RSS ≈ 25 MB for the whole corpus with `alkit parse`.
//!
//! ## Example
//!
//! ```
//! use al_parser::{parse, ast::ObjectKind};
//!
//! let src = b"namespace My.App;\ntable 50100 \"My Table\"\n{\n    fields { field(1; \"No.\"; Code[20]) { } }\n}\n";
//! let p = parse(src);
//! assert!(!p.has_errors());
//! assert_eq!(p.to_bytes(), src);
//! let file = p.source_file();
//! assert_eq!(file.namespace().unwrap().0, "My.App");
//! let obj = file.objects().next().unwrap();
//! assert_eq!(obj.kind(), Some(ObjectKind::Table));
//! assert_eq!(obj.id().unwrap().value, Some(50100));
//! assert_eq!(obj.name().unwrap().value, "My Table");
//! let field = &obj.members()[0];
//! assert_eq!(field.id.as_ref().unwrap().value, Some(1));
//! assert_eq!(field.name.as_ref().unwrap().value, "No.");
//! ```

pub mod ast;
mod diag;
pub mod edit;
mod kind;
mod lexer;
mod parser;
mod pp;
pub mod resolve;
mod source;
pub mod symbols;
mod tree;

pub use diag::{DiagKind, SyntaxError};
pub use kind::SyntaxKind;
pub use lexer::BranchState;
pub use pp::{Condition, Defines, DirectiveKind, condition_symbols, parse_directive};
pub use source::Encoding;

/// Encodes (edited) decoded text back to a file's encoding, e.g. `encode(&new_text, parse.encoding())`.
pub fn encode(text: &[u8], encoding: Encoding) -> Vec<u8> {
    source::encode(text, encoding)
}

/// Decodes file bytes to the text the lexer sees (UTF-16 with BOM → UTF-8; anything else as is).
pub fn decode(bytes: &[u8]) -> (Vec<u8>, Encoding) {
    source::decode(bytes)
}
pub use tree::{NodeOrToken, Parse, SyntaxNode, SyntaxToken};

/// Inputs (decoded) of this many bytes or more are not parsed (offsets are `u32`): the
/// parse has one token and a [`DiagKind::InputTooLarge`] diagnostic.
pub const MAX_INPUT: usize = u32::MAX as usize;

/// How many candidate configurations [`branch_configurations`] tries beyond "none" and
/// "all" (each try lexes the file once).
pub const MAX_EXTRA_CONFIG_TRIES: usize = 256;

/// Maximum nesting depth (statements, expressions, members) the parser recurses into.
pub const MAX_DEPTH: u32 = 256;

/// Parses a file with no preprocessor symbol defined.
pub fn parse(bytes: &[u8]) -> Parse {
    parse_with(bytes, &Defines::none())
}

/// Parses a file (any bytes) with the given preprocessor symbols defined.
pub fn parse_with(bytes: &[u8], defines: &Defines) -> Parse {
    let (text, encoding) = source::decode(bytes);
    parse_text(std::sync::Arc::new(text), encoding, defines, None)
}

/// Parses decoded text (shared, e.g. between the branch configurations of one file), reusing
/// the lexer's output for `defines` when the caller already has it.
pub(crate) fn parse_text(
    text: std::sync::Arc<Vec<u8>>,
    encoding: Encoding,
    defines: &Defines,
    lexed: Option<lexer::Lexed>,
) -> Parse {
    if text.len() >= MAX_INPUT {
        // Offsets are u32: refuse (without panicking) instead of producing a wrong tree.
        let end = u32::MAX;
        let tokens = vec![lexer::Token {
            kind: SyntaxKind::Unknown,
            start: 0,
        }];
        let nodes = vec![tree::NodeData {
            kind: SyntaxKind::SourceFile,
            first: 0,
            end: 1,
            size: 0,
        }];
        let diags = vec![SyntaxError::new(0, end, DiagKind::InputTooLarge)];
        return Parse::new(text, encoding, tokens, nodes, diags, Vec::new());
    }
    let mut lexed = lexed.unwrap_or_else(|| lexer::lex(&text, defines));
    let sig = std::mem::take(&mut lexed.sig);
    let mut p = parser::Parser::new(&text, &lexed.tokens, sig);
    p.source_file();
    let nodes = std::mem::take(&mut p.nodes);
    let pdiags = std::mem::take(&mut p.diags);
    drop(p);
    let mut diags = lexed.diags;
    diags.extend(pdiags);
    Parse::new(text, encoding, lexed.tokens, nodes, diags, lexed.branches)
}

/// Parses decoded text once per [`branch_configurations`] entry; the parses share the text
/// and reuse the lexing done to find the configurations.
pub(crate) fn parse_all_configurations(
    text: std::sync::Arc<Vec<u8>>,
    encoding: Encoding,
    first: &Defines,
) -> Vec<Parse> {
    if text.len() >= MAX_INPUT {
        return vec![parse_text(text, encoding, first, None)];
    }
    configurations(&text, true, first)
        .into_iter()
        .map(|(d, lexed)| parse_text(text.clone(), encoding, &d, lexed))
        .collect()
}

/// Alias of [`parse`] for callers that read whole files.
pub fn parse_file(bytes: &[u8]) -> Parse {
    parse(bytes)
}

impl Parse {
    /// The typed view of the root.
    pub fn source_file(&self) -> ast::SourceFile<'_> {
        ast::SourceFile(self.root())
    }
}

/// Symbol configurations that together make every `#if/#elif/#else` branch of `bytes`
/// active at least once: always "none defined" first, then "all defined" if that activates
/// a branch the first did not, then extra ones for branches still uncovered (found by trying every
/// combination when the file names at most 8 symbols, else single symbols and their
/// complements; at most [`MAX_EXTRA_CONFIG_TRIES`] candidates are tried). Branches that no
/// configuration can reach (e.g. `#if A and not A`) stay uncovered.
pub fn branch_configurations(bytes: &[u8]) -> Vec<Defines> {
    let (text, _) = source::decode(bytes);
    configurations(&text, false, &Defines::none())
        .into_iter()
        .map(|(d, _)| d)
        .collect()
}

/// [`branch_configurations`] of decoded text; with `keep`, the lexer output of each chosen
/// configuration that had to be lexed to choose it.
/// The configurations start with `first` (the symbols an app defines; only those the file
/// names count), so the first parse is the one the app is built with.
fn configurations(
    text: &[u8],
    keep: bool,
    first: &Defines,
) -> Vec<(Defines, Option<lexer::Lexed>)> {
    use std::collections::BTreeSet;
    // No `#` at all: no directive (the common case, without scanning line by line).
    if !text.contains(&b'#') {
        return vec![(Defines::none(), None)];
    }
    let symbols: Vec<String> = condition_symbols(text).into_iter().collect();
    if symbols.is_empty() {
        return vec![(Defines::none(), None)];
    }
    // Branch-opening directives seen (by offset) and those seen active.
    let mut openers: BTreeSet<u32> = BTreeSet::new();
    let mut covered: BTreeSet<u32> = BTreeSet::new();
    // Lexes with `d`; returns whether a new branch became active, and the lexer output.
    let note = |d: &Defines,
                openers: &mut BTreeSet<u32>,
                covered: &mut BTreeSet<u32>|
     -> (bool, lexer::Lexed) {
        let before = covered.len();
        let lexed = lexer::lex(text, d);
        for b in &lexed.branches {
            if is_opener(text, b.offset) {
                openers.insert(b.offset);
            }
            if b.active {
                covered.insert(b.offset);
            }
        }
        (covered.len() > before, lexed)
    };
    let keep_if = |l: lexer::Lexed| if keep { Some(l) } else { None };
    let first = Defines::from_symbols(symbols.iter().filter(|s| first.contains(s)).cloned());
    let (_, first_lexed) = note(&first, &mut openers, &mut covered);
    // Every branch already active, and no conditional directive that another configuration
    // could see (e.g. one inside a comment here): no configuration can activate more, so
    // lexing "all defined" would only confirm it.
    let all_seen = covered.len() >= openers.len() && {
        let seen: Vec<u32> = first_lexed.branches.iter().map(|b| b.offset).collect();
        pp::possible_conditionals(text) == seen
    };
    let mut configs = vec![(first.clone(), keep_if(first_lexed))];
    if all_seen {
        return configs;
    }
    if first != Defines::none() {
        let (added, lexed) = note(&Defines::none(), &mut openers, &mut covered);
        if added {
            configs.push((Defines::none(), keep_if(lexed)));
        }
    }
    let everything = Defines::from_symbols(symbols.iter().cloned());
    if everything != first {
        let (added, lexed) = note(&everything, &mut openers, &mut covered);
        if added {
            configs.push((everything, keep_if(lexed)));
        }
    }
    let mut candidates: Vec<Defines> = Vec::new();
    if symbols.len() <= 8 {
        for mask in 1u32..(1u32 << symbols.len()) {
            candidates.push(Defines::from_symbols(
                symbols
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, s)| s.clone()),
            ));
        }
    } else {
        for s in &symbols {
            candidates.push(Defines::from_symbols([s.clone()]));
            candidates.push(Defines::from_symbols(
                symbols.iter().filter(|x| *x != s).cloned(),
            ));
        }
    }
    // bound the work on adversarial input (thousands of distinct symbols)
    for c in candidates.into_iter().take(MAX_EXTRA_CONFIG_TRIES) {
        if covered.len() >= openers.len() {
            break;
        }
        if configs.iter().any(|(d, _)| *d == c) {
            continue;
        }
        let (added, lexed) = note(&c, &mut openers, &mut covered);
        if added {
            configs.push((c, keep_if(lexed)));
        }
    }
    configs
}

fn is_opener(text: &[u8], offset: u32) -> bool {
    let line = text.get(offset as usize..).unwrap_or_default();
    let end = line
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .unwrap_or(line.len());
    !matches!(parse_directive(&line[..end]), DirectiveKind::Endif)
}

/// Result of checking one file: does it parse without errors, and does it round-trip?
#[derive(Debug, Clone)]
pub struct FileCheck {
    /// Input size in bytes.
    pub bytes: usize,
    /// Number of tokens.
    pub tokens: usize,
    /// Diagnostics as `(line, column, message)` (1-based, column in bytes): all of them,
    /// or the first ones only ([`check_file_limited`]).
    pub errors: Vec<(u32, u32, String)>,
    /// How many diagnostics the file has (`errors` may hold fewer).
    pub error_count: usize,
    /// Whether printing the tree gives back the input exactly.
    pub round_trip_ok: bool,
}

/// Parses `bytes` with `defines` and checks errors and the round trip.
pub fn check_file(bytes: &[u8], defines: &Defines) -> FileCheck {
    check_file_limited(bytes, defines, usize::MAX)
}

/// [`check_file`] that describes only the first `max_errors` diagnostics (a file of
/// garbage has millions; [`FileCheck::error_count`] still counts them all).
pub fn check_file_limited(bytes: &[u8], defines: &Defines, max_errors: usize) -> FileCheck {
    let p = parse_with(bytes, defines);
    let errors = p
        .diagnostics()
        .iter()
        .take(max_errors)
        .map(|d| {
            let (l, c) = p.line_col(d.start);
            (l, c, p.describe(d))
        })
        .collect();
    FileCheck {
        bytes: bytes.len(),
        tokens: p.token_count(),
        errors,
        error_count: p.diagnostics().len(),
        round_trip_ok: p.round_trips(bytes),
    }
}
