//! The flat, lossless syntax tree and cursors over it.
//!
//! Storage: one `Vec` of tokens (kind + start offset; the length is implied by the next
//! token) and one `Vec` of nodes in preorder (kind, token range, number of descendants).
//! No per-token heap allocation; cursors ([`SyntaxNode`], [`SyntaxToken`]) are two words.

use std::ops::Range;

use crate::diag::SyntaxError;
use crate::kind::SyntaxKind;
use crate::lexer::{BranchState, Token};
use crate::source::{Encoding, encode};

#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeData {
    pub kind: SyntaxKind,
    /// First token index.
    pub first: u32,
    /// One past the last token index.
    pub end: u32,
    /// Number of descendant nodes (they follow this node in preorder).
    pub size: u32,
}

/// The result of parsing one file: text, tokens, tree and diagnostics.
///
/// Always complete: even for garbage input the tree covers every byte.
#[derive(Debug, Clone)]
pub struct Parse {
    /// Shared between the parses of one file in several branch configurations.
    pub(crate) text: std::sync::Arc<Vec<u8>>,
    pub(crate) encoding: Encoding,
    pub(crate) tokens: Vec<Token>,
    pub(crate) nodes: Vec<NodeData>,
    pub(crate) diags: Vec<SyntaxError>,
    pub(crate) branches: Vec<BranchState>,
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl Parse {
    pub(crate) fn new(
        text: std::sync::Arc<Vec<u8>>,
        encoding: Encoding,
        tokens: Vec<Token>,
        nodes: Vec<NodeData>,
        diags: Vec<SyntaxError>,
        branches: Vec<BranchState>,
    ) -> Self {
        Self {
            text,
            encoding,
            tokens,
            nodes,
            diags,
            branches,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The decoded source text (the input bytes themselves unless the input was UTF-16).
    /// All offsets and spans refer to this text.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// The encoding detected in the input.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Prints the tree back in the input's encoding: equal to the input, byte for byte.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len());
        for t in self.root().tokens() {
            out.extend_from_slice(t.text());
        }
        if self.encoding == Encoding::Utf8 {
            out
        } else {
            encode(&out, self.encoding)
        }
    }

    /// Whether printing the tree gives back `original` exactly (without allocating for
    /// UTF-8 input): every token's bytes, in order, must spell the input.
    pub fn round_trips(&self, original: &[u8]) -> bool {
        if self.encoding != Encoding::Utf8 {
            return self.to_bytes() == original;
        }
        // The tokens' bytes, concatenated in order, are exactly `text` iff the tokens tile
        // it: the first starts at 0 and each starts where the previous ended (token ends are
        // the next token's start, the last one ends at the end of the text).
        let tiles = self.tokens.first().is_none_or(|t| t.start == 0)
            && self.tokens.windows(2).all(|w| w[0].start < w[1].start)
            && self
                .tokens
                .last()
                .is_none_or(|t| (t.start as usize) < self.text.len())
            && (!self.tokens.is_empty() || self.text.is_empty());
        tiles && self.text.as_slice() == original
    }

    /// Lexer and parser diagnostics, in source order per phase.
    pub fn diagnostics(&self) -> &[SyntaxError] {
        &self.diags
    }

    /// The diagnostic's message, quoting the offending token for "expected …, found …"
    /// (e.g. ``expected 'end', found keyword `local` ``).
    pub fn describe(&self, d: &SyntaxError) -> std::string::String {
        let mut m = d.to_string();
        if matches!(d.kind, crate::DiagKind::Expected { .. }) && d.end > d.start {
            if let Some(t) = self.text.get(d.start as usize..d.end as usize) {
                let t = std::string::String::from_utf8_lossy(t);
                let t: std::string::String = t.chars().take(40).collect();
                m.push_str(&format!(" `{t}`"));
            }
        }
        m
    }

    /// Whether any diagnostic was reported.
    pub fn has_errors(&self) -> bool {
        !self.diags.is_empty()
    }

    /// The state of every conditional directive (`#if/#elif/#else/#endif`) met, in order.
    pub fn branches(&self) -> &[BranchState] {
        &self.branches
    }

    /// The root node ([`SyntaxKind::SourceFile`]).
    pub fn root(&self) -> SyntaxNode<'_> {
        SyntaxNode {
            parse: self,
            idx: 0,
        }
    }

    /// Number of tokens (trivia included).
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Every token (trivia included), in text order.
    pub fn tokens(&self) -> impl Iterator<Item = SyntaxToken<'_>> + '_ {
        (0..self.tokens.len() as u32).map(move |idx| SyntaxToken { parse: self, idx })
    }

    /// The token whose span contains byte `offset` (a binary search), if any.
    ///
    /// ```
    /// let p = al_parser::parse(b"codeunit 50100 \"My Unit\" { }");
    /// let t = p.token_at(18).unwrap();
    /// assert_eq!(t.kind(), al_parser::SyntaxKind::QuotedIdent);
    /// assert_eq!(t.span(), 15..24);
    /// ```
    pub fn token_at(&self, offset: u32) -> Option<SyntaxToken<'_>> {
        if offset as usize >= self.text.len() {
            return None;
        }
        let after = self.tokens.partition_point(|t| t.start <= offset);
        let idx = after.checked_sub(1)? as u32;
        Some(SyntaxToken { parse: self, idx })
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// 1-based line and column (in bytes) of a byte offset. Lines end at LF, CRLF or CR.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let ls = self.line_starts.get_or_init(|| {
            let mut v = vec![0u32];
            let t = self.text.as_slice();
            let mut i = 0;
            while i < t.len() {
                match t[i] {
                    b'\n' => v.push(i as u32 + 1),
                    b'\r' => {
                        if t.get(i + 1) == Some(&b'\n') {
                            i += 1;
                        }
                        v.push(i as u32 + 1);
                    }
                    _ => {}
                }
                i += 1;
            }
            v
        });
        let line = ls.partition_point(|&s| s <= offset).max(1);
        let start = ls.get(line - 1).copied().unwrap_or(0);
        (line as u32, offset.saturating_sub(start) + 1)
    }

    fn tok_start(&self, i: u32) -> u32 {
        self.tokens
            .get(i as usize)
            .map_or(self.text.len() as u32, |t| t.start)
    }
}

/// A node of the tree (a cheap cursor).
#[derive(Clone, Copy)]
pub struct SyntaxNode<'p> {
    parse: &'p Parse,
    idx: u32,
}

impl PartialEq for SyntaxNode<'_> {
    fn eq(&self, o: &Self) -> bool {
        std::ptr::eq(self.parse, o.parse) && self.idx == o.idx
    }
}

impl std::fmt::Debug for SyntaxNode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}@{:?}", self.kind(), self.span())
    }
}

/// A child of a node: a node or a token.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeOrToken<'p> {
    /// A child node.
    Node(SyntaxNode<'p>),
    /// A child token (trivia included).
    Token(SyntaxToken<'p>),
}

impl<'p> SyntaxNode<'p> {
    fn data(self) -> NodeData {
        self.parse.nodes[self.idx as usize]
    }

    /// The node's kind.
    pub fn kind(self) -> SyntaxKind {
        self.data().kind
    }

    /// Byte span (in [`Parse::text`]) from the first to the last token of the node.
    pub fn span(self) -> Range<u32> {
        let d = self.data();
        let s = self.parse.tok_start(d.first);
        let e = if d.end > d.first {
            self.parse.tok_start(d.end)
        } else {
            s
        };
        s..e
    }

    /// The node's source bytes.
    pub fn text(self) -> &'p [u8] {
        let r = self.span();
        self.parse
            .text
            .get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }

    /// Child nodes in order.
    pub fn children(self) -> impl Iterator<Item = SyntaxNode<'p>> + 'p {
        let parse = self.parse;
        let end = self.idx + 1 + self.data().size;
        let mut j = self.idx + 1;
        std::iter::from_fn(move || {
            if j >= end {
                return None;
            }
            let n = SyntaxNode { parse, idx: j };
            j += 1 + parse.nodes[j as usize].size;
            Some(n)
        })
    }

    /// All descendant nodes in preorder (not including `self`).
    pub fn descendants(self) -> impl Iterator<Item = SyntaxNode<'p>> + 'p {
        let parse = self.parse;
        let end = self.idx + 1 + self.data().size;
        (self.idx + 1..end).map(move |idx| SyntaxNode { parse, idx })
    }

    /// Children, nodes and tokens (trivia included) interleaved in source order.
    pub fn children_with_tokens(self) -> impl Iterator<Item = NodeOrToken<'p>> + 'p {
        let parse = self.parse;
        let d = self.data();
        let mut t = d.first;
        let mut kids = self.children().peekable();
        std::iter::from_fn(move || {
            if let Some(k) = kids.peek() {
                if k.data().first <= t {
                    let k = *k;
                    kids.next();
                    t = t.max(k.data().end);
                    return Some(NodeOrToken::Node(k));
                }
            }
            if t < d.end {
                let tok = SyntaxToken { parse, idx: t };
                t += 1;
                return Some(NodeOrToken::Token(tok));
            }
            kids.next().map(NodeOrToken::Node)
        })
    }

    /// Every token of the node (trivia included), in order.
    pub fn tokens(self) -> impl Iterator<Item = SyntaxToken<'p>> + 'p {
        let parse = self.parse;
        let d = self.data();
        (d.first..d.end).map(move |idx| SyntaxToken { parse, idx })
    }

    /// The node's own (direct child) tokens that are not trivia.
    pub fn child_tokens(self) -> impl Iterator<Item = SyntaxToken<'p>> + 'p {
        self.children_with_tokens().filter_map(|c| match c {
            NodeOrToken::Token(t) if !t.kind().is_trivia() => Some(t),
            _ => None,
        })
    }

    /// First child node of the given kind.
    pub fn child(self, kind: SyntaxKind) -> Option<SyntaxNode<'p>> {
        self.children().find(|c| c.kind() == kind)
    }

    /// First non-trivia token of the node.
    pub fn first_token(self) -> Option<SyntaxToken<'p>> {
        self.tokens().find(|t| !t.kind().is_trivia())
    }

    /// The parse this node belongs to.
    pub fn parse(self) -> &'p Parse {
        self.parse
    }
}

/// A token of the tree (a cheap cursor).
#[derive(Clone, Copy)]
pub struct SyntaxToken<'p> {
    parse: &'p Parse,
    idx: u32,
}

impl PartialEq for SyntaxToken<'_> {
    fn eq(&self, o: &Self) -> bool {
        std::ptr::eq(self.parse, o.parse) && self.idx == o.idx
    }
}

impl std::fmt::Debug for SyntaxToken<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?}@{:?} {:?}",
            self.kind(),
            self.span(),
            String::from_utf8_lossy(self.text())
        )
    }
}

impl<'p> SyntaxToken<'p> {
    /// The token's kind.
    pub fn kind(self) -> SyntaxKind {
        self.parse.tokens[self.idx as usize].kind
    }

    /// Byte span in [`Parse::text`].
    pub fn span(self) -> Range<u32> {
        self.parse.tok_start(self.idx)..self.parse.tok_start(self.idx + 1)
    }

    /// The token's bytes.
    pub fn text(self) -> &'p [u8] {
        let r = self.span();
        self.parse
            .text
            .get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }

    /// The token's text as a string (lossy for invalid UTF-8).
    pub fn text_lossy(self) -> std::borrow::Cow<'p, str> {
        String::from_utf8_lossy(self.text())
    }

    /// [`Self::text_lossy`] in ASCII lower case (see [`ascii_lower`]): for matching
    /// keywords (`Field`, `ACTION`, …).
    pub(crate) fn lower<'b>(self, buf: &'b mut [u8; 32]) -> std::borrow::Cow<'b, str> {
        ascii_lower(self.text(), buf)
    }
}

/// `text` (lossy for invalid UTF-8) in ASCII lower case, written into `buf` (no
/// allocation) when it is ASCII and fits.
pub(crate) fn ascii_lower<'b>(text: &[u8], buf: &'b mut [u8; 32]) -> std::borrow::Cow<'b, str> {
    if let Some(d) = buf.get_mut(..text.len())
        && text.is_ascii()
    {
        d.copy_from_slice(text);
        d.make_ascii_lowercase();
        if let Ok(s) = std::str::from_utf8(d) {
            return std::borrow::Cow::Borrowed(s);
        }
    }
    std::borrow::Cow::Owned(String::from_utf8_lossy(text).to_ascii_lowercase())
}

impl Parse {
    /// An indented dump of the tree (nodes with spans, significant tokens with text),
    /// for tests and debugging.
    pub fn debug_tree(&self) -> std::string::String {
        fn go(n: SyntaxNode<'_>, depth: usize, out: &mut std::string::String) {
            use std::fmt::Write;
            let _ = writeln!(out, "{:indent$}{:?}", "", n.kind(), indent = depth * 2);
            for c in n.children_with_tokens() {
                match c {
                    NodeOrToken::Node(c) => go(c, depth + 1, out),
                    NodeOrToken::Token(t) if !t.kind().is_trivia() => {
                        let _ = writeln!(
                            out,
                            "{:indent$}{:?} {}",
                            "",
                            t.kind(),
                            t.text_lossy(),
                            indent = depth * 2 + 2
                        );
                    }
                    NodeOrToken::Token(_) => {}
                }
            }
        }
        let mut s = std::string::String::new();
        go(self.root(), 0, &mut s);
        s
    }

    /// A compact S-expression of the tree's nodes with significant token text, e.g.
    /// `(BinaryExpr (NameRef a) + (NameRef b))`, for tests.
    pub fn sexp(&self, node: SyntaxNode<'_>) -> std::string::String {
        let mut s = std::string::String::new();
        sexp_into(node, &mut s);
        s
    }
}

fn sexp_into(n: SyntaxNode<'_>, out: &mut std::string::String) {
    out.push('(');
    out.push_str(&format!("{:?}", n.kind()));
    for c in n.children_with_tokens() {
        match c {
            NodeOrToken::Node(c) => {
                out.push(' ');
                sexp_into(c, out);
            }
            NodeOrToken::Token(t) if !t.kind().is_trivia() => {
                out.push(' ');
                out.push_str(&t.text_lossy());
            }
            NodeOrToken::Token(_) => {}
        }
    }
    out.push(')');
}
