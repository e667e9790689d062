//! Pictures and pages of a [`MoveReport`]: the Mermaid picture of the ID ranges before and
//! after the move (objects per kind and range) and the dependents updated, which
//! `move-report.md` carries, and one self-contained HTML page (`alkit move --report
//! FILE.html`: inline CSS and SVG, nothing fetched) with the same content, a diff summary
//! per file and the list of what needs a human look.
//!
//! Pure functions: they read the report (and the per-file line counts the caller
//! computed) and return text.
//!
//! ```
//! use scope_rules::move_engine::report_view::{FileDiff, ranges_mermaid, to_html};
//! # use scope_rules::move_engine::{Dependencies, MoveOptions, ProjectFile, move_app};
//! # use scope_rules::{IdRange, Scope};
//! # let project = vec![
//! #     ProjectFile::new("app.json", br#"{"id":"5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11","name":"A",
//! #       "publisher":"P","version":"1.0.0.0","idRanges":[{"from":50100,"to":50149}]}"#.to_vec()),
//! #     ProjectFile::new("src/T.al", b"table 50100 Points { }".to_vec()),
//! # ];
//! # let mut opts = MoveOptions::to(Scope::APPSOURCE, "0b5e6f3c-6a53-4a4a-9df3-0c1a9d6b7e21");
//! # opts.ranges = vec![IdRange::new(70000000, 70000099)];
//! # opts.affix = Some("ABC".into());
//! let report = move_app(&project, &Dependencies::default(), &[], &opts, &mut |_, _, _| {})?.report;
//! let mermaid = ranges_mermaid(&report);
//! assert!(mermaid.contains("b0[\"table × 1<br/>50100\"]"));
//! assert!(mermaid.contains("a0[\"table × 1<br/>70000000\"]"));
//! assert!(mermaid.contains("b0 -->|\"1\"| a0"));
//! let page = to_html(&report, &[FileDiff { label: "src/T.al".into(), added: 1, removed: 1 }]);
//! assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<svg"));
//! assert!(!page.contains("http://") && !page.contains("https://"));
//! # Ok::<(), scope_rules::move_engine::MoveError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::move_engine::report::{MoveReport, NameFix, Verification};

/// Lines added and removed in one file (`LABEL/path` for a dependent's file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    /// The file, as `alkit move --dry-run` labels it.
    pub label: String,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
}

/// Objects of one kind in one ID range, before or after the move.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bucket {
    range: String,
    kind: String,
    count: usize,
    lo: u32,
    hi: u32,
}

impl Bucket {
    fn ids(&self) -> String {
        if self.lo == self.hi {
            self.lo.to_string()
        } else {
            format!("{}–{}", self.lo, self.hi)
        }
    }
}

/// `a..b, c..d` as ranges.
fn parse_ranges(text: &str) -> Vec<(u32, u32, String)> {
    text.split(',')
        .filter_map(|r| {
            let (a, b) = r.trim().split_once("..")?;
            Some((
                a.trim().parse().ok()?,
                b.trim().parse().ok()?,
                r.trim().to_string(),
            ))
        })
        .collect()
}

/// The buckets before and after, and how many objects went from each before-bucket to
/// each after-bucket.
struct RangeFlow {
    before: Vec<Bucket>,
    after: Vec<Bucket>,
    flows: BTreeMap<(usize, usize), usize>,
}

fn range_flow(r: &MoveReport) -> RangeFlow {
    let ranges_of = |old: bool| {
        let id = r.identity.iter().find(|i| i.property == "idRanges");
        match (id, old) {
            (Some(i), true) => parse_ranges(&i.old),
            (Some(i), false) => parse_ranges(&i.new),
            (None, true) => Vec::new(),
            (None, false) => parse_ranges(&r.target_ranges.join(", ")),
        }
    };
    let (old_ranges, new_ranges) = (ranges_of(true), ranges_of(false));
    let range_of = |ranges: &[(u32, u32, String)], id: u32| {
        ranges
            .iter()
            .find(|(a, b, _)| (*a..=*b).contains(&id))
            .map_or_else(|| "outside idRanges".to_string(), |(_, _, t)| t.clone())
    };
    // Keyed by (range order, range, kind) so ranges appear in ID order.
    type Key = (u32, String, String);
    let mut before: BTreeMap<Key, Bucket> = BTreeMap::new();
    let mut after: BTreeMap<Key, Bucket> = BTreeMap::new();
    let mut pairs: Vec<(Key, Key)> = Vec::new();
    let add =
        |map: &mut BTreeMap<Key, Bucket>, ranges: &[(u32, u32, String)], kind: &str, id: u32| {
            let range = range_of(ranges, id);
            let order = ranges
                .iter()
                .find(|(_, _, t)| *t == range)
                .map_or(u32::MAX, |(a, _, _)| *a);
            let key = (order, range.clone(), kind.to_string());
            let b = map.entry(key.clone()).or_insert(Bucket {
                range,
                kind: kind.to_string(),
                count: 0,
                lo: id,
                hi: id,
            });
            b.count += 1;
            b.lo = b.lo.min(id);
            b.hi = b.hi.max(id);
            key
        };
    for e in r.renumbered.iter().filter(|e| e.kind == "object") {
        let (Some(old), Some(new)) = (e.old_id, e.new_id) else {
            continue;
        };
        let kb = add(&mut before, &old_ranges, &e.object_kind, old);
        let ka = add(&mut after, &new_ranges, &e.object_kind, new);
        pairs.push((kb, ka));
    }
    let index = |map: &BTreeMap<Key, Bucket>, k: &Key| map.keys().position(|x| x == k);
    let mut flows = BTreeMap::new();
    for (kb, ka) in &pairs {
        if let (Some(b), Some(a)) = (index(&before, kb), index(&after, ka)) {
            *flows.entry((b, a)).or_insert(0) += 1;
        }
    }
    RangeFlow {
        before: before.into_values().collect(),
        after: after.into_values().collect(),
        flows,
    }
}

/// Text for a Mermaid quoted label.
fn mermaid_text(s: &str) -> String {
    s.replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace(['\n', '\r'], " ")
}

/// The Mermaid flowchart of the move: renumbered objects per kind and ID range before
/// (left) and after (right), edges counting the objects that went from one to the other,
/// and the dependents updated pointing at the moved app.
pub fn ranges_mermaid(r: &MoveReport) -> String {
    let flow = range_flow(r);
    let mut out = String::from("flowchart LR\n");
    let side = |out: &mut String, id: &str, title: &str, buckets: &[Bucket], prefix: char| {
        let _ = writeln!(out, "  subgraph {id}[\"{}\"]", mermaid_text(title));
        out.push_str("    direction TB\n");
        let mut range = None;
        for (i, b) in buckets.iter().enumerate() {
            if range != Some(&b.range) {
                if range.is_some() {
                    out.push_str("    end\n");
                }
                let _ = writeln!(
                    out,
                    "    subgraph {prefix}r{i}[\"{}\"]",
                    mermaid_text(&b.range)
                );
                range = Some(&b.range);
            }
            let _ = writeln!(
                out,
                "      {prefix}{i}[\"{} × {}<br/>{}\"]",
                mermaid_text(&b.kind),
                b.count,
                b.ids()
            );
        }
        if range.is_some() {
            out.push_str("    end\n");
        }
        out.push_str("  end\n");
    };
    side(
        &mut out,
        "before",
        &format!("Before ({})", r.from),
        &flow.before,
        'b',
    );
    side(
        &mut out,
        "after",
        &format!("After ({})", r.to),
        &flow.after,
        'a',
    );
    let _ = writeln!(
        out,
        "  app[\"<b>{}</b><br/>{} → {}\"]",
        mermaid_text(&r.app.name),
        mermaid_text(&r.from),
        mermaid_text(&r.to)
    );
    for ((b, a), n) in &flow.flows {
        let _ = writeln!(out, "  b{b} -->|\"{n}\"| a{a}");
    }
    if flow.after.is_empty() {
        out.push_str("  after ~~~ app\n");
    } else {
        out.push_str("  after --- app\n");
    }
    if !r.dependents.is_empty() {
        out.push_str("  subgraph dependents[\"Dependents updated\"]\n");
        for (i, d) in r.dependents.iter().enumerate() {
            let _ = writeln!(
                out,
                "    d{i}[\"<b>{}</b><br/>{} edits in {} files\"]",
                mermaid_text(&d.name),
                d.edits,
                d.files_touched.len()
            );
        }
        out.push_str("  end\n");
        for i in 0..r.dependents.len() {
            let _ = writeln!(out, "  d{i} -.->|\"references rewritten\"| app");
        }
    }
    out.push_str("  style before fill:#fdf3e7,stroke:#c98a3a\n");
    out.push_str("  style after fill:#e9f6ec,stroke:#4a9a5b\n");
    if !r.dependents.is_empty() {
        out.push_str("  style dependents fill:#eef3fb,stroke:#6b8cc7\n");
    }
    out
}

/// The `## Pictures` section of `move-report.md`: [`ranges_mermaid`] in a fenced block.
pub fn markdown_section(r: &MoveReport) -> String {
    format!(
        "\n## Pictures\n\nRenumbered objects per kind and ID range, before and after, and the dependents updated:\n\n```mermaid\n{}```\n",
        ranges_mermaid(r)
    )
}

/// Escapes text for HTML (and SVG) content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const BOX_W: usize = 250;
const BOX_H: usize = 46;
const GAP: usize = 14;

/// The inline SVG of [`ranges_mermaid`]'s picture: before boxes left, after boxes right,
/// curves labelled with object counts, dependents below pointing at the moved app.
fn ranges_svg(r: &MoveReport) -> String {
    let flow = range_flow(r);
    let (left_x, right_x) = (20, 20 + BOX_W + 200);
    let top = 40;
    let rows = flow.before.len().max(flow.after.len()).max(1);
    let y_of = |i: usize| top + i * (BOX_H + GAP);
    let deps_top = y_of(rows) + 40;
    let deps_rows = r.dependents.len().div_ceil(2);
    let app_y = deps_top;
    let height = if r.dependents.is_empty() {
        y_of(rows) + 10
    } else {
        deps_top + deps_rows.max(1) * (BOX_H + GAP) + 10
    };
    let width = right_x + BOX_W + 20;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="ID ranges before and after the move" font-family="system-ui, sans-serif" font-size="13">"##
    );
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>"##);
    let _ = write!(
        s,
        r##"<text x="{left_x}" y="24" font-weight="600" fill="#8a5a1c">Before ({})</text><text x="{right_x}" y="24" font-weight="600" fill="#2f6b3b">After ({})</text>"##,
        esc(&r.from),
        esc(&r.to)
    );
    for ((b, a), n) in &flow.flows {
        let (y1, y2) = (y_of(*b) + BOX_H / 2, y_of(*a) + BOX_H / 2);
        let (x1, x2) = (left_x + BOX_W, right_x);
        let mid = (x1 + x2) / 2;
        let _ = write!(
            s,
            r##"<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="#888" stroke-width="{}" marker-end="url(#arrow)"/><text x="{mid}" y="{}" text-anchor="middle" fill="#444" font-size="12">{n}</text>"##,
            (1 + n.ilog2()).min(6),
            (y1 + y2) / 2 - 4
        );
    }
    let boxes = |s: &mut String, x: usize, buckets: &[Bucket], fill: &str, stroke: &str| {
        for (i, b) in buckets.iter().enumerate() {
            let y = y_of(i);
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="{stroke}"/><text x="{}" y="{}" font-weight="600">{} × {}</text><text x="{}" y="{}" fill="#555" font-size="12">{} in {}</text>"##,
                x + 10,
                y + 19,
                esc(&b.kind),
                b.count,
                x + 10,
                y + 37,
                esc(&b.ids()),
                esc(&b.range)
            );
        }
    };
    boxes(&mut s, left_x, &flow.before, "#fdf3e7", "#c98a3a");
    boxes(&mut s, right_x, &flow.after, "#e9f6ec", "#4a9a5b");
    if flow.before.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{left_x}" y="{}" fill="#777">no objects renumbered</text>"##,
            top + 20
        );
    }
    if !r.dependents.is_empty() {
        let _ = write!(
            s,
            r##"<rect x="{right_x}" y="{app_y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#ffffff" stroke="#333" stroke-width="1.5"/><text x="{}" y="{}" font-weight="600">{}</text><text x="{}" y="{}" fill="#555" font-size="12">moved app</text>"##,
            right_x + 10,
            app_y + 19,
            esc(&r.app.name),
            right_x + 10,
            app_y + 37
        );
        for (i, d) in r.dependents.iter().enumerate() {
            let (col, row) = (i % 2, i / 2);
            let x = left_x + col * (BOX_W / 2 + 10);
            let w = if r.dependents.len() == 1 {
                BOX_W
            } else {
                BOX_W / 2
            };
            let y = deps_top + row * (BOX_H + GAP);
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{w}" height="{BOX_H}" rx="6" fill="#eef3fb" stroke="#6b8cc7"/><text x="{}" y="{}" font-weight="600">{}</text><text x="{}" y="{}" fill="#555" font-size="12">{} edits, {} files</text><path d="M{},{} L{},{}" stroke="#6b8cc7" stroke-dasharray="5 4" fill="none" marker-end="url(#arrow)"/>"##,
                x + 8,
                y + 19,
                esc(&d.name),
                x + 8,
                y + 37,
                d.edits,
                d.files_touched.len(),
                x + w,
                y + BOX_H / 2,
                right_x,
                app_y + BOX_H / 2
            );
        }
    }
    s.push_str("</svg>");
    s
}

const CSS: &str = r#"
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #f6f7f9; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #dde1e6; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: #555; margin-bottom: 14px; }
.badge { display: inline-block; padding: 2px 9px; border-radius: 10px; font-size: 12px; font-weight: 600; margin-right: 6px; }
.ok { background: #dff3e4; color: #1f6b32; } .warn { background: #fdecd2; color: #8a4b00; } .bad { background: #fbe0e0; color: #9b1c1c; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; }
.card { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 10px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.card span { color: #555; font-size: 12px; }
.panel { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 12px 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceff3; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f0f2f5; padding: 1px 4px; border-radius: 3px; }
.add { color: #1f6b32; } .del { color: #9b1c1c; }
.bar { display: inline-block; height: 9px; vertical-align: middle; }
.bar .a { display: inline-block; height: 9px; background: #4a9a5b; } .bar .d { display: inline-block; height: 9px; background: #d05050; }
.look { background: #fffaf0; border: 1px solid #f0d9a8; border-radius: 8px; padding: 4px 16px 12px; }
.look.clear { background: #f2fbf4; border-color: #bfe3c7; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
"#;

fn section_list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "<h3>{} ({})</h3><ul>", esc(title), items.len());
    for i in items {
        let _ = write!(out, "<li>{i}</li>");
    }
    out.push_str("</ul>");
}

fn fix_items(list: &[NameFix], with_new: bool) -> Vec<String> {
    list.iter()
        .map(|u| {
            let app = if u.at.app.is_empty() {
                String::new()
            } else {
                format!("[{}] ", esc(&u.at.app))
            };
            let new = match (&u.new, with_new) {
                (Some(n), true) => format!(" → <code>{}</code>", esc(n)),
                _ => String::new(),
            };
            format!(
                "{app}<code>{}:{}:{}</code> <code>{}</code>{new}",
                esc(&u.at.file),
                u.at.line,
                u.at.column,
                esc(&u.old)
            )
        })
        .collect()
}

/// How many entries of what needs a human look (the "Needs a human look" section).
fn look_count(r: &MoveReport) -> usize {
    r.possibly_stale.len()
        + r.updated_by_name.len()
        + r.shortened.len()
        + r.missing_objects.len()
        + r.unresolved.len()
        + r.side_by_side.shared.shared_ids.len()
        + r.side_by_side.shared.shared_names.len()
        + r.side_by_side.shared.shared_members.len()
}

/// The report as one self-contained HTML page: summary, the ID-range picture (inline SVG)
/// and its table, what needs a human look (possibly stale references, references updated
/// by name, shortened names, objects not found, unresolved references, side-by-side
/// clashes, migration limits, what is left for the user), lines added and removed per
/// file (`diffs`), identity changes, dependents, and the renumbered and renamed symbols.
/// No scripts, fonts, images or styles are fetched.
pub fn to_html(r: &MoveReport, diffs: &[FileDiff]) -> String {
    let mut o = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(
        o,
        "<title>Move report: {} ({} → {})</title><style>{CSS}</style></head><body><main>",
        esc(&r.app.name),
        esc(&r.from),
        esc(&r.to)
    );
    let _ = write!(
        o,
        "<h1>Move report: {} <span style=\"color:#666;font-weight:400\">({} → {})</span></h1>",
        esc(&r.app.name),
        esc(&r.from),
        esc(&r.to)
    );
    let _ = write!(
        o,
        "<div class=\"sub\">{} · {} · {} · <code>{}</code>{}</div>",
        esc(&r.app.publisher),
        esc(&r.app.version),
        if r.reverse { "reverse move" } else { "move" },
        esc(&r.app.id),
        r.affix
            .as_deref()
            .map(|a| format!(" · affix <code>{}</code>", esc(a)))
            .unwrap_or_default()
    );
    match &r.verification {
        Verification::Proven => o.push_str("<span class=\"badge ok\">edits proven</span>"),
        Verification::Full { reason } => {
            let _ = write!(
                o,
                "<span class=\"badge ok\">re-parsed and re-resolved ({})</span>",
                esc(reason)
            );
        }
    }
    if r.side_by_side.possible {
        o.push_str("<span class=\"badge ok\">side by side with the old app: possible</span>");
    } else {
        o.push_str("<span class=\"badge bad\">side by side with the old app: clashes</span>");
    }
    let look = look_count(r);
    let _ = write!(
        o,
        "<span class=\"badge {}\">{look} item(s) to look at</span>",
        if look == 0 { "ok" } else { "warn" }
    );
    o.push_str("<div class=\"cards\">");
    for (n, what) in [
        (r.renumbered.len(), "renumbered"),
        (r.renamed.len(), "renamed"),
        (r.edits, "edits"),
        (r.files_touched.len(), "files touched"),
        (r.dependents.len(), "dependents updated"),
        (r.unresolved.len(), "unresolved"),
    ] {
        let _ = write!(o, "<div class=\"card\"><b>{n}</b><span>{what}</span></div>");
    }
    o.push_str("</div>");

    o.push_str("<h2>ID ranges before and after</h2><div class=\"panel\">");
    o.push_str(&ranges_svg(r));
    o.push_str("</div>");
    let flow = range_flow(r);
    if !flow.flows.is_empty() {
        o.push_str("<table style=\"margin-top:10px\"><tr><th>kind</th><th>before</th><th>after</th><th>objects</th></tr>");
        for ((b, a), n) in &flow.flows {
            if let (Some(b), Some(a)) = (flow.before.get(*b), flow.after.get(*a)) {
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{} <span style=\"color:#777\">({})</span></td><td>{} <span style=\"color:#777\">({})</span></td><td class=\"num\">{n}</td></tr>",
                    esc(&b.kind),
                    esc(&b.ids()),
                    esc(&b.range),
                    esc(&a.ids()),
                    esc(&a.range)
                );
            }
        }
        o.push_str("</table>");
    }

    let _ = write!(
        o,
        "<h2>Needs a human look</h2><div class=\"look{}\">",
        if look == 0 { " clear" } else { "" }
    );
    if look == 0 {
        o.push_str("<p>Nothing: no possibly stale references, no references updated by name only, no shortened names, no missing objects or unresolved references, no side-by-side clashes.</p>");
    }
    section_list(
        &mut o,
        "Possibly stale references (unresolved identifiers spelling an old name)",
        &fix_items(&r.possibly_stale, false),
    );
    section_list(
        &mut o,
        "Updated by name only (object not resolved)",
        &fix_items(&r.updated_by_name, true),
    );
    section_list(
        &mut o,
        "Shortened names (to keep the length limits)",
        &r.shortened
            .iter()
            .map(|s| {
                format!(
                    "<code>{}</code> → <code>{}</code>",
                    esc(&s.old),
                    esc(&s.new)
                )
            })
            .collect::<Vec<_>>(),
    );
    section_list(
        &mut o,
        "Objects not found (no symbols; references left as they are)",
        &r.missing_objects
            .iter()
            .map(|m| format!("{} <code>{}</code>", esc(&m.kind), esc(&m.name)))
            .collect::<Vec<_>>(),
    );
    section_list(
        &mut o,
        "Unresolved references (not updated)",
        &r.unresolved
            .iter()
            .map(|u| {
                format!(
                    "<code>{}:{}:{}</code> <code>{}</code>: {}",
                    esc(&u.at.file),
                    u.at.line,
                    u.at.column,
                    esc(&u.text),
                    esc(&u.reason)
                )
            })
            .collect::<Vec<_>>(),
    );
    let shared = &r.side_by_side.shared;
    let mut clashes = Vec::new();
    for (what, list) in [
        ("object ID", &shared.shared_ids),
        ("object name", &shared.shared_names),
        ("extension field/value", &shared.shared_members),
    ] {
        clashes.extend(
            list.iter()
                .map(|x| format!("shared {what}: {}", esc(&x.to_string()))),
        );
    }
    section_list(&mut o, "Side by side with the old app", &clashes);
    section_list(
        &mut o,
        "Migration limits",
        &[
            "The data-migration app copies every moved table's records field by field, and every table-extension field to its new field on the same base table.".to_string(),
            "FlowFields, FlowFilters and temporary or external tables are not copied.".to_string(),
            "Old and new app must be installable side by side (no shared object or member names or IDs) for it to be made.".to_string(),
        ],
    );
    section_list(
        &mut o,
        "Left for you",
        &r.left_for_the_user
            .iter()
            .map(|l| esc(l))
            .collect::<Vec<_>>(),
    );
    o.push_str("</div>");

    let _ = write!(o, "<h2>Changes per file ({})</h2>", diffs.len());
    if diffs.is_empty() {
        o.push_str("<p>No file changed.</p>");
    } else {
        let most = diffs
            .iter()
            .map(|d| d.added + d.removed)
            .max()
            .unwrap_or(1)
            .max(1);
        o.push_str("<table><tr><th>file</th><th class=\"num\">added</th><th class=\"num\">removed</th><th></th></tr>");
        for d in diffs {
            let scale = |n: usize| (n * 160).div_ceil(most);
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td class=\"num add\">+{}</td><td class=\"num del\">−{}</td><td><span class=\"bar\"><span class=\"a\" style=\"width:{}px\"></span><span class=\"d\" style=\"width:{}px\"></span></span></td></tr>",
                esc(&d.label),
                d.added,
                d.removed,
                scale(d.added),
                scale(d.removed)
            );
        }
        o.push_str("</table>");
    }

    if !r.identity.is_empty() {
        o.push_str(
            "<h2>Identity</h2><table><tr><th>property</th><th>before</th><th>after</th></tr>",
        );
        for i in &r.identity {
            let _ = write!(
                o,
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                esc(&i.property),
                esc(&i.old),
                esc(&i.new)
            );
        }
        o.push_str("</table>");
    }
    if !r.dependents.is_empty() {
        o.push_str("<h2>Dependents updated</h2><table><tr><th>dependent</th><th>app</th><th class=\"num\">edits</th><th>files</th></tr>");
        for d in &r.dependents {
            let files: Vec<String> = d
                .files_touched
                .iter()
                .map(|f| format!("<code>{}</code>", esc(f)))
                .collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&d.label),
                esc(&d.name),
                d.edits,
                files.join(" ")
            );
        }
        o.push_str("</table>");
    }
    let id = |n: Option<u32>| n.map_or_else(|| "–".to_string(), |n| n.to_string());
    let _ = write!(
        o,
        "<h2>Symbols</h2><details><summary>Renumbered ({})</summary><table><tr><th>object</th><th>member</th><th class=\"num\">before</th><th class=\"num\">after</th></tr>",
        r.renumbered.len()
    );
    for e in &r.renumbered {
        let _ = write!(
            o,
            "<tr><td>{} <code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&e.object_kind),
            esc(&e.object),
            e.member
                .as_deref()
                .map(|m| format!("{} <code>{}</code>", esc(&e.kind), esc(m)))
                .unwrap_or_default(),
            id(e.old_id),
            id(e.new_id)
        );
    }
    let _ = write!(
        o,
        "</table></details><details><summary>Renamed ({})</summary><table><tr><th>object</th><th>kind</th><th>before</th><th>after</th></tr>",
        r.renamed.len()
    );
    for e in &r.renamed {
        let _ = write!(
            o,
            "<tr><td>{} <code>{}</code></td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&e.object_kind),
            esc(&e.object),
            esc(&e.kind),
            esc(&e.old_name),
            esc(&e.new_name)
        );
    }
    o.push_str("</table></details></main></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(
            parse_ranges("50100..50149, 60000..60009"),
            vec![
                (50100, 50149, "50100..50149".to_string()),
                (60000, 60009, "60000..60009".to_string())
            ]
        );
        assert!(parse_ranges("").is_empty());
    }

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(mermaid_text("a \"b\" #1"), "a #quot;b#quot; #35;1");
    }
}
