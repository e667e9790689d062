//! Types: the static type of a variable, field or expression as far as references need
//! it, and the object references a type names (`Record "X"`, `List of [Interface I]`).

use super::RefKind;
use super::segs::{Seg, key_of, text_segs, text_words};
use super::walk::Cx;
use crate::ast::{self, unquote};
use crate::kind::SyntaxKind::*;
use crate::symbols::{MemberKind, ObjectKind, SymbolId};
use crate::tree::SyntaxNode;

/// Static type of an expression, as far as references need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Unknown,
    Record(SymbolId),
    Object(ObjectKind, SymbolId),
    Enum(SymbolId),
    RecordRef,
    KindKw(ObjectKind),
    CurrPage,
    This,
    Part(SymbolId),
}

/// The first kind whose word equals `word` ignoring ASCII case.
fn lookup_word(table: &[(&str, ObjectKind)], word: &str) -> Option<ObjectKind> {
    table
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, k)| *k)
}

pub(super) fn is_kind_keyword_for_scope(word: &str) -> Option<ObjectKind> {
    const WORDS: &[(&str, ObjectKind)] = &[
        ("database", ObjectKind::Table),
        ("table", ObjectKind::Table),
        ("codeunit", ObjectKind::Codeunit),
        ("page", ObjectKind::Page),
        ("report", ObjectKind::Report),
        ("query", ObjectKind::Query),
        ("xmlport", ObjectKind::XmlPort),
        ("enum", ObjectKind::Enum),
        ("interface", ObjectKind::Interface),
        ("permissionset", ObjectKind::PermissionSet),
    ];
    lookup_word(WORDS, word)
}

/// Type keywords naming an object kind (`Record X`, `Codeunit X`, …).
const TYPE_WORDS: &[(&str, ObjectKind)] = &[
    ("record", ObjectKind::Table),
    ("codeunit", ObjectKind::Codeunit),
    ("page", ObjectKind::Page),
    ("testpage", ObjectKind::Page),
    ("report", ObjectKind::Report),
    ("testrequestpage", ObjectKind::Report),
    ("query", ObjectKind::Query),
    ("xmlport", ObjectKind::XmlPort),
    ("enum", ObjectKind::Enum),
    ("interface", ObjectKind::Interface),
];

fn type_keyword(word: &str) -> Option<ObjectKind> {
    lookup_word(TYPE_WORDS, word)
}

impl Cx<'_> {
    pub(super) fn ty_of_member(&mut self, m: SymbolId) -> Ty {
        let index = self.index;
        let Some(mem) = index.member(m) else {
            return Ty::Unknown;
        };
        match mem.kind {
            MemberKind::Control if mem.type_name.is_some() => {
                let t = mem.type_name.as_deref().unwrap_or_default();
                let segs = text_segs(t);
                match self.find_obj(ObjectKind::Page, &segs) {
                    Some((p, _)) => Ty::Part(p),
                    None => Ty::Unknown,
                }
            }
            MemberKind::Field | MemberKind::Procedure => {
                let t = mem.type_name.as_deref().unwrap_or_default();
                self.ty_from_text(t)
            }
            _ => Ty::Unknown,
        }
    }

    /// Type of a type text (`Record "X"`, `Enum Ns.E`, `Codeunit X`).
    pub fn ty_from_text(&mut self, t: &str) -> Ty {
        if t.is_empty() {
            return Ty::Unknown;
        }
        if let Some(ty) = self.ty_cache.get(t) {
            return *ty;
        }
        let segs = text_words(t);
        let ty = self.ty_from_words(&segs, None);
        self.ty_cache.insert(t.to_string(), ty);
        ty
    }

    /// Type from a token list (words and dots); emits references when `emit` is set.
    fn ty_from_words(&mut self, toks: &[Seg], emit: Option<RefKind>) -> Ty {
        let mut ty = Ty::Unknown;
        let mut depth = 0i32;
        let mut i = 0;
        while i < toks.len() {
            let Some(t) = toks.get(i) else { break };
            match t.text.as_str() {
                "[" => depth += 1,
                "]" => depth -= 1,
                _ => {}
            }
            if t.text.eq_ignore_ascii_case("recordref") && depth == 0 {
                ty = Ty::RecordRef;
            }
            if let Some(k) = type_keyword(&t.text) {
                let mut segs: Vec<Seg> = Vec::new();
                let mut j = i + 1;
                while let Some(n) = toks.get(j) {
                    if n.text == "." {
                        j += 1;
                        continue;
                    }
                    if n.text == "["
                        || n.text == "]"
                        || n.text == ","
                        || n.text.eq_ignore_ascii_case("temporary")
                    {
                        break;
                    }
                    segs.push(n.clone());
                    j += 1;
                    if toks.get(j).is_none_or(|d| d.text != ".") {
                        break;
                    }
                }
                if !segs.is_empty() {
                    let obj = match emit {
                        Some(rk) => self.emit_obj(k, &segs, rk).0,
                        None => self.find_obj(k, &segs).map(|x| x.0),
                    };
                    if depth == 0
                        && let Some(o) = obj
                    {
                        ty = match k {
                            ObjectKind::Table => Ty::Record(o),
                            ObjectKind::Enum => Ty::Enum(o),
                            _ => Ty::Object(k, o),
                        };
                    }
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        ty
    }

    /// Walks a type node: emits its object references, returns its type.
    pub fn type_ref(&mut self, n: SyntaxNode<'_>) -> Ty {
        // Types naming no object (`Integer`, `Code[20]`, `List of [Text]`) give nothing:
        // skip building segments for them.
        let names_object = ast::significant_tokens(n).any(|t| {
            if t.kind() == QuotedIdent {
                let text = unquote(t.text());
                type_keyword(&text).is_some() || text.eq_ignore_ascii_case("recordref")
            } else {
                // Keywords are ASCII: bytes compare as the lossy text would.
                let text = t.text();
                TYPE_WORDS
                    .iter()
                    .any(|(w, _)| w.as_bytes().eq_ignore_ascii_case(text))
                    || text.eq_ignore_ascii_case(b"recordref")
            }
        });
        if !names_object {
            return Ty::Unknown;
        }
        let toks: Vec<Seg> = ast::significant_tokens(n)
            .map(|t| {
                let quoted = t.kind() == QuotedIdent;
                let mut text = if quoted {
                    unquote(t.text())
                } else {
                    t.text_lossy().into_owned()
                };
                if matches!(text.as_str(), "." | "[" | "]" | ",") {
                    // Quoted identifiers that look like punctuation must not be read as such.
                    if quoted {
                        text.push(' ');
                    }
                } else if text.is_empty() {
                    text = "\"\"".into();
                }
                Seg {
                    text,
                    span: t.span(),
                    // Quoted names never act as punctuation or keywords.
                    is_int: t.kind() == Int,
                }
            })
            .collect();
        self.ty_from_words(&toks, Some(RefKind::Type))
    }

    pub(super) fn declare_vars(&mut self, vs: SyntaxNode<'_>, global: bool) {
        for d in vs.children().filter(|d| d.kind() == VarDecl) {
            let ty = d.child(TypeRef).map_or(Ty::Unknown, |t| self.type_ref(t));
            for n in d.children().filter(|n| n.kind() == Name) {
                if let Some(t) = n.first_token() {
                    let key = key_of(t.text());
                    if global {
                        self.globals.insert(key, ty);
                    } else {
                        self.locals.insert(key, ty);
                    }
                }
            }
        }
    }
}
