//! Members of a typed receiver: fields and procedures of records, procedures of
//! codeunits and interfaces (with the procedures an interface inherits), controls and
//! actions of pages (`CurrPage.X`, `TestPage.X`), the object's own members (`this.X`).

use super::RefKind;
use super::segs::{Seg, with_token_key};
use super::types::Ty;
use super::walk::Cx;
use crate::symbols::{MemberKind, ObjectKind, SymbolId};
use crate::tree::SyntaxToken;

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

impl Cx<'_> {
    pub(super) fn member_on(&mut self, ty: Ty, t: SyntaxToken<'_>, is_call: bool) -> Ty {
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
}
