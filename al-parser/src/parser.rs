//! Hand-written recursive-descent parser over the active token stream.
//!
//! Builds the preorder node arena directly (markers; wrappers for left-recursive
//! expressions). Trivia is never seen by the grammar functions: `sig` lists the indices of
//! significant tokens. Every loop consumes at least one token or stops, and recursion is
//! bounded by [`crate::MAX_DEPTH`].

use crate::MAX_DEPTH;
use crate::diag::{DiagKind, SyntaxError};
use crate::kind::{SyntaxKind, SyntaxKind::*};
use crate::lexer::Token;
use crate::tree::NodeData;

mod property;

pub(crate) struct Parser<'a> {
    src: &'a [u8],
    toks: &'a [Token],
    sig: Vec<u32>,
    pos: usize,
    last_end: u32,
    pub nodes: Vec<NodeData>,
    pub diags: Vec<SyntaxError>,
    depth: u32,
}

#[derive(Clone, Copy)]
struct Marker(usize);

#[derive(Clone, Copy)]
struct Done(usize);

/// A node to wrap around an expression once its extent is known.
struct Wrap {
    kind: SyntaxKind,
    /// Token end of the wrapper.
    end: u32,
    /// `nodes.len()` when the wrapper ended (before any insertion).
    len_after: usize,
}

fn is_assign_op(k: SyntaxKind) -> bool {
    matches!(
        k,
        Assign | PlusAssign | MinusAssign | StarAssign | SlashAssign
    )
}

/// Keywords that can never be a name in expression or statement position.
fn is_hard_keyword(k: SyntaxKind) -> bool {
    matches!(
        k,
        KwBegin
            | KwEnd
            | KwIf
            | KwThen
            | KwElse
            | KwCase
            | KwOf
            | KwWhile
            | KwDo
            | KwRepeat
            | KwUntil
            | KwFor
            | KwTo
            | KwDownto
            | KwForeach
            | KwIn
            | KwWith
            | KwExit
            | KwAnd
            | KwOr
            | KwXor
            | KwNot
            | KwDiv
            | KwMod
            | KwIs
            | KwAs
            | KwVar
            | KwProcedure
            | KwAsserterror
    )
}

fn is_literal(k: SyntaxKind) -> bool {
    matches!(
        k,
        StringLit
            | VerbatimString
            | Int
            | Decimal
            | BigInt
            | Date
            | Time
            | DateTime
            | KwTrue
            | KwFalse
    )
}

fn infix_bp(k: SyntaxKind) -> Option<u8> {
    Some(match k {
        Question => 1,
        DotDot => 2,
        Eq | NotEq | Lt | Gt | LtEq | GtEq | KwIn | KwIs | KwAs => 3,
        Plus | Minus | KwOr | KwXor => 4,
        Star | Slash | KwDiv | KwMod | KwAnd => 5,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a [u8], toks: &'a [Token], sig: Vec<u32>) -> Self {
        Self {
            src,
            toks,
            sig,
            pos: 0,
            last_end: 0,
            nodes: Vec::with_capacity(toks.len() / 2 + 4),
            diags: Vec::new(),
            depth: 0,
        }
    }

    // ------------------------------------------------------------------ basics

    #[inline]
    fn nth(&self, n: usize) -> SyntaxKind {
        match self.sig.get(self.pos + n) {
            Some(&i) => self.toks[i as usize].kind,
            None => Eof,
        }
    }

    #[inline]
    fn cur(&self) -> SyntaxKind {
        self.nth(0)
    }

    #[inline]
    fn at(&self, k: SyntaxKind) -> bool {
        self.cur() == k
    }

    fn tok_index(&self, n: usize) -> u32 {
        match self.sig.get(self.pos + n) {
            Some(&i) => i,
            None => self.toks.len() as u32,
        }
    }

    /// Text of the significant token with index `sig_pos` (into `sig`).
    fn sig_text(&self, sig_pos: usize) -> &'a [u8] {
        let Some(&i) = self.sig.get(sig_pos) else {
            return &[];
        };
        let i = i as usize;
        let s = self
            .toks
            .get(i)
            .map_or(self.src.len(), |t| t.start as usize);
        let e = self
            .toks
            .get(i + 1)
            .map_or(self.src.len(), |t| t.start as usize);
        self.src.get(s..e).unwrap_or_default()
    }

    /// The current token is a word spelled `w` (case-insensitive).
    fn at_word(&self, w: &[u8]) -> bool {
        self.cur().is_word() && self.sig_text(self.pos).eq_ignore_ascii_case(w)
    }

    fn bump(&mut self) {
        if self.pos < self.sig.len() {
            self.last_end = self.sig[self.pos] + 1;
            self.pos += 1;
        }
    }

    fn eat(&mut self, k: SyntaxKind) -> bool {
        if self.at(k) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn start(&mut self, kind: SyntaxKind) -> Marker {
        let first = self.tok_index(0);
        self.nodes.push(NodeData {
            kind,
            first,
            end: first,
            size: 0,
        });
        Marker(self.nodes.len() - 1)
    }

    fn complete(&mut self, m: Marker) -> Done {
        let size = (self.nodes.len() - m.0 - 1) as u32;
        let n = &mut self.nodes[m.0];
        n.end = self.last_end.max(n.first);
        n.size = size;
        Done(m.0)
    }

    fn complete_as(&mut self, m: Marker, kind: SyntaxKind) -> Done {
        self.nodes[m.0].kind = kind;
        self.complete(m)
    }

    fn error_here(&mut self, expected: &'static str) {
        let i = self.tok_index(0) as usize;
        let s = self.toks.get(i).map_or(self.src.len() as u32, |t| t.start);
        let e = self
            .toks
            .get(i + 1)
            .map_or(self.src.len() as u32, |t| t.start);
        self.diags.push(SyntaxError::new(
            s,
            e,
            DiagKind::Expected {
                expected,
                found: self.cur(),
            },
        ));
    }

    fn expect(&mut self, k: SyntaxKind, what: &'static str) -> bool {
        if self.eat(k) {
            true
        } else {
            self.error_here(what);
            false
        }
    }

    /// Reports and wraps the current token in an error node (if not at EOF).
    fn error_bump(&mut self, expected: &'static str) {
        self.error_here(expected);
        if !self.at(Eof) {
            let m = self.start(Error);
            self.bump();
            self.complete(m);
        }
    }

    /// Enters one nesting level; on overflow, reports and skips a balanced chunk.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            let i = self.tok_index(0) as usize;
            let s = self.toks.get(i).map_or(self.src.len() as u32, |t| t.start);
            self.diags.push(SyntaxError::new(s, s, DiagKind::TooDeep));
            self.skip_balanced();
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn skip_balanced(&mut self) {
        if self.at(Eof) {
            return;
        }
        let m = self.start(Error);
        let mut level: i64 = 0;
        loop {
            match self.cur() {
                Eof => break,
                LParen | LBracket | LBrace | KwBegin | KwCase | KwRepeat => level += 1,
                RParen | RBracket | RBrace | KwEnd | KwUntil => level -= 1,
                _ => {}
            }
            self.bump();
            if level <= 0 {
                break;
            }
        }
        self.complete(m);
    }

    // ------------------------------------------------------------------ file level

    pub fn source_file(&mut self) {
        let m = self.start(SourceFile);
        self.nodes[m.0].first = 0;
        loop {
            let k = self.cur();
            match k {
                Eof => break,
                KwNamespace if self.nth(1).is_word() => self.namespace_or_using(NamespaceDecl),
                KwUsing if self.nth(1).is_word() => self.namespace_or_using(UsingDecl),
                _ if k.is_object_keyword() => self.object(),
                _ => {
                    self.error_here("object declaration");
                    let e = self.start(Error);
                    self.bump();
                    while !matches!(self.cur(), Eof | KwNamespace | KwUsing)
                        && !self.cur().is_object_keyword()
                    {
                        self.bump();
                    }
                    self.complete(e);
                }
            }
        }
        self.last_end = self.toks.len() as u32;
        self.complete(m);
    }

    fn namespace_or_using(&mut self, kind: SyntaxKind) {
        let m = self.start(kind);
        self.bump();
        self.qualified_name();
        self.expect(Semi, "';'");
        self.complete(m);
    }

    fn qualified_name(&mut self) {
        let m = self.start(QualifiedName);
        if self.cur().is_word() {
            self.bump();
        } else {
            self.error_here("name");
        }
        while self.at(Dot) && self.nth(1).is_word() {
            self.bump();
            self.bump();
        }
        self.complete(m);
    }

    /// A clause's target: a (qualified) name, or for `extends` the extended object's ID
    /// (`tableextension 50020 X extends 18`, common in code from 2018–2020).
    fn clause_target(&mut self, clause: SyntaxKind) {
        if clause == ExtendsClause && self.at(Int) {
            let m = self.start(QualifiedName);
            self.bump();
            self.complete(m);
        } else {
            self.qualified_name();
        }
    }

    fn name(&mut self) {
        if self.cur().is_word() {
            let m = self.start(Name);
            self.bump();
            self.complete(m);
        } else {
            self.error_here("name");
        }
    }

    fn object(&mut self) {
        let m = self.start(Object);
        let kw = self.cur();
        self.bump();
        let has_id = !matches!(
            kw,
            KwInterface
                | KwPagecustomization
                | KwProfile
                | KwProfileextension
                | KwControladdin
                | KwEntitlement
                | KwDotnet
        );
        if has_id {
            if self.at(Int) {
                let id = self.start(ObjectId);
                self.bump();
                self.complete(id);
            } else {
                self.error_here("object ID");
            }
        }
        if kw != KwDotnet {
            if self.cur().is_word()
                && !matches!(self.cur(), KwExtends | KwImplements | KwCustomizes)
            {
                self.name();
            } else {
                self.error_here("object name");
            }
        }
        loop {
            let clause = match self.cur() {
                KwExtends => ExtendsClause,
                KwImplements => ImplementsClause,
                KwCustomizes => CustomizesClause,
                _ => break,
            };
            let c = self.start(clause);
            self.bump();
            self.clause_target(clause);
            while self.eat(Comma) {
                self.clause_target(clause);
            }
            self.complete(c);
        }
        if self.at(LBrace) {
            self.body();
        } else {
            self.error_here("'{'");
            if !self.at(Eof) && !self.cur().is_object_keyword() {
                let e = self.start(Error);
                while !matches!(self.cur(), Eof | LBrace) && !self.cur().is_object_keyword() {
                    self.bump();
                }
                self.complete(e);
                if self.at(LBrace) {
                    self.body();
                }
            }
        }
        self.complete(m);
    }

    // ------------------------------------------------------------------ members

    fn body(&mut self) {
        let m = self.start(Body);
        self.bump(); // {
        while !matches!(self.cur(), RBrace | Eof) {
            self.member();
        }
        self.expect(RBrace, "'}'");
        self.complete(m);
    }

    /// Index (relative to pos) of the first token after consecutive `[…]` groups.
    fn after_attributes(&self) -> usize {
        let mut n = 0;
        while self.nth(n) == LBracket {
            let mut level = 0i32;
            loop {
                match self.nth(n) {
                    LBracket => level += 1,
                    RBracket => level -= 1,
                    Eof => return n,
                    _ => {}
                }
                n += 1;
                if level == 0 {
                    break;
                }
            }
        }
        n
    }

    fn member(&mut self) {
        if !self.enter() {
            return;
        }
        let k = self.cur();
        let start_pos = self.pos;
        match k {
            LBracket => {
                let n = self.after_attributes();
                match self.nth(n) {
                    KwTrigger => self.routine(Trigger),
                    KwProcedure | KwLocal | KwInternal | KwProtected => self.routine(Procedure),
                    KwEvent => self.routine(EventDecl),
                    _ => self.attribute(),
                }
            }
            KwTrigger => self.routine(Trigger),
            KwProcedure => self.routine(Procedure),
            KwLocal | KwInternal if self.nth(1) == KwProcedure => self.routine(Procedure),
            KwProtected if self.nth(1) == KwProcedure => self.routine(Procedure),
            KwProtected if self.nth(1) == KwVar => self.var_section(),
            KwVar => self.var_section(),
            Semi => self.bump(),
            KwEvent if self.nth(1).is_word() && self.nth(2) == LParen => self.routine(EventDecl),
            _ if k.is_word() => match self.nth(1) {
                Eq => self.property(),
                LParen => self.element(),
                LBrace => {
                    let m = self.start(Section);
                    self.bump();
                    self.body();
                    self.complete(m);
                }
                _ => self.error_bump("member"),
            },
            _ => self.error_bump("member"),
        }
        if self.pos == start_pos && !matches!(self.cur(), RBrace | Eof) {
            self.error_bump("member");
        }
        self.leave();
    }

    fn attribute(&mut self) {
        let m = self.start(Attribute);
        self.bump(); // [
        if self.cur().is_word() {
            self.qualified_name();
        } else {
            self.error_here("attribute name");
        }
        if self.at(LParen) {
            self.arg_list();
        }
        // `[A, B(x)]`: several attributes in one bracket
        while self.at(Comma) && self.nth(1).is_word() {
            self.bump();
            self.qualified_name();
            if self.at(LParen) {
                self.arg_list();
            }
        }
        if !self.eat(RBracket) {
            self.error_here("']'");
            while !matches!(self.cur(), RBracket | Eof | RBrace) {
                self.bump();
            }
            self.eat(RBracket);
        }
        self.complete(m);
    }

    fn property(&mut self) {
        let m = self.start(Property);
        self.bump(); // name
        self.bump(); // =
        let name_idx = self.pos.saturating_sub(2);
        self.property_value(name_idx);
        self.expect(Semi, "';'");
        self.complete(m);
    }

    /// Raw property value: tokens up to `;`, parenthesised groups as nodes.
    fn raw_value(&mut self) {
        let mut groups: Vec<Marker> = Vec::new();
        loop {
            match self.cur() {
                Semi | RBrace | Eof => break,
                LParen => {
                    let g = self.start(TokenGroup);
                    groups.push(g);
                    self.bump();
                }
                RParen => {
                    self.bump();
                    if let Some(g) = groups.pop() {
                        self.complete(g);
                    }
                }
                _ => self.bump(),
            }
        }
        if !groups.is_empty() {
            self.error_here("')'");
        }
        while let Some(g) = groups.pop() {
            self.complete(g);
        }
    }

    fn element(&mut self) {
        let m = self.start(Element);
        self.bump(); // keyword
        let a = self.start(ElementArgs);
        self.bump(); // (
        loop {
            let arg = self.start(ElementArg);
            let mut level = 0i32;
            loop {
                match self.cur() {
                    Eof | RBrace | LBrace => break,
                    Semi | RParen if level == 0 => break,
                    LParen | LBracket => level += 1,
                    RParen | RBracket => level -= 1,
                    _ => {}
                }
                self.bump();
            }
            self.complete(arg);
            if !self.eat(Semi) {
                break;
            }
        }
        self.expect(RParen, "')'");
        self.complete(a);
        if self.at(LBrace) {
            self.body();
        }
        self.complete(m);
    }

    /// Trigger, procedure or event: attributes, modifiers, keyword, name, params, return
    /// type, then optional `;`, var sections and a body.
    fn routine(&mut self, kind: SyntaxKind) {
        let m = self.start(kind);
        while self.at(LBracket) {
            self.attribute();
        }
        while matches!(self.cur(), KwLocal | KwInternal | KwProtected) {
            self.bump();
        }
        self.bump(); // trigger / procedure / event
        if self.cur().is_word() && !matches!(self.cur(), KwVar | KwBegin) {
            let n = self.start(Name);
            self.bump();
            // qualified trigger names (`trigger "Field".OnValidate` in old exports) and
            // interface-qualified procedure names
            while matches!(self.cur(), Dot | ColonColon) && self.nth(1).is_word() {
                self.bump();
                self.bump();
            }
            self.complete(n);
        } else {
            self.error_here("name");
        }
        if self.at(LParen) {
            self.param_list();
        } else if kind != Trigger {
            self.error_here("'('");
        }
        if self.at(Colon)
            || (self.cur().is_word() && !is_hard_keyword(self.cur()) && self.nth(1) == Colon)
        {
            let r = self.start(ReturnType);
            if !self.at(Colon) {
                self.name();
            }
            self.bump(); // :
            self.type_ref(true);
            self.complete(r);
        }
        self.eat(Semi);
        if kind != EventDecl {
            while self.at(KwVar) || (self.at(KwProtected) && self.nth(1) == KwVar) {
                self.var_section();
            }
            if self.at(KwBegin) {
                self.block();
                self.eat(Semi);
            }
        }
        self.complete(m);
    }

    fn param_list(&mut self) {
        let m = self.start(ParamList);
        self.bump(); // (
        if !self.at(RParen) {
            loop {
                let p = self.start(Param);
                while self.at(LBracket) {
                    self.attribute();
                }
                self.eat(KwVar);
                self.name();
                if self.expect(Colon, "':'") {
                    self.type_ref(false);
                }
                self.complete(p);
                if !self.eat(Semi) {
                    break;
                }
                if self.at(RParen) {
                    break;
                }
            }
        }
        if !self.eat(RParen) {
            self.error_here("')'");
            while !matches!(self.cur(), RParen | Eof | RBrace | KwBegin | KwVar | Semi) {
                self.bump();
            }
            self.eat(RParen);
        }
        self.complete(m);
    }

    /// A type: raw tokens up to `;` (or `)` in a parameter list, or the start of what
    /// follows a return type), brackets and parentheses balanced.
    fn type_ref(&mut self, return_type: bool) {
        let m = self.start(TypeRef);
        let mut level = 0i32;
        let mut any = false;
        loop {
            let k = self.cur();
            match k {
                Eof | RBrace => break,
                Semi if level == 0 => break,
                RParen if level == 0 => break,
                KwBegin | KwVar | KwProcedure | KwTrigger if level == 0 => break,
                KwLocal | KwInternal | KwProtected if return_type && level == 0 && any => break,
                LBracket if return_type && level == 0 && !any => break,
                LParen | LBracket => level += 1,
                RParen | RBracket => level -= 1,
                _ => {}
            }
            self.bump();
            any = true;
        }
        if !any {
            self.error_here("type");
        }
        self.complete(m);
    }

    fn var_section(&mut self) {
        let m = self.start(VarSection);
        self.eat(KwProtected);
        self.bump(); // var
        loop {
            let n = if self.at(LBracket) {
                self.after_attributes()
            } else {
                0
            };
            let k = self.nth(n);
            if k.is_word() && matches!(self.nth(n + 1), Colon | Comma) && !matches!(k, KwBegin) {
                self.var_decl();
            } else {
                break;
            }
        }
        self.complete(m);
    }

    fn var_decl(&mut self) {
        let m = self.start(VarDecl);
        while self.at(LBracket) {
            self.attribute();
        }
        self.name();
        while self.eat(Comma) {
            self.name();
        }
        if self.expect(Colon, "':'") {
            self.type_ref(false);
        }
        self.expect(Semi, "';'");
        self.complete(m);
    }

    // ------------------------------------------------------------------ statements

    fn block(&mut self) {
        let m = self.start(Block);
        self.bump(); // begin
        self.stmt_list();
        self.expect(KwEnd, "'end'");
        self.complete(m);
    }

    /// At the start of a member (recovery point when an `end` is missing).
    fn at_member_start(&self) -> bool {
        match self.cur() {
            KwProcedure | KwTrigger => {
                self.nth(1).is_word() && matches!(self.nth(2), LParen | Dot | ColonColon)
            }
            KwLocal | KwInternal | KwProtected => self.nth(1) == KwProcedure,
            _ => false,
        }
    }

    fn stmt_list(&mut self) {
        loop {
            if matches!(self.cur(), KwEnd | KwUntil | Eof | RBrace) || self.at_member_start() {
                break;
            }
            let before = self.pos;
            self.statement();
            if self.eat(Semi) {
                continue;
            }
            if matches!(self.cur(), KwEnd | KwUntil | Eof | RBrace) || self.at_member_start() {
                break;
            }
            if self.pos == before {
                self.error_bump("statement");
            } else {
                self.error_here("';'");
            }
        }
    }

    /// A statement, or nothing when the next token cannot start one (empty statement).
    fn statement(&mut self) {
        if !self.enter() {
            return;
        }
        match self.cur() {
            KwBegin => self.block(),
            KwIf => self.if_stmt(),
            KwCase => self.case_stmt(),
            KwWhile => {
                let m = self.start(WhileStmt);
                self.bump();
                self.expr();
                self.expect(KwDo, "'do'");
                self.statement();
                self.complete(m);
            }
            KwRepeat => {
                let m = self.start(RepeatStmt);
                self.bump();
                self.stmt_list();
                if self.expect(KwUntil, "'until'") {
                    self.expr();
                }
                self.complete(m);
            }
            KwFor => {
                let m = self.start(ForStmt);
                self.bump();
                self.expr_bp(3);
                self.expect(Assign, "':='");
                self.expr();
                if !self.eat(KwTo) && !self.eat(KwDownto) {
                    self.error_here("'to' or 'downto'");
                }
                self.expr();
                self.expect(KwDo, "'do'");
                self.statement();
                self.complete(m);
            }
            KwForeach => {
                let m = self.start(ForeachStmt);
                self.bump();
                self.expr_bp(4);
                self.expect(KwIn, "'in'");
                self.expr();
                self.expect(KwDo, "'do'");
                self.statement();
                self.complete(m);
            }
            KwWith => {
                let m = self.start(WithStmt);
                self.bump();
                self.expr();
                self.expect(KwDo, "'do'");
                self.statement();
                self.complete(m);
            }
            KwExit => {
                let m = self.start(ExitStmt);
                self.bump();
                if self.at(LParen) {
                    self.bump();
                    if !self.at(RParen) {
                        self.expr();
                    }
                    self.expect(RParen, "')'");
                }
                self.complete(m);
            }
            KwAsserterror => {
                let m = self.start(AsserterrorStmt);
                self.bump();
                self.statement();
                self.complete(m);
            }
            KwBreak | KwContinue
                if !matches!(self.nth(1), Dot | LParen | LBracket | ColonColon)
                    && !is_assign_op(self.nth(1)) =>
            {
                let m = self.start(if self.at(KwBreak) {
                    BreakStmt
                } else {
                    ContinueStmt
                });
                self.bump();
                self.complete(m);
            }
            Semi | KwElse | KwEnd | KwUntil | Eof | RBrace => {}
            _ => {
                let m = self.start(ExprStmt);
                let before = self.pos;
                self.expr();
                if is_assign_op(self.cur()) && self.pos != before {
                    self.bump();
                    self.expr();
                    self.complete_as(m, AssignStmt);
                } else {
                    self.complete(m);
                }
            }
        }
        self.leave();
    }

    fn if_stmt(&mut self) {
        let mut open: Vec<Marker> = Vec::new();
        loop {
            let m = self.start(IfStmt);
            open.push(m);
            self.bump(); // if
            self.expr();
            self.expect(KwThen, "'then'");
            if !self.at(KwElse) {
                self.statement();
            }
            if self.eat(KwElse) {
                if self.at(KwIf) && open.len() < 100_000 {
                    continue;
                }
                self.statement();
            }
            break;
        }
        while let Some(m) = open.pop() {
            self.complete(m);
        }
    }

    fn case_stmt(&mut self) {
        let m = self.start(CaseStmt);
        self.bump(); // case
        self.expr();
        self.expect(KwOf, "'of'");
        loop {
            match self.cur() {
                KwEnd | Eof | RBrace | KwUntil => break,
                KwElse => {
                    let e = self.start(CaseElse);
                    self.bump();
                    self.stmt_list();
                    self.complete(e);
                    break;
                }
                Semi => {
                    self.bump();
                }
                _ => {
                    let before = self.pos;
                    let b = self.start(CaseBranch);
                    self.expr();
                    while self.eat(Comma) {
                        self.expr();
                    }
                    if self.expect(Colon, "':'") {
                        self.statement();
                    }
                    self.complete(b);
                    if !self.eat(Semi)
                        && !matches!(self.cur(), KwEnd | KwElse)
                        && self.pos == before
                    {
                        self.error_bump("case branch");
                    }
                }
            }
        }
        self.expect(KwEnd, "'end'");
        self.complete(m);
    }

    // ------------------------------------------------------------------ expressions

    fn expr(&mut self) {
        self.expr_bp(1);
    }

    fn can_start_expr(&self) -> bool {
        let k = self.cur();
        is_literal(k)
            || matches!(
                k,
                Ident | QuotedIdent | LParen | LBracket | KwNot | Minus | Plus | DotDot
            )
            || (k.is_keyword() && !is_hard_keyword(k))
    }

    fn expr_bp(&mut self, min_bp: u8) -> Option<Done> {
        if !self.enter() {
            return None;
        }
        let r = self.expr_bp_inner(min_bp);
        self.leave();
        r
    }

    fn expr_bp_inner(&mut self, min_bp: u8) -> Option<Done> {
        let lhs = self.unary()?;
        // Wrappers (binary, range, ternary) around `lhs` are recorded and inserted in one
        // splice at the end: inserting each one in turn would make long chains quadratic.
        let mut wraps: Vec<Wrap> = Vec::new();
        loop {
            let op = self.cur();
            let Some(bp) = infix_bp(op) else { break };
            if bp < min_bp {
                break;
            }
            let kind = match op {
                Question => {
                    self.bump();
                    self.expr_bp(1);
                    if self.expect(Colon, "':'") {
                        self.expr_bp(1);
                    }
                    TernaryExpr
                }
                DotDot => {
                    self.bump();
                    if self.can_start_expr() {
                        self.expr_bp(bp + 1);
                    }
                    RangeExpr
                }
                _ => {
                    self.bump();
                    // a missing operand was reported by primary()
                    self.expr_bp(bp + 1);
                    BinaryExpr
                }
            };
            wraps.push(self.wrap_record(kind));
        }
        Some(self.apply_wraps(lhs, &wraps))
    }

    fn wrap_record(&self, kind: SyntaxKind) -> Wrap {
        Wrap {
            kind,
            end: self.last_end,
            len_after: self.nodes.len(),
        }
    }

    /// Inserts the recorded wrappers around the completed node `d` (innermost first in
    /// `wraps`): one splice, then sizes and ends are filled in. Returns the outermost.
    fn apply_wraps(&mut self, d: Done, wraps: &[Wrap]) -> Done {
        let m = wraps.len();
        if m == 0 {
            return d;
        }
        let first = self.nodes[d.0].first;
        let blank = NodeData {
            kind: Error,
            first,
            end: first,
            size: 0,
        };
        self.nodes.splice(d.0..d.0, std::iter::repeat_n(blank, m));
        for (k, w) in wraps.iter().enumerate() {
            let n = &mut self.nodes[d.0 + (m - 1 - k)];
            n.kind = w.kind;
            n.end = w.end.max(first);
            // inner wrappers + the original nodes from `d` up to this wrapper's end
            n.size = (k + (w.len_after - d.0)) as u32;
        }
        d
    }
    fn unary(&mut self) -> Option<Done> {
        match self.cur() {
            KwNot | Minus | Plus => {
                if !self.enter() {
                    return None;
                }
                let m = self.start(UnaryExpr);
                self.bump();
                self.unary();
                self.leave();
                Some(self.complete(m))
            }
            DotDot => {
                let m = self.start(RangeExpr);
                self.bump();
                self.expr_bp(3);
                Some(self.complete(m))
            }
            _ => {
                let p = self.primary()?;
                Some(self.postfix(p))
            }
        }
    }

    fn primary(&mut self) -> Option<Done> {
        let k = self.cur();
        if is_literal(k) {
            let m = self.start(Literal);
            self.bump();
            return Some(self.complete(m));
        }
        match k {
            Ident | QuotedIdent => {}
            LParen => {
                let m = self.start(ParenExpr);
                self.bump();
                self.expr();
                self.expect(RParen, "')'");
                return Some(self.complete(m));
            }
            LBracket => {
                let m = self.start(SetExpr);
                self.bump();
                if !self.at(RBracket) {
                    self.expr();
                    while self.eat(Comma) {
                        self.expr();
                    }
                }
                self.expect(RBracket, "']'");
                return Some(self.complete(m));
            }
            _ if k.is_keyword() && !is_hard_keyword(k) => {}
            // operator keywords cannot start an expression, so here they are names (`iS := iS + 1`)
            KwIs | KwAs | KwDiv | KwMod | KwAnd | KwOr | KwXor | KwIn => {}
            _ => {
                self.error_here("expression");
                return None;
            }
        }
        let m = self.start(NameRef);
        self.bump();
        Some(self.complete(m))
    }

    fn postfix(&mut self, lhs: Done) -> Done {
        let mut wraps: Vec<Wrap> = Vec::new();
        loop {
            let kind = match self.cur() {
                Dot => {
                    self.bump();
                    if self.cur().is_word() {
                        self.bump();
                    } else {
                        self.error_here("member name");
                    }
                    MemberExpr
                }
                ColonColon => {
                    self.bump();
                    if self.cur().is_word() || self.at(Int) {
                        self.bump();
                    } else {
                        self.error_here("name");
                    }
                    ScopeExpr
                }
                LParen => {
                    self.arg_list();
                    CallExpr
                }
                LBracket => {
                    self.bump();
                    self.expr();
                    while self.eat(Comma) {
                        self.expr();
                    }
                    self.expect(RBracket, "']'");
                    IndexExpr
                }
                _ => break,
            };
            wraps.push(self.wrap_record(kind));
        }
        self.apply_wraps(lhs, &wraps)
    }

    fn arg_list(&mut self) {
        let m = self.start(ArgList);
        self.bump(); // (
        if !self.at(RParen) {
            self.expr();
            while self.eat(Comma) {
                self.expr();
            }
        }
        self.expect(RParen, "')'");
        self.complete(m);
    }
}
