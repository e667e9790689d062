//! Segments of dotted names (`Ns."My Table"`, `Rec."No."`, `50100`) from tokens, nodes
//! and type texts, and the keys and string contents of single tokens.

use std::ops::Range;

use crate::ast::{self, unquote};
use crate::kind::SyntaxKind::*;
use crate::symbols::into_key;
use crate::tree::{SyntaxNode, SyntaxToken};

/// A segment of a dotted name (text unquoted, span as written).
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    pub text: String,
    pub span: Range<u32>,
    pub is_int: bool,
}

impl Seg {
    pub fn of(t: SyntaxToken<'_>) -> Self {
        Self {
            text: unquote(t.text()),
            span: t.span(),
            is_int: t.kind() == Int,
        }
    }
}

/// [`name_key`](crate::symbols::name_key) of an identifier token's unquoted text, with one
/// allocation.
pub(super) fn key_of(raw: &[u8]) -> String {
    into_key(unquote(raw))
}

/// Longest identifier [`with_token_key`] lower-cases on the stack.
pub(super) const TOKEN_KEY_BUF: usize = 128;

/// Calls `f` with [`key_of`] of a token's text, without allocating for short ASCII
/// identifiers (quoted ones without a doubled `""` inside).
pub(super) fn with_token_key<R>(raw: &[u8], f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; TOKEN_KEY_BUF];
    f(&token_key(raw, &mut buf))
}

/// [`key_of`] of a token's text, lower-cased into `buf` (no allocation) when it is a
/// short ASCII identifier (quoted ones without a doubled `""` inside).
pub(super) fn token_key<'b>(
    raw: &[u8],
    buf: &'b mut [u8; TOKEN_KEY_BUF],
) -> std::borrow::Cow<'b, str> {
    let inner = if raw.len() >= 2 && raw.starts_with(b"\"") && raw.ends_with(b"\"") {
        raw.get(1..raw.len() - 1)
    } else if let Some(rest) = raw.strip_prefix(b"\"") {
        Some(rest)
    } else {
        Some(raw)
    };
    if let Some(inner) = inner
        && let Some(dst) = buf.get_mut(..inner.len())
    {
        // One pass: lower-case ASCII, give up at a non-ASCII byte or a `"`.
        let mut plain = true;
        for (d, &b) in dst.iter_mut().zip(inner) {
            if b >= 0x80 || b == b'"' {
                plain = false;
                break;
            }
            *d = b.to_ascii_lowercase();
        }
        if plain && let Ok(k) = std::str::from_utf8(dst) {
            return std::borrow::Cow::Borrowed(k);
        }
    }
    std::borrow::Cow::Owned(key_of(raw))
}

/// String contents span (without the quotes) and text (unescaped).
pub(crate) fn string_inner(t: SyntaxToken<'_>) -> (Range<u32>, String) {
    let s = t.span();
    let raw = t.text();
    let (a, b) = if raw.len() >= 2 && raw.ends_with(b"'") {
        (s.start + 1, s.end - 1)
    } else {
        (s.start + 1.min(s.end - s.start), s.end)
    };
    let inner = raw
        .get(1..raw.len().saturating_sub(if raw.len() >= 2 { 1 } else { 0 }))
        .unwrap_or_default();
    (a..b, String::from_utf8_lossy(inner).replace("''", "'"))
}

pub(super) fn last_word(n: SyntaxNode<'_>) -> Option<SyntaxToken<'_>> {
    n.child_tokens().filter(|t| t.kind().is_word()).last()
}

pub(super) fn single_token(n: SyntaxNode<'_>) -> Option<SyntaxToken<'_>> {
    let mut it = ast::significant_tokens(n);
    let t = it.next()?;
    if it.next().is_some() { None } else { Some(t) }
}

pub(super) fn scope_right(n: SyntaxNode<'_>) -> Option<String> {
    if n.kind() != ScopeExpr {
        return None;
    }
    last_word(n).map(|t| unquote(t.text()))
}

/// Segments of a qualified-name node.
pub(crate) fn qsegs(q: SyntaxNode<'_>) -> Vec<Seg> {
    ast::significant_tokens(q)
        .filter(|t| t.kind() != Dot)
        .map(Seg::of)
        .collect()
}

pub(crate) fn toks_to_segs(toks: &[SyntaxToken<'_>]) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut expect_word = true;
    for t in toks {
        if t.kind() == Dot {
            expect_word = true;
            continue;
        }
        if !expect_word || !(t.kind().is_word() || t.kind() == Int) {
            break;
        }
        out.push(Seg::of(*t));
        expect_word = false;
    }
    out
}

/// A dotted path filling a whole node (`Rec."X"`, `Ns.Name`, `50100`); empty otherwise.
pub(crate) fn path_segs(n: SyntaxNode<'_>) -> Vec<Seg> {
    let toks: Vec<SyntaxToken<'_>> = ast::significant_tokens(n).collect();
    let segs = toks_to_segs(&toks);
    let used = segs.len() * 2 - usize::from(!segs.is_empty());
    if used == toks.len() { segs } else { Vec::new() }
}

/// Comma-separated single names of a node (`F1, "F 2"`).
pub(crate) fn list_segs(n: Option<SyntaxNode<'_>>) -> Vec<Seg> {
    let Some(n) = n else { return Vec::new() };
    ast::significant_tokens(n)
        .filter(|t| t.kind().is_word())
        .map(Seg::of)
        .collect()
}

/// Splits a type text (`Record "Sales Header" temporary`) into words, dots and brackets.
pub(crate) fn text_words(s: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            let mut j = i + 1;
            let mut v = String::new();
            while j < b.len() {
                if b[j] == b'"' {
                    if b.get(j + 1) == Some(&b'"') {
                        v.push('"');
                        j += 2;
                        continue;
                    }
                    break;
                }
                let st = j;
                while j < b.len() && b[j] != b'"' {
                    j += 1;
                }
                v.push_str(s.get(st..j).unwrap_or_default());
            }
            // Quoted text never acts as punctuation.
            if matches!(v.as_str(), "." | "[" | "]" | ",") {
                v.push(' ');
            }
            out.push(Seg {
                text: v,
                span: 0..0,
                is_int: false,
            });
            i = j + 1;
        } else if matches!(c, b'.' | b'[' | b']' | b',') {
            out.push(Seg {
                text: (c as char).to_string(),
                span: 0..0,
                is_int: false,
            });
            i += 1;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else {
            let st = i;
            while i < b.len()
                && !matches!(b[i], b'.' | b'[' | b']' | b',' | b'"')
                && !b[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let w = s.get(st..i).unwrap_or_default();
            out.push(Seg {
                text: w.to_string(),
                span: 0..0,
                is_int: w.bytes().all(|x| x.is_ascii_digit()),
            });
        }
    }
    out
}

/// A dotted name text (`Ns.Name`, `"My T"`) as segments.
pub(crate) fn text_segs(s: &str) -> Vec<Seg> {
    text_words(s)
        .into_iter()
        .filter(|w| w.text != ".")
        .collect()
}
