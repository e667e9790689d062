//! Attributes: `[EventSubscriber(ObjectType::X, …, 'Event', 'Element', …)]` names an
//! object, one of its events (a string) and one of its fields or controls (a string);
//! other attributes' arguments are walked as code.

use super::segs::{Seg, scope_right, single_token, string_inner};
use super::types::is_kind_keyword_for_scope;
use super::walk::Cx;
use super::{RefBy, RefKind, Resolution, Unresolved};
use crate::kind::SyntaxKind::*;
use crate::symbols::{MemberKind, ObjectKind};
use crate::tree::SyntaxNode;

impl Cx<'_> {
    pub(super) fn attribute(&mut self, a: SyntaxNode<'_>) {
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
}
