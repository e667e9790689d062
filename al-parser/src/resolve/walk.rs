//! The walker: objects, elements, declarations and code.
//!
//! Recursion follows the syntax tree only through expressions and statements, whose depth
//! the parser bounds ([`crate::MAX_DEPTH`]); a depth guard stops anything deeper. Object
//! bodies are walked with an explicit stack.

use crate::symbols::FastMap as HashMap;
use std::ops::Range;

use super::{RefBy, RefKind, Reference, Resolution, Unresolved, props};
use crate::ast::{self, unquote};
use crate::kind::SyntaxKind::{self, *};
use crate::symbols::{
    MemberKind, ObjectKind, SymbolId, SymbolIndex, base_kind, element_args, into_key, kind_keyword,
    member_keyword, name_key, procedure_member, single_word, with_key,
};
use crate::tree::{Parse, SyntaxNode, SyntaxToken};

const MAX_WALK_DEPTH: u32 = 2048;

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
    ty_cache: HashMap<String, Ty>,
}

const FIELD_ARG_FIRST: &[&str] = &[
    "setrange",
    "setfilter",
    "testfield",
    "validate",
    "fieldno",
    "fieldcaption",
    "fielderror",
    "fieldname",
    "modifyall",
    "getfilter",
    "getrangemin",
    "getrangemax",
    "fieldactive",
    "copyfilter",
];
const FIELD_ARG_ALL: &[&str] = &[
    "setcurrentkey",
    "calcfields",
    "calcsums",
    "setautocalcfields",
    "setloadfields",
    "addloadfields",
    "arefieldsloaded",
];
/// Page areas every page has implicitly (extensions may add to them).
const STANDARD_AREAS: &[&str] = &[
    "navigation",
    "processing",
    "reporting",
    "creation",
    "promoted",
    "content",
    "factboxes",
    "rolecenter",
    "sections",
    "embedding",
    "prompting",
    "promptoptions",
    "systemactions",
];
const SYSTEM_FIELDS: &[&str] = &[
    "systemid",
    "systemcreatedat",
    "systemcreatedby",
    "systemmodifiedat",
    "systemmodifiedby",
    "systemrowversion",
];
const RECORD_METHODS: &[&str] = &[
    "addlink",
    "addloadfields",
    "arefieldsloaded",
    "ascending",
    "calcfields",
    "calcsums",
    "changecompany",
    "clearmarks",
    "consistent",
    "copy",
    "copyfilter",
    "copyfilters",
    "copylinks",
    "count",
    "countapprox",
    "currentcompany",
    "currentkey",
    "delete",
    "deleteall",
    "deletelink",
    "deletelinks",
    "fieldactive",
    "fieldcaption",
    "fielderror",
    "fieldname",
    "fieldno",
    "filtergroup",
    "find",
    "findfirst",
    "findlast",
    "findset",
    "get",
    "getbysystemid",
    "getfilter",
    "getfilters",
    "getposition",
    "getrangemax",
    "getrangemin",
    "getview",
    "hasfilter",
    "haslinks",
    "init",
    "insert",
    "isempty",
    "istemporary",
    "locktable",
    "mark",
    "markedonly",
    "modify",
    "modifyall",
    "next",
    "readconsistency",
    "readisolation",
    "readpermission",
    "recordid",
    "recordlevellocking",
    "relation",
    "rename",
    "reset",
    "setascending",
    "setautocalcfields",
    "setcurrentkey",
    "setfilter",
    "setloadfields",
    "setpermissionfilter",
    "setposition",
    "setrange",
    "setrecfilter",
    "setview",
    "tablecaption",
    "tablename",
    "testfield",
    "transferfields",
    "validate",
    "writepermission",
    "getbysystemid",
    "iscomparable",
    "truncate",
    "searchfilter",
    "hasfilter",
    "fullyqualifiedname",
    "securityfiltering",
    "setbaseloadfields",
    "loadfields",
    "setbasefilters",
    "copyfilters",
    "lockTable",
];

/// The first kind whose word equals `word` ignoring ASCII case.
fn lookup_word(table: &[(&str, ObjectKind)], word: &str) -> Option<ObjectKind> {
    table
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, k)| *k)
}

fn is_kind_keyword_for_scope(word: &str) -> Option<ObjectKind> {
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

/// [`name_key`] of an identifier token's unquoted text, with one allocation.
fn key_of(raw: &[u8]) -> String {
    into_key(unquote(raw))
}

/// Longest identifier [`with_token_key`] lower-cases on the stack.
const TOKEN_KEY_BUF: usize = 128;

/// Calls `f` with [`key_of`] of a token's text, without allocating for short ASCII
/// identifiers (quoted ones without a doubled `""` inside).
fn with_token_key<R>(raw: &[u8], f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; TOKEN_KEY_BUF];
    f(&token_key(raw, &mut buf))
}

/// [`key_of`] of a token's text, lower-cased into `buf` (no allocation) when it is a
/// short ASCII identifier (quoted ones without a doubled `""` inside).
fn token_key<'b>(raw: &[u8], buf: &'b mut [u8; TOKEN_KEY_BUF]) -> std::borrow::Cow<'b, str> {
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

    fn ty_of_member(&mut self, m: SymbolId) -> Ty {
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

    fn declare_vars(&mut self, vs: SyntaxNode<'_>, global: bool) {
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

    fn own_proc(&self, name: &str) -> Option<SymbolId> {
        let this = self.this?;
        self.index
            .find_member(this, MemberKind::Procedure, name)
            .or_else(|| {
                self.base
                    .and_then(|b| self.index.find_member(b, MemberKind::Procedure, name))
            })
    }

    fn object(&mut self, o: ast::Object<'_>, kind: ObjectKind) {
        let name = o.name().map(|n| n.value).unwrap_or_default();
        self.this = self
            .index
            .objects_named(kind, &name)
            .iter()
            .copied()
            .find(|s| s.app == self.app);
        // Header references.
        if let Some(ext) = o.syntax().child(ExtendsClause) {
            for q in ext.children().filter(|c| c.kind() == QualifiedName) {
                let segs = qsegs(q);
                if kind == ObjectKind::Interface {
                    self.emit_obj(ObjectKind::Interface, &segs, RefKind::Implements);
                } else if let Some(bk) = base_kind(kind) {
                    self.base = self.emit_obj(bk, &segs, RefKind::Extends).0;
                }
            }
        }
        if let Some(c) = o.syntax().child(CustomizesClause) {
            for q in c.children().filter(|c| c.kind() == QualifiedName) {
                let segs = qsegs(q);
                self.base = self.emit_obj(ObjectKind::Page, &segs, RefKind::Extends).0;
            }
        }
        if let Some(c) = o.syntax().child(ImplementsClause) {
            for q in c.children().filter(|c| c.kind() == QualifiedName) {
                let segs = qsegs(q);
                self.emit_obj(ObjectKind::Interface, &segs, RefKind::Implements);
            }
        }
        let src_table = |cx: &Self, obj: Option<SymbolId>| -> Option<SymbolId> {
            let o = cx.index.object(obj?)?;
            let st = o.source_table.as_deref()?;
            let segs = text_segs(st);
            cx.find_obj(ObjectKind::Table, &segs).map(|x| x.0)
        };
        match kind {
            ObjectKind::Table => self.rec = self.this,
            ObjectKind::TableExtension => self.rec = self.base,
            ObjectKind::Page => {
                self.page = self.this;
                self.rec = src_table(self, self.this);
            }
            ObjectKind::PageExtension | ObjectKind::PageCustomization => {
                self.page = self.base;
                self.rec = src_table(self, self.base);
            }
            ObjectKind::Codeunit => self.rec = src_table(self, self.this),
            _ => {}
        }
        let Some(body) = o.body() else { return };
        for vs in body.children().filter(|c| c.kind() == VarSection) {
            self.declare_vars(vs, true);
        }
        let root_info = ElemInfo {
            table: self.rec,
            ..ElemInfo::default()
        };
        let mut stack: Vec<(SyntaxNode<'_>, ElemInfo)> = vec![(body, root_info)];
        while let Some((b, info)) = stack.pop() {
            let mut kids = Vec::new();
            for c in b.children() {
                match c.kind() {
                    Property => props::property(self, ast_property(c), &info),
                    Element => {
                        let ni = self.element(c, &info);
                        if let Some(body) = c.child(Body) {
                            kids.push((body, ni));
                        }
                    }
                    Section => {
                        if let Some(body) = c.child(Body) {
                            let is_rp = c
                                .first_token()
                                .is_some_and(|t| t.text().eq_ignore_ascii_case(b"requestpage"));
                            let mut ni = info.clone();
                            if is_rp {
                                ni.table = None;
                            }
                            kids.push((body, ni));
                        }
                    }
                    Procedure | Trigger => self.routine(c, &info),
                    _ => {}
                }
            }
            for k in kids.into_iter().rev() {
                stack.push(k);
            }
        }
    }

    fn element(&mut self, c: SyntaxNode<'_>, info: &ElemInfo) -> ElemInfo {
        let mut ni = info.clone();
        let Some(kw) = c.first_token() else { return ni };
        let mut kw_buf = [0u8; 32];
        let keyword = kw.lower(&mut kw_buf);
        let args = element_args(c);
        let arg_segs =
            |i: usize| -> Vec<Seg> { args.get(i).map(|a| path_segs(*a)).unwrap_or_default() };
        let k = self.this_kind;
        use ObjectKind as K;
        match keyword.as_ref() {
            "field" if matches!(k, K::Table | K::TableExtension) => {
                if let Some(a) = args.get(2) {
                    self.type_ref(*a);
                }
            }
            "key" | "fieldgroup" => {
                for s in list_segs(args.get(1).copied()) {
                    self.field(info.table, &s, RefKind::FieldInElement);
                }
            }
            "field" | "label" => {
                // Page / request page control bound to an expression.
                let segs = arg_segs(1);
                let first_word = args.get(1).and_then(|a| single_word(*a));
                if segs.len() == 2 {
                    let r = name_key(&segs[0].text);
                    if (r == "rec" || r == "xrec") && !self.globals.contains_key(&r) {
                        self.field(self.rec, &segs[1], RefKind::FieldInElement);
                    } else if let Some(t) = self.dataitems.get(&r).copied() {
                        self.field(Some(t), &segs[1], RefKind::FieldInElement);
                    }
                } else if let Some(w) = first_word {
                    let mut buf = [0u8; TOKEN_KEY_BUF];
                    let key = token_key(w.text(), &mut buf);
                    if !self.globals.contains_key(key.as_ref()) && self.own_proc(&key).is_none() {
                        let seg = Seg::of(w);
                        if self
                            .index
                            .find_member_opt(self.rec, MemberKind::Field, &seg.text)
                            .is_some()
                        {
                            self.field(self.rec, &seg, RefKind::FieldInElement);
                        }
                    }
                }
            }
            "part" => {
                let segs = arg_segs(1);
                if !segs.is_empty() {
                    let p = self.emit_obj(K::Page, &segs, RefKind::Element).0;
                    ni.part_table = self.page_table(p);
                    ni.provider_table = self.provider_table(c);
                }
            }
            "usercontrol" => {
                let segs = arg_segs(1);
                if !segs.is_empty() {
                    self.emit_obj(K::ControlAddIn, &segs, RefKind::Element);
                }
            }
            "dataitem" | "tableelement" if args.len() >= 2 => {
                let segs = arg_segs(1);
                let t = self.emit_obj(K::Table, &segs, RefKind::Element).0;
                if let (Some(n), Some(t)) = (args.first().and_then(|a| single_word(*a)), t) {
                    self.dataitems.insert(key_of(n.text()), t);
                }
                ni.parent_table = info.table;
                ni.table = t;
            }
            "column" | "filter" if matches!(k, K::Report | K::Query | K::ReportExtension) => {
                let segs = arg_segs(1);
                if segs.len() == 1 && !segs[0].is_int {
                    let key = name_key(&segs[0].text);
                    let is_var = self.globals.contains_key(&key) || self.own_proc(&key).is_some();
                    if k == K::Query
                        || (!is_var
                            && self
                                .index
                                .find_member_opt(info.table, MemberKind::Field, &segs[0].text)
                                .is_some())
                    {
                        self.field(info.table, &segs[0], RefKind::FieldInElement);
                    }
                } else if segs.len() == 2 {
                    if let Some(t) = self.dataitems.get(&name_key(&segs[0].text)).copied() {
                        self.field(Some(t), &segs[1], RefKind::FieldInElement);
                    }
                }
            }
            "fieldelement" | "fieldattribute" => {
                let segs = arg_segs(1);
                if segs.len() == 2
                    && let Some(t) = self.dataitems.get(&name_key(&segs[0].text)).copied()
                {
                    self.field(Some(t), &segs[1], RefKind::FieldInElement);
                }
            }
            "actionref" => {
                let segs = arg_segs(1);
                if let Some(s) = segs.first() {
                    let target = self.page.or(self.this);
                    let found =
                        self.emit_member(target, &[MemberKind::Action], s, RefKind::Control, false);
                    if found.is_none() && self.this != target {
                        self.emit_member(
                            self.this,
                            &[MemberKind::Action],
                            s,
                            RefKind::Control,
                            true,
                        );
                    }
                }
            }
            "modify" | "addafter" | "addbefore" | "addfirst" | "addlast" | "add" | "moveafter"
            | "movebefore" | "movefirst" | "movelast" => {
                let kinds: &[MemberKind] = match k {
                    K::TableExtension => {
                        &[MemberKind::Field, MemberKind::FieldGroup, MemberKind::Key]
                    }
                    K::PageExtension | K::PageCustomization => {
                        &[MemberKind::Control, MemberKind::Action]
                    }
                    K::ReportExtension => &[
                        MemberKind::DataItem,
                        MemberKind::Column,
                        MemberKind::Control,
                    ],
                    _ => &[],
                };
                if !kinds.is_empty() {
                    for (ai, a) in args.iter().enumerate() {
                        for s in list_segs(Some(*a)) {
                            let base_has =
                                self.emit_member(self.base, kinds, &s, RefKind::Change, false);
                            if base_has.is_none() {
                                let lower = name_key(&s.text);
                                // Implicit areas and promoted-action categories (Category_Process, …).
                                let area = STANDARD_AREAS.contains(&lower.as_str())
                                    || lower.starts_with("category_");
                                let report = (ai == 0 || keyword.starts_with("move")) && !area;
                                let own =
                                    self.emit_member(self.this, kinds, &s, RefKind::Change, report);
                                if own.is_none() && area {
                                    self.emit(
                                        s.span.clone(),
                                        RefKind::Change,
                                        RefBy::Name,
                                        s.text.clone(),
                                        Resolution::unresolved(Unresolved::Platform),
                                    );
                                }
                            }
                        }
                    }
                }
                if k == K::ReportExtension
                    && let Some(s) = arg_segs(0).first()
                    && let Some(base) = self.base
                    && let Some(m) = self.index.find_member(base, MemberKind::DataItem, &s.text)
                    && let Some(mem) = self.index.member(m)
                {
                    let t = text_segs(mem.type_name.as_deref().unwrap_or_default());
                    ni.table = self.find_obj(K::Table, &t).map(|x| x.0);
                }
            }
            _ => {}
        }
        // RunObject of actions: the page's table, for RunPageLink / RunPageView.
        if let Some(body) = c.child(Body) {
            for p in body.children().filter(|p| p.kind() == Property) {
                let pr = ast_property(p);
                if pr.name_bytes().eq_ignore_ascii_case(b"RunObject")
                    && let Some(v) = pr.value()
                {
                    let toks: Vec<SyntaxToken<'_>> = ast::significant_tokens(v).collect();
                    if toks
                        .first()
                        .is_some_and(|t| t.text().eq_ignore_ascii_case(b"page"))
                    {
                        let segs = toks_to_segs(toks.get(1..).unwrap_or_default());
                        let p = self.find_obj(K::Page, &segs).map(|x| x.0);
                        ni.run_page_table = self.page_table(p);
                    }
                }
            }
        }
        ni
    }

    /// `Provider = X` of a part: the source table of part X's page.
    fn provider_table(&self, part: SyntaxNode<'_>) -> Option<SymbolId> {
        let body = part.child(Body)?;
        let prop = body
            .children()
            .filter(|p| p.kind() == Property)
            .map(ast_property)
            .find(|p| p.name_bytes().eq_ignore_ascii_case(b"Provider"))?;
        let tok = ast::significant_tokens(prop.value()?).next()?;
        let page = self.page.or(self.this)?;
        let m = self
            .index
            .find_member(page, MemberKind::Control, &unquote(tok.text()))?;
        let ty = self.index.member(m)?.type_name.as_deref()?;
        let p = self.find_obj(ObjectKind::Page, &text_segs(ty)).map(|x| x.0);
        self.page_table(p)
    }

    /// A procedure inherited by an interface from the interfaces it extends (breadth-first).
    fn interface_parent_proc(&self, k: ObjectKind, o: SymbolId, name: &str) -> Option<SymbolId> {
        if k != ObjectKind::Interface {
            return None;
        }
        let mut queue = vec![o];
        let mut seen = vec![o];
        while let Some(i) = queue.pop() {
            for parent in self
                .index
                .object(i)
                .map(|x| x.implements.clone())
                .unwrap_or_default()
            {
                let Some(p) = self.index.find_object(ObjectKind::Interface, &parent) else {
                    continue;
                };
                if seen.contains(&p) || seen.len() > 64 {
                    continue;
                }
                if let Some(m) = self.index.find_member(p, MemberKind::Procedure, name) {
                    return Some(m);
                }
                seen.push(p);
                queue.push(p);
            }
        }
        None
    }

    pub fn page_table(&self, p: Option<SymbolId>) -> Option<SymbolId> {
        let o = self.index.object(p?)?;
        let st = o.source_table.as_deref()?;
        self.find_obj(ObjectKind::Table, &text_segs(st))
            .map(|x| x.0)
    }

    fn routine(&mut self, c: SyntaxNode<'_>, info: &ElemInfo) {
        self.locals.clear();
        if let Some(pl) = c.child(ParamList) {
            for p in pl.children().filter(|p| p.kind() == Param) {
                let ty = p.child(TypeRef).map_or(Ty::Unknown, |t| self.type_ref(t));
                for n in p.children().filter(|n| n.kind() == Name) {
                    if let Some(t) = n.first_token() {
                        self.locals.insert(key_of(t.text()), ty);
                    }
                }
            }
        }
        if let Some(rt) = c.child(ReturnType) {
            let ty = rt.child(TypeRef).map_or(Ty::Unknown, |t| self.type_ref(t));
            if let Some(t) = rt.child(Name).and_then(|n| n.first_token()) {
                self.locals.insert(key_of(t.text()), ty);
            }
        }
        for vs in c.children().filter(|x| x.kind() == VarSection) {
            self.declare_vars(vs, false);
        }
        for a in c.children().filter(|x| x.kind() == Attribute) {
            self.attribute(a);
        }
        let _ = info;
        let _ = procedure_member;
        if let Some(b) = c.child(Block) {
            self.walk(b, 0);
        }
        self.locals.clear();
    }

    fn attribute(&mut self, a: SyntaxNode<'_>) {
        let Some(q) = a.child(QualifiedName) else {
            return;
        };
        let name = q.first_token().map(|t| t.text_lossy().to_ascii_lowercase());
        let Some(al) = a.child(ArgList) else { return };
        if name.as_deref() != Some("eventsubscriber") {
            self.walk(al, 0);
            return;
        }
        let args: Vec<SyntaxNode<'_>> = al.children().collect();
        // ObjectType::X
        let kind = args
            .first()
            .and_then(|n| scope_right(*n))
            .and_then(|w| is_kind_keyword_for_scope(&w));
        let mut target = None;
        if let Some(t) = args.get(1) {
            match (t.kind(), single_token(*t)) {
                (Literal, Some(tok)) if tok.kind() == Int => {
                    if let Some(k) = kind {
                        target = self
                            .emit_obj(k, &[Seg::of(tok)], RefKind::EventSubscriber)
                            .0;
                    }
                }
                _ => {
                    let before = self.out.len();
                    self.last_object = None;
                    self.expr(*t, 0);
                    target = self.last_object;
                    if let Some(r) = self.out.get_mut(before..) {
                        for x in r.iter_mut().filter(|x| x.kind == RefKind::ScopeOperator) {
                            x.kind = RefKind::EventSubscriber;
                        }
                    }
                }
            }
        }
        let event = args
            .get(2)
            .and_then(|n| single_token(*n))
            .filter(|t| t.kind() == StringLit);
        if let (Some(tgt), Some(ev)) = (target, event) {
            let (span, text) = string_inner(ev);
            if let Some(m) = self.index.find_member(tgt, MemberKind::Procedure, &text) {
                self.emit(
                    span,
                    RefKind::EventName,
                    RefBy::String,
                    text,
                    Resolution::Symbol(m),
                );
            } else {
                let lower = text.to_ascii_lowercase();
                // Trigger events the platform raises (OnAfterValidateEvent, OnOpenPageEvent, …).
                let platform = lower.starts_with("on") && lower.ends_with("event");
                let reason = if platform {
                    Unresolved::Platform
                } else {
                    Unresolved::MemberNotFound {
                        kind: "procedure".into(),
                        object: self.index.describe(tgt),
                    }
                };
                self.emit(
                    span,
                    RefKind::EventName,
                    RefBy::String,
                    text,
                    Resolution::unresolved(reason),
                );
            }
        }
        let elem = args
            .get(3)
            .and_then(|n| single_token(*n))
            .filter(|t| t.kind() == StringLit);
        if let (Some(tgt), Some(el)) = (target, elem) {
            let (span, text) = string_inner(el);
            if !text.is_empty() {
                let kinds: &[MemberKind] = match self.index.object(tgt).map(|o| o.kind) {
                    Some(ObjectKind::Table) => &[MemberKind::Field],
                    Some(ObjectKind::Page) => &[MemberKind::Control, MemberKind::Action],
                    _ => &[],
                };
                if !kinds.is_empty() {
                    let seg = Seg {
                        text,
                        span,
                        is_int: false,
                    };
                    let before = self.out.len();
                    self.emit_member(Some(tgt), kinds, &seg, RefKind::EventElement, true);
                    if let Some(r) = self.out.get_mut(before..) {
                        for x in r {
                            x.by = RefBy::String;
                        }
                    }
                }
            }
        }
    }

    /// Walks statements; expressions go to [`Self::expr`].
    pub fn walk(&mut self, n: SyntaxNode<'_>, depth: u32) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match n.kind() {
            NameRef | MemberExpr | ScopeExpr | CallExpr | IndexExpr | ParenExpr => {
                self.expr(n, depth + 1);
            }
            _ => {
                for c in n.children() {
                    self.walk(c, depth + 1);
                }
            }
        }
    }

    fn bare(&mut self, t: SyntaxToken<'_>, as_receiver: bool) -> Ty {
        with_token_key(t.text(), |key| self.bare_key(t, key, as_receiver))
    }

    fn bare_key(&mut self, t: SyntaxToken<'_>, key: &str, as_receiver: bool) -> Ty {
        if let Some(ty) = self.locals.get(key).or_else(|| self.globals.get(key)) {
            return *ty;
        }
        match key {
            "rec" | "xrec" => return self.rec.map_or(Ty::Unknown, Ty::Record),
            "currpage" => return Ty::CurrPage,
            "this" => return Ty::This,
            "recordref" => return Ty::RecordRef,
            _ => {}
        }
        if as_receiver && let Some(k) = is_kind_keyword_for_scope(key) {
            return Ty::KindKw(k);
        }
        if let Some(f) = self
            .rec
            .and_then(|r| self.index.find_member_key(r, MemberKind::Field, key))
        {
            self.emit_named(Seg::of(t), RefKind::FieldAccess, f);
            return self.ty_of_member(f);
        }
        if let Some(p) = self.own_proc(key) {
            self.emit_named(Seg::of(t), RefKind::ProcedureCall, p);
            return self.ty_of_member(p);
        }
        // An enum type as the receiver of its static methods: `"My Enum".Ordinals()`,
        // `.Names()`, `.FromInteger(n)` (only when an enum of that name exists).
        if as_receiver {
            let segs = [Seg::of(t)];
            if self.find_obj(ObjectKind::Enum, &segs).is_some() {
                self.emit_obj(ObjectKind::Enum, &segs, RefKind::Type);
            }
        }
        Ty::Unknown
    }

    fn member_on(&mut self, ty: Ty, t: SyntaxToken<'_>, is_call: bool) -> Ty {
        // Receivers of these types have no members to resolve.
        if matches!(
            ty,
            Ty::Unknown | Ty::RecordRef | Ty::KindKw(_) | Ty::Enum(_)
        ) {
            return Ty::Unknown;
        }
        with_token_key(t.text(), |key| self.member_on_key(ty, t, key, is_call))
    }

    /// [`Self::member_on`] with the member's key; its segment (an allocation) is made only
    /// when needed, not for the many calls of built-in methods (`Rec.SetRange(…)`).
    fn member_on_key(&mut self, ty: Ty, t: SyntaxToken<'_>, key: &str, is_call: bool) -> Ty {
        match ty {
            Ty::Record(tab) => {
                if !is_call && let Some(f) = self.index.find_member_key(tab, MemberKind::Field, key)
                {
                    self.emit_named(Seg::of(t), RefKind::FieldAccess, f);
                    return self.ty_of_member(f);
                }
                if let Some(p) = self.index.find_member_key(tab, MemberKind::Procedure, key) {
                    self.emit_named(Seg::of(t), RefKind::ProcedureCall, p);
                    return self.ty_of_member(p);
                }
                if is_call && let Some(f) = self.index.find_member_key(tab, MemberKind::Field, key)
                {
                    self.emit_named(Seg::of(t), RefKind::FieldAccess, f);
                    return self.ty_of_member(f);
                }
                if RECORD_METHODS.contains(&key) {
                    return Ty::Unknown;
                }
                self.field(Some(tab), &Seg::of(t), RefKind::FieldAccess);
                Ty::Unknown
            }
            Ty::Object(k, o) => {
                let seg = Seg::of(t);
                let found = self
                    .index
                    .find_member_key(o, MemberKind::Procedure, key)
                    .or_else(|| self.interface_parent_proc(k, o, &seg.text));
                if let Some(p) = found {
                    self.emit_named(seg, RefKind::ProcedureCall, p);
                    return self.ty_of_member(p);
                }
                if k == ObjectKind::Page
                    && let Some(m) = self.emit_member(
                        Some(o),
                        &[MemberKind::Control, MemberKind::Action],
                        &seg,
                        RefKind::Control,
                        false,
                    )
                {
                    return self.ty_of_member(m);
                }
                if matches!(k, ObjectKind::Codeunit | ObjectKind::Interface)
                    && key != "run"
                    && self.index.object(o).is_some_and(|x| !x.members.is_empty())
                {
                    self.emit_member(
                        Some(o),
                        &[MemberKind::Procedure],
                        &seg,
                        RefKind::ProcedureCall,
                        true,
                    );
                }
                Ty::Unknown
            }
            Ty::CurrPage => {
                let seg = Seg::of(t);
                if let Some(m) = self.emit_member(
                    self.page,
                    &[MemberKind::Control, MemberKind::Action],
                    &seg,
                    RefKind::Control,
                    false,
                ) {
                    return self.ty_of_member(m);
                }
                if self.page != self.this
                    && let Some(m) = self.emit_member(
                        self.this,
                        &[MemberKind::Control, MemberKind::Action],
                        &seg,
                        RefKind::Control,
                        false,
                    )
                {
                    return self.ty_of_member(m);
                }
                if let Some(p) = self.own_proc(&seg.text) {
                    self.emit_named(seg, RefKind::ProcedureCall, p);
                    return self.ty_of_member(p);
                }
                Ty::Unknown
            }
            Ty::This => {
                let seg = Seg::of(t);
                if let Some(p) = self.own_proc(&seg.text) {
                    self.emit_named(seg, RefKind::ProcedureCall, p);
                    return self.ty_of_member(p);
                }
                if let Some(ty) = self.globals.get(key) {
                    return *ty;
                }
                if let Some(f) = self
                    .index
                    .find_member_opt(self.rec, MemberKind::Field, &seg.text)
                {
                    self.emit_named(seg, RefKind::FieldAccess, f);
                    return self.ty_of_member(f);
                }
                Ty::Unknown
            }
            Ty::Part(p) if key == "page" => Ty::Object(ObjectKind::Page, p),
            _ => Ty::Unknown,
        }
    }

    /// `Kw::Ns.Name` chains written as member expressions over a scope expression.
    fn scope_path(&mut self, n: SyntaxNode<'_>) -> Option<Ty> {
        let mut names: Vec<SyntaxToken<'_>> = Vec::new();
        let mut cur = n;
        while cur.kind() == MemberExpr {
            names.push(last_word(cur)?);
            cur = cur.children().next()?;
        }
        if cur.kind() != ScopeExpr {
            return None;
        }
        let left = cur.children().next()?;
        if left.kind() != NameRef {
            return None;
        }
        let kw = left.first_token()?;
        let mut buf = [0u8; TOKEN_KEY_BUF];
        let key = token_key(kw.text(), &mut buf);
        if self.locals.contains_key(key.as_ref()) || self.globals.contains_key(key.as_ref()) {
            return None;
        }
        let k = is_kind_keyword_for_scope(&key)?;
        let first = last_word(cur)?;
        let mut segs = vec![Seg::of(first)];
        segs.extend(names.into_iter().rev().map(Seg::of));
        let (o, _) = self.emit_obj(k, &segs, RefKind::ScopeOperator);
        Some(match (k, o) {
            (ObjectKind::Enum, Some(e)) => Ty::Enum(e),
            _ => Ty::Unknown,
        })
    }

    fn enum_value(&mut self, e: SymbolId, t: SyntaxToken<'_>) {
        let seg = Seg::of(t);
        let report = self.index.object(e).is_some_and(|o| !o.members.is_empty());
        self.emit_member(
            Some(e),
            &[MemberKind::EnumValue],
            &seg,
            RefKind::EnumValue,
            report,
        );
    }

    pub fn expr(&mut self, n: SyntaxNode<'_>, depth: u32) -> Ty {
        if depth > MAX_WALK_DEPTH {
            return Ty::Unknown;
        }
        match n.kind() {
            NameRef => n.first_token().map_or(Ty::Unknown, |t| self.bare(t, false)),
            MemberExpr => {
                if let Some(ty) = self.scope_path(n) {
                    return ty;
                }
                let Some(recv) = n.children().next() else {
                    return Ty::Unknown;
                };
                let ty = self.receiver(recv, depth);
                match last_word(n) {
                    Some(t) => self.member_on(ty, t, false),
                    None => Ty::Unknown,
                }
            }
            ScopeExpr => self.scope(n, depth),
            CallExpr => self.call(n, depth),
            IndexExpr | ParenExpr => {
                // `Items[i]` has the array's element type; `(X)` the type of X.
                let mut kids = n.children();
                let ty = kids.next().map_or(Ty::Unknown, |c| self.expr(c, depth + 1));
                for c in kids {
                    self.walk(c, depth + 1);
                }
                ty
            }
            _ => {
                for c in n.children() {
                    self.walk(c, depth + 1);
                }
                Ty::Unknown
            }
        }
    }

    fn receiver(&mut self, recv: SyntaxNode<'_>, depth: u32) -> Ty {
        if recv.kind() == NameRef {
            recv.first_token()
                .map_or(Ty::Unknown, |t| self.bare(t, true))
        } else {
            self.expr(recv, depth + 1)
        }
    }

    fn scope(&mut self, n: SyntaxNode<'_>, depth: u32) -> Ty {
        let Some(left) = n.children().next() else {
            return Ty::Unknown;
        };
        let right = last_word(n).or_else(|| n.child_tokens().filter(|t| t.kind() == Int).last());
        let Some(right) = right else {
            self.walk(left, depth + 1);
            return Ty::Unknown;
        };
        if left.kind() == NameRef
            && let Some(lt) = left.first_token()
        {
            let seg = Seg::of(lt);
            let key = name_key(&seg.text);
            if key == "objecttype" {
                return Ty::Unknown;
            }
            let var = self
                .locals
                .get(&key)
                .or_else(|| self.globals.get(&key))
                .copied();
            if var.is_none()
                && lt.kind() != QuotedIdent
                && let Some(k) = is_kind_keyword_for_scope(&key)
            {
                let (o, _) = self.emit_obj(k, &[Seg::of(right)], RefKind::ScopeOperator);
                return match (k, o) {
                    (ObjectKind::Enum, Some(e)) => Ty::Enum(e),
                    _ => Ty::Unknown,
                };
            }
            if let Some(Ty::Enum(e)) = var {
                self.enum_value(e, right);
                return Ty::Unknown;
            }
            if var.is_some() {
                return Ty::Unknown;
            }
            // Field of the implicit record with an enum type, or an enum type itself.
            if let Some(f) = self
                .index
                .find_member_opt(self.rec, MemberKind::Field, &seg.text)
            {
                self.emit_named(seg, RefKind::FieldAccess, f);
                if let Ty::Enum(e) = self.ty_of_member(f) {
                    self.enum_value(e, right);
                }
                return Ty::Unknown;
            }
            if let Some((e, _)) = self.find_obj(ObjectKind::Enum, std::slice::from_ref(&seg)) {
                self.emit_named(seg, RefKind::ScopeOperator, e);
                self.enum_value(e, right);
            }
            return Ty::Unknown;
        }
        let ty = self.expr(left, depth + 1);
        if let Ty::Enum(e) = ty {
            self.enum_value(e, right);
        }
        Ty::Unknown
    }

    fn call(&mut self, n: SyntaxNode<'_>, depth: u32) -> Ty {
        let mut kids = n.children();
        let Some(callee) = kids.next() else {
            return Ty::Unknown;
        };
        let args: Vec<SyntaxNode<'_>> = n
            .child(ArgList)
            .map(|a| a.children().collect())
            .unwrap_or_default();
        let mut handled = vec![false; args.len()];
        let mut ret = Ty::Unknown;
        let (recv_ty, method) = match callee.kind() {
            MemberExpr => {
                let recv = callee.children().next();
                let ty = match recv {
                    Some(r) => self.receiver(r, depth),
                    None => Ty::Unknown,
                };
                (Some(ty), last_word(callee))
            }
            NameRef => (None, callee.first_token()),
            _ => {
                self.walk(callee, depth + 1);
                (None, None)
            }
        };
        let Some(method) = method else {
            for a in args {
                self.walk(a, depth + 1);
            }
            return Ty::Unknown;
        };
        let mut mkey_buf = [0u8; TOKEN_KEY_BUF];
        let mkey_cow = token_key(method.text(), &mut mkey_buf);
        let mkey: &str = &mkey_cow;
        // The object's own procedure a bare call names (looked up once).
        let own = if callee.kind() == NameRef && !self.locals.contains_key(mkey) {
            self.own_proc(mkey)
        } else {
            None
        };
        let field_table = match (callee.kind(), recv_ty) {
            (MemberExpr, Some(Ty::Record(t))) => Some(t),
            (NameRef, _) if !self.locals.contains_key(mkey) && own.is_none() => self.rec,
            (MemberExpr, Some(Ty::This))
                if matches!(
                    self.this_kind,
                    ObjectKind::Table | ObjectKind::TableExtension
                ) =>
            {
                self.rec
            }
            _ => None,
        };
        let by_number = match recv_ty {
            Some(Ty::KindKw(k)) => Some(k),
            Some(Ty::RecordRef) if mkey == "open" => Some(ObjectKind::Table),
            _ => None,
        };
        if let Some(k) = by_number
            && let Some(a0) = args.first()
            && a0.kind() == Literal
            && let Some(tok) = single_token(*a0)
        {
            if tok.kind() == Int {
                if tok.text() != b"0" {
                    self.emit_obj(k, &[Seg::of(tok)], RefKind::RunCall);
                }
                handled[0] = true;
            } else if tok.kind() == StringLit {
                let (span, text) = string_inner(tok);
                if text.contains('.') || by_number == Some(ObjectKind::Codeunit) {
                    // Namespace-qualified name in a string (2026 wave 1).
                    let segs: Vec<Seg> = text
                        .split('.')
                        .scan(span.start, |pos, part| {
                            let s = Seg {
                                text: part.to_string(),
                                span: *pos..*pos + part.len() as u32,
                                is_int: false,
                            };
                            *pos += part.len() as u32 + 1;
                            Some(s)
                        })
                        .collect();
                    if !text.contains('\'') && !segs.iter().any(|s| s.text.is_empty()) {
                        let before = self.out.len();
                        self.emit_obj(k, &segs, RefKind::RunCall);
                        if let Some(r) = self.out.get_mut(before..) {
                            for x in r {
                                x.by = RefBy::String;
                            }
                        }
                    }
                }
                handled[0] = true;
            }
        } else if let Some(t) = field_table {
            let idxs: Vec<usize> = if FIELD_ARG_FIRST.contains(&mkey) {
                vec![0]
            } else if FIELD_ARG_ALL.contains(&mkey) {
                (0..args.len()).collect()
            } else {
                Vec::new()
            };
            for i in idxs {
                if let Some(a) = args.get(i)
                    && a.kind() == NameRef
                    && let Some(tok) = a.first_token()
                {
                    let mut buf = [0u8; TOKEN_KEY_BUF];
                    let key = token_key(tok.text(), &mut buf);
                    if self.locals.contains_key(key.as_ref())
                        || self.globals.contains_key(key.as_ref())
                    {
                        continue;
                    }
                    self.field(Some(t), &Seg::of(tok), RefKind::FieldArgument);
                    if let Some(h) = handled.get_mut(i) {
                        *h = true;
                    }
                }
            }
            if callee.kind() == MemberExpr {
                ret = self.member_on(recv_ty.unwrap_or(Ty::Record(t)), method, true);
            } else if let Some(p) = own {
                self.emit_named(Seg::of(method), RefKind::ProcedureCall, p);
                ret = self.ty_of_member(p);
            }
        } else {
            match (callee.kind(), recv_ty) {
                (MemberExpr, Some(ty)) => ret = self.member_on(ty, method, true),
                (NameRef, _) => {
                    if let Some(p) = own {
                        self.emit_named(Seg::of(method), RefKind::ProcedureCall, p);
                        ret = self.ty_of_member(p);
                    }
                }
                _ => {}
            }
        }
        for (i, a) in args.into_iter().enumerate() {
            if !handled.get(i).copied().unwrap_or(false) {
                self.walk(a, depth + 1);
            }
        }
        ret
    }
}

fn ast_property(n: SyntaxNode<'_>) -> ast::Property<'_> {
    ast::Property(n)
}

fn last_word(n: SyntaxNode<'_>) -> Option<SyntaxToken<'_>> {
    n.child_tokens().filter(|t| t.kind().is_word()).last()
}

fn single_token(n: SyntaxNode<'_>) -> Option<SyntaxToken<'_>> {
    let mut it = ast::significant_tokens(n);
    let t = it.next()?;
    if it.next().is_some() { None } else { Some(t) }
}

fn scope_right(n: SyntaxNode<'_>) -> Option<String> {
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

#[allow(dead_code)]
fn is(k: SyntaxKind, n: SyntaxNode<'_>) -> bool {
    n.kind() == k
}
