//! Objects: header references (`extends`, `customizes`, `implements`), the body walked
//! with an explicit stack (properties, elements, sections), element arguments and
//! routines (parameters, return value, local variables, attributes, code).

use super::segs::{
    Seg, TOKEN_KEY_BUF, key_of, list_segs, path_segs, qsegs, text_segs, token_key, toks_to_segs,
};
use super::types::Ty;
use super::walk::{Cx, ElemInfo};
use super::{RefBy, RefKind, Resolution, Unresolved, props};
use crate::ast::{self, unquote};
use crate::kind::SyntaxKind::*;
use crate::symbols::{
    MemberKind, ObjectKind, SymbolId, base_kind, element_args, name_key, procedure_member,
    single_word,
};
use crate::tree::{SyntaxNode, SyntaxToken};

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

impl Cx<'_> {
    pub(super) fn object(&mut self, o: ast::Object<'_>, kind: ObjectKind) {
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
            "field" | "label" => self.control_source(args.get(1).copied()),
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
                self.column_source(&arg_segs(1), info.table);
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
                self.change_anchors(&keyword, &args);
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
        self.run_object_table(c, &mut ni);
        ni
    }

    /// The source of a page or request-page control (`field(X; Rec."F")`,
    /// `field(X; DataItem."F")`, `field(X; F)`): a field of the implicit record or of a
    /// dataitem's table; a bare name only when it is no global variable or own procedure.
    fn control_source(&mut self, arg: Option<SyntaxNode<'_>>) {
        let segs = arg.map(path_segs).unwrap_or_default();
        let first_word = arg.and_then(single_word);
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

    /// The source of a report or query `column`/`filter`: a field of the dataitem's
    /// `table` (in reports only when no global variable or own procedure has that name),
    /// or `DataItem."F"`.
    fn column_source(&mut self, segs: &[Seg], table: Option<SymbolId>) {
        if segs.len() == 1 && !segs[0].is_int {
            let key = name_key(&segs[0].text);
            let is_var = self.globals.contains_key(&key) || self.own_proc(&key).is_some();
            if self.this_kind == ObjectKind::Query
                || (!is_var
                    && self
                        .index
                        .find_member_opt(table, MemberKind::Field, &segs[0].text)
                        .is_some())
            {
                self.field(table, &segs[0], RefKind::FieldInElement);
            }
        } else if segs.len() == 2 {
            if let Some(t) = self.dataitems.get(&name_key(&segs[0].text)).copied() {
                self.field(Some(t), &segs[1], RefKind::FieldInElement);
            }
        }
    }

    /// The anchors of a change (`modify(X)`, `addafter(X)`, `movefirst(A, B)`, …) in an
    /// extension: members of the base object, else of the extension itself; the implicit
    /// page areas and action categories are the platform's.
    fn change_anchors(&mut self, keyword: &str, args: &[SyntaxNode<'_>]) {
        use ObjectKind as K;
        let kinds: &[MemberKind] = match self.this_kind {
            K::TableExtension => &[MemberKind::Field, MemberKind::FieldGroup, MemberKind::Key],
            K::PageExtension | K::PageCustomization => &[MemberKind::Control, MemberKind::Action],
            K::ReportExtension => &[
                MemberKind::DataItem,
                MemberKind::Column,
                MemberKind::Control,
            ],
            _ => &[],
        };
        if kinds.is_empty() {
            return;
        }
        for (ai, a) in args.iter().enumerate() {
            for s in list_segs(Some(*a)) {
                let base_has = self.emit_member(self.base, kinds, &s, RefKind::Change, false);
                if base_has.is_none() {
                    let lower = name_key(&s.text);
                    // Implicit areas and promoted-action categories (Category_Process, …).
                    let area =
                        STANDARD_AREAS.contains(&lower.as_str()) || lower.starts_with("category_");
                    let report = (ai == 0 || keyword.starts_with("move")) && !area;
                    let own = self.emit_member(self.this, kinds, &s, RefKind::Change, report);
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

    /// `RunObject = Page X` of an action: the page's source table (for `RunPageLink` and
    /// `RunPageView`) into `ni.run_page_table`.
    fn run_object_table(&self, c: SyntaxNode<'_>, ni: &mut ElemInfo) {
        let Some(body) = c.child(Body) else { return };
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
                    let p = self.find_obj(ObjectKind::Page, &segs).map(|x| x.0);
                    ni.run_page_table = self.page_table(p);
                }
            }
        }
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
}

fn ast_property(n: SyntaxNode<'_>) -> ast::Property<'_> {
    ast::Property(n)
}
