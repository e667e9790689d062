//! The walker: per object of a file, a [`Cx`] holding what names resolve against (the
//! object, its implicit record and page, variables in scope), and the emitting core every
//! part of the walk shares — object paths ([`Cx::emit_obj`]), members
//! ([`Cx::emit_member`], [`Cx::field`]) and names already resolved ([`Cx::emit_named`]).
//!
//! What is walked lives beside it, by what it resolves: [`super::types`] (type
//! references), [`super::objects`] (object headers, bodies, elements, routines),
//! [`super::props`] (property values), [`super::attributes`] (`[EventSubscriber]`),
//! [`super::exprs`] (statements, expressions, calls) and [`super::members`] (members of
//! a typed receiver); [`super::segs`] has the dotted-name segments they share.
//!
//! Recursion follows the syntax tree only through expressions and statements, whose depth
//! the parser bounds ([`crate::MAX_DEPTH`]); a depth guard stops anything deeper. Object
//! bodies are walked with an explicit stack.

use crate::symbols::FastMap as HashMap;
use std::ops::Range;

use super::segs::{Seg, text_segs};
use super::types::Ty;
use super::{RefBy, RefKind, Reference, Resolution, Unresolved};
use crate::symbols::{
    MemberKind, ObjectKind, SymbolId, SymbolIndex, kind_keyword, member_keyword, name_key, with_key,
};
use crate::tree::Parse;

pub(super) const MAX_WALK_DEPTH: u32 = 2048;

/// Context of the element whose body is walked.
#[derive(Debug, Clone, Default)]
pub(crate) struct ElemInfo {
    /// Dataitem table (report/query/xmlport), else the implicit record.
    pub table: Option<SymbolId>,
    /// The enclosing dataitem's table.
    pub parent_table: Option<SymbolId>,
    /// The source table of the page an action's `RunObject` opens.
    pub run_page_table: Option<SymbolId>,
    /// The source table of a part's page.
    pub part_table: Option<SymbolId>,
    /// The source table of the page of the part named by `Provider`.
    pub provider_table: Option<SymbolId>,
}

pub(crate) struct Cx<'a> {
    pub index: &'a SymbolIndex,
    pub app: u32,
    pub file: u32,
    pub ns: Option<String>,
    pub usings: Vec<String>,
    pub out: &'a mut Vec<Reference>,
    pub this: Option<SymbolId>,
    pub this_kind: ObjectKind,
    pub rec: Option<SymbolId>,
    pub page: Option<SymbolId>,
    pub base: Option<SymbolId>,
    pub globals: HashMap<String, Ty>,
    pub locals: HashMap<String, Ty>,
    pub dataitems: HashMap<String, SymbolId>,
    pub last_object: Option<SymbolId>,
    pub(super) ty_cache: HashMap<String, Ty>,
}

const SYSTEM_FIELDS: &[&str] = &[
    "systemid",
    "systemcreatedat",
    "systemcreatedby",
    "systemmodifiedat",
    "systemmodifiedby",
    "systemrowversion",
];

pub(crate) fn walk_file(
    index: &SymbolIndex,
    app: u32,
    file: u32,
    parse: &Parse,
    out: &mut Vec<Reference>,
) {
    let sf = parse.source_file();
    let ns = sf.namespace().map(|x| x.0);
    let usings: Vec<String> = sf.usings().into_iter().map(|x| x.0).collect();
    for o in sf.objects() {
        let Some(kind) = o.kind() else { continue };
        let mut cx = Cx {
            index,
            app,
            file,
            ns: ns.clone(),
            usings: usings.clone(),
            out,
            this: None,
            this_kind: kind,
            rec: None,
            page: None,
            base: None,
            globals: HashMap::default(),
            locals: HashMap::default(),
            dataitems: HashMap::default(),
            last_object: None,
            ty_cache: HashMap::default(),
        };
        cx.object(o, kind);
    }
}

impl<'a> Cx<'a> {
    pub fn emit(
        &mut self,
        span: Range<u32>,
        kind: RefKind,
        by: RefBy,
        text: String,
        r: Resolution,
    ) {
        self.out.push(Reference {
            file: self.file,
            span,
            kind,
            by,
            text,
            resolution: r,
        });
    }

    /// Emits a reference by name at `seg` (its span as written, its text unquoted),
    /// resolved to `sym`: the one shape of every identifier the walk resolves itself.
    #[inline]
    pub fn emit_named(&mut self, seg: Seg, rk: RefKind, sym: SymbolId) {
        self.emit(seg.span, rk, RefBy::Name, seg.text, Resolution::Symbol(sym));
    }

    fn prefer(&self, cands: &[SymbolId]) -> Option<SymbolId> {
        if cands.len() <= 1 {
            return cands.first().copied();
        }
        let ns_ok = |s: &SymbolId| {
            let Some(o) = self.index.object(*s) else {
                return false;
            };
            let Some(n) = o.namespace.as_deref() else {
                return false;
            };
            self.ns
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(n))
                || self.usings.iter().any(|u| u.eq_ignore_ascii_case(n))
        };
        cands
            .iter()
            .find(|s| ns_ok(s))
            .or_else(|| cands.iter().find(|s| s.app == self.app))
            .or(cands.first())
            .copied()
    }

    /// Resolves a dotted object path; returns the object and the index of its segment.
    pub fn find_obj(&self, kind: ObjectKind, segs: &[Seg]) -> Option<(SymbolId, usize)> {
        let first = segs.first()?;
        if first.is_int {
            let id: u32 = first.text.parse().ok()?;
            return self
                .prefer(self.index.objects_numbered(kind, id))
                .map(|s| (s, 0));
        }
        for i in (1..segs.len()).rev() {
            let ns: Vec<&str> = segs.get(..i)?.iter().map(|s| s.text.as_str()).collect();
            let ns = ns.join(".");
            let name = &segs.get(i)?.text;
            let hit = self.index.objects_named(kind, name).iter().find(|s| {
                self.index
                    .object(**s)
                    .and_then(|o| o.namespace.as_deref())
                    .is_some_and(|n| n.eq_ignore_ascii_case(&ns))
            });
            if let Some(h) = hit {
                return Some((*h, i));
            }
        }
        self.prefer(self.index.objects_named(kind, &first.text))
            .map(|s| (s, 0))
    }

    /// Resolves and emits an object reference; returns the object and the segments after it.
    pub fn emit_obj(
        &mut self,
        kind: ObjectKind,
        segs: &[Seg],
        rk: RefKind,
    ) -> (Option<SymbolId>, usize) {
        let Some(last) = segs.last() else {
            return (None, 0);
        };
        match self.find_obj(kind, segs) {
            Some((sid, i)) => {
                let s = segs.get(i).unwrap_or(last).clone();
                let by = if s.is_int { RefBy::Number } else { RefBy::Name };
                self.emit(s.span, rk, by, s.text, Resolution::Symbol(sid));
                self.last_object = Some(sid);
                (Some(sid), i + 1)
            }
            None => {
                let first = segs.first().unwrap_or(last).clone();
                let (s, reason) = if first.is_int {
                    let platform = first.text.parse::<u64>().is_ok_and(|n| n >= 2_000_000_000);
                    (
                        first,
                        if platform {
                            Unresolved::Platform
                        } else {
                            Unresolved::ObjectNotFound {
                                kind: kind_keyword(kind).into(),
                            }
                        },
                    )
                } else {
                    (
                        last.clone(),
                        Unresolved::ObjectNotFound {
                            kind: kind_keyword(kind).into(),
                        },
                    )
                };
                let by = if s.is_int { RefBy::Number } else { RefBy::Name };
                self.emit(s.span, rk, by, s.text, Resolution::unresolved(reason));
                self.last_object = None;
                (None, segs.len())
            }
        }
    }

    /// Emits a member reference (looking in the object and its extensions).
    pub fn emit_member(
        &mut self,
        obj: Option<SymbolId>,
        kinds: &[MemberKind],
        seg: &Seg,
        rk: RefKind,
        report_missing: bool,
    ) -> Option<SymbolId> {
        let obj = obj?;
        let index = self.index;
        let found = with_key(&seg.text, |key| {
            kinds
                .iter()
                .find_map(|k| index.find_member_bytes(obj, *k, key))
        });
        if let Some(m) = found {
            self.emit_named(seg.clone(), rk, m);
            return Some(m);
        }
        if report_missing {
            let reason = if kinds.contains(&MemberKind::Field)
                && SYSTEM_FIELDS.contains(&name_key(&seg.text).as_str())
            {
                Unresolved::Platform
            } else {
                Unresolved::MemberNotFound {
                    kind: kinds
                        .first()
                        .map_or("member", |k| member_keyword(*k))
                        .into(),
                    object: self.index.describe(obj),
                }
            };
            self.emit(
                seg.span.clone(),
                rk,
                RefBy::Name,
                seg.text.clone(),
                Resolution::unresolved(reason),
            );
        }
        None
    }

    pub fn field(&mut self, table: Option<SymbolId>, seg: &Seg, rk: RefKind) -> Option<SymbolId> {
        // Only report missing fields on tables we have members for.
        let report = table.is_some_and(|t| {
            self.index
                .object(t)
                .is_some_and(|o| o.kind == ObjectKind::Table && !o.members.is_empty())
        });
        self.emit_member(table, &[MemberKind::Field], seg, rk, report)
    }
    pub(super) fn own_proc(&self, name: &str) -> Option<SymbolId> {
        let this = self.this?;
        self.index
            .find_member(this, MemberKind::Procedure, name)
            .or_else(|| {
                self.base
                    .and_then(|b| self.index.find_member(b, MemberKind::Procedure, name))
            })
    }
    pub fn page_table(&self, p: Option<SymbolId>) -> Option<SymbolId> {
        let o = self.index.object(p?)?;
        let st = o.source_table.as_deref()?;
        self.find_obj(ObjectKind::Table, &text_segs(st))
            .map(|x| x.0)
    }
}
