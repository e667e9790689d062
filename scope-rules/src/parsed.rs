//! Adapter from `al-parser`'s typed view to the [`ObjectDecl`] input of the
//! source checks.
//!
//! What it cannot know from one file: whether an extension extends another
//! publisher's object (set to `true`, the strict assumption; refine with
//! dependency symbols; [`mark_local_extensions`] clears it for the app's own
//! objects) and whether a member is in the baseline (set to
//! `false`). `modify(…)`/`addafter(…)` and similar change anchors name
//! existing members and are left out; the members they add are kept. Page and
//! request-page `field(…)` elements become controls.
//!
//! ```
//! use scope_rules::parsed::objects_from_parse;
//! use scope_rules::{ObjectKind, checks::source::MemberKind};
//! let src = b"namespace Contoso.Loyalty;\ntableextension 50100 \"Customer Loyalty\" extends Customer\n{\n  fields { field(50100; \"Loyalty Points\"; Integer) { } }\n}\n";
//! let parse = al_parser::parse(src);
//! let objects = objects_from_parse(&parse, "src/CustomerLoyalty.TableExt.al");
//! assert_eq!(objects[0].kind, ObjectKind::TableExtension);
//! assert_eq!(objects[0].name, "Customer Loyalty");
//! assert_eq!(objects[0].namespace.as_deref(), Some("Contoso.Loyalty"));
//! assert_eq!(objects[0].extends.as_ref().map(|e| e.target.as_str()), Some("Customer"));
//! let f = &objects[0].members[0];
//! assert_eq!((f.kind, f.id, f.name.as_str(), f.line), (MemberKind::Field, Some(50100), "Loyalty Points", 4));
//! ```

use std::ops::Range;

use std::collections::HashMap;

use al_parser::ast::MemberKind as PMember;
use al_parser::{Parse, SyntaxKind, SyntaxNode};

use crate::checks::source::{
    ENCRYPTION_KEY_METHODS, Extends, MemberDecl, MemberKind, ObjectDecl, ObjectKind, Owner,
    PropertyDecl, RECORD_WRITE_METHODS, RecordWrite,
};

/// 1-based line and column in characters of a byte offset of the parsed text.
fn position(parse: &Parse, offset: u32) -> (u32, u32) {
    let (line, byte_col) = parse.line_col(offset);
    let text = parse.text();
    let end = (offset as usize).min(text.len());
    let start = end.saturating_sub(byte_col.saturating_sub(1) as usize);
    let chars = String::from_utf8_lossy(text.get(start..end).unwrap_or_default())
        .chars()
        .count();
    (
        line,
        u32::try_from(chars).unwrap_or(u32::MAX).saturating_add(1),
    )
}

fn span(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

fn member_kind(object: ObjectKind, m: PMember) -> Option<MemberKind> {
    Some(match m {
        PMember::Field if matches!(object, ObjectKind::Table | ObjectKind::TableExtension) => {
            MemberKind::Field
        }
        PMember::Field | PMember::Control => MemberKind::Control,
        PMember::Key => MemberKind::Key,
        PMember::EnumValue => MemberKind::EnumValue,
        PMember::Action => MemberKind::Action,
        PMember::DataItem => MemberKind::DataItem,
        PMember::Column => MemberKind::Column,
        PMember::Label => MemberKind::Label,
        PMember::Procedure => MemberKind::Procedure,
        PMember::Change => return None,
        _ => MemberKind::Other,
    })
}

/// The `Name = value;` properties directly in `body`.
fn properties_of(parse: &Parse, body: SyntaxNode<'_>) -> Vec<PropertyDecl> {
    body.children()
        .filter(|c| c.kind() == SyntaxKind::Property)
        .filter_map(|p| {
            let name = p.first_token()?;
            let mut value = String::new();
            let mut prev_word = false;
            if let Some(v) = p.child(SyntaxKind::PropertyValue) {
                for t in al_parser::ast::significant_tokens(v) {
                    let word = t.kind().is_word()
                        || matches!(t.kind(), SyntaxKind::Int | SyntaxKind::BigInt);
                    if word && prev_word {
                        value.push(' ');
                    }
                    value.push_str(&t.text_lossy());
                    prev_word = word;
                }
            }
            let (line, column) = position(parse, name.span().start);
            Some(PropertyDecl::new(name.text_lossy().into_owned(), value).at(line, column))
        })
        .collect()
}

/// Properties of every element (`field(…) { … }`, `action(…) { … }`, …) below
/// `body`, keyed by the element's start offset (the start of
/// [`al_parser::ast::Member::span`]).
fn element_properties(
    parse: &Parse,
    body: SyntaxNode<'_>,
    out: &mut HashMap<u32, Vec<PropertyDecl>>,
) {
    for c in body.children() {
        match c.kind() {
            SyntaxKind::Element => {
                if let Some(b) = c.child(SyntaxKind::Body) {
                    out.insert(c.span().start, properties_of(parse, b));
                    element_properties(parse, b, out);
                }
            }
            SyntaxKind::Section => {
                if let Some(b) = c.child(SyntaxKind::Body) {
                    element_properties(parse, b, out);
                }
            }
            _ => {}
        }
    }
}

/// Every object declared in one parsed file, as [`ObjectDecl`]s in source order.
/// Objects whose kind or name could not be parsed are skipped.
pub fn objects_from_parse(parse: &Parse, file: &str) -> Vec<ObjectDecl> {
    extract(parse, file, true)
}

/// The declarations of [`objects_from_parse`] without what only the source checks read:
/// kinds, IDs, names and their spans, namespaces, extended objects, `Assignable`, and
/// the members a move reads (kind, ID, name, span, keyword) — what a move plans from:
/// members only of tables, enums and extension objects (see [`move_reads_members`]).
/// Properties and `asserterror` positions are left empty and every line and column is 1
/// (finding them costs a scan of each file), so pass these to the move engine, not to
/// [`crate::checks::source::check_objects`].
///
/// ```
/// use scope_rules::parsed::{declarations_from_parse, objects_from_parse};
/// let src = b"table 50100 \"Loyalty Tier\"\n{\n  Caption = 'Tier';\n  fields { field(1; Code; Code[20]) { } }\n}\n";
/// let parse = al_parser::parse(src);
/// let lean = declarations_from_parse(&parse, "a.al");
/// let full = objects_from_parse(&parse, "a.al");
/// assert_eq!((lean[0].id, &lean[0].name, &lean[0].span), (full[0].id, &full[0].name, &full[0].span));
/// assert_eq!(lean[0].members[0].span, full[0].members[0].span);
/// assert!(lean[0].properties.is_empty() && !full[0].properties.is_empty());
/// ```
pub fn declarations_from_parse(parse: &Parse, file: &str) -> Vec<ObjectDecl> {
    extract(parse, file, false)
}

/// Whether a move reads the members of objects of `kind`: the fields and values it may
/// renumber (tables, table extensions, enums, enum extensions) and the members it may
/// affix (those an extension adds to another publisher's object). Pages, codeunits,
/// reports and the other kinds keep their members' names and numbers in any move.
pub fn move_reads_members(kind: ObjectKind) -> bool {
    matches!(
        kind,
        ObjectKind::Table
            | ObjectKind::TableExtension
            | ObjectKind::Enum
            | ObjectKind::EnumExtension
            | ObjectKind::PageExtension
            | ObjectKind::ReportExtension
    )
}

fn extract(parse: &Parse, file: &str, full: bool) -> Vec<ObjectDecl> {
    let at = |offset: u32| {
        if full {
            position(parse, offset)
        } else {
            (1, 1)
        }
    };
    let root = parse.source_file();
    let namespace = root.namespace().map(|(ns, _)| ns);
    let mut out = Vec::new();
    for o in root.objects() {
        let (Some(kind), Some(name)) = (o.kind(), o.name()) else {
            continue;
        };

        let (line, column) = at(name.span.start);
        let mut decl =
            ObjectDecl::new(kind, o.id().and_then(|i| i.value), name.value.clone(), file);
        decl.namespace = namespace.clone();
        decl.line = line;
        decl.column = column;
        decl.span = Some(span(&name.span));
        if kind.is_extension() {
            // As written, quotes kept: `"Gen. Journal Line"` is one name, whose dots are not
            // namespace separators (`target_name` reads it).
            let target = o
                .extends()
                .into_iter()
                .next()
                .or_else(|| o.customizes())
                .map(|(t, r)| {
                    parse
                        .text()
                        .get(r.start as usize..r.end as usize)
                        .map(|raw| String::from_utf8_lossy(raw).trim().to_string())
                        .filter(|raw| !raw.is_empty())
                        .unwrap_or(t)
                })
                .unwrap_or_default();
            decl.extends = Some(Extends {
                target,
                owner: Owner::Unknown,
            });
        }
        let properties = o.properties();
        // `Name = value;` among the object's properties (case-insensitive).
        let has = |name: &[u8], value: &str| {
            properties.iter().any(|p| {
                p.name_bytes().eq_ignore_ascii_case(name)
                    && p.value().is_some_and(|v| {
                        String::from_utf8_lossy(v.text())
                            .trim()
                            .eq_ignore_ascii_case(value)
                    })
            })
        };
        decl.assignable = kind == ObjectKind::PermissionSet && has(b"Assignable", "true");
        decl.test_codeunit = kind == ObjectKind::Codeunit && has(b"Subtype", "test");
        let mut member_props = HashMap::new();
        if full {
            // Keyword tokens only: comments and strings carry their delimiters.
            decl.assert_errors = o
                .syntax()
                .tokens()
                .filter(|t| t.text().eq_ignore_ascii_case(b"asserterror"))
                .map(|t| at(t.span().start))
                .collect();
            decl.company_open_subscribers = o
                .syntax()
                .descendants()
                .filter(|n| n.kind() == SyntaxKind::Attribute && is_company_open_subscriber(*n))
                .map(|n| at(n.span().start))
                .collect();
            let facts = code_facts(o.syntax(), &at);
            decl.encryption_key_calls = facts.0;
            decl.record_writes = facts.1;
            if let Some(body) = o.body() {
                decl.properties = properties_of(parse, body);
                element_properties(parse, body, &mut member_props);
            }
        }
        let members = if full || move_reads_members(kind) {
            o.members()
        } else {
            Vec::new()
        };
        for m in members {
            let (Some(mk), Some(mname)) = (member_kind(kind, m.kind), m.name) else {
                continue;
            };
            let (line, column) = at(mname.span.start);
            let mut md = MemberDecl::new(mk, m.id.as_ref().and_then(|i| i.value), mname.value)
                .at(line, column);
            md.span = Some(span(&mname.span));
            md.keyword = m.keyword;
            md.properties = member_props.remove(&m.span.start).unwrap_or_default();
            decl.members.push(md);
        }
        out.push(decl);
    }
    out
}

/// Parses every `(file label, bytes)` pair (no preprocessor symbols defined) and
/// returns all objects in input order, ready for [`crate::checks::source::check_objects`].
/// Extensions of objects declared among these files are marked as extending
/// the same publisher's objects ([`mark_local_extensions`]).
pub fn objects_from_sources<'a, I>(files: I) -> Vec<ObjectDecl>
where
    I: IntoIterator<Item = (&'a str, &'a [u8])>,
{
    let mut objects: Vec<ObjectDecl> = files
        .into_iter()
        .flat_map(|(file, bytes)| objects_from_parse(&al_parser::parse(bytes), file))
        .collect();
    mark_local_extensions(&mut objects);
    objects
}

/// The object name an `extends` target names: the last `.`-separated segment
/// outside quotes (`Contoso.Loyalty."Loyalty Tier"` → `Loyalty Tier`), unquoted.
///
/// ```
/// use scope_rules::parsed::target_name;
/// assert_eq!(target_name("Contoso.Loyalty.\"Loyalty Tier\""), "Loyalty Tier");
/// assert_eq!(target_name("\"Gen. Journal Line\""), "Gen. Journal Line");
/// assert_eq!(target_name("Customer"), "Customer");
/// ```
pub fn target_name(target: &str) -> &str {
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in target.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '.' if !in_quotes => start = i + 1,
            _ => {}
        }
    }
    crate::affix::strip_quotes(target.get(start..).unwrap_or(target).trim()).trim()
}

/// Whether the attribute `n` is `[EventSubscriber(ObjectType::Codeunit, Codeunit::"Company
/// Triggers", 'OnCompanyOpen', …)]` (the codeunit also as `CompanyTriggers` or 2000000003).
fn is_company_open_subscriber(n: SyntaxNode<'_>) -> bool {
    let mut words = n.tokens().filter(|t| !t.kind().is_trivia());
    if !words
        .find(|t| t.kind().is_word())
        .is_some_and(|t| t.text().eq_ignore_ascii_case(b"EventSubscriber"))
    {
        return false;
    }
    let mut company_triggers = false;
    let mut company_open = false;
    for t in n.tokens() {
        let text = t.text();
        let inner = |q: u8| {
            text.strip_prefix(&[q][..])
                .and_then(|x| x.strip_suffix(&[q][..]))
                .unwrap_or(text)
        };
        let name = inner(b'"');
        if name.eq_ignore_ascii_case(b"Company Triggers")
            || name.eq_ignore_ascii_case(b"CompanyTriggers")
            || name == b"2000000003"
        {
            company_triggers = true;
        }
        if t.kind() == SyntaxKind::StringLit && inner(b'\'').eq_ignore_ascii_case(b"OnCompanyOpen")
        {
            company_open = true;
        }
    }
    company_triggers && company_open
}

/// What a declared variable is, for [`code_facts`]: a record of a table (its name or
/// number as written, and whether it is `temporary`), or anything else.
#[derive(Clone)]
enum VarKind {
    Record { table: String, temporary: bool },
    Other,
}

/// `Record T [temporary]` → the table (last dotted segment, unquoted, or the number) and
/// whether it is temporary; other types → [`VarKind::Other`].
fn var_kind(ty: Option<SyntaxNode<'_>>) -> VarKind {
    let Some(ty) = ty else {
        return VarKind::Other;
    };
    let tokens: Vec<_> = al_parser::ast::significant_tokens(ty).collect();
    if !tokens
        .first()
        .is_some_and(|t| t.text().eq_ignore_ascii_case(b"Record"))
    {
        return VarKind::Other;
    }
    let temporary = tokens
        .iter()
        .any(|t| t.text().eq_ignore_ascii_case(b"temporary"));
    let table = tokens
        .iter()
        .skip(1)
        .take_while(|t| !t.text().eq_ignore_ascii_case(b"temporary"))
        .filter(|t| t.kind().is_word() || t.kind() == SyntaxKind::Int)
        .last()
        .map(|t| al_parser::ast::unquote(t.text()));
    match table {
        Some(table) => VarKind::Record { table, temporary },
        None => VarKind::Other,
    }
}

/// The variables a `var` section or parameter list declares, lower-case name → kind
/// (parameters are [`VarKind::Other`]: the caller may pass a temporary record).
fn declared_vars(container: SyntaxNode<'_>, out: &mut HashMap<String, VarKind>) {
    for c in container.children() {
        match c.kind() {
            SyntaxKind::VarSection => {
                for d in c.children().filter(|d| d.kind() == SyntaxKind::VarDecl) {
                    let kind = var_kind(d.child(SyntaxKind::TypeRef));
                    for n in d.children().filter(|n| n.kind() == SyntaxKind::Name) {
                        if let Some(t) = n.first_token() {
                            out.insert(
                                al_parser::ast::unquote(t.text()).to_lowercase(),
                                kind.clone(),
                            );
                        }
                    }
                }
            }
            SyntaxKind::ParamList => {
                for p in c.children().filter(|p| p.kind() == SyntaxKind::Param) {
                    for n in p.children().filter(|n| n.kind() == SyntaxKind::Name) {
                        if let Some(t) = n.first_token() {
                            out.insert(
                                al_parser::ast::unquote(t.text()).to_lowercase(),
                                VarKind::Other,
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The calls of the platform's encryption-key methods (unqualified or `System.`, unless the
/// object declares a procedure or variable of that name) and the writes through
/// non-temporary record variables (locals, else the object's globals) in the routines of
/// object `o`.
fn code_facts(
    o: SyntaxNode<'_>,
    at: &dyn Fn(u32) -> (u32, u32),
) -> (Vec<(String, u32, u32)>, Vec<RecordWrite>) {
    let is_key_method = |w: &[u8]| {
        ENCRYPTION_KEY_METHODS
            .iter()
            .any(|m| w.eq_ignore_ascii_case(m.as_bytes()))
    };
    let mut globals = HashMap::new();
    let mut own_names = std::collections::HashSet::new();
    let routines: Vec<SyntaxNode<'_>> = o
        .descendants()
        .filter(|n| matches!(n.kind(), SyntaxKind::Procedure | SyntaxKind::Trigger))
        .collect();
    if let Some(body) = o.child(SyntaxKind::Body) {
        declared_vars(body, &mut globals);
    }
    for r in routines
        .iter()
        .filter(|r| r.kind() == SyntaxKind::Procedure)
    {
        if let Some(t) = r.child(SyntaxKind::Name).and_then(|n| n.first_token()) {
            own_names.insert(al_parser::ast::unquote(t.text()).to_lowercase());
        }
    }
    own_names.extend(globals.keys().cloned());
    let mut calls = Vec::new();
    let mut writes = Vec::new();
    for r in routines {
        let Some(block) = r.child(SyntaxKind::Block) else {
            continue;
        };
        let mut locals = HashMap::new();
        declared_vars(r, &mut locals);
        let shadowed = |w: &[u8]| {
            let key = al_parser::ast::unquote(w).to_lowercase();
            own_names.contains(&key) || locals.contains_key(&key)
        };
        for n in block.descendants() {
            match n.kind() {
                SyntaxKind::NameRef => {
                    if let Some(t) = n.first_token()
                        && is_key_method(t.text())
                        && !shadowed(t.text())
                    {
                        let (l, c) = at(t.span().start);
                        calls.push((t.text_lossy().into_owned(), l, c));
                    }
                }
                SyntaxKind::MemberExpr => {
                    let Some(lhs) = n
                        .children()
                        .next()
                        .filter(|l| l.kind() == SyntaxKind::NameRef)
                    else {
                        continue;
                    };
                    let (Some(var), Some(member)) = (
                        lhs.first_token(),
                        n.child_tokens().filter(|t| t.kind().is_word()).last(),
                    ) else {
                        continue;
                    };
                    if var.text().eq_ignore_ascii_case(b"System") && is_key_method(member.text()) {
                        let (l, c) = at(member.span().start);
                        calls.push((member.text_lossy().into_owned(), l, c));
                        continue;
                    }
                    if !RECORD_WRITE_METHODS
                        .iter()
                        .any(|m| member.text().eq_ignore_ascii_case(m.as_bytes()))
                    {
                        continue;
                    }
                    let key = al_parser::ast::unquote(var.text()).to_lowercase();
                    if let Some(VarKind::Record {
                        table,
                        temporary: false,
                    }) = locals.get(&key).or_else(|| globals.get(&key))
                    {
                        let (l, c) = at(member.span().start);
                        writes.push(RecordWrite {
                            variable: al_parser::ast::unquote(var.text()),
                            table: table.clone(),
                            method: member.text_lossy().into_owned(),
                            line: l,
                            column: c,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    (calls, writes)
}

/// Marks every extension whose target is declared in `objects` (same base kind,
/// same name, case-insensitive) as extending an object of the same publisher:
/// the app's own objects. Their members then need no affix (scope-rules.md §3).
/// Returns how many extensions were marked.
///
/// ```
/// use scope_rules::parsed::{mark_local_extensions, objects_from_parse};
/// let src = b"table 50100 \"Loyalty Tier\" { }\ntableextension 50101 \"Tier Ext\" extends \"Loyalty Tier\" { }\ntableextension 50102 \"Cust Ext\" extends Customer { }\n";
/// let mut objects = objects_from_parse(&al_parser::parse(src), "a.al");
/// assert_eq!(mark_local_extensions(&mut objects), 1);
/// use scope_rules::checks::source::Owner;
/// assert_eq!(objects[1].owner(), Owner::Same);
/// assert_eq!(objects[2].owner(), Owner::Unknown);
/// ```
pub fn mark_local_extensions(objects: &mut [ObjectDecl]) -> usize {
    let local: std::collections::BTreeSet<(ObjectKind, String)> = objects
        .iter()
        .map(|o| {
            (
                o.kind,
                crate::affix::strip_quotes(&o.name).trim().to_lowercase(),
            )
        })
        .collect();
    let mut marked = 0;
    for o in objects.iter_mut() {
        let Some(base) = o.kind.base_kind() else {
            continue;
        };
        if let Some(e) = o.extends.as_mut() {
            if e.owner != Owner::Same
                && local.contains(&(base, target_name(&e.target).to_lowercase()))
            {
                e.owner = Owner::Same;
                marked += 1;
            }
        }
    }
    marked
}

/// Sets the owner of every extension whose target is declared by a dependency: `declared`
/// maps (object kind, lower-case name) to the publishers of the apps declaring it (from
/// dependency symbols). [`Owner::Same`] when every such app has `publisher` (compared
/// case-insensitively), else [`Owner::Other`]; targets not in `declared` keep their owner
/// (the app's own objects: [`mark_local_extensions`]). Returns how many were set.
///
/// ```
/// use std::collections::BTreeMap;
/// use scope_rules::checks::source::{ObjectKind, Owner};
/// use scope_rules::parsed::{mark_owners, objects_from_parse};
/// let src = b"pageextension 50100 \"Card Ext\" extends \"Loyalty Card\" { }\npageextension 50101 \"Cust Ext\" extends \"Customer Card\" { }\n";
/// let mut objects = objects_from_parse(&al_parser::parse(src), "a.al");
/// let mut declared = BTreeMap::new();
/// declared.insert((ObjectKind::Page, "loyalty card".to_string()), vec!["Contoso".to_string()]);
/// declared.insert((ObjectKind::Page, "customer card".to_string()), vec!["Microsoft".to_string()]);
/// assert_eq!(mark_owners(&mut objects, "CONTOSO", &declared), 2);
/// assert_eq!(objects[0].owner(), Owner::Same);
/// assert_eq!(objects[1].owner(), Owner::Other);
/// ```
pub fn mark_owners(
    objects: &mut [ObjectDecl],
    publisher: &str,
    declared: &std::collections::BTreeMap<(ObjectKind, String), Vec<String>>,
) -> usize {
    let mut marked = 0;
    for o in objects.iter_mut() {
        let Some(base) = o.kind.base_kind() else {
            continue;
        };
        let Some(e) = o.extends.as_mut() else {
            continue;
        };
        if e.owner == Owner::Same {
            continue;
        }
        if let Some(publishers) = declared.get(&(base, target_name(&e.target).to_lowercase())) {
            e.owner = if !publishers.is_empty()
                && publishers.iter().all(|p| p.eq_ignore_ascii_case(publisher))
            {
                Owner::Same
            } else {
                Owner::Other
            };
            marked += 1;
        }
    }
    marked
}

/// Marks the enum-extension values that the baseline (the app's previous version) already
/// has: `baseline` holds (enum-extension name, value name), both lower-case. AppSourceCop
/// reports a missing affix on such a value as AS0098 (warning), on a new one as AS0011.
/// Returns how many were marked.
///
/// ```
/// use std::collections::BTreeSet;
/// use scope_rules::parsed::{mark_in_baseline, objects_from_parse};
/// let src = b"enumextension 70000000 \"CLP Type\" extends \"Sales Line Type\" { value(70000000; Gold) { } value(70000001; \"CLP Silver\") { } }\n";
/// let mut objects = objects_from_parse(&al_parser::parse(src), "e.al");
/// let baseline = BTreeSet::from([("clp type".to_string(), "gold".to_string())]);
/// assert_eq!(mark_in_baseline(&mut objects, &baseline), 1);
/// assert!(objects[0].members[0].in_baseline);
/// assert!(!objects[0].members[1].in_baseline);
/// ```
pub fn mark_in_baseline(
    objects: &mut [ObjectDecl],
    baseline: &std::collections::BTreeSet<(String, String)>,
) -> usize {
    let mut marked = 0;
    for o in objects
        .iter_mut()
        .filter(|o| o.kind == ObjectKind::EnumExtension)
    {
        let object = o.name.to_lowercase();
        for m in o
            .members
            .iter_mut()
            .filter(|m| m.kind == MemberKind::EnumValue)
        {
            if baseline.contains(&(object.clone(), m.name.to_lowercase())) {
                m.in_baseline = true;
                marked += 1;
            }
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::diagnostic::{Diagnostic, RuleConfig};
    use crate::checks::source::{SourceContext, check_objects};
    use crate::ranges::IdRange;
    use crate::scope::Scope;

    /// The lean declarations keep the members of every kind whose members a move
    /// renumbers (table and enum fields and values) or affixes (the affix table).
    #[test]
    fn the_move_reads_the_members_it_renumbers_or_affixes() {
        use crate::affix::AffixTarget;
        use crate::checks::source::member_affix_target;
        use MemberKind as K;
        let kinds = [
            K::Field,
            K::Key,
            K::Control,
            K::Action,
            K::EnumValue,
            K::DataItem,
            K::Column,
            K::Label,
            K::Procedure,
            K::Other,
        ];
        for o in ObjectKind::ALL {
            for k in kinds {
                let affixed = member_affix_target(o, &MemberDecl::new(k, None, "X"))
                    != AffixTarget::OwnObjectMember;
                let renumbered = matches!(
                    (o, k),
                    (ObjectKind::Table | ObjectKind::TableExtension, K::Field)
                        | (ObjectKind::Enum | ObjectKind::EnumExtension, K::EnumValue)
                );
                assert!(
                    !(affixed || renumbered) || move_reads_members(o),
                    "{o:?} {k:?}"
                );
            }
        }
        // Pages and codeunits keep their members out of the lean declarations.
        let parse = al_parser::parse(b"page 50100 P { layout { area(Content) { field(F; Rec.F) { } } } }\ncodeunit 50101 C { procedure Q() begin end; }\ntableextension 50102 T extends Customer { fields { field(50100; G; Integer) { } } }");
        let lean = declarations_from_parse(&parse, "a.al");
        let full = objects_from_parse(&parse, "a.al");
        assert_eq!(
            lean.iter().map(|o| o.members.len()).collect::<Vec<_>>(),
            [0, 0, 1]
        );
        assert_eq!(
            full.iter().map(|o| o.members.len()).collect::<Vec<_>>(),
            [2, 1, 1]
        );
    }

    const PAGE_EXT: &str = r#"pageextension 50100 "Customer Card Loyalty" extends "Customer Card"
{
    layout
    {
        addafter(Name)
        {
            field("Loyalty Points"; Rec."Loyalty Points") { ApplicationArea = All; }
        }
    }
    actions
    {
        addlast(Processing)
        {
            action(RecalculatePoints) { ApplicationArea = All; }
        }
    }
    procedure Recalc() begin end;
}
permissionset 50101 "Loyalty Admin Permission Set"
{
    Assignable = true;
    Permissions = tabledata Customer = R;
}
"#;

    #[test]
    fn page_extension_members() {
        let parse = al_parser::parse(PAGE_EXT.as_bytes());
        let objects = objects_from_parse(&parse, "p.al");
        assert_eq!(objects.len(), 2);
        let kinds: Vec<(MemberKind, &str)> = objects[0]
            .members
            .iter()
            .map(|m| (m.kind, m.name.as_str()))
            .collect();
        assert!(kinds.contains(&(MemberKind::Control, "Loyalty Points")));
        assert!(kinds.contains(&(MemberKind::Action, "RecalculatePoints")));
        assert!(kinds.contains(&(MemberKind::Procedure, "Recalc")));
        assert!(
            !kinds
                .iter()
                .any(|(_, n)| *n == "Name" || *n == "Processing")
        );
        assert_eq!(
            objects[0].extends.as_ref().map(|e| e.target.as_str()),
            Some("\"Customer Card\"")
        );
        assert!(objects[1].assignable);
        assert_eq!((objects[1].line, objects[1].column), (19, 21));

        let ctx = SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(70_000_000, 70_000_099)])
            .with_affixes(crate::affix::Affixes::new(["CLP"]));
        // Who publishes "Customer Card" is not known without symbols: the member affix
        // rules are not checked, and that is said once.
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"ALK0009"), "{codes:?}");
        assert!(!codes.contains(&"AS0079"), "{codes:?}");
        // Another publisher's page (as symbols would say): the member rules apply.
        let mut declared = std::collections::BTreeMap::new();
        declared.insert(
            (ObjectKind::Page, "customer card".to_string()),
            vec!["Microsoft".to_string()],
        );
        let mut objects = objects;
        assert_eq!(mark_owners(&mut objects, "Contoso", &declared), 1);
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
        for c in ["AL0297", "AS0013", "AS0127", "AS0011", "AS0079", "AL0305"] {
            assert!(codes.contains(&c), "{c} missing in {codes:?}");
        }
        assert!(!codes.contains(&"ALK0009"), "{codes:?}");
        // The same publisher's page: no member affix rule.
        assert_eq!(mark_owners(&mut objects, "Microsoft", &declared), 1);
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
        assert!(
            !codes.contains(&"AS0079") && !codes.contains(&"ALK0009"),
            "{codes:?}"
        );
    }

    /// PTE0006: calls of the encryption-key methods, unqualified or through `System`, not
    /// when the object declares a procedure or variable of that name; record writes through
    /// non-temporary record variables (locals shadow globals; parameters are not known).
    #[test]
    fn encryption_key_calls_and_record_writes() {
        let src = "codeunit 50100 Keys\n{\n    var G: Record Company; T: Record \"Company\" temporary;\n    procedure P(var Par: Record Company)\n    var G2: Record Microsoft.Foundation.\"Item\";\n    begin\n        if not EncryptionEnabled() then CreateEncryptionKey();\n        System.ExportEncryptionKey('pw');\n        DeleteEncryptionKey;\n        Encrypt('x');\n        G.Insert(); T.Insert(); Par.Modify(); G2.DeleteAll(true); G.Get();\n    end;\n\n    trigger OnRun()\n    var G: Record Company temporary;\n    begin\n        G.Rename('x'); // a temporary local shadows the global\n    end;\n}\ncodeunit 50101 Own { procedure ImportEncryptionKey() begin end; procedure Q() begin ImportEncryptionKey(); end; }\n";
        let objects = objects_from_parse(&al_parser::parse(src.as_bytes()), "k.al");
        let calls: Vec<(&str, u32, u32)> = objects[0]
            .encryption_key_calls
            .iter()
            .map(|(m, l, c)| (m.as_str(), *l, *c))
            .collect();
        assert_eq!(
            calls,
            [
                ("CreateEncryptionKey", 7, 41),
                ("ExportEncryptionKey", 8, 16),
                ("DeleteEncryptionKey", 9, 9)
            ]
        );
        assert!(objects[1].encryption_key_calls.is_empty());
        let writes: Vec<(&str, &str, &str)> = objects[0]
            .record_writes
            .iter()
            .map(|w| (w.variable.as_str(), w.table.as_str(), w.method.as_str()))
            .collect();
        assert_eq!(
            writes,
            [("G", "Company", "Insert"), ("G2", "Item", "DeleteAll")]
        );
        let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        let hits: Vec<&Diagnostic> = d.iter().filter(|d| d.code == "PTE0006").collect();
        assert_eq!(hits.len(), 3, "{d:?}");
        assert_eq!((hits[0].line, hits[0].column), (7, 41));
        // Not a PerTenantExtensionCop scope: no PTE0006 (AS0060's list is not documented).
        let ctx = SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(50100, 50149)]);
        let d = check_objects(&objects, &ctx, &RuleConfig::new());
        assert!(!d.iter().any(|d| d.code == "PTE0006"));
    }

    #[test]
    fn many_files_and_duplicate_ids() {
        let a: &[u8] = b"codeunit 50100 A { }";
        let b: &[u8] = b"codeunit 50100 B { }";
        let objects = objects_from_sources([("a.al", a), ("b.al", b)]);
        let d = check_objects(
            &objects,
            &SourceContext::new(Scope::Dev, vec![]),
            &RuleConfig::new(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code.as_str(), d[0].file.as_str()), ("AL0264", "b.al"));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let objects = objects_from_sources([("x.al", bytes.as_slice())]);
            let ctx = SourceContext::new(Scope::APPSOURCE, vec![IdRange::new(1, 2)])
                .with_affixes(crate::affix::Affixes::new(["A"]));
            let _ = check_objects(&objects, &ctx, &RuleConfig::new());
        }
    }

    #[test]
    fn garbage_gives_no_panic() {
        let parse = al_parser::parse(b"table \xff\xfe ( { field(; ; ) ");
        let _ = objects_from_parse(&parse, "x.al");
        let parse =
            al_parser::parse("table 1 \"é\" { fields { field(1; \"ü\"; Integer) {} } }".as_bytes());
        let o = objects_from_parse(&parse, "x.al");
        assert_eq!(o[0].members[0].column, 33);
    }
}
