//! Pictures of a [`DependencyGraph`]: Mermaid, Graphviz DOT and a JSON model.
//!
//! Apps are nodes (name, version, publisher); "depends on" is an edge from the
//! dependent to the dependency, labelled with the minimum version. Problems are
//! drawn distinctly and listed as comments at the end of the picture:
//!
//! * a **missing** dependency is a dashed red node reached by a dashed red edge;
//! * a dependency whose available version is **too low** is a thick red edge
//!   labelled with the version required and the version available;
//! * the edges of a **cycle** are red and thick, its apps outlined in red.
//!
//! Microsoft's platform apps (System, System Application, Business Foundation,
//! Base Application, Application) are grouped in one box. Output is
//! deterministic: nodes are numbered in the order platform rank, name
//! (case-insensitive, then exact), id; edges follow their nodes.
//!
//! ```
//! use al_manifest::{AppManifest, AppVersion, Dependency, DependencyGraph};
//! use uuid::Uuid;
//! let app = |n: u128, name: &str, deps: &[(u128, &str, u32)]| AppManifest {
//!     id: Uuid::from_u128(n), name: name.into(), publisher: "Contoso".into(),
//!     version: AppVersion::new(1, 0, 0, 0),
//!     dependencies: deps.iter().map(|(d, dn, major)| Dependency::new(
//!         Uuid::from_u128(*d), dn, "Contoso", AppVersion::new(*major, 0, 0, 0))).collect(),
//!     ..AppManifest::default()
//! };
//! let graph = DependencyGraph::new(vec![
//!     app(1, "Loyalty", &[]),
//!     app(2, "Rewards", &[(1, "Loyalty", 2), (9, "Gift Cards", 1)]),
//! ]);
//! let picture = graph.picture();
//! assert_eq!(picture.nodes.len(), 3); // Loyalty, Rewards and the missing Gift Cards
//! let mermaid = picture.to_mermaid();
//! assert!(mermaid.starts_with("flowchart LR\n"));
//! assert!(mermaid.contains("n1 ==>|\"≥ 2.0.0.0 (has 1.0.0.0)\"| n0")); // too low
//! assert!(mermaid.contains("n1 -.->|\"≥ 1.0.0.0\"| n2")); // missing
//! let dot = picture.to_dot();
//! assert!(dot.starts_with("digraph dependencies {\n"));
//! assert!(dot.contains("n2 [label=\"Gift Cards\\nnot available\\nContoso\", class=\"missing\""));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use uuid::Uuid;

use crate::graph::{DependencyGraph, GraphIssue, GraphOptions, MICROSOFT_PLATFORM_APPS, rank};
use crate::version::AppVersion;

/// A node of a [`GraphPicture`]: an app of the set or a missing dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PictureNode {
    /// Node id in the picture (`n0`, `n1`, …), stable for the same set of apps.
    pub key: String,
    /// App id.
    pub id: Uuid,
    /// App name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// The app's version; `None` for a missing dependency.
    pub version: Option<AppVersion>,
    /// One of Microsoft's platform apps (drawn in the "Microsoft platform" box).
    pub platform: bool,
    /// A dependency that is not in the set.
    pub missing: bool,
    /// On a dependency cycle.
    pub in_cycle: bool,
}

/// What an edge of a [`GraphPicture`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeState {
    /// The dependency is available in a sufficient version.
    Ok,
    /// The dependency is not in the set.
    Missing,
    /// The available version is below the minimum.
    TooLow,
    /// The edge lies on a dependency cycle.
    Cycle,
}

/// An edge of a [`GraphPicture`]: `from` depends on `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PictureEdge {
    /// Key of the dependent node.
    pub from: String,
    /// Key of the dependency node.
    pub to: String,
    /// Minimum version required (`None` when the edge is implied and no version is given).
    pub min_version: Option<AppVersion>,
    /// Version available when it is too low.
    pub available: Option<AppVersion>,
    /// Implied by `platform` or `application` rather than listed in `dependencies`.
    pub implicit: bool,
    /// How the edge is drawn.
    pub state: EdgeState,
}

impl PictureEdge {
    fn label(&self) -> String {
        let mut s = match self.min_version {
            Some(v) => format!("≥ {v}"),
            None => String::new(),
        };
        if let Some(a) = self.available {
            let _ = write!(s, " (has {a})");
        }
        if self.implicit {
            if s.is_empty() {
                s.push_str("implied");
            } else {
                s.push_str(" implied");
            }
        }
        s
    }
}

/// A drawable model of a dependency graph: nodes, edges and the problems found.
/// Made by [`DependencyGraph::picture`]; rendered by [`GraphPicture::to_mermaid`],
/// [`GraphPicture::to_dot`] or serialized as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphPicture {
    /// Apps, then missing dependencies.
    pub nodes: Vec<PictureNode>,
    /// Dependency edges, by dependent then dependency.
    pub edges: Vec<PictureEdge>,
    /// Cycles, versions too low, missing dependencies and duplicates, as `alkit deps sort` lists them.
    pub issues: Vec<GraphIssue>,
}

impl DependencyGraph {
    /// The picture of this graph (see the [module documentation](crate::graph_view)).
    pub fn picture(&self) -> GraphPicture {
        let issues = match self.sort(&GraphOptions::default()) {
            Ok(sorted) => sorted.warnings,
            Err(e) => e.errors.into_iter().chain(e.warnings).collect(),
        };
        let mut cycle_pairs: BTreeSet<(Uuid, Uuid)> = BTreeSet::new();
        let mut cycle_apps: BTreeSet<Uuid> = BTreeSet::new();
        for issue in &issues {
            if let GraphIssue::Cycle { path } = issue {
                for w in path.windows(2) {
                    if let [a, b] = w {
                        cycle_pairs.insert((a.id, b.id));
                        cycle_apps.insert(a.id);
                    }
                }
            }
        }

        // Apps in (platform rank, name, id) order; then missing dependencies.
        let mut order: Vec<usize> = (0..self.apps.len()).collect();
        order.sort_by_cached_key(|&i| {
            self.apps
                .get(i)
                .map(|m| (rank(&m.id), m.name.to_lowercase(), m.name.clone(), m.id))
        });
        let mut nodes = Vec::new();
        let mut key_of: BTreeMap<Uuid, String> = BTreeMap::new();
        for m in order.iter().filter_map(|&i| self.apps.get(i)) {
            let key = format!("n{}", nodes.len());
            key_of.insert(m.id, key.clone());
            nodes.push(PictureNode {
                key,
                id: m.id,
                name: m.name.clone(),
                publisher: m.publisher.clone(),
                version: Some(m.version),
                platform: MICROSOFT_PLATFORM_APPS.contains(&m.id),
                missing: false,
                in_cycle: cycle_apps.contains(&m.id),
            });
        }
        let mut missing: BTreeMap<(String, String, Uuid), (String, Uuid)> = BTreeMap::new();
        for m in &self.apps {
            for d in m
                .dependencies
                .iter()
                .filter(|d| !key_of.contains_key(&d.id))
            {
                missing
                    .entry((d.name.to_lowercase(), d.name.clone(), d.id))
                    .or_insert_with(|| (d.publisher.clone(), d.id));
            }
        }
        for ((_, name, id), (publisher, _)) in missing {
            if key_of.contains_key(&id) {
                continue;
            }
            let key = format!("n{}", nodes.len());
            key_of.insert(id, key.clone());
            nodes.push(PictureNode {
                key,
                id,
                name,
                publisher,
                version: None,
                platform: MICROSOFT_PLATFORM_APPS.contains(&id),
                missing: true,
                in_cycle: false,
            });
        }

        let available: BTreeMap<Uuid, AppVersion> =
            self.apps.iter().map(|m| (m.id, m.version)).collect();
        let node_index: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.key.as_str(), i))
            .collect();
        let mut edges = Vec::new();
        for (i, m) in self.apps.iter().enumerate() {
            let Some(from) = key_of.get(&m.id) else {
                continue;
            };
            let mut targets: BTreeMap<Uuid, PictureEdge> = BTreeMap::new();
            for d in &m.dependencies {
                if d.id == m.id {
                    continue;
                }
                let Some(to) = key_of.get(&d.id) else {
                    continue;
                };
                let (state, avail) = match available.get(&d.id) {
                    None => (EdgeState::Missing, None),
                    Some(a) if !d.is_satisfied_by(a) => (EdgeState::TooLow, Some(*a)),
                    Some(_) => (EdgeState::Ok, None),
                };
                let state = if state == EdgeState::Ok && cycle_pairs.contains(&(m.id, d.id)) {
                    EdgeState::Cycle
                } else {
                    state
                };
                targets.entry(d.id).or_insert(PictureEdge {
                    from: from.clone(),
                    to: to.clone(),
                    min_version: Some(d.version),
                    available: avail,
                    implicit: false,
                    state,
                });
            }
            for dep in self
                .deps
                .get(i)
                .into_iter()
                .flatten()
                .filter_map(|&j| self.apps.get(j))
            {
                if targets.contains_key(&dep.id) {
                    continue;
                }
                let Some(to) = key_of.get(&dep.id) else {
                    continue;
                };
                let min_version = if rank(&dep.id) == 0 {
                    m.platform
                } else {
                    m.application
                };
                let state = if cycle_pairs.contains(&(m.id, dep.id)) {
                    EdgeState::Cycle
                } else {
                    EdgeState::Ok
                };
                targets.insert(
                    dep.id,
                    PictureEdge {
                        from: from.clone(),
                        to: to.clone(),
                        min_version,
                        available: None,
                        implicit: true,
                        state,
                    },
                );
            }
            edges.extend(targets.into_values());
        }
        let pos = |k: &str| node_index.get(k).copied().unwrap_or(usize::MAX);
        edges.sort_by_key(|e| (pos(&e.from), pos(&e.to)));
        GraphPicture {
            nodes,
            edges,
            issues,
        }
    }
}

/// Text for a Mermaid quoted label: `"` and `<`/`>` as entities, `#` escaped.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a DOT quoted string.
fn dot_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One line of a comment (no line breaks).
fn comment_text(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

impl PictureNode {
    fn lines(&self) -> [String; 3] {
        let version = match self.version {
            Some(v) => v.to_string(),
            None => "not available".to_string(),
        };
        [self.name.clone(), version, self.publisher.clone()]
    }
}

impl GraphPicture {
    fn has_platform_group(&self) -> bool {
        self.nodes.iter().any(|n| n.platform)
    }

    /// The picture as a Mermaid flowchart (`flowchart LR`: dependents left of their
    /// dependencies, so a wide set of apps reads as a tall column). Missing apps use class `missing`, apps on a cycle class
    /// `cycle`; problem edges are styled by `linkStyle`. Issues are listed as `%%`
    /// comments at the end.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let node_line = |out: &mut String, n: &PictureNode, indent: &str| {
            let [name, version, publisher] = n.lines().map(|l| mermaid_text(&l));
            let class = if n.missing {
                ":::missing"
            } else if n.in_cycle {
                ":::cycle"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{indent}{}[\"<b>{name}</b><br/>{version}<br/><i>{publisher}</i>\"]{class}",
                n.key
            );
        };
        if self.has_platform_group() {
            out.push_str("  subgraph microsoft[\"Microsoft platform\"]\n");
            for n in self.nodes.iter().filter(|n| n.platform) {
                node_line(&mut out, n, "    ");
            }
            out.push_str("  end\n");
        }
        for n in self.nodes.iter().filter(|n| !n.platform) {
            node_line(&mut out, n, "  ");
        }
        let mut styled: BTreeMap<EdgeState, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.edges.iter().enumerate() {
            let arrow = match e.state {
                EdgeState::Ok | EdgeState::Cycle => "-->",
                EdgeState::Missing => "-.->",
                EdgeState::TooLow => "==>",
            };
            let label = e.label();
            if label.is_empty() {
                let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
            } else {
                let _ = writeln!(
                    out,
                    "  {} {arrow}|\"{}\"| {}",
                    e.from,
                    mermaid_text(&label),
                    e.to
                );
            }
            if e.state != EdgeState::Ok {
                styled.entry(e.state).or_default().push(i);
            }
        }
        out.push_str(
            "  classDef missing stroke:#c00,stroke-width:2px,stroke-dasharray:5 5,color:#c00,fill:#fff5f5\n",
        );
        out.push_str("  classDef cycle stroke:#c00,stroke-width:3px,fill:#fff0f0\n");
        if self.has_platform_group() {
            out.push_str("  style microsoft fill:#eef3fb,stroke:#6b8cc7\n");
        }
        for (state, idx) in styled {
            let list: Vec<String> = idx.iter().map(ToString::to_string).collect();
            let style = match state {
                EdgeState::Missing => {
                    "stroke:#c00,stroke-width:2px,stroke-dasharray:5 5,color:#c00"
                }
                EdgeState::TooLow | EdgeState::Cycle => "stroke:#c00,stroke-width:3px,color:#c00",
                EdgeState::Ok => continue,
            };
            let _ = writeln!(out, "  linkStyle {} {style}", list.join(","));
        }
        for issue in &self.issues {
            let _ = writeln!(out, "%% {}", comment_text(&issue.to_string()));
        }
        out
    }

    /// The picture as a Graphviz digraph (render with `dot -Tsvg`). Missing apps and
    /// their edges are dashed red, too-low and cycle edges thick red; Microsoft's
    /// platform apps sit in `cluster_microsoft`. Issues are listed as `//` comments
    /// at the end.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph dependencies {\n");
        out.push_str("  rankdir=LR;\n");
        out.push_str("  graph [fontname=\"Helvetica\", fontsize=11];\n");
        out.push_str(
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];\n",
        );
        out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
        let node_line = |out: &mut String, n: &PictureNode, indent: &str| {
            let label = n.lines().map(|l| dot_text(&l)).join("\\n");
            let attrs = if n.missing {
                ", class=\"missing\", style=\"rounded,dashed\", color=\"#cc0000\", fontcolor=\"#cc0000\""
            } else if n.in_cycle {
                ", class=\"cycle\", color=\"#cc0000\", penwidth=2.5"
            } else {
                ""
            };
            let _ = writeln!(out, "{indent}{} [label=\"{label}\"{attrs}];", n.key);
        };
        if self.has_platform_group() {
            out.push_str("  subgraph cluster_microsoft {\n");
            out.push_str("    label=\"Microsoft platform\";\n");
            out.push_str("    style=\"filled,rounded\";\n");
            out.push_str("    fillcolor=\"#eef3fb\";\n");
            out.push_str("    color=\"#6b8cc7\";\n");
            for n in self.nodes.iter().filter(|n| n.platform) {
                node_line(&mut out, n, "    ");
            }
            out.push_str("  }\n");
        }
        for n in self.nodes.iter().filter(|n| !n.platform) {
            node_line(&mut out, n, "  ");
        }
        for e in &self.edges {
            let style = match e.state {
                EdgeState::Ok => "",
                EdgeState::Missing => {
                    ", class=\"missing\", style=dashed, color=\"#cc0000\", fontcolor=\"#cc0000\""
                }
                EdgeState::TooLow => {
                    ", class=\"too-low\", style=bold, penwidth=2.5, color=\"#cc0000\", fontcolor=\"#cc0000\""
                }
                EdgeState::Cycle => {
                    ", class=\"cycle\", penwidth=2.5, color=\"#cc0000\", fontcolor=\"#cc0000\""
                }
            };
            let _ = writeln!(
                out,
                "  {} -> {} [label=\"{}\"{style}];",
                e.from,
                e.to,
                dot_text(&e.label())
            );
        }
        out.push_str("}\n");
        for issue in &self.issues {
            let _ = writeln!(out, "// {}", comment_text(&issue.to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppManifest, Dependency};
    use crate::{BASE_APPLICATION_APP_ID, SYSTEM_APPLICATION_APP_ID};

    fn app(n: u128, name: &str, deps: &[(u128, u32)]) -> AppManifest {
        AppManifest {
            id: Uuid::from_u128(n),
            name: name.into(),
            publisher: "Contoso".into(),
            version: AppVersion::new(1, 0, 0, 0),
            dependencies: deps
                .iter()
                .map(|&(d, major)| {
                    Dependency::new(
                        Uuid::from_u128(d),
                        &format!("App{d}"),
                        "Contoso",
                        AppVersion::new(major, 0, 0, 0),
                    )
                })
                .collect(),
            ..AppManifest::default()
        }
    }

    fn ms(id: Uuid, name: &str) -> AppManifest {
        AppManifest {
            id,
            name: name.into(),
            publisher: "Microsoft".into(),
            version: AppVersion::new(26, 0, 0, 0),
            ..AppManifest::default()
        }
    }

    /// A cycle (A <-> B), a too-low dependency (C needs B 2.0), a missing one
    /// (C needs 99), the platform group and an implied edge.
    fn sample() -> GraphPicture {
        let mut c = app(3, "C", &[(2, 2), (99, 1)]);
        c.application = Some(AppVersion::new(26, 0, 0, 0));
        DependencyGraph::new(vec![
            app(1, "A", &[(2, 1)]),
            app(2, "B", &[(1, 1)]),
            c,
            ms(BASE_APPLICATION_APP_ID, "Base Application"),
            ms(SYSTEM_APPLICATION_APP_ID, "System Application"),
        ])
        .picture()
    }

    #[test]
    fn states_and_issues() {
        let p = sample();
        let names: Vec<&str> = p.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "System Application",
                "Base Application",
                "A",
                "B",
                "C",
                "App99"
            ]
        );
        let state = |from: &str, to: &str| {
            let key = |name: &str| {
                p.nodes
                    .iter()
                    .find(|n| n.name == name)
                    .map(|n| n.key.clone())
                    .unwrap()
            };
            p.edges
                .iter()
                .find(|e| e.from == key(from) && e.to == key(to))
                .map(|e| (e.state, e.implicit))
        };
        assert_eq!(state("A", "B"), Some((EdgeState::Cycle, false)));
        assert_eq!(state("B", "A"), Some((EdgeState::Cycle, false)));
        assert_eq!(state("C", "B"), Some((EdgeState::TooLow, false)));
        assert_eq!(state("C", "App99"), Some((EdgeState::Missing, false)));
        assert_eq!(state("C", "Base Application"), Some((EdgeState::Ok, true)));
        assert_eq!(
            state("C", "System Application"),
            Some((EdgeState::Ok, true))
        );
        assert!(p.nodes.iter().find(|n| n.name == "App99").unwrap().missing);
        let kinds: BTreeSet<&str> = p
            .issues
            .iter()
            .map(|i| match i {
                GraphIssue::Cycle { .. } => "cycle",
                GraphIssue::VersionTooLow { .. } => "too-low",
                GraphIssue::MissingDependency { .. } => "missing",
                GraphIssue::DuplicateApp { .. } => "duplicate",
            })
            .collect();
        assert_eq!(kinds, BTreeSet::from(["cycle", "missing", "too-low"]));
    }

    #[test]
    fn deterministic_whatever_the_input_order() {
        let a = sample();
        let mut c = app(3, "C", &[(2, 2), (99, 1)]);
        c.application = Some(AppVersion::new(26, 0, 0, 0));
        let b = DependencyGraph::new(vec![
            ms(SYSTEM_APPLICATION_APP_ID, "System Application"),
            c,
            app(2, "B", &[(1, 1)]),
            ms(BASE_APPLICATION_APP_ID, "Base Application"),
            app(1, "A", &[(2, 1)]),
        ])
        .picture();
        assert_eq!(a.to_mermaid(), b.to_mermaid());
        assert_eq!(a.to_dot(), b.to_dot());
    }

    #[test]
    fn escaping() {
        assert_eq!(
            mermaid_text("a \"b\" <c> #1"),
            "a #quot;b#quot; #lt;c#gt; #35;1"
        );
        assert_eq!(dot_text("a \"b\" \\ c"), "a \\\"b\\\" \\\\ c");
    }
}
