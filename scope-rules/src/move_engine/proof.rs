//! Proof that a move's edits keep every reference, without re-parsing and re-resolving
//! the moved sources.
//!
//! The edits of a move replace whole names, numbers or string contents, chosen from the
//! resolver's references. [`prove`] checks that they do nothing else:
//!
//! 1. every edit replaces exactly one identifier token by one identifier token (plain or
//!    quoted), one integer by one integer, or the contents of one string literal by text
//!    that keeps it one string literal — so every file parses to a tree of the same shape,
//!    and no syntax error can appear;
//! 2. every edit is a renaming or renumbering the mapping records (old name → its new name,
//!    old ID → its new ID), so the edits spell nothing the mapping does not say;
//! 3. no token that stays (in any preprocessor branch of any source app) spells a new name
//!    or a new ID, and no reference by string names one — so no reference can be captured
//!    by a renamed or renumbered symbol, and every lookup that found a symbol before finds
//!    the same symbol after.
//!
//! Under these conditions resolving the moved sources gives the references of the old
//! ones with the new names and IDs; when one fails, the move falls back to the full
//! check (re-parse, re-resolve, compare).

use std::collections::{HashMap, HashSet};

use al_parser::SyntaxKind;
use al_parser::ast::unquote;
use al_parser::edit::EditSet;
use al_parser::resolve::{RefBy, Workspace};
use al_parser::symbols::{AppSymbols, ParsedFile, SymbolIndex, name_key, with_key};
use rayon::prelude::*;

use crate::move_engine::Dependent;
use crate::move_engine::MappingEntry;
use crate::move_engine::edits::MoveEdits;
use crate::move_engine::side_by_side::{SideBySide, side_by_side_symbols};
use crate::move_engine::workspace::dep_prefix;

/// Why the edits could not be proven (the full check decides then).
pub type Why = String;

fn is_ident(k: SyntaxKind) -> bool {
    matches!(k, SyntaxKind::Ident | SyntaxKind::QuotedIdent)
}

/// The single significant token `text` lexes to, if it lexes to exactly one.
fn single_token(text: &str) -> Option<SyntaxKind> {
    let p = al_parser::parse(text.as_bytes());
    let mut it = p.tokens().filter(|t| !t.kind().is_trivia());
    let t = it.next()?;
    (it.next().is_none() && t.span() == (0..text.len() as u32)).then(|| t.kind())
}

/// Whether `s` can be the contents of a string literal (quotes doubled, one line).
fn string_contents(s: &str) -> bool {
    !s.contains(['\r', '\n']) && s.replace("''", "").find('\'').is_none()
}

/// The (length, first byte, last byte) triples of a set of name keys, as a bit set: a
/// filter that lets most identifiers be rejected before they are decoded, lower-cased and
/// hashed. For an identifier whose unquoted text is ASCII without `"`, its key has the same
/// length and its first and last bytes lower-cased, so [`KeyShapes::may_match`] never
/// rejects a key of the set; other identifiers always pass.
pub(crate) struct KeyShapes(Box<[u64; 1024]>);

impl KeyShapes {
    pub(crate) fn new() -> Self {
        KeyShapes(Box::new([0; 1024]))
    }

    fn bit(len: usize, first: u8, last: u8) -> (usize, u64) {
        let h = (len.wrapping_mul(0x9E37) ^ usize::from(first).wrapping_mul(0x85EB))
            .wrapping_add(usize::from(last).wrapping_mul(0xC2B3))
            & 0xFFFF;
        (h >> 6, 1 << (h & 63))
    }

    /// Adds a key ([`name_key`] of a name).
    pub(crate) fn insert(&mut self, key: &[u8]) {
        if let (Some(&first), Some(&last)) = (key.first(), key.last()) {
            let (word, mask) = Self::bit(key.len(), first, last);
            if let Some(w) = self.0.get_mut(word) {
                *w |= mask;
            }
        }
    }

    /// Whether identifier text `inner` (quotes stripped; `quoted`: it was a quoted
    /// identifier, or any other text that may hold a `"`) may have a key in the set.
    pub(crate) fn may_match(&self, inner: &[u8], quoted: bool) -> bool {
        let (Some(&first), Some(&last)) = (inner.first(), inner.last()) else {
            return true;
        };
        let (word, mask) = Self::bit(
            inner.len(),
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase(),
        );
        if self.0.get(word).is_none_or(|w| w & mask != 0) {
            return true;
        }
        // Not in the filter: rejecting is sound only when the key has the text's shape —
        // ASCII (lower-casing keeps the length) and no escaped quote (a plain identifier
        // has none, so only quoted text is searched for one).
        !(inner.is_ascii() && !(quoted && inner.contains(&b'"')))
    }
}

/// Lengths (in bytes) of a set of keys: a cheap filter before lower-casing a token.
struct Lengths {
    short: [bool; 256],
    long: bool,
}

impl Lengths {
    fn new() -> Self {
        Lengths {
            short: [false; 256],
            long: false,
        }
    }

    fn insert(&mut self, n: usize) {
        match self.short.get_mut(n) {
            Some(b) => *b = true,
            None => self.long = true,
        }
    }

    fn may_contain(&self, n: usize) -> bool {
        self.short.get(n).copied().unwrap_or(self.long)
    }
}

struct Pairs {
    /// Old name key → new name keys (renamed symbols).
    names: HashMap<String, HashSet<String>>,
    /// (old ID, new ID) of renumbered symbols.
    ids: HashSet<(u32, u32)>,
    /// The new names' keys as bytes, and their shapes as a filter.
    new_keys: HashSet<Vec<u8>>,
    shapes: KeyShapes,
    new_ids: HashSet<u32>,
    id_lens: Lengths,
    /// Whether a new name is a keyword (`Page`, `Report`, …): only then can a keyword
    /// token spell one.
    keyword_names: bool,
}

impl Pairs {
    fn of(mapping: &[MappingEntry]) -> Self {
        let mut p = Pairs {
            names: HashMap::new(),
            ids: HashSet::new(),
            new_keys: HashSet::new(),
            shapes: KeyShapes::new(),
            new_ids: HashSet::new(),
            id_lens: Lengths::new(),
            keyword_names: false,
        };
        for e in mapping {
            let (old, new) = (name_key(&e.old_name), name_key(&e.new_name));
            if old != new {
                p.shapes.insert(new.as_bytes());
                p.new_keys.insert(new.as_bytes().to_vec());
                p.names.entry(old).or_default().insert(new);
            }
            if let (Some(a), Some(b)) = (e.old_id, e.new_id)
                && a != b
            {
                p.ids.insert((a, b));
                p.new_ids.insert(b);
                p.id_lens.insert(b.to_string().len());
            }
        }
        p.keyword_names = p.new_keys.iter().any(|k| SyntaxKind::keyword(k).is_some());
        p
    }

    /// Whether `name` (unquoted) is a new name.
    fn is_new_name(&self, name: &str) -> bool {
        with_key(name, |k| self.new_keys.contains(k))
    }

    /// Whether identifier token `text` (quotes included) spells a new name.
    fn spells_new_name(&self, text: &[u8], quoted: bool) -> bool {
        let inner = if quoted {
            text.get(1..text.len().saturating_sub(1))
                .unwrap_or_default()
        } else {
            text
        };
        // Most identifiers are not new names: the shape filter first.
        if !self.shapes.may_match(inner, quoted) {
            return false;
        }
        match std::str::from_utf8(inner) {
            Ok(s) if !s.contains('"') => self.is_new_name(s),
            // Escaped quotes or invalid UTF-8: unquoted the parser's way.
            _ => self.is_new_name(&unquote(text)),
        }
    }

    fn renames(&self, old: &str, new: &str) -> bool {
        self.names
            .get(&name_key(old))
            .is_some_and(|s| s.contains(&name_key(new)))
    }
}

/// Checks one edit (see the module documentation, conditions 1 and 2).
fn check_edit<'r>(
    file: &ParsedFile,
    range: &std::ops::Range<u32>,
    replacement: &'r str,
    pairs: &Pairs,
    lexed: &mut HashMap<&'r str, Option<SyntaxKind>>,
) -> Result<(), Why> {
    let mut single_token = |t: &'r str| *lexed.entry(t).or_insert_with(|| single_token(t));
    let at = || format!("{}: byte {}", file.path, range.start);
    // The token at the edit in the first parse where it is not inactive text.
    let tok = file
        .parses
        .iter()
        .filter_map(|p| p.token_at(range.start))
        .find(|t| t.kind() != SyntaxKind::DisabledText)
        .ok_or_else(|| format!("{}: no token at the edit", at()))?;
    let old = tok.text();
    let kind = tok.kind();
    if tok.span() == *range && is_ident(kind) {
        if !single_token(replacement).is_some_and(is_ident) {
            return Err(format!("{}: {replacement:?} is not one identifier", at()));
        }
        if !pairs.renames(&unquote(old), &unquote(replacement.as_bytes())) {
            return Err(format!(
                "{}: {:?} → {replacement:?} is not a rename of the mapping",
                at(),
                String::from_utf8_lossy(old)
            ));
        }
        return Ok(());
    }
    if tok.span() == *range && kind == SyntaxKind::Int {
        let parse = |b: &[u8]| std::str::from_utf8(b).ok()?.parse::<u32>().ok();
        let ok = single_token(replacement) == Some(SyntaxKind::Int)
            && parse(old)
                .zip(parse(replacement.as_bytes()))
                .is_some_and(|p| pairs.ids.contains(&p));
        return ok.then_some(()).ok_or_else(|| {
            format!(
                "{}: {replacement:?} is not a renumbering of the mapping",
                at()
            )
        });
    }
    let span = tok.span();
    if kind == SyntaxKind::StringLit && span.start < range.start && range.end < span.end {
        let inner = String::from_utf8_lossy(
            file.text()
                .get(range.start as usize..range.end as usize)
                .unwrap_or_default(),
        )
        .replace("''", "'");
        if string_contents(replacement) && pairs.renames(&inner, &replacement.replace("''", "'")) {
            return Ok(());
        }
        return Err(format!(
            "{}: string contents {inner:?} → {replacement:?} are not a rename of the mapping",
            at()
        ));
    }
    Err(format!(
        "{}: the edit does not replace one whole name, number or string contents",
        at()
    ))
}

/// The first token of `f` (any branch configuration) outside `edits` that spells a new
/// name or a new ID of `pairs`.
fn captures(path: &str, f: &ParsedFile, edits: &EditSet, pairs: &Pairs) -> Result<(), Why> {
    let starts: Vec<u32> = edits.for_file(path).iter().map(|e| e.range.start).collect();
    let edited = |at: u32| starts.binary_search(&at).is_ok();
    let ids = !pairs.new_ids.is_empty();
    for p in &f.parses {
        for t in p.tokens() {
            let k = t.kind();
            // A keyword token spells its keyword: a new name only if one is a keyword.
            if k == SyntaxKind::Ident
                || k == SyntaxKind::QuotedIdent
                || (pairs.keyword_names && k.is_keyword())
            {
                let text = t.text();
                if pairs.spells_new_name(text, k == SyntaxKind::QuotedIdent)
                    && !edited(t.span().start)
                {
                    let (l, c) = p.line_col(t.span().start);
                    return Err(format!(
                        "{path}:{l}:{c}: {} already spells a new name",
                        String::from_utf8_lossy(text)
                    ));
                }
            } else if ids && k == SyntaxKind::Int && pairs.id_lens.may_contain(t.text().len()) {
                let n = std::str::from_utf8(t.text())
                    .ok()
                    .and_then(|s| s.parse::<u32>().ok());
                if n.is_some_and(|n| pairs.new_ids.contains(&n)) && !edited(t.span().start) {
                    let (l, c) = p.line_col(t.span().start);
                    return Err(format!(
                        "{path}:{l}:{c}: {} is already a new ID",
                        String::from_utf8_lossy(t.text())
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Proves that applying `edits` to the source apps `0..n_sources` of `ws` renames and
/// renumbers exactly what `mapping` says (see the module documentation). `Err` says why
/// it could not be proven; the sources must then be re-parsed and re-resolved.
pub fn prove(
    ws: &Workspace,
    n_sources: u32,
    edits: &EditSet,
    mapping: &[MappingEntry],
) -> Result<(), Why> {
    let pairs = Pairs::of(mapping);
    let files: HashMap<&str, &ParsedFile> = (0..n_sources as usize)
        .filter_map(|a| ws.parsed.get(a)?.as_ref())
        .flat_map(|p| p.files.iter().map(|f| (f.path.as_str(), f)))
        .collect();
    let mut lexed = HashMap::new();
    for e in &edits.edits {
        let f = files
            .get(e.file.as_str())
            .ok_or_else(|| format!("{}: not a source file of the move", e.file))?;
        check_edit(f, &e.range, &e.replacement, &pairs, &mut lexed)?;
    }
    // Condition 3: nothing that stays spells a new name or ID (files in parallel; the
    // first finding in path order is reported).
    let mut paths: Vec<(&str, &ParsedFile)> = files.iter().map(|(p, f)| (*p, *f)).collect();
    paths.sort_unstable_by_key(|(p, _)| *p);
    let found: Vec<Why> = paths
        .par_iter()
        .with_max_len(crate::FILES_PER_TASK)
        .filter_map(|(path, f)| captures(path, f, edits, &pairs).err())
        .collect();
    if let Some(first) = found.into_iter().next() {
        return Err(first);
    }
    for app in 0..n_sources {
        let paths = ws
            .index
            .apps
            .get(app as usize)
            .map(|a| a.files.as_slice())
            .unwrap_or_default();
        for r in ws.references(app).iter().filter(|r| r.by == RefBy::String) {
            let last = r.text.rsplit('.').next().unwrap_or(&r.text);
            let names_new = pairs.is_new_name(&r.text) || pairs.is_new_name(last);
            if !names_new {
                continue;
            }
            let path = paths.get(r.file as usize).map_or("", String::as_str);
            let edited = edits
                .for_file(path)
                .iter()
                .any(|e| e.range.start <= r.span.start && r.span.end <= e.range.end);
            if !edited {
                return Err(format!(
                    "{path}: byte {}: the string {:?} already names a new name",
                    r.span.start, r.text
                ));
            }
        }
    }
    Ok(())
}

/// The symbols of app `app` of `index` with the mapping applied: what the moved app
/// declares (names, IDs, and the bases of its extensions of its own objects). Only what
/// names and numbers the symbols is copied: kinds, names, IDs, namespaces, `extends`, and
/// the members' kinds, names and IDs (types, parameters and spans are left out).
pub fn moved_symbols(index: &SymbolIndex, app: u32, mapping: &[MappingEntry]) -> AppSymbols {
    let mut syms = index
        .apps
        .get(app as usize)
        .map(|a| AppSymbols {
            info: a.info.clone(),
            origin: a.origin,
            files: Vec::new(),
            objects: a
                .objects
                .par_iter()
                .map(|o| al_parser::symbols::ObjectSymbol {
                    kind: o.kind,
                    id: o.id,
                    name: o.name.clone(),
                    namespace: o.namespace.clone(),
                    file: o.file,
                    span: None,
                    name_span: None,
                    id_span: None,
                    extends: o.extends.clone(),
                    implements: Vec::new(),
                    source_table: None,
                    assignable: o.assignable,
                    markers: None,
                    members: o
                        .members
                        .iter()
                        .map(|m| al_parser::symbols::MemberSymbol {
                            kind: m.kind,
                            id: m.id,
                            name: m.name.clone(),
                            type_name: None,
                            parameters: Vec::new(),
                            access: m.access,
                            parent: m.parent,
                            span: None,
                            name_span: None,
                            id_span: None,
                            markers: None,
                        })
                        .collect(),
                })
                .collect(),
        })
        .unwrap_or_default();
    let by_symbol: HashMap<al_parser::symbols::SymbolId, &MappingEntry> = mapping
        .iter()
        .filter_map(|e| Some((e.symbol?, e)))
        .collect();
    // Extensions of the app's own objects follow their base's new name.
    let bases: Vec<Option<String>> = (0..syms.objects.len() as u32)
        .map(|object| {
            let sid = al_parser::symbols::SymbolId {
                app,
                object,
                member: None,
            };
            let base = index.base_of(sid)?;
            let e = by_symbol.get(&base)?;
            (e.old_name != e.new_name).then(|| e.new_name.clone())
        })
        .collect();
    for (o, base) in syms.objects.iter_mut().zip(bases) {
        if let (Some(new), Some(ext)) = (base, o.extends.as_mut()) {
            *ext = match ext.rsplit_once('.') {
                Some((ns, _)) => format!("{ns}.{new}"),
                None => new,
            };
        }
    }
    for e in mapping {
        let Some(sid) = e.symbol.filter(|s| s.app == app) else {
            continue;
        };
        let Some(o) = syms.objects.get_mut(sid.object as usize) else {
            continue;
        };
        match sid.member {
            None => {
                o.name = e.new_name.clone();
                if let Some(id) = e.new_id {
                    o.id = Some(al_parser::symbols::ObjectId(id));
                }
            }
            Some(m) => {
                if let Some(m) = o.members.get_mut(m as usize) {
                    m.name = e.new_name.clone();
                    if e.new_id.is_some() {
                        m.id = e.new_id;
                    }
                }
            }
        }
    }
    syms
}

/// The workspace before the move and why the edits could not be proven: the full check
/// re-resolves the moved sources against it.
pub(super) struct Unproven {
    pub(super) before: Workspace,
    pub(super) reason: String,
}

/// What the proof stage established.
pub(super) enum Proof {
    /// The edits keep every reference; the side-by-side comparison made alongside.
    Proven(SideBySide),
    /// Not proven: the full check decides.
    Unproven(Unproven),
}

/// Stage "proof": [`prove`] that the edits keep every reference, and compare old and moved
/// app for side-by-side installation alongside (both only read the workspace). Proven, the
/// workspace is freed in the background; not proven (or `full`: a full check asked for),
/// it is handed back for the full check.
pub(super) fn run(
    before: Workspace,
    dependents: &[Dependent],
    edits: &MoveEdits,
    full: bool,
) -> Proof {
    if full {
        return Proof::Unproven(Unproven {
            before,
            reason: "asked for".to_string(),
        });
    }
    let n_src = dependents.len() + 1;
    let side_by_side_if_proven = || {
        let moved = moved_symbols(&before.index, 0, &edits.mapping);
        before
            .index
            .apps
            .first()
            .map(|old| side_by_side_symbols(old, &moved))
            .unwrap_or_default()
    };
    let (proof, shared) = rayon::join(
        || prove(&before, n_src as u32, &edits.edits, &edits.mapping),
        side_by_side_if_proven,
    );
    match proof {
        Ok(()) => {
            rayon::spawn(move || before.into_index().drop_parallel());
            Proof::Proven(shared)
        }
        Err(mut reason) => {
            // Internal labels of dependents' files read as the dependents' own labels.
            for (i, d) in dependents.iter().enumerate() {
                reason = reason.replace(&dep_prefix(i), &format!("{}/", d.label));
            }
            Proof::Unproven(Unproven { before, reason })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use al_parser::edit::TextEdit;
    use al_parser::symbols::{AppInfo, ParsedApp, SourceText};
    use proptest::prelude::*;

    proptest! {
        /// The shape filter never rejects an identifier whose key is in the set: plain or
        /// quoted (with `""` for each `"`), any case, ASCII or not.
        #[test]
        fn key_shapes_never_reject_a_key_of_the_set(
            name in "[a-zA-Z0-9_ \"ßİΣσé.]{1,12}",
            others in proptest::collection::vec("[a-z]{1,8}", 0..6),
        ) {
            let mut shapes = KeyShapes::new();
            shapes.insert(name_key(&name).as_bytes());
            for o in &others {
                shapes.insert(o.as_bytes());
            }
            let raw = name.replace('"', "\"\"");
            prop_assert!(shapes.may_match(raw.as_bytes(), true));
            if !name.contains('"') {
                prop_assert!(shapes.may_match(raw.as_bytes(), false));
            }
        }
    }

    const T: &str = "table 50100 Tier { fields { field(1; Points; Integer) { } } }\n";
    const C: &str = "codeunit 50101 Mgt { procedure P(var T: Record Tier) var Other: Integer; begin T.Points := 1; Codeunit.Run(50101); Message('x'); end; }\n";

    fn ws(c: &str) -> Workspace {
        let app = ParsedApp::parse(
            AppInfo::named("A"),
            vec![
                SourceText::new("t.al", T.as_bytes().to_vec()),
                SourceText::new("c.al", c.as_bytes().to_vec()),
            ],
        );
        Workspace::new(vec![app], vec![], vec![])
    }

    fn entry(old: &str, new: &str, ids: Option<(u32, u32)>) -> MappingEntry {
        MappingEntry {
            kind: "field".into(),
            object_kind: "table".into(),
            object: "Tier".into(),
            member: Some(old.into()),
            old_id: ids.map(|x| x.0),
            new_id: ids.map(|x| x.1),
            old_name: old.into(),
            new_name: new.into(),
            symbol: None,
        }
    }

    fn at(text: &str, needle: &str) -> std::ops::Range<u32> {
        let s = text.find(needle).unwrap() as u32;
        s..s + needle.len() as u32
    }

    fn edit(file: &str, range: std::ops::Range<u32>, new: &str) -> TextEdit {
        TextEdit {
            file: file.into(),
            range,
            replacement: new.into(),
        }
    }

    fn edits(v: Vec<TextEdit>) -> EditSet {
        crate::move_engine::edits::merge(v).unwrap()
    }

    /// The rename of field `Points` (declaration and use) to `new` as written.
    fn rename_points_to(c: &str, new: &str) -> EditSet {
        let fdecl = T.find("Points").unwrap() as u32;
        let use_ = c.find("T.Points").unwrap() as u32 + 2;
        edits(vec![
            edit("t.al", fdecl..fdecl + 6, new),
            edit("c.al", use_..use_ + 6, new),
        ])
    }

    fn rename_points(c: &str) -> EditSet {
        rename_points_to(c, "\"ABC Points\"")
    }

    #[test]
    fn proves_a_rename_and_a_renumbering() {
        let w = ws(C);
        let mapping = vec![
            entry("Points", "ABC Points", None),
            entry("Mgt", "Mgt", Some((50101, 70000000))),
        ];
        let mut e = rename_points(C).edits;
        let decl = at(C, "50101");
        let run = C.rfind("50101").unwrap() as u32;
        e.push(edit("c.al", decl, "70000000"));
        e.push(edit("c.al", run..run + 5, "70000000"));
        assert_eq!(prove(&w, 1, &edits(e), &mapping), Ok(()));
    }

    #[test]
    fn an_edit_the_mapping_does_not_record_is_not_proven() {
        let w = ws(C);
        let mapping = vec![entry("Points", "ABC Points", None)];
        // A rename to a name the mapping does not give.
        let e = edits(vec![edit("c.al", at(C, "Points"), "Other")]);
        let why = prove(&w, 1, &e, &mapping).unwrap_err();
        assert!(why.contains("not a rename of the mapping"), "{why}");
        // A replacement that is two tokens (the tree would change).
        let e = edits(vec![edit("c.al", at(C, "Points"), "ABC Points")]);
        let why = prove(&w, 1, &e, &mapping).unwrap_err();
        assert!(why.contains("not one identifier"), "{why}");
        // Part of a token.
        let r = at(C, "Points");
        let e = edits(vec![edit("c.al", r.start..r.end - 1, "X")]);
        assert!(prove(&w, 1, &e, &mapping).is_err());
    }

    #[test]
    fn a_token_that_already_spells_a_new_name_is_not_proven() {
        // A local variable that the renamed field's new name would capture.
        let c = C.replace("Other: Integer", "\"ABC Points\": Integer");
        let w = ws(&c);
        let why = prove(
            &w,
            1,
            &rename_points(&c),
            &[entry("Points", "ABC Points", None)],
        )
        .unwrap_err();
        assert!(why.contains("already spells a new name"), "{why}");
        assert!(why.starts_with("c.al:1:"), "{why}");
        // A number that already is a new ID.
        let c = C.replace("Message('x')", "Message('%1', 70000000)");
        let w = ws(&c);
        let decl = at(&c, "50101");
        let e = edits(vec![edit("c.al", decl, "70000000")]);
        let why = prove(&w, 1, &e, &[entry("Mgt", "Mgt", Some((50101, 70000000)))]).unwrap_err();
        assert!(why.contains("already a new ID"), "{why}");
        // A new name that is a keyword: the keyword tokens that stay spell it (the
        // object's own `codeunit`), and keyword tokens are skipped only when no new name
        // is one.
        let to_keyword = rename_points_to(C, "\"Codeunit\"");
        let why = prove(&ws(C), 1, &to_keyword, &[entry("Points", "Codeunit", None)]).unwrap_err();
        assert!(
            why.starts_with("c.al:1:1: codeunit already spells a new name"),
            "{why}"
        );
    }

    #[test]
    fn string_contents_are_proven_when_they_stay_one_string() {
        let c = C.replace("Message('x')", "Message('Points')");
        let w = ws(&c);
        let s = c.find("'Points'").unwrap() as u32 + 1;
        let mapping = [entry("Points", "ABC Points", None)];
        let ok = edits(vec![edit("c.al", s..s + 6, "ABC Points")]);
        assert_eq!(prove(&w, 1, &ok, &mapping), Ok(()));
        let bad = edits(vec![edit("c.al", s..s + 6, "ABC' Points")]);
        assert!(prove(&w, 1, &bad, &mapping).is_err());
    }

    #[test]
    fn moved_symbols_carry_new_names_and_ids() {
        let w = ws(C);
        let mut e = entry("Points", "ABC Points", Some((1, 2)));
        e.symbol = w
            .index
            .find_object(al_parser::ast::ObjectKind::Table, "Tier")
            .map(|t| al_parser::symbols::SymbolId {
                member: Some(0),
                ..t
            });
        let syms = moved_symbols(&w.index, 0, &[e]);
        let m = &syms.objects[0].members[0];
        assert_eq!((m.name.as_str(), m.id), ("ABC Points", Some(2)));
    }
}
