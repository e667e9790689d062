//! The byte lexer with integrated preprocessor.
//!
//! Works on bytes (never `&str`), so invalid UTF-8 is lexed too. Every byte ends up in
//! exactly one token. Inactive `#if` branches are scanned line by line (looking only for
//! conditional directives, like Roslyn) and become one [`SyntaxKind::DisabledText`] token.

use crate::diag::{DiagKind, SyntaxError};
use crate::kind::{SyntaxKind, SyntaxKind::*, keyword};
use crate::pp::{Defines, DirectiveKind, is_conditional, parse_directive};

/// One token: its kind and the byte offset where it starts (it ends where the next starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: SyntaxKind,
    pub start: u32,
}

/// How one conditional directive was evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BranchState {
    /// Byte offset of the directive token.
    pub offset: u32,
    /// Whether the branch it opens is active (`false` for `#endif`).
    pub active: bool,
}

pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    /// Indices of the significant (non-trivia) tokens.
    pub sig: Vec<u32>,
    pub diags: Vec<SyntaxError>,
    pub branches: Vec<BranchState>,
}

struct Frame {
    parent_active: bool,
    taken: bool,
    seen_else: bool,
    offset: u32,
}

/// Byte classes: bit 0 = identifier continue (ASCII letter, digit, `_`, any byte ≥ 0x80),
/// bit 1 = ASCII blank/line end (space, tab, CR, LF, VT, FF).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            t[i] |= 1;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c) {
            t[i] |= 2;
        }
        i += 1;
    }
    t
};

#[inline]
fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

#[inline]
fn is_ident_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

pub(crate) fn lex(src: &[u8], defines: &Defines) -> Lexed {
    let mut lx = Lexer {
        src,
        pos: 0,
        tokens: Vec::with_capacity(src.len() / 6 + 16),
        sig: Vec::with_capacity(src.len() / 12 + 16),
        diags: Vec::new(),
        branches: Vec::new(),
        defines: defines.clone(),
        stack: Vec::new(),
        active: true,
        line_start: true,
    };
    lx.run();
    Lexed {
        tokens: lx.tokens,
        sig: lx.sig,
        diags: lx.diags,
        branches: lx.branches,
    }
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    sig: Vec<u32>,
    diags: Vec<SyntaxError>,
    branches: Vec<BranchState>,
    defines: Defines,
    stack: Vec<Frame>,
    active: bool,
    /// Only whitespace since the last line end (a `#` here starts a directive).
    line_start: bool,
}

impl Lexer<'_> {
    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    #[inline]
    fn push(&mut self, kind: SyntaxKind, start: usize) {
        if !kind.is_trivia() {
            self.sig.push(self.tokens.len() as u32);
        }
        self.tokens.push(Token {
            kind,
            start: start as u32,
        });
    }

    fn diag(&mut self, start: usize, end: usize, kind: DiagKind) {
        self.diags
            .push(SyntaxError::new(start as u32, end as u32, kind));
    }

    fn run(&mut self) {
        let n = self.src.len();
        while self.pos < n {
            if !self.active {
                self.disabled();
                continue;
            }
            self.token();
        }
        if let Some(f) = self.stack.last() {
            let off = f.offset as usize;
            self.diag(off, off, DiagKind::UnclosedIf);
        }
    }

    /// Skips an inactive region: whole lines until a conditional directive line.
    fn disabled(&mut self) {
        let start = self.pos;
        let n = self.src.len();
        let mut p = self.pos;
        loop {
            // p is at a line start (or at the rest of the directive's line end)
            let mut q = p;
            while q < n && matches!(self.src[q], b' ' | b'\t' | 0x0c) {
                q += 1;
            }
            if q < n && self.src[q] == b'#' {
                let e = line_end(self.src, q);
                if is_conditional(&self.src[q..e]) {
                    if q > start {
                        self.push(DisabledText, start);
                    }
                    self.pos = q;
                    self.directive();
                    return;
                }
            }
            // advance to the next line
            let e = line_end(self.src, q);
            if e >= n {
                p = n;
                break;
            }
            p = if self.src[e] == b'\r' && self.at(e + 1) == b'\n' {
                e + 2
            } else {
                e + 1
            };
            if p >= n {
                break;
            }
        }
        if p > start {
            self.push(DisabledText, start);
        }
        self.pos = p;
    }

    fn directive(&mut self) {
        let start = self.pos;
        let end = line_end(self.src, start);
        self.push(Directive, start);
        self.pos = end;
        self.line_start = false;
        let off = start as u32;
        match parse_directive(&self.src[start..end]) {
            DirectiveKind::If(c) => {
                if c.is_none() {
                    self.diag(start, end, DiagKind::BadCondition);
                }
                let v = c.is_some_and(|c| c.eval(&self.defines));
                let parent = self.active;
                self.active = parent && v;
                self.stack.push(Frame {
                    parent_active: parent,
                    taken: self.active,
                    seen_else: false,
                    offset: off,
                });
                self.branches.push(BranchState {
                    offset: off,
                    active: self.active,
                });
            }
            DirectiveKind::Elif(c) => {
                if c.is_none() {
                    self.diag(start, end, DiagKind::BadCondition);
                }
                let v = c.is_some_and(|c| c.eval(&self.defines));
                match self.stack.last_mut() {
                    Some(f) if !f.seen_else => {
                        self.active = f.parent_active && !f.taken && v;
                        f.taken |= self.active;
                        self.branches.push(BranchState {
                            offset: off,
                            active: self.active,
                        });
                    }
                    _ => self.diag(start, end, DiagKind::UnexpectedDirective),
                }
            }
            DirectiveKind::Else => match self.stack.last_mut() {
                Some(f) if !f.seen_else => {
                    self.active = f.parent_active && !f.taken;
                    f.taken = true;
                    f.seen_else = true;
                    self.branches.push(BranchState {
                        offset: off,
                        active: self.active,
                    });
                }
                _ => self.diag(start, end, DiagKind::UnexpectedDirective),
            },
            DirectiveKind::Endif => match self.stack.pop() {
                Some(f) => {
                    self.active = f.parent_active;
                    self.branches.push(BranchState {
                        offset: off,
                        active: false,
                    });
                }
                None => self.diag(start, end, DiagKind::UnexpectedDirective),
            },
            DirectiveKind::Define(s) => {
                if self.active && !s.is_empty() {
                    self.defines.insert(s);
                }
            }
            DirectiveKind::Undef(s) => {
                if self.active {
                    self.defines.remove(&s);
                }
            }
            DirectiveKind::Region | DirectiveKind::Endregion | DirectiveKind::Pragma => {}
            DirectiveKind::Unknown => self.diag(start, end, DiagKind::UnknownDirective),
        }
    }

    fn token(&mut self) {
        let src = self.src;
        let start = self.pos;
        let c = src[start];
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
            || (c == 0xC2 && self.at(start + 1) == 0xA0)
        {
            self.whitespace(start);
            return;
        }
        if c == 0xEF && self.at(start + 1) == 0xBB && self.at(start + 2) == 0xBF {
            let mut p = start;
            while self.at(p) == 0xEF && self.at(p + 1) == 0xBB && self.at(p + 2) == 0xBF {
                p += 3;
            }
            self.push(Bom, start);
            self.pos = p;
            return;
        }
        if c == b'#' && self.line_start {
            self.directive();
            return;
        }
        self.line_start = false;
        if is_ident_start(c) {
            self.word(start);
            return;
        }
        if c.is_ascii_digit() {
            self.number();
            return;
        }
        let next = self.at(start + 1);
        match (c, next) {
            (b'\'', _) => self.string(start + 1, false),
            (b'"', _) => self.quoted(start),
            (b'@', b'\'') => self.string(start + 2, true),
            (b'/', b'/') => {
                let e = line_end(src, start);
                self.push(LineComment, start);
                self.pos = e;
            }
            (b'/', b'*') => self.block_comment(start),
            _ => {
                let (kind, len) = punctuation(c, next).unwrap_or_else(|| {
                    self.diag(start, start + 1, DiagKind::UnknownCharacter);
                    (Unknown, 1)
                });
                self.push(kind, start);
                self.pos = start + len;
            }
        }
    }

    /// A run of whitespace (spaces, tabs, line breaks, NBSP) from `start`.
    #[inline]
    fn whitespace(&mut self, start: usize) {
        let src = self.src;
        let n = src.len();
        let mut p = start;
        let mut ls = self.line_start;
        while p < n {
            let b = src[p];
            if b == b' ' {
                // indentation: skip runs of spaces 8 bytes at a time
                p += 1;
                while let Some(chunk) = src.get(p..p + 8) {
                    let Ok(arr) = <[u8; 8]>::try_from(chunk) else {
                        break;
                    };
                    let x = u64::from_le_bytes(arr) ^ 0x2020_2020_2020_2020;
                    if x == 0 {
                        p += 8;
                    } else {
                        p += (x.trailing_zeros() / 8) as usize;
                        break;
                    }
                }
                continue;
            }
            if CLASS[b as usize] & 2 != 0 {
                if b == b'\n' || b == b'\r' {
                    ls = true;
                }
                p += 1;
            } else if b == 0xC2 && self.at(p + 1) == 0xA0 {
                p += 2;
            } else {
                break;
            }
        }
        self.line_start = ls;
        self.push(Whitespace, start);
        self.pos = p;
    }

    /// An identifier or keyword from `start` (its first byte is an identifier start).
    #[inline]
    fn word(&mut self, start: usize) {
        let src = self.src;
        let n = src.len();
        let mut p = start + 1;
        while p < n {
            let b = src[p];
            if b < 0x80 {
                if CLASS[b as usize] & 1 != 0 {
                    p += 1;
                } else {
                    break;
                }
            } else {
                // stop before NBSP / BOM, which are trivia
                if (b == 0xC2 && self.at(p + 1) == 0xA0)
                    || (b == 0xEF && self.at(p + 1) == 0xBB && self.at(p + 2) == 0xBF)
                {
                    break;
                }
                p += 1;
            }
        }
        let kind = if src[start] < 0x80 {
            keyword(&src[start..p])
        } else {
            Ident
        };
        self.push(kind, start);
        self.pos = p;
    }

    /// `/* … */` from `start` (unterminated: to the end, with a diagnostic).
    fn block_comment(&mut self, start: usize) {
        let src = self.src;
        let n = src.len();
        let mut p = start + 2;
        loop {
            if p + 1 >= n {
                p = n;
                self.diag(start, n, DiagKind::UnterminatedComment);
                break;
            }
            if src[p] == b'*' && src[p + 1] == b'/' {
                p += 2;
                break;
            }
            p += 1;
        }
        self.push(BlockComment, start);
        self.pos = p;
    }

    /// `'…'` (one line) or `@'…'` (multi-line); `p` is just after the opening quote.
    fn string(&mut self, mut p: usize, verbatim: bool) {
        let start = self.pos;
        let src = self.src;
        let n = src.len();
        loop {
            if p >= n || (!verbatim && (src[p] == b'\n' || src[p] == b'\r')) {
                self.diag(start, p, DiagKind::UnterminatedString);
                break;
            }
            if src[p] == b'\'' {
                if self.at(p + 1) == b'\'' {
                    p += 2;
                    continue;
                }
                p += 1;
                break;
            }
            p += 1;
        }
        self.push(if verbatim { VerbatimString } else { StringLit }, start);
        self.pos = p;
    }

    fn quoted(&mut self, start: usize) {
        let src = self.src;
        let n = src.len();
        let mut p = start + 1;
        loop {
            if p >= n || src[p] == b'\n' || src[p] == b'\r' {
                self.diag(start, p, DiagKind::UnterminatedIdentifier);
                break;
            }
            if src[p] == b'"' {
                if self.at(p + 1) == b'"' {
                    p += 2;
                    continue;
                }
                p += 1;
                break;
            }
            p += 1;
        }
        self.push(QuotedIdent, start);
        self.pos = p;
    }

    fn number(&mut self) {
        let start = self.pos;
        let (kind, len) = number_literal(self.src.get(start..).unwrap_or_default());
        self.push(kind, start);
        self.pos = start + len.max(1);
    }
}

/// A numeric literal at the start of `input` (which starts with a digit): its kind and
/// length. Grammar (nom): `digits ["." digits] [suffix]` where suffix is `DT`, `D`, `T` or
/// `L` (any case) not followed by an identifier character; `D`/`L` only after integers.
/// `1..5` lexes as `1` (the `.` must be followed by a digit).
pub(crate) fn number_literal(input: &[u8]) -> (SyntaxKind, usize) {
    use nom::{
        Parser,
        bytes::complete::tag_no_case,
        character::complete::{char, digit1},
        combinator::{opt, recognize},
    };
    type R<'a, O> = nom::IResult<&'a [u8], O>;
    let mut number = (digit1, opt(recognize((char('.'), digit1))));
    let Ok((rest, (_, frac))): R<'_, (&[u8], Option<&[u8]>)> = number.parse(input) else {
        return (Int, 0);
    };
    let base = if frac.is_some() { Decimal } else { Int };
    let consumed = input.len() - rest.len();
    let suffix = |tag: &'static str| -> Option<usize> {
        let r: R<'_, &[u8]> = tag_no_case(tag).parse(rest);
        match r {
            Ok((after, _)) if !after.first().is_some_and(|&c| is_ident_continue(c)) => {
                Some(tag.len())
            }
            _ => None,
        }
    };
    if let Some(n) = suffix("dt") {
        (DateTime, consumed + n)
    } else if let (Some(n), Int) = (suffix("d"), base) {
        (Date, consumed + n)
    } else if let Some(n) = suffix("t") {
        (Time, consumed + n)
    } else if let (Some(n), Int) = (suffix("l"), base) {
        (BigInt, consumed + n)
    } else {
        (base, consumed)
    }
}

/// Offset of the first `\r` or `\n` at or after `p` (or the end).
#[inline]
fn line_end(src: &[u8], p: usize) -> usize {
    match src.get(p..).and_then(|s| memchr::memchr2(b'\n', b'\r', s)) {
        Some(i) => p + i,
        None => src.len(),
    }
}

/// The operator or punctuation token starting with `c` (followed by `next`) and its
/// length; `None` for a byte no token starts with.
#[inline]
fn punctuation(c: u8, next: u8) -> Option<(SyntaxKind, usize)> {
    Some(match c {
        b':' if next == b'=' => (Assign, 2),
        b':' if next == b':' => (ColonColon, 2),
        b':' => (Colon, 1),
        b'+' if next == b'=' => (PlusAssign, 2),
        b'-' if next == b'=' => (MinusAssign, 2),
        b'*' if next == b'=' => (StarAssign, 2),
        b'/' if next == b'=' => (SlashAssign, 2),
        b'.' if next == b'.' => (DotDot, 2),
        b'<' if next == b'>' => (NotEq, 2),
        b'<' if next == b'=' => (LtEq, 2),
        b'>' if next == b'=' => (GtEq, 2),
        b';' => (Semi, 1),
        b',' => (Comma, 1),
        b'.' => (Dot, 1),
        b'(' => (LParen, 1),
        b')' => (RParen, 1),
        b'[' => (LBracket, 1),
        b']' => (RBracket, 1),
        b'{' => (LBrace, 1),
        b'}' => (RBrace, 1),
        b'+' => (Plus, 1),
        b'-' => (Minus, 1),
        b'*' => (Star, 1),
        b'/' => (Slash, 1),
        b'=' => (Eq, 1),
        b'<' => (Lt, 1),
        b'>' => (Gt, 1),
        b'@' => (At, 1),
        b'?' => (Question, 1),
        b'|' => (Pipe, 1),
        b'&' => (Amp, 1),
        b'#' => (Hash, 1),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<SyntaxKind> {
        lex(s.as_bytes(), &Defines::none())
            .tokens
            .iter()
            .map(|t| t.kind)
            .filter(|k| !k.is_trivia())
            .collect()
    }

    #[test]
    fn literals() {
        assert_eq!(kinds("1..5"), vec![Int, DotDot, Int]);
        assert_eq!(
            kinds("1.5 0D 0T 0DT 1L 235959.999T 20240101D"),
            vec![Decimal, Date, Time, DateTime, BigInt, Time, Date]
        );
        assert_eq!(
            kinds("'a''b' \"x\"\"y\" @'m\nl'"),
            vec![StringLit, QuotedIdent, VerbatimString]
        );
        assert_eq!(
            kinds("a := b; x += 1 <> <= >= ::"),
            vec![
                Ident, Assign, Ident, Semi, Ident, PlusAssign, Int, NotEq, LtEq, GtEq, ColonColon
            ]
        );
        assert_eq!(kinds("BEGIN End"), vec![KwBegin, KwEnd]);
    }

    #[test]
    fn number_suffixes() {
        assert_eq!(
            kinds("5Days 1.5D 2dt 3t 4l 1.2L 0D.. 12.5T"),
            vec![
                Int, Ident, Decimal, Ident, DateTime, Time, BigInt, Decimal, Ident, Date, DotDot,
                Time
            ]
        );
        assert_eq!(number_literal(b"123abc"), (Int, 3));
        assert_eq!(number_literal(b"1..5"), (Int, 1));
        assert_eq!(number_literal(b"1.x"), (Int, 1));
    }

    #[test]
    fn space_runs_of_every_length() {
        for n in 1..40 {
            for tail in ["x", "\t", "\n", ""] {
                let src = format!("a{}{tail}", " ".repeat(n));
                let l = lex(src.as_bytes(), &Defines::none());
                assert_eq!(l.tokens[1].kind, Whitespace);
                let ws_end = l.tokens.get(2).map_or(src.len(), |t| t.start as usize);
                let expect = if tail == "\t" || tail == "\n" {
                    n + 2
                } else {
                    n + 1
                };
                assert_eq!(ws_end, expect, "{n} {tail:?}");
            }
        }
    }

    #[test]
    fn disabled() {
        let src = b"a\n#if X\nb /* \n#else\nc\n#endif\nd";
        let l = lex(src, &Defines::none());
        let k: Vec<_> = l.tokens.iter().map(|t| t.kind).collect();
        assert!(k.contains(&DisabledText));
        let l2 = lex(src, &Defines::from_symbols(["X"]));
        assert_eq!(
            l2.tokens.iter().filter(|t| t.kind == BlockComment).count(),
            1
        );
    }
}
