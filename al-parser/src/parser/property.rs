//! Structured property values: `TableRelation`, `CalcFormula`, table views, links,
//! `Permissions`, `AccessByPermission`, `RunObject`.
//!
//! Each structured form is *tried*: if the value does not fit the form exactly (up to the
//! `;`), the attempt is rolled back (nodes, diagnostics, position) and the value is kept as
//! raw tokens. Unknown properties are always kept raw. So structure never costs an error.

use super::{Marker, Parser};
use crate::kind::SyntaxKind::*;

#[derive(Clone, Copy)]
enum Form {
    TableRelation,
    CalcFormula,
    TableView,
    Links,
    Permissions,
    Permission,
    RunObject,
}

struct Saved {
    nodes: usize,
    diags: usize,
    pos: usize,
    last_end: u32,
}

fn form(name: &[u8]) -> Option<Form> {
    let mut buf = [0u8; 24];
    if name.len() > buf.len() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Some(match &buf[..name.len()] {
        b"tablerelation" => Form::TableRelation,
        b"calcformula" => Form::CalcFormula,
        b"sourcetableview" | b"dataitemtableview" | b"runpageview" | b"subpageview"
        | b"filters" => Form::TableView,
        b"runpagelink" | b"subpagelink" | b"dataitemlink" => Form::Links,
        b"permissions" => Form::Permissions,
        b"accessbypermission" => Form::Permission,
        b"runobject" => Form::RunObject,
        _ => return None,
    })
}

impl Parser<'_> {
    /// Parses a property value; `name_pos` is the `sig` index of the property name.
    pub(super) fn property_value(&mut self, name_pos: usize) {
        let v = self.start(PropertyValue);
        if let Some(f) = form(self.sig_text(name_pos)) {
            let saved = self.save();
            let ok = match f {
                Form::TableRelation => self.relation(),
                Form::CalcFormula => self.calc_formula(),
                Form::TableView => self.table_view(),
                Form::Links => self.list(Self::filter_item),
                Form::Permissions => self.list(Self::permission_entry),
                Form::Permission => self.permission_entry(),
                Form::RunObject => self.object_ref(),
            };
            if ok && matches!(self.cur(), Semi | RBrace) {
                self.complete(v);
                return;
            }
            self.restore(saved);
        }
        self.raw_value();
        self.complete(v);
    }

    fn save(&self) -> Saved {
        Saved {
            nodes: self.nodes.len(),
            diags: self.diags.len(),
            pos: self.pos,
            last_end: self.last_end,
        }
    }

    fn restore(&mut self, s: Saved) {
        self.nodes.truncate(s.nodes);
        self.diags.truncate(s.diags);
        self.pos = s.pos;
        self.last_end = s.last_end;
    }

    fn done(&mut self, m: Marker, ok: bool) -> bool {
        if ok {
            self.complete(m);
        }
        ok
    }

    /// `word {. word}` as a QualifiedName node.
    fn reference(&mut self) -> bool {
        if !self.cur().is_word() {
            return false;
        }
        self.qualified_name();
        true
    }

    fn list(&mut self, item: fn(&mut Self) -> bool) -> bool {
        loop {
            if !item(self) {
                return false;
            }
            if !self.eat(Comma) {
                return true;
            }
        }
    }

    /// `if (filters) Relation [else Relation]` | `Ref [where(…)]`.
    fn relation(&mut self) -> bool {
        if !self.enter() {
            return false;
        }
        let ok = self.relation_inner();
        self.leave();
        ok
    }

    fn relation_inner(&mut self) -> bool {
        if self.at(KwIf) {
            let m = self.start(ConditionalRelation);
            self.bump();
            let ok = self.eat(LParen)
                && (self.at(RParen) || self.list(Self::filter_item))
                && self.eat(RParen)
                && self.relation()
                && (!self.eat(KwElse) || self.relation());
            return self.done(m, ok);
        }
        let m = self.start(Relation);
        let ok = self.reference() && (!self.at_where() || self.where_clause());
        self.done(m, ok)
    }

    fn at_where(&self) -> bool {
        self.at_word(b"where") && self.nth(1) == LParen
    }

    /// `where(filter, …)`
    fn where_clause(&mut self) -> bool {
        let m = self.start(WhereClause);
        self.bump();
        self.bump();
        let ok = (self.at(RParen) || self.list(Self::filter_item)) && self.eat(RParen);
        self.done(m, ok)
    }

    /// `Field = const(…) | filter(…) | field([upperlimit|lowerlimit|filter(]Ref[)]) | Ref`
    fn filter_item(&mut self) -> bool {
        let m = self.start(FilterItem);
        let ok = self.reference() && self.eat(Eq) && self.filter_value();
        self.done(m, ok)
    }

    fn filter_value(&mut self) -> bool {
        let m = self.start(FilterValue);
        let ok = if (self.at_word(b"const") || self.at_word(b"filter")) && self.nth(1) == LParen {
            self.bump();
            self.raw_group()
        } else if self.at_word(b"field") && self.nth(1) == LParen {
            self.bump();
            self.bump();
            let inner = if (self.at_word(b"upperlimit")
                || self.at_word(b"lowerlimit")
                || self.at_word(b"filter"))
                && self.nth(1) == LParen
            {
                self.bump();
                self.bump();
                self.reference() && self.eat(RParen)
            } else {
                self.reference()
            };
            inner && self.eat(RParen)
        } else {
            self.reference()
        };
        self.done(m, ok)
    }

    /// `( … )` kept raw as one TokenGroup (balanced; fails at `;`, `}` or EOF).
    fn raw_group(&mut self) -> bool {
        if !self.at(LParen) {
            return false;
        }
        let g = self.start(TokenGroup);
        let mut level = 0u32;
        loop {
            match self.cur() {
                Eof | Semi | RBrace => return false,
                LParen => level += 1,
                RParen => {
                    level -= 1;
                    if level == 0 {
                        self.bump();
                        break;
                    }
                }
                _ => {}
            }
            self.bump();
        }
        self.complete(g);
        true
    }

    /// `[-] sum|count|exist|lookup|average|min|max(Ref [where(…)])`
    fn calc_formula(&mut self) -> bool {
        let m = self.start(CalcFormula);
        self.eat(Minus);
        let agg = [
            b"sum".as_slice(),
            b"count",
            b"exist",
            b"lookup",
            b"average",
            b"min",
            b"max",
        ];
        let ok = agg.iter().any(|a| self.at_word(a))
            && self.nth(1) == LParen
            && {
                self.bump();
                self.bump();
                self.reference()
            }
            && (!self.at_where() || self.where_clause())
            && self.eat(RParen);
        self.done(m, ok)
    }

    /// `[sorting(…)] [order(…)] [where(…)]` in any order, at least one.
    fn table_view(&mut self) -> bool {
        let mut any = false;
        loop {
            if self.nth(1) != LParen {
                break;
            }
            let ok = if self.at_word(b"sorting") {
                let m = self.start(SortingClause);
                self.bump();
                self.bump();
                let ok = (self.at(RParen) || self.list(Self::reference)) && self.eat(RParen);
                self.done(m, ok)
            } else if self.at_word(b"order") {
                let m = self.start(OrderClause);
                self.bump();
                self.bump();
                let ok = self.cur().is_word() && {
                    self.bump();
                    self.eat(RParen)
                };
                self.done(m, ok)
            } else if self.at_word(b"where") {
                self.where_clause()
            } else {
                break;
            };
            if !ok {
                return false;
            }
            any = true;
        }
        any
    }

    /// `kind Ref|*|ID = rights`
    fn permission_entry(&mut self) -> bool {
        let m = self.start(PermissionEntry);
        let ok = self.cur().is_word()
            && {
                self.bump();
                if self.at(Star) || self.at(Int) {
                    self.bump();
                    true
                } else {
                    self.reference()
                }
            }
            && self.eat(Eq)
            && self.cur().is_word()
            && {
                self.bump();
                true
            };
        self.done(m, ok)
    }

    /// `kind Ref|ID`
    fn object_ref(&mut self) -> bool {
        let m = self.start(ObjectRef);
        let ok = self.cur().is_word() && {
            self.bump();
            if self.at(Int) {
                self.bump();
                true
            } else {
                self.reference()
            }
        };
        self.done(m, ok)
    }
}
