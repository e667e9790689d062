//! Properties whose values name objects or fields (token scanning over the raw value).

use super::RefKind;
use super::segs::{Seg, toks_to_segs};
use super::walk::{Cx, ElemInfo};
use crate::ast::{self, unquote};
use crate::kind::SyntaxKind::*;
use crate::symbols::{MemberKind, ObjectKind, SymbolId, kind_from_keyword, name_key};
use crate::tree::SyntaxToken;

/// Splits tokens at top-level commas.
fn split_commas<'p>(toks: &[SyntaxToken<'p>]) -> Vec<Vec<SyntaxToken<'p>>> {
    let mut out = vec![Vec::new()];
    let mut depth = 0i32;
    for t in toks {
        match t.kind() {
            LParen => depth += 1,
            RParen => depth -= 1,
            Comma if depth == 0 => {
                out.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(*t);
        }
    }
    out.retain(|v| !v.is_empty());
    out
}

pub(crate) fn property(cx: &mut Cx<'_>, p: ast::Property<'_>, info: &ElemInfo) {
    let Some(v) = p.value() else { return };
    // The name lower-cased on the stack; the value's tokens are collected only by the
    // arms that read them (most properties are captions, tooltips, …).
    let mut buf = [0u8; 32];
    let name = crate::tree::ascii_lower(p.name_bytes(), &mut buf);
    let toks = || -> Vec<SyntaxToken<'_>> { ast::significant_tokens(v).collect() };
    let obj = |cx: &mut Cx<'_>, kind: ObjectKind, toks: &[SyntaxToken<'_>]| {
        let segs = toks_to_segs(toks);
        if !segs.is_empty() {
            cx.emit_obj(kind, &segs, RefKind::Property);
        }
    };
    match name.as_bytes() {
        b"sourcetable" | b"tableno" => obj(cx, ObjectKind::Table, &toks()),
        b"lookuppageid" | b"drilldownpageid" | b"cardpageid" | b"rolecenter" => {
            obj(cx, ObjectKind::Page, &toks())
        }
        b"runobject" => {
            if let Some((k, rest)) = toks().split_first()
                && let Some(kind) = kind_from_keyword(&k.text_lossy())
            {
                obj(cx, kind, rest);
            }
        }
        b"permissions" | b"accessbypermission" => {
            for entry in split_commas(&toks()) {
                let Some((k, rest)) = entry.split_first() else {
                    continue;
                };
                let kw = k.text_lossy().to_ascii_lowercase();
                if kw == "system" {
                    continue;
                }
                if let Some(kind) = kind_from_keyword(&kw) {
                    let segs = toks_to_segs(rest);
                    if !segs.is_empty() {
                        cx.emit_obj(kind, &segs, RefKind::Permission);
                    }
                }
            }
        }
        b"includedpermissionsets" | b"excludedpermissionsets" | b"objectentitlements" => {
            for entry in split_commas(&toks()) {
                let segs = toks_to_segs(&entry);
                if !segs.is_empty() {
                    cx.emit_obj(ObjectKind::PermissionSet, &segs, RefKind::Permission);
                }
            }
        }
        b"customizations" => {
            for entry in split_commas(&toks()) {
                obj(cx, ObjectKind::PageCustomization, &entry);
            }
        }
        b"implementation" | b"defaultimplementation" | b"unknownvalueimplementation" => {
            for entry in split_commas(&toks()) {
                let eq = entry.iter().position(|t| t.kind() == Eq);
                let Some(eq) = eq else { continue };
                obj(
                    cx,
                    ObjectKind::Interface,
                    entry.get(..eq).unwrap_or_default(),
                );
                obj(
                    cx,
                    ObjectKind::Codeunit,
                    entry.get(eq + 1..).unwrap_or_default(),
                );
            }
        }
        b"tablerelation" => scan(cx, &toks(), Mode::Top, info.table, info.table),
        b"calcformula" => scan(cx, &toks(), Mode::Top, info.table, info.table),
        b"dataitemlink" => scan(
            cx,
            &toks(),
            Mode::Where(info.table),
            info.table,
            info.parent_table,
        ),
        b"runpagelink" => scan(
            cx,
            &toks(),
            Mode::Where(info.run_page_table),
            None,
            info.table.or(cx.rec),
        ),
        b"subpagelink" => scan(
            cx,
            &toks(),
            Mode::Where(info.part_table),
            None,
            info.provider_table.or(info.table).or(cx.rec),
        ),
        b"sourcetableview" => scan(cx, &toks(), Mode::Skip, cx.rec, cx.rec),
        b"dataitemtableview" => scan(cx, &toks(), Mode::Skip, info.table, info.table),
        b"runpageview" => scan(
            cx,
            &toks(),
            Mode::Skip,
            info.run_page_table,
            info.run_page_table,
        ),
        b"subpageview" => scan(cx, &toks(), Mode::Skip, info.part_table, info.part_table),
        // Field lists: report/page filters, FlowFields to calculate, key SIFT and covering fields.
        b"requestfilterfields" | b"calcfields" | b"sumindexfields" | b"includedfields" => {
            for entry in split_commas(&toks()) {
                let segs = toks_to_segs(&entry);
                if let [s] = segs.as_slice() {
                    cx.field(info.table, s, RefKind::FieldInProperty);
                }
            }
        }
        _ => {}
    }
}

/// `Kind::"Name"` (an object by kind keyword: `Page::"Customer Card"`) or
/// `"Enum"::Value` in a property value. An enum nothing declares is left alone: the value
/// may name an option of a field.
fn scope_value(cx: &mut Cx<'_>, left: SyntaxToken<'_>, right: SyntaxToken<'_>) {
    let keyword = (left.kind() != QuotedIdent)
        .then(|| super::types::is_kind_keyword_for_scope(&name_key(&unquote(left.text()))))
        .flatten();
    if let Some(kind) = keyword {
        cx.emit_obj(kind, &[Seg::of(right)], RefKind::ScopeOperator);
        return;
    }
    let segs = [Seg::of(left)];
    if cx.find_obj(ObjectKind::Enum, &segs).is_some()
        && let (Some(e), _) = cx.emit_obj(ObjectKind::Enum, &segs, RefKind::ScopeOperator)
    {
        cx.enum_value(e, right);
    }
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Object paths (`Table.Field`), as in TableRelation / CalcFormula bodies.
    Top,
    /// Left sides are fields of the table.
    Where(Option<SymbolId>),
    /// Field names of the table (conditions, `sorting(…)`).
    Fields(Option<SymbolId>),
    /// Inside `field(…)` (also `upperlimit(…)`, `filter(…)` there).
    FieldFn(Option<SymbolId>),
    /// Ignore words.
    Skip,
}

/// Scans a relation / formula / link / view value.
/// `own` is the table of the declaring element (conditions, `field(…)` in relations),
/// `right` the table `field(…)` refers to in links.
fn scan(
    cx: &mut Cx<'_>,
    toks: &[SyntaxToken<'_>],
    start: Mode,
    own: Option<SymbolId>,
    right: Option<SymbolId>,
) {
    let mut stack: Vec<Mode> = vec![start];
    let mut target: Option<SymbolId> = own;
    let mut pending: Option<String> = None;
    let mut i = 0;
    // The table a `field(…)` refers to: in links the other side; in relations the own table.
    let field_fn_table = match start {
        Mode::Top => own,
        _ => right,
    };
    while let Some(t) = toks.get(i) {
        let mode = stack.last().copied().unwrap_or(Mode::Skip);
        match t.kind() {
            LParen => {
                let p = pending.take().unwrap_or_default();
                let m = match p.as_str() {
                    "where" => Mode::Where(target),
                    "if" => Mode::Fields(own),
                    "sorting" => Mode::Fields(target),
                    "field" => Mode::FieldFn(field_fn_table),
                    "upperlimit" | "lowerlimit" | "filter" if matches!(mode, Mode::FieldFn(_)) => {
                        mode
                    }
                    "sum" | "count" | "lookup" | "exist" | "average" | "min" | "max" => Mode::Top,
                    "" => mode,
                    _ => Mode::Skip,
                };
                stack.push(m);
                i += 1;
                continue;
            }
            RParen => {
                stack.pop();
                if stack.is_empty() {
                    stack.push(Mode::Skip);
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        if !(t.kind().is_word() || t.kind() == Int) {
            i += 1;
            continue;
        }
        // `"Enum"::Value` or `Page::"Name"` (in `const(…)`, `filter(…)`, anywhere in a
        // value): the object, and an enum's value.
        if let (Some(cc), Some(v)) = (toks.get(i + 1), toks.get(i + 2))
            && cc.kind() == ColonColon
            && t.kind().is_word()
            && v.kind().is_word()
        {
            scope_value(cx, *t, *v);
            i += 3;
            continue;
        }
        // A path starting here.
        let rest = toks.get(i..).unwrap_or_default();
        let segs = toks_to_segs(rest);
        let used = (segs.len() * 2).saturating_sub(1).max(1);
        let next = toks.get(i + used);
        if next.is_some_and(|n| n.kind() == LParen) && segs.len() == 1 && t.kind() != QuotedIdent {
            pending = Some(t.text_lossy().to_ascii_lowercase());
            i += used;
            continue;
        }
        let word = name_key(&unquote(t.text()));
        if t.kind() != QuotedIdent && word == "else" {
            i += used;
            continue;
        }
        match mode {
            Mode::Top => {
                if !t.kind().is_word() {
                    i += used;
                    continue;
                }
                // `Table.Field`: an unknown table is reported at the table segment.
                let path: &[Seg] =
                    if cx.find_obj(ObjectKind::Table, &segs).is_none() && segs.len() >= 2 {
                        segs.get(..segs.len() - 1).unwrap_or_default()
                    } else {
                        &segs
                    };
                let (tab, after) = cx.emit_obj(ObjectKind::Table, path, RefKind::Property);
                target = tab;
                if let Some(f) = segs.get(after) {
                    cx.field(tab, f, RefKind::FieldInProperty);
                }
            }
            Mode::Where(tab) => {
                if segs.len() == 1 && t.kind().is_word() {
                    // Left side of `F = …` (or a query link's right side `F = DI.G`).
                    cx.field(tab, &segs[0], RefKind::FieldInProperty);
                } else if let [di, f] = segs.as_slice()
                    && let Some(dt) = cx.dataitems.get(&name_key(&di.text)).copied()
                {
                    cx.field(Some(dt), f, RefKind::FieldInProperty);
                }
            }
            Mode::Fields(tab) | Mode::FieldFn(tab) => {
                if let Some(s) = segs.last()
                    && t.kind().is_word()
                {
                    cx.field(tab, s, RefKind::FieldInProperty);
                }
            }
            Mode::Skip => {}
        }
        i += used;
    }
    let _ = MemberKind::Field;
}
