//! Filling the model from source: parse every branch configuration, extract declarations.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::model::*;
use crate::ast::{self, unquote};
use crate::kind::SyntaxKind::{
    self, Body, Comma, Dot, Element, ElementArg, ElementArgs, Int, KwInternal, KwLocal,
    KwProcedure, KwProtected, KwVar, LBracket, Name, Param, ParamList, Procedure, RBracket,
    ReturnType, Section, TypeRef,
};
use crate::tree::{Parse, SyntaxNode, SyntaxToken};

/// One file parsed once per [`crate::branch_configurations`] entry.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// Path as given.
    pub path: String,
    /// One parse per configuration (the first is the one asked for, by default no symbol
    /// defined: [`Self::parse_owned_with`]). All share one text.
    pub parses: Vec<Parse>,
}

impl ParsedFile {
    /// Parses a file in every branch configuration.
    pub fn parse(src: &SourceText) -> Self {
        // The bytes are shared, so taking a copy of the file copies no text.
        Self::parse_owned(src.clone())
    }

    /// [`Self::parse`] taking the file (UTF-8 bytes become the text without a copy, shared
    /// with whoever else holds them).
    pub fn parse_owned(src: SourceText) -> Self {
        Self::parse_owned_with(src, &crate::Defines::none())
    }

    /// [`Self::parse_owned`] with `defines` (the symbols the app's app.json defines) as the
    /// first configuration, so that the first parse is the one the app is built with and
    /// the symbols of a declaration that differs by branch (an object header under
    /// `#if`/`#else`) are those of that build.
    pub fn parse_owned_with(src: SourceText, defines: &crate::Defines) -> Self {
        let (text, encoding) = crate::source::decode_owned(src.bytes);
        Self {
            path: src.path,
            parses: crate::parse_all_configurations(text, encoding, defines),
        }
    }

    /// The decoded text (spans refer to it).
    pub fn text(&self) -> &[u8] {
        self.parses.first().map(|p| p.text()).unwrap_or_default()
    }

    /// The file's encoding.
    pub fn encoding(&self) -> crate::Encoding {
        self.parses
            .first()
            .map(|p| p.encoding())
            .unwrap_or(crate::Encoding::Utf8)
    }

    /// 1-based line and column (bytes) of an offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        self.parses.first().map_or((1, 1), |p| p.line_col(offset))
    }
}

/// The parsed files of one app.
#[derive(Debug, Clone)]
pub struct ParsedApp {
    /// Identity and dependencies.
    pub info: AppInfo,
    /// Files in the order given.
    pub files: Vec<ParsedFile>,
}

/// Most files one parallel task takes in the loops over an app's files: small enough that
/// rayon can split the work until the end (a long unsplit run of large files keeps one
/// thread busy while the others idle), large enough that tasks cost nothing to make.
pub(crate) const FILES_PER_TASK: usize = 8;

impl ParsedApp {
    /// Parses every file (in parallel) in every branch configuration.
    pub fn parse(info: AppInfo, files: Vec<SourceText>) -> Self {
        Self::parse_with(info, files, &crate::Defines::none())
    }

    /// [`Self::parse`] with `defines` (app.json's `preprocessorSymbols`) as every file's
    /// first configuration ([`ParsedFile::parse_owned_with`]).
    pub fn parse_with(info: AppInfo, files: Vec<SourceText>, defines: &crate::Defines) -> Self {
        // A few files a task: rayon otherwise leaves long runs of files unsplit, and one
        // thread parses the last of them while the other idles.
        let files = files
            .into_par_iter()
            .with_max_len(FILES_PER_TASK)
            .map(|f| ParsedFile::parse_owned_with(f, defines))
            .collect();
        Self { info, files }
    }
}

pub(crate) fn sig<'p>(n: SyntaxNode<'p>) -> impl Iterator<Item = SyntaxToken<'p>> + 'p {
    ast::significant_tokens(n)
}

/// Tokens joined by single spaces (`Code [ 20 ]` → `Code[20]` is not attempted).
pub(crate) fn type_text(n: SyntaxNode<'_>) -> String {
    // Joined as bytes and decoded once (tokens split at ASCII bytes or before a
    // multi-byte character, so decoding each token gives the same text).
    let mut s: Vec<u8> = Vec::new();
    for t in sig(n) {
        let k = t.kind();
        if !s.is_empty() && !matches!(k, LBracket | RBracket | Comma) && s.last() != Some(&b'[') {
            s.push(b' ');
        }
        s.extend_from_slice(t.text());
    }
    String::from_utf8(s).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn word_is(t: &SyntaxToken<'_>, w: &str) -> bool {
    t.text().eq_ignore_ascii_case(w.as_bytes())
}

pub(crate) fn element_args<'p>(n: SyntaxNode<'p>) -> Vec<SyntaxNode<'p>> {
    n.child(ElementArgs)
        .map(|a| a.children().filter(|c| c.kind() == ElementArg).collect())
        .unwrap_or_default()
}

pub(crate) fn single_word<'p>(n: SyntaxNode<'p>) -> Option<SyntaxToken<'p>> {
    let mut it = sig(n);
    let t = it.next()?;
    if it.next().is_some() || !t.kind().is_word() {
        None
    } else {
        Some(t)
    }
}

pub(crate) fn member_kind_of(
    keyword: &str,
    obj: ObjectKind,
    first_is_int: bool,
) -> Option<MemberKind> {
    Some(match keyword {
        "field"
            if first_is_int && matches!(obj, ObjectKind::Table | ObjectKind::TableExtension) =>
        {
            MemberKind::Field
        }
        "field" => MemberKind::Control,
        "key" => MemberKind::Key,
        "fieldgroup" => MemberKind::FieldGroup,
        "value" => MemberKind::EnumValue,
        "area" | "group" | "repeater" | "part" | "systempart" | "usercontrol" | "grid"
        | "fixed" | "cuegroup" | "label" | "chartpart" => MemberKind::Control,
        "action" | "actionref" | "customaction" | "fileuploadaction" | "systemaction" => {
            MemberKind::Action
        }
        "dataitem" | "tableelement" => MemberKind::DataItem,
        "column" => MemberKind::Column,
        "filter" => MemberKind::Filter,
        "fieldelement" | "textelement" | "fieldattribute" | "textattribute" | "tableattribute" => {
            MemberKind::XmlNode
        }
        _ => return None,
    })
}

/// Procedure signature pieces.
pub(crate) fn procedure_member(n: SyntaxNode<'_>) -> Option<MemberSymbol> {
    let name_tok = n.child(Name).and_then(|x| x.first_token())?;
    let mut access = Access::Public;
    for t in n.child_tokens() {
        match t.kind() {
            KwLocal => access = Access::Local,
            KwInternal => access = Access::Internal,
            KwProtected => access = Access::Protected,
            KwProcedure => break,
            _ => {}
        }
    }
    let mut parameters = Vec::new();
    if let Some(pl) = n.child(ParamList) {
        for p in pl.children().filter(|c| c.kind() == Param) {
            let by_ref = p.child_tokens().any(|t| t.kind() == KwVar);
            let ty = p.child(TypeRef).map(type_text).unwrap_or_default();
            for nm in p.children().filter(|c| c.kind() == Name) {
                if let Some(t) = nm.first_token() {
                    parameters.push(Parameter {
                        name: unquote(t.text()),
                        type_name: ty.clone(),
                        by_ref,
                    });
                }
            }
        }
    }
    let return_type = n
        .child(ReturnType)
        .and_then(|r| r.child(TypeRef))
        .map(type_text);
    Some(MemberSymbol {
        kind: MemberKind::Procedure,
        id: None,
        name: unquote(name_tok.text()),
        type_name: return_type,
        parameters,
        access,
        parent: None,
        span: Some(n.span()),
        name_span: Some(name_tok.span()),
        id_span: None,
        markers: obsolete_attribute(n),
    })
}

/// The obsoletion and move markers among the `Name = value;` properties directly in `body`.
pub(crate) fn body_markers(body: SyntaxNode<'_>) -> Option<Box<Markers>> {
    let mut m = Markers::default();
    for p in body.children().filter(|c| c.kind() == SyntaxKind::Property) {
        let p = ast::Property(p);
        let name = String::from_utf8_lossy(p.name_bytes());
        if let Some(v) = prop_value_text(&p) {
            m.set(&name, &v);
        }
    }
    m.boxed()
}

/// A routine's `[Obsolete('reason', 'tag')]` attribute as markers with state `Pending`.
fn obsolete_attribute(n: SyntaxNode<'_>) -> Option<Box<Markers>> {
    let a = n.children().find(|a| {
        a.kind() == SyntaxKind::Attribute
            && a.child(SyntaxKind::QualifiedName)
                .and_then(|q| q.first_token())
                .is_some_and(|t| t.text().eq_ignore_ascii_case(b"Obsolete"))
    })?;
    let args: Vec<String> = a
        .child(SyntaxKind::ArgList)
        .map(|l| {
            l.children()
                .filter_map(|e| {
                    let mut it = sig(e);
                    let t = it.next()?;
                    (t.kind() == SyntaxKind::StringLit && it.next().is_none())
                        .then(|| t.text_lossy().into_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    Markers::obsolete_attribute(&args).boxed()
}

fn int_of(t: SyntaxToken<'_>) -> Option<u32> {
    std::str::from_utf8(t.text()).ok()?.parse().ok()
}

/// Extracts members of an object body (explicit stack, no recursion).
pub(crate) fn object_members(obj: ast::Object<'_>, kind: ObjectKind) -> Vec<MemberSymbol> {
    let mut out = Vec::new();
    let Some(body) = obj.body() else {
        return out;
    };
    // (node, enclosing dataitem member index)
    let mut stack: Vec<(SyntaxNode<'_>, Option<u32>)> = vec![(body, None)];
    while let Some((b, parent)) = stack.pop() {
        let mut kids: Vec<(SyntaxNode<'_>, Option<u32>)> = Vec::new();
        for c in b.children() {
            match c.kind() {
                Element => {
                    let Some(kw) = c.first_token() else { continue };
                    let mut kw_buf = [0u8; 32];
                    let keyword = kw.lower(&mut kw_buf);
                    let args = element_args(c);
                    let first = args.first().and_then(|a| {
                        let mut it = sig(*a);
                        let t = it.next()?;
                        if it.next().is_some() { None } else { Some(t) }
                    });
                    let first_is_int = first.is_some_and(|t| t.kind() == Int) && args.len() >= 2;
                    let mut my_index = parent;
                    if let Some(mk) = member_kind_of(&keyword, kind, first_is_int) {
                        let (id, id_span, name_tok) = if first_is_int {
                            (
                                first.and_then(int_of),
                                first.map(|t| t.span()),
                                args.get(1).and_then(|a| single_word(*a)),
                            )
                        } else {
                            (None, None, first.filter(|t| t.kind().is_word()))
                        };
                        if let Some(nt) = name_tok {
                            let type_arg = if first_is_int {
                                args.get(2)
                            } else {
                                args.get(1)
                            };
                            let type_name = match mk {
                                MemberKind::Key | MemberKind::FieldGroup => None,
                                _ => type_arg.map(|a| type_text(*a)),
                            };
                            out.push(MemberSymbol {
                                kind: mk,
                                id,
                                name: unquote(nt.text()),
                                type_name,
                                parameters: Vec::new(),
                                access: Access::Public,
                                parent,
                                span: Some(c.span()),
                                name_span: Some(nt.span()),
                                id_span,
                                markers: c.child(Body).and_then(body_markers),
                            });
                            if mk == MemberKind::DataItem {
                                my_index = Some(out.len() as u32 - 1);
                            }
                        }
                    }
                    if let Some(body) = c.child(Body) {
                        kids.push((body, my_index));
                    }
                }
                Section => {
                    if let Some(body) = c.child(Body) {
                        kids.push((body, parent));
                    }
                }
                Procedure => {
                    if let Some(m) = procedure_member(c) {
                        out.push(m);
                    }
                }
                _ => {}
            }
        }
        // Keep source order: push in reverse.
        for k in kids.into_iter().rev() {
            stack.push(k);
        }
    }
    out
}

fn prop_value_text(p: &ast::Property<'_>) -> Option<String> {
    let v = p.value()?;
    let mut s = String::new();
    for t in sig(v) {
        if t.kind() == Dot {
            s.push('.');
        } else {
            if !s.is_empty() && !s.ends_with('.') {
                s.push(' ');
            }
            s.push_str(&t.text_lossy());
        }
    }
    Some(s)
}

fn object_symbol(o: ast::Object<'_>, ns: &Option<String>, file: u32) -> Option<ObjectSymbol> {
    let kind = o.kind()?;
    let name = o.name();
    if name.is_none() && kind != ObjectKind::DotNet {
        return None;
    }
    let id = o.id();
    let mut source_table = None;
    let mut assignable = false;
    for p in o.properties() {
        let pn = p.name_bytes();
        if pn.eq_ignore_ascii_case(b"SourceTable") || pn.eq_ignore_ascii_case(b"TableNo") {
            source_table = prop_value_text(&p);
        } else if pn.eq_ignore_ascii_case(b"Assignable") {
            assignable = prop_value_text(&p).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        }
    }
    let extends = o
        .extends()
        .into_iter()
        .next()
        .or_else(|| o.customizes())
        .map(|x| x.0);
    let extends = if kind == ObjectKind::Interface {
        None
    } else {
        extends
    };
    let mut implements: Vec<String> = o.implements().into_iter().map(|x| x.0).collect();
    if kind == ObjectKind::Interface {
        implements = o.extends().into_iter().map(|x| x.0).collect();
    }
    Some(ObjectSymbol {
        kind,
        id: id.as_ref().and_then(|i| i.value).map(ObjectId),
        name: name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        namespace: ns.clone(),
        file: Some(file),
        span: Some(o.syntax().span()),
        name_span: name.map(|n| n.span),
        id_span: id.map(|i| i.span),
        extends,
        implements,
        source_table,
        assignable,
        markers: o.body().and_then(body_markers),
        members: object_members(o, kind),
    })
}

/// (object index, member index, file, name span, id span) of a repeated declaration.
pub(crate) type ExtraSite = (u32, Option<u32>, u32, Range<u32>, Option<Range<u32>>);

/// Extra declaration sites (the same object or member declared again in another
/// preprocessor branch): (file, name span, symbol key).
#[derive(Debug, Clone, Default)]
pub(crate) struct ExtraDecls {
    /// (object index, member index or None, file, span of the repeated name, id span)
    pub sites: Vec<ExtraSite>,
}

fn member_key(m: &MemberSymbol) -> (MemberKind, String, String) {
    let sig: Vec<String> = m
        .parameters
        .iter()
        .map(|p| name_key(&p.type_name))
        .collect();
    (m.kind, name_key(&m.name), sig.join(","))
}

/// Extracts symbols from parsed files; also returns repeated declarations.
pub(crate) fn extract(app: &ParsedApp) -> (AppSymbols, ExtraDecls) {
    let per_file: Vec<Vec<ObjectSymbol>> = app
        .files
        .par_iter()
        .with_max_len(FILES_PER_TASK)
        .enumerate()
        .map(|(fi, f)| {
            let mut objs: Vec<ObjectSymbol> = Vec::new();
            for p in &f.parses {
                let sf = p.source_file();
                let ns = sf.namespace().map(|x| x.0);
                for o in sf.objects() {
                    if let Some(s) = object_symbol(o, &ns, fi as u32) {
                        objs.push(s);
                    }
                }
            }
            objs
        })
        .collect();
    let mut objects: Vec<ObjectSymbol> = Vec::new();
    let mut extra = ExtraDecls::default();
    for objs in per_file {
        // Merge the per-configuration copies of each object.
        let mut seen: HashMap<(u8, String), usize> = HashMap::new();
        for o in objs {
            let key = (o.kind as u8, name_key(&o.name));
            match seen.get(&key) {
                None => {
                    seen.insert(key, objects.len());
                    objects.push(o);
                }
                Some(&idx) => {
                    let Some(base) = objects.get_mut(idx) else {
                        continue;
                    };
                    let file = o.file.unwrap_or(0);
                    if o.name_span != base.name_span
                        && let Some(ns) = o.name_span.clone()
                    {
                        extra
                            .sites
                            .push((idx as u32, None, file, ns, o.id_span.clone()));
                    }
                    if base.implements.is_empty() {
                        base.implements = o.implements.clone();
                    }
                    let mut by_span: HashMap<Range<u32>, ()> = HashMap::new();
                    for m in &base.members {
                        if let Some(s) = &m.name_span {
                            by_span.insert(s.clone(), ());
                        }
                    }
                    for m in o.members {
                        let Some(ns) = m.name_span.clone() else {
                            continue;
                        };
                        if by_span.contains_key(&ns) {
                            continue;
                        }
                        let key = member_key(&m);
                        if let Some(mi) = base.members.iter().position(|b| member_key(b) == key) {
                            extra.sites.push((
                                idx as u32,
                                Some(mi as u32),
                                file,
                                ns,
                                m.id_span.clone(),
                            ));
                        } else {
                            by_span.insert(ns, ());
                            base.members.push(m);
                        }
                    }
                }
            }
        }
    }
    (
        AppSymbols {
            info: app.info.clone(),
            origin: AppOrigin::Source,
            files: app.files.iter().map(|f| f.path.clone()).collect(),
            objects,
        },
        extra,
    )
}

impl AppSymbols {
    /// The symbols declared by a parsed app.
    pub fn from_parsed(app: &ParsedApp) -> Self {
        extract(app).0
    }

    /// Parses the files and extracts their symbols.
    pub fn from_sources(info: AppInfo, files: Vec<SourceText>) -> Self {
        Self::from_parsed(&ParsedApp::parse(info, files))
    }
}

#[allow(dead_code)]
pub(crate) fn is_kind(t: &SyntaxToken<'_>, k: SyntaxKind) -> bool {
    t.kind() == k
}

#[allow(dead_code)]
pub(crate) fn is_word_ci(t: &SyntaxToken<'_>, w: &str) -> bool {
    word_is(t, w)
}
