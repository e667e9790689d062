//! Statements and expressions: bare names (variables, fields of the implicit record,
//! own procedures), scope operators (`Database::X`, `Enum::"E"::V`, `Rec.Type::V`),
//! member expressions and calls (field arguments of record methods, objects run by
//! number or name). Members of a typed receiver are in [`super::members`].

use super::segs::{
    Seg, TOKEN_KEY_BUF, last_word, single_token, string_inner, token_key, with_token_key,
};
use super::types::{Ty, is_kind_keyword_for_scope};
use super::walk::{Cx, MAX_WALK_DEPTH};
use super::{RefBy, RefKind};
use crate::kind::SyntaxKind::*;
use crate::symbols::{MemberKind, ObjectKind, SymbolId, name_key};
use crate::tree::{SyntaxNode, SyntaxToken};

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

impl Cx<'_> {
    /// Walks statements; expressions go to [`Self::expr`].
    pub fn walk(&mut self, n: SyntaxNode<'_>, depth: u32) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match n.kind() {
            NameRef | MemberExpr | ScopeExpr | CallExpr | IndexExpr | ParenExpr | BinaryExpr => {
                self.expr(n, depth + 1);
            }
            CaseStmt => self.case(n, depth + 1),
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
            if self.find_obj(ObjectKind::Enum, &segs).is_some()
                && let (Some(e), _) = self.emit_obj(ObjectKind::Enum, &segs, RefKind::Type)
            {
                return Ty::Enum(e);
            }
        }
        Ty::Unknown
    }
    /// `Kw::Ns.Name` chains written as member expressions over a scope expression: `base`
    /// is the scope expression (`Kw::Ns`), `names` the words of the member expressions
    /// above it, top first.
    fn scope_path(&mut self, base: SyntaxNode<'_>, names: &[SyntaxToken<'_>]) -> Option<Ty> {
        if base.kind() != ScopeExpr {
            return None;
        }
        let left = base.children().next()?;
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
        let first = last_word(base)?;
        let mut segs = vec![Seg::of(first)];
        segs.extend(names.iter().rev().copied().map(Seg::of));
        let (o, _) = self.emit_obj(k, &segs, RefKind::ScopeOperator);
        Some(match (k, o) {
            (ObjectKind::Enum, Some(e)) => Ty::Enum(e),
            _ => Ty::Unknown,
        })
    }

    /// A chain of member expressions (`x.a.b.c`: each the receiver of the one above it),
    /// resolved in one pass from its base up: linear in the chain's length, however long
    /// (it used to be resolved level by level, each level walking the chain below it
    /// again: 10 s for a 400 KB chain).
    fn member_chain(&mut self, top: SyntaxNode<'_>, depth: u32) -> Ty {
        let mut words: Vec<Option<SyntaxToken<'_>>> = Vec::new();
        let mut cur = Some(top);
        let base = loop {
            match cur {
                Some(m) if m.kind() == MemberExpr => {
                    words.push(last_word(m));
                    cur = m.children().next();
                }
                other => break other,
            }
        };
        // `Kw::Ns.Name`: the longest run of words above the base, if the base is a scope
        // expression over a kind keyword; the members above that run are members of it.
        let run = words.iter().rposition(Option::is_none).map_or(0, |p| p + 1);
        let names: Vec<SyntaxToken<'_>> = words
            .get(run..)
            .unwrap_or(&[])
            .iter()
            .flatten()
            .copied()
            .collect();
        let scope = match base {
            Some(b) if !names.is_empty() => self.scope_path(b, &names),
            _ => None,
        };
        let (mut ty, resolved_from) = match scope {
            Some(ty) => (ty, run),
            None => (
                base.map_or(Ty::Unknown, |b| self.receiver(b, depth)),
                words.len(),
            ),
        };
        for w in words.get(..resolved_from).unwrap_or(&[]).iter().rev() {
            ty = match w {
                Some(t) => self.member_on(ty, *t, false),
                None => Ty::Unknown,
            };
        }
        ty
    }

    pub(super) fn enum_value(&mut self, e: SymbolId, t: SyntaxToken<'_>) {
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
            MemberExpr => self.member_chain(n, depth),
            ScopeExpr => self.scope(n, depth),
            CallExpr => self.call(n, depth),
            BinaryExpr => {
                self.binary(n, depth);
                Ty::Unknown
            }
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

    /// An enum value named by its ordinal: the integer literal `tok` in
    /// `Enum::"E".FromInteger(50100)` or `X.AsInteger() = 50100` (X of enum type `e`), by
    /// number, so a renumbered value follows. A number that is no value of the enum is left
    /// alone (it may be a value another app adds).
    fn enum_ordinal(&mut self, e: SymbolId, tok: SyntaxToken<'_>) {
        let Some(n) = std::str::from_utf8(tok.text())
            .ok()
            .and_then(|t| t.parse::<u32>().ok())
        else {
            return;
        };
        if let Some(m) = self.index.find_member_numbered(e, MemberKind::EnumValue, n) {
            let seg = Seg::of(tok);
            self.emit(
                seg.span,
                RefKind::EnumValue,
                RefBy::Number,
                seg.text,
                super::Resolution::Symbol(m),
            );
        }
    }

    /// The receiver of `recv.AsInteger()`, when `n` is that call.
    fn as_integer_receiver<'n>(n: SyntaxNode<'n>) -> Option<SyntaxNode<'n>> {
        if n.kind() != CallExpr {
            return None;
        }
        let callee = n.children().next()?;
        if callee.kind() != MemberExpr
            || !last_word(callee)?.text().eq_ignore_ascii_case(b"AsInteger")
            || n.child(ArgList)
                .is_some_and(|a| a.children().next().is_some())
        {
            return None;
        }
        callee.children().next()
    }

    /// An integer literal node's token.
    fn int_literal(n: SyntaxNode<'_>) -> Option<SyntaxToken<'_>> {
        (n.kind() == Literal)
            .then(|| single_token(n))
            .flatten()
            .filter(|t| t.kind() == Int)
    }

    /// A binary expression: `X.AsInteger() = 50100` (or `<>`, either side) names an enum
    /// value of X's enum type by its ordinal; everything else is walked as usual.
    fn binary(&mut self, n: SyntaxNode<'_>, depth: u32) {
        let mut kids = n.children();
        if let (Some(a), Some(b), None) = (kids.next(), kids.next(), kids.next())
            // Only a call and a literal can form the pattern (checked before the operator).
            && matches!((a.kind(), b.kind()), (CallExpr, Literal) | (Literal, CallExpr))
            && n.child_tokens().any(|t| matches!(t.kind(), Eq | NotEq))
        {
            for (call, lit) in [(a, b), (b, a)] {
                if let (Some(recv), Some(tok)) =
                    (Self::as_integer_receiver(call), Self::int_literal(lit))
                {
                    if let Ty::Enum(e) = self.receiver(recv, depth) {
                        self.enum_ordinal(e, tok);
                    }
                    return;
                }
            }
        }
        for c in n.children() {
            self.walk(c, depth + 1);
        }
    }

    /// `case X.AsInteger() of 50100: …`: the integer labels name enum values of X's type.
    fn case(&mut self, n: SyntaxNode<'_>, depth: u32) {
        let mut kids = n.children();
        let Some(subject) = kids.next() else {
            return;
        };
        let Some(recv) = Self::as_integer_receiver(subject) else {
            self.walk_children(n, depth);
            return;
        };
        let e = match self.receiver(recv, depth) {
            Ty::Enum(e) => Some(e),
            _ => None,
        };
        for c in kids {
            if c.kind() == CaseBranch
                && let Some(e) = e
            {
                // The branch's labels come before its `:`; its statement after.
                let mut labels_done = false;
                for part in c.children() {
                    if !labels_done && let Some(tok) = Self::int_literal(part) {
                        self.enum_ordinal(e, tok);
                        continue;
                    }
                    labels_done = labels_done || part.kind() != Literal;
                    self.walk(part, depth + 1);
                }
            } else {
                self.walk(c, depth + 1);
            }
        }
    }

    fn walk_children(&mut self, n: SyntaxNode<'_>, depth: u32) {
        for c in n.children() {
            self.walk(c, depth + 1);
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
        // `Enum::"E".FromInteger(50100)`: the ordinal names a value of E.
        if mkey == "frominteger"
            && let Some(Ty::Enum(e)) = recv_ty
            && let Some(tok) = args.first().and_then(|a| Self::int_literal(*a))
        {
            self.enum_ordinal(e, tok);
            if let Some(h) = handled.first_mut() {
                *h = true;
            }
        }
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
            handled[0] = self.run_target(k, tok);
        } else if let Some(t) = field_table {
            self.field_args(t, mkey, &args, &mut handled);
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

    /// The object a `Codeunit.Run(…)`, `Page.RunModal(…)`, `RecordRef.Open(…)`, … names by
    /// its first argument `tok`: a number (but 0) or, in a string, a namespace-qualified
    /// name (any name for codeunits). Returns whether `tok` is such a literal (then it is
    /// not walked as code).
    fn run_target(&mut self, k: ObjectKind, tok: SyntaxToken<'_>) -> bool {
        if tok.kind() == Int {
            if tok.text() != b"0" {
                self.emit_obj(k, &[Seg::of(tok)], RefKind::RunCall);
            }
            return true;
        }
        if tok.kind() != StringLit {
            return false;
        }
        let (span, text) = string_inner(tok);
        if text.contains('.') || k == ObjectKind::Codeunit {
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
        true
    }

    /// Fields of `table` named by the arguments of a record method `mkey` (the first of
    /// `SetRange("No.", …)`, all of `SetCurrentKey(A, B)`), unless a variable has the
    /// name; those arguments are marked `handled` (not walked as code).
    fn field_args(
        &mut self,
        table: SymbolId,
        mkey: &str,
        args: &[SyntaxNode<'_>],
        handled: &mut [bool],
    ) {
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
                if self.locals.contains_key(key.as_ref()) || self.globals.contains_key(key.as_ref())
                {
                    continue;
                }
                self.field(Some(table), &Seg::of(tok), RefKind::FieldArgument);
                if let Some(h) = handled.get_mut(i) {
                    *h = true;
                }
            }
        }
    }
}
