//! Preprocessor directives: parsing directive lines (with `nom`), evaluating `#if`
//! conditions, and finding symbol configurations that make every branch active.

use std::collections::BTreeSet;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, tag_no_case, take_while, take_while1},
    character::complete::{char, space0},
    combinator::{map, opt, rest},
    multi::many0,
    sequence::{delimited, preceded},
};

/// A set of defined preprocessor symbols (case-sensitive, like the AL compiler's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Defines {
    symbols: BTreeSet<String>,
}

impl Defines {
    /// No symbol defined.
    pub fn none() -> Self {
        Self::default()
    }

    /// The given symbols defined.
    pub fn from_symbols<I, S>(symbols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            symbols: symbols.into_iter().map(Into::into).collect(),
        }
    }

    /// Defines one more symbol.
    pub fn insert(&mut self, symbol: impl Into<String>) {
        self.symbols.insert(symbol.into());
    }

    /// Removes a symbol.
    pub fn remove(&mut self, symbol: &str) {
        self.symbols.remove(symbol);
    }

    /// Whether `symbol` is defined.
    pub fn contains(&self, symbol: &str) -> bool {
        self.symbols.contains(symbol)
    }

    /// The defined symbols in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.symbols.iter().map(String::as_str)
    }
}

/// A parsed `#if`/`#elif` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// A symbol: true when defined.
    Symbol(String),
    /// `not c`
    Not(Box<Condition>),
    /// `a and b`
    And(Box<Condition>, Box<Condition>),
    /// `a or b`
    Or(Box<Condition>, Box<Condition>),
}

impl Condition {
    /// Evaluates the condition for a set of defined symbols.
    pub fn eval(&self, defines: &Defines) -> bool {
        match self {
            Condition::Symbol(s) => defines.contains(s),
            Condition::Not(c) => !c.eval(defines),
            Condition::And(a, b) => a.eval(defines) && b.eval(defines),
            Condition::Or(a, b) => a.eval(defines) || b.eval(defines),
        }
    }

    fn symbols<'a>(&'a self, out: &mut BTreeSet<&'a str>) {
        match self {
            Condition::Symbol(s) => {
                out.insert(s);
            }
            Condition::Not(c) => c.symbols(out),
            Condition::And(a, b) | Condition::Or(a, b) => {
                a.symbols(out);
                b.symbols(out);
            }
        }
    }
}

/// What a directive line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `#if cond` (condition `None` when it could not be parsed: treated as false).
    If(Option<Condition>),
    /// `#elif cond`
    Elif(Option<Condition>),
    /// `#else`
    Else,
    /// `#endif`
    Endif,
    /// `#define SYM`
    Define(String),
    /// `#undef SYM`
    Undef(String),
    /// `#region …`
    Region,
    /// `#endregion …`
    Endregion,
    /// `#pragma …`
    Pragma,
    /// Anything else after `#`.
    Unknown,
}

type In<'a> = &'a [u8];

fn ws(i: In<'_>) -> IResult<In<'_>, In<'_>> {
    take_while(|c| c == b' ' || c == b'\t' || c == 0x0c)(i)
}

fn is_sym(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn symbol(i: In<'_>) -> IResult<In<'_>, String> {
    map(take_while1(is_sym), |s: In<'_>| {
        String::from_utf8_lossy(s).into_owned()
    })
    .parse(i)
}

/// A keyword that must not be followed by a symbol character.
fn word<'a>(
    w: &'static str,
) -> impl Parser<In<'a>, Output = In<'a>, Error = nom::error::Error<In<'a>>> {
    move |i: In<'a>| {
        let (r, m) = tag_no_case(w)(i)?;
        if r.first().is_some_and(|&c| is_sym(c)) {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            )));
        }
        Ok((r, m))
    }
}

fn atom(i: In<'_>) -> IResult<In<'_>, Condition> {
    preceded(
        ws,
        alt((
            map(preceded(alt((word("not"), tag("!"))), atom), |c| {
                Condition::Not(Box::new(c))
            }),
            delimited(char('('), or_expr, preceded(ws, char(')'))),
            map(symbol, Condition::Symbol),
        )),
    )
    .parse(i)
}

fn and_expr(i: In<'_>) -> IResult<In<'_>, Condition> {
    let (i, first) = atom(i)?;
    let (i, rest) = many0(preceded((ws, alt((word("and"), tag("&&")))), atom)).parse(i)?;
    Ok((
        i,
        rest.into_iter()
            .fold(first, |a, b| Condition::And(Box::new(a), Box::new(b))),
    ))
}

fn or_expr(i: In<'_>) -> IResult<In<'_>, Condition> {
    let (i, first) = and_expr(i)?;
    let (i, rest) = many0(preceded((ws, alt((word("or"), tag("||")))), and_expr)).parse(i)?;
    Ok((
        i,
        rest.into_iter()
            .fold(first, |a, b| Condition::Or(Box::new(a), Box::new(b))),
    ))
}

/// A full condition: the expression, then only whitespace or a `//` comment.
fn condition(i: In<'_>) -> Option<Condition> {
    let (r, c) = or_expr(i).ok()?;
    let (r, _) = ws(r).ok()?;
    if r.is_empty() || r.starts_with(b"//") {
        Some(c)
    } else {
        None
    }
}

fn directive_name(i: In<'_>) -> IResult<In<'_>, In<'_>> {
    preceded(
        (space0, char('#'), ws),
        take_while(|c: u8| c.is_ascii_alphabetic()),
    )
    .parse(i)
}

/// Parses one directive line (starting at `#`, possibly after blanks).
pub fn parse_directive(line: &[u8]) -> DirectiveKind {
    let Ok((rest_of_line, name)) = directive_name(line) else {
        return DirectiveKind::Unknown;
    };
    let lower = name.to_ascii_lowercase();
    let sym = |r: In<'_>| -> String {
        let parsed: IResult<In<'_>, Option<String>> = preceded(ws, opt(symbol)).parse(r);
        parsed.ok().and_then(|(_, s)| s).unwrap_or_default()
    };
    match lower.as_slice() {
        b"if" => DirectiveKind::If(condition(rest_of_line)),
        b"elif" => DirectiveKind::Elif(condition(rest_of_line)),
        b"else" => DirectiveKind::Else,
        b"endif" => DirectiveKind::Endif,
        b"define" => DirectiveKind::Define(sym(rest_of_line)),
        b"undef" => DirectiveKind::Undef(sym(rest_of_line)),
        b"region" => DirectiveKind::Region,
        b"endregion" => DirectiveKind::Endregion,
        b"pragma" => {
            let _: IResult<In<'_>, In<'_>> = rest(rest_of_line);
            DirectiveKind::Pragma
        }
        _ => DirectiveKind::Unknown,
    }
}

/// Whether the directive opens/continues/closes a conditional block.
pub(crate) fn is_conditional(line: &[u8]) -> bool {
    match directive_name(line) {
        Ok((_, name)) => {
            let n = name.to_ascii_lowercase();
            matches!(n.as_slice(), b"if" | b"elif" | b"else" | b"endif")
        }
        Err(_) => false,
    }
}

/// Every symbol named in an `#if`/`#elif` condition or `#define`/`#undef` of `text`
/// (line-based scan; `text` is the decoded source).
pub fn condition_symbols(text: &[u8]) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    // Each `#` that only spaces, tabs or form feeds separate from its line start begins a
    // directive line (found with memchr instead of splitting every line).
    let mut from = 0;
    while let Some(i) = text
        .get(from..)
        .and_then(|rest| memchr::memchr(b'#', rest))
        .map(|i| from + i)
    {
        let first = text
            .get(..i)
            .unwrap_or_default()
            .iter()
            .rposition(|&c| !matches!(c, b' ' | b'\t' | 0x0c))
            .is_none_or(|j| matches!(text.get(j), Some(b'\n' | b'\r')));
        if !first {
            from = i + 1;
            continue;
        }
        let end = text
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
            .map_or(text.len(), |e| i + e);
        match parse_directive(text.get(i..end).unwrap_or_default()) {
            DirectiveKind::If(Some(c)) | DirectiveKind::Elif(Some(c)) => {
                let mut s = BTreeSet::new();
                c.symbols(&mut s);
                set.extend(s.into_iter().map(str::to_owned));
            }
            DirectiveKind::Define(s) | DirectiveKind::Undef(s) if !s.is_empty() => {
                set.insert(s);
            }
            _ => {}
        }
        from = end;
    }
    set
}

/// Offsets of every `#` that could start a conditional directive in some configuration: only
/// whitespace or BOM bytes (any the lexer treats as such) between it and its line start,
/// and `#if`/`#elif`/`#else`/`#endif` on its line. A superset of the directives any lexing
/// of the text sees.
pub(crate) fn possible_conditionals(text: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text
        .get(from..)
        .and_then(|rest| memchr::memchr(b'#', rest))
        .map(|i| from + i)
    {
        from = i + 1;
        let first = text
            .get(..i)
            .unwrap_or_default()
            .iter()
            .rposition(|&c| {
                !matches!(
                    c,
                    b' ' | b'\t' | 0x0b | 0x0c | 0xC2 | 0xA0 | 0xEF | 0xBB | 0xBF
                )
            })
            .is_none_or(|j| matches!(text.get(j), Some(b'\n' | b'\r')));
        if !first {
            continue;
        }
        let end = text
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
            .map_or(text.len(), |e| i + e);
        if is_conditional(text.get(i..end).unwrap_or_default()) {
            out.push(i as u32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(parse_directive(b"#endif"), DirectiveKind::Endif);
        assert_eq!(parse_directive(b"  # ELSE // x"), DirectiveKind::Else);
        assert_eq!(
            parse_directive(b"#pragma warning disable AL0432"),
            DirectiveKind::Pragma
        );
        let DirectiveKind::If(Some(c)) = parse_directive(b"#if not CLEAN24 // remove") else {
            panic!("not an if")
        };
        assert!(c.eval(&Defines::none()));
        assert!(!c.eval(&Defines::from_symbols(["CLEAN24"])));
        let DirectiveKind::If(Some(c)) = parse_directive(b"#if A and not (B or C)") else {
            panic!("not an if")
        };
        assert!(c.eval(&Defines::from_symbols(["A"])));
        assert!(!c.eval(&Defines::from_symbols(["A", "C"])));
        assert_eq!(parse_directive(b"#if"), DirectiveKind::If(None));
        assert_eq!(
            parse_directive(b"#define X"),
            DirectiveKind::Define("X".into())
        );
        assert_eq!(
            parse_directive(b"#if notX"),
            DirectiveKind::If(Some(Condition::Symbol("notX".into())))
        );
    }
}
