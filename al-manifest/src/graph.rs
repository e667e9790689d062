//! Dependency graph over a set of apps: deterministic topological order with
//! Microsoft's platform apps first, cycle paths, missing and too-old
//! dependencies. No recursion (Kahn's algorithm plus an iterative walk).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use uuid::{Uuid, uuid};

use crate::diag::Severity;
use crate::model::AppManifest;
use crate::version::AppVersion;

/// The platform "System" app (`Microsoft_System_*.app`), implied by `platform`.
pub const SYSTEM_APP_ID: Uuid = uuid!("8874ed3a-0643-4247-9ced-7a7002f7135d");
/// System Application.
pub const SYSTEM_APPLICATION_APP_ID: Uuid = uuid!("63ca2fa4-4f03-4f2b-a480-172fef340d3f");
/// Business Foundation.
pub const BUSINESS_FOUNDATION_APP_ID: Uuid = uuid!("f3552374-a1f2-4356-848e-196002525837");
/// Base Application.
pub const BASE_APPLICATION_APP_ID: Uuid = uuid!("437dbf0e-84ff-417a-965d-ed2bb9650972");
/// The "Application" umbrella app, implied by `application`.
pub const APPLICATION_APP_ID: Uuid = uuid!("c1335042-3002-4257-bf8a-75c898ccb1b8");

/// Microsoft's platform/application apps, in the order they are placed first.
pub const MICROSOFT_PLATFORM_APPS: [Uuid; 5] = [
    SYSTEM_APP_ID,
    SYSTEM_APPLICATION_APP_ID,
    BUSINESS_FOUNDATION_APP_ID,
    BASE_APPLICATION_APP_ID,
    APPLICATION_APP_ID,
];

pub(crate) fn rank(id: &Uuid) -> usize {
    MICROSOFT_PLATFORM_APPS
        .iter()
        .position(|m| m == id)
        .unwrap_or(MICROSOFT_PLATFORM_APPS.len())
}

/// Short identification of an app in graph findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppRef {
    /// App id.
    pub id: Uuid,
    /// App name.
    pub name: String,
    /// App version.
    pub version: AppVersion,
}

impl AppRef {
    fn of(m: &AppManifest) -> Self {
        AppRef {
            id: m.id,
            name: m.name.clone(),
            version: m.version,
        }
    }
}

impl fmt::Display for AppRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// A finding about the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GraphIssue {
    /// The same app id was given more than once; the highest version is used.
    DuplicateApp {
        /// The app kept.
        kept: AppRef,
        /// The version dropped.
        dropped: AppVersion,
    },
    /// A listed dependency is not in the set.
    MissingDependency {
        /// The dependent app.
        app: AppRef,
        /// Id of the missing dependency.
        id: Uuid,
        /// Its name as listed.
        name: String,
        /// The minimum version listed.
        min_version: AppVersion,
    },
    /// The available version of a dependency is lower than the listed minimum.
    VersionTooLow {
        /// The dependent app.
        app: AppRef,
        /// The dependency as available.
        dependency: AppRef,
        /// The minimum version listed.
        min_version: AppVersion,
    },
    /// A dependency cycle; `path` starts and ends with the same app.
    Cycle {
        /// The apps on the cycle, first repeated at the end.
        path: Vec<AppRef>,
    },
}

impl GraphIssue {
    /// Error or warning ([`GraphOptions::missing_is_error`] decides for missing
    /// dependencies).
    pub fn severity(&self, opts: &GraphOptions) -> Severity {
        match self {
            GraphIssue::DuplicateApp { .. } => Severity::Warning,
            GraphIssue::MissingDependency { .. } if !opts.missing_is_error => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for GraphIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphIssue::DuplicateApp { kept, dropped } => write!(
                f,
                "app {} ({}) is given twice: using version {}, ignoring {}",
                kept.name, kept.id, kept.version, dropped
            ),
            GraphIssue::MissingDependency {
                app,
                id,
                name,
                min_version,
            } => write!(
                f,
                "{} depends on {name} ({id}) {min_version} or later, which is not available",
                app.name
            ),
            GraphIssue::VersionTooLow {
                app,
                dependency,
                min_version,
            } => write!(
                f,
                "{} requires {} {min_version} or later, but only {} is available",
                app.name, dependency.name, dependency.version
            ),
            GraphIssue::Cycle { path } => {
                f.write_str("dependency cycle: ")?;
                let names: Vec<&str> = path.iter().map(|a| a.name.as_str()).collect();
                f.write_str(&names.join(" -> "))
            }
        }
    }
}

/// Options for [`DependencyGraph::sort`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GraphOptions {
    /// Treat dependencies that are not in the set as errors (default: warnings).
    pub missing_is_error: bool,
}

/// The errors (and warnings) of a failed sort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct GraphErrors {
    /// The errors (cycles, versions too low, missing when asked).
    pub errors: Vec<GraphIssue>,
    /// Warnings found on the way.
    pub warnings: Vec<GraphIssue>,
}

/// A successful sort: apps with every dependency before its dependents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedApps<'g> {
    /// The apps in build/publish order.
    pub order: Vec<&'g AppManifest>,
    /// Warnings (duplicates, missing dependencies).
    pub warnings: Vec<GraphIssue>,
}

/// Apps and the "depends on" edges between them.
///
/// Edges are the explicit `dependencies` plus implicit ones: `platform` → the
/// System app, `application` → the Application app (or, when it is not in the
/// set, Base Application, System Application and Business Foundation). Implicit
/// edges exist only to apps in the set, and Microsoft's own platform apps get no
/// implicit `application` edges (so they cannot form spurious cycles).
///
/// ```
/// use al_manifest::{AppManifest, AppVersion, Dependency, DependencyGraph, GraphOptions};
/// use uuid::Uuid;
/// let app = |n: u128, name: &str, deps: &[(u128, &str)]| AppManifest {
///     id: Uuid::from_u128(n), name: name.into(), version: AppVersion::new(1, 0, 0, 0),
///     dependencies: deps.iter().map(|(d, dn)| Dependency::new(Uuid::from_u128(*d), dn, "P", AppVersion::ZERO)).collect(),
///     ..AppManifest::default()
/// };
/// let g = DependencyGraph::new(vec![app(1, "A", &[(2, "B")]), app(2, "B", &[]), app(3, "C", &[(1, "A")])]);
/// let sorted = g.sort(&GraphOptions::default())?;
/// let names: Vec<_> = sorted.order.iter().map(|m| m.name.as_str()).collect();
/// assert_eq!(names, ["B", "A", "C"]);
///
/// let g = DependencyGraph::new(vec![app(1, "A", &[(2, "B")]), app(2, "B", &[(1, "A")])]);
/// let err = g.sort(&GraphOptions::default()).unwrap_err();
/// assert_eq!(err.to_string(), "dependency cycle: A -> B -> A");
/// # Ok::<(), al_manifest::GraphErrors>(())
/// ```
#[derive(Debug, Clone)]
pub struct DependencyGraph {
    pub(crate) apps: Vec<AppManifest>,
    /// `deps[i]` = indices app `i` depends on (sorted, unique).
    pub(crate) deps: Vec<Vec<usize>>,
    warnings: Vec<GraphIssue>,
    missing: Vec<GraphIssue>,
    too_low: Vec<GraphIssue>,
    /// Apps listing themselves as a dependency (cycles of one; not among `deps`).
    self_cycles: Vec<GraphIssue>,
}

impl DependencyGraph {
    /// Builds the graph. Apps with the same id are merged (highest version wins,
    /// with a [`GraphIssue::DuplicateApp`] warning).
    pub fn new(apps: impl IntoIterator<Item = AppManifest>) -> Self {
        let mut by_id: BTreeMap<Uuid, usize> = BTreeMap::new();
        let mut kept: Vec<AppManifest> = Vec::new();
        let mut warnings = Vec::new();
        for m in apps {
            match by_id.get(&m.id).and_then(|&i| kept.get_mut(i)) {
                Some(existing) => {
                    let dropped = if m.version > existing.version {
                        let old = existing.version;
                        *existing = m;
                        old
                    } else {
                        m.version
                    };
                    warnings.push(GraphIssue::DuplicateApp {
                        kept: AppRef::of(existing),
                        dropped,
                    });
                }
                None => {
                    by_id.insert(m.id, kept.len());
                    kept.push(m);
                }
            }
        }
        let present = |id: &Uuid| by_id.get(id).copied();
        let mut deps = Vec::with_capacity(kept.len());
        let mut missing = Vec::new();
        let mut too_low = Vec::new();
        let mut self_cycles = Vec::new();
        for (i, m) in kept.iter().enumerate() {
            let mut ds = BTreeSet::new();
            for d in &m.dependencies {
                match present(&d.id) {
                    Some(j) => {
                        if j == i {
                            // An app that lists itself can never be installed after
                            // its dependencies: a cycle of one.
                            self_cycles.push(GraphIssue::Cycle {
                                path: vec![AppRef::of(m), AppRef::of(m)],
                            });
                        } else {
                            ds.insert(j);
                        }
                        if let Some(avail) = kept.get(j).filter(|a| !d.is_satisfied_by(&a.version))
                        {
                            too_low.push(GraphIssue::VersionTooLow {
                                app: AppRef::of(m),
                                dependency: AppRef::of(avail),
                                min_version: d.version,
                            });
                        }
                    }
                    None => missing.push(GraphIssue::MissingDependency {
                        app: AppRef::of(m),
                        id: d.id,
                        name: d.name.clone(),
                        min_version: d.version,
                    }),
                }
            }
            if m.platform.is_some() && m.id != SYSTEM_APP_ID {
                ds.extend(present(&SYSTEM_APP_ID));
            }
            let is_ms_platform = MICROSOFT_PLATFORM_APPS.contains(&m.id);
            if m.application.is_some() && !is_ms_platform {
                match present(&APPLICATION_APP_ID) {
                    Some(j) => {
                        ds.insert(j);
                    }
                    None => {
                        for id in [
                            BASE_APPLICATION_APP_ID,
                            SYSTEM_APPLICATION_APP_ID,
                            BUSINESS_FOUNDATION_APP_ID,
                        ] {
                            ds.extend(present(&id));
                        }
                    }
                }
            }
            ds.remove(&i);
            deps.push(ds.into_iter().collect());
        }
        DependencyGraph {
            apps: kept,
            deps,
            warnings,
            missing,
            too_low,
            self_cycles,
        }
    }

    /// The apps after merging duplicates, in input order.
    pub fn apps(&self) -> &[AppManifest] {
        &self.apps
    }

    /// The apps `app` depends on (explicit and implicit), when `app` is in the set.
    pub fn dependencies_of(&self, app: Uuid) -> Vec<&AppManifest> {
        let Some(i) = self.apps.iter().position(|m| m.id == app) else {
            return Vec::new();
        };
        self.deps
            .get(i)
            .map(|ds| ds.iter().filter_map(|&j| self.apps.get(j)).collect())
            .unwrap_or_default()
    }

    /// Priority of every app: its position when all apps are sorted by (Microsoft
    /// platform rank, lower-case name, name, id). Computed once per sort so the
    /// hot loops compare integers.
    fn priorities(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.apps.len()).collect();
        idx.sort_by_cached_key(|&i| match self.apps.get(i) {
            Some(m) => (rank(&m.id), m.name.to_lowercase(), m.name.clone(), m.id, i),
            None => (usize::MAX, String::new(), String::new(), Uuid::nil(), i),
        });
        let mut prio = vec![0; idx.len()];
        for (p, i) in idx.into_iter().enumerate() {
            if let Some(slot) = prio.get_mut(i) {
                *slot = p;
            }
        }
        prio
    }

    /// Topological order: every app after all its dependencies. Among apps that
    /// are ready at the same time, Microsoft's platform apps come first (System,
    /// System Application, Business Foundation, Base Application, Application),
    /// then by name (case-insensitive, then exact), then id — so the order is
    /// deterministic and independent of the input order.
    ///
    /// Fails on cycles (each reported with its path), on dependencies whose
    /// available version is below the minimum, and on missing dependencies when
    /// [`GraphOptions::missing_is_error`] is set.
    pub fn sort(&self, opts: &GraphOptions) -> Result<SortedApps<'_>, GraphErrors> {
        let n = self.apps.len();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut pending: Vec<usize> = vec![0; n];
        for (i, ds) in self.deps.iter().enumerate() {
            for &j in ds {
                if let Some(v) = dependents.get_mut(j) {
                    v.push(i);
                }
                if let Some(p) = pending.get_mut(i) {
                    *p += 1;
                }
            }
        }
        let prio = self.priorities();
        let key = |i: usize| (prio.get(i).copied().unwrap_or(usize::MAX), i);
        let mut ready: BTreeSet<(usize, usize)> = (0..n)
            .filter(|&i| pending.get(i) == Some(&0))
            .map(key)
            .collect();
        let mut order = Vec::with_capacity(n);
        let mut done = vec![false; n];
        while let Some(k) = ready.pop_first() {
            let i = k.1;
            if let Some(d) = done.get_mut(i) {
                *d = true;
            }
            order.push(i);
            for &d in dependents.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(p) = pending.get_mut(d) {
                    *p = p.saturating_sub(1);
                    if *p == 0 {
                        ready.insert(key(d));
                    }
                }
            }
        }
        let mut errors = self.self_cycles.clone();
        errors.extend(self.cycles(&done, &prio));
        errors.extend(self.too_low.iter().cloned());
        let mut warnings = self.warnings.clone();
        if opts.missing_is_error {
            errors.extend(self.missing.iter().cloned());
        } else {
            warnings.extend(self.missing.iter().cloned());
        }
        if errors.is_empty() {
            Ok(SortedApps {
                order: order.iter().filter_map(|&i| self.apps.get(i)).collect(),
                warnings,
            })
        } else {
            Err(GraphErrors { errors, warnings })
        }
    }

    /// Finds cycles among the apps Kahn's algorithm could not emit. Every such app
    /// has a dependency that is also not emitted, so walking "smallest pending
    /// dependency" from one always ends on a cycle.
    fn cycles(&self, done: &[bool], prio: &[usize]) -> Vec<GraphIssue> {
        let key = |i: usize| prio.get(i).copied().unwrap_or(usize::MAX);
        let pending = |i: usize| done.get(i) == Some(&false);
        let mut starts: Vec<usize> = (0..self.apps.len()).filter(|&i| pending(i)).collect();
        starts.sort_by_key(|&i| key(i));
        let mut visited = vec![false; self.apps.len()];
        let mut out = Vec::new();
        for s in starts {
            if visited.get(s) == Some(&true) {
                continue;
            }
            let mut walk: Vec<usize> = Vec::new();
            let mut pos_in_walk: BTreeMap<usize, usize> = BTreeMap::new();
            let mut cur = s;
            loop {
                if let Some(&p) = pos_in_walk.get(&cur) {
                    let mut path: Vec<AppRef> = walk
                        .get(p..)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|&i| self.apps.get(i).map(AppRef::of))
                        .collect();
                    if let Some(first) = path.first().cloned() {
                        path.push(first);
                    }
                    out.push(GraphIssue::Cycle { path });
                    break;
                }
                if visited.get(cur) == Some(&true) {
                    break;
                }
                if let Some(v) = visited.get_mut(cur) {
                    *v = true;
                }
                pos_in_walk.insert(cur, walk.len());
                walk.push(cur);
                let next = self
                    .deps
                    .get(cur)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&j| pending(j))
                    .min_by_key(|&j| key(j));
                match next {
                    Some(j) => cur = j,
                    None => break,
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dependency;
    use proptest::prelude::*;

    fn app(n: u128, name: &str, deps: &[u128]) -> AppManifest {
        AppManifest {
            id: Uuid::from_u128(n),
            name: name.to_string(),
            publisher: "P".into(),
            version: AppVersion::new(1, 0, 0, 0),
            dependencies: deps
                .iter()
                .map(|d| {
                    Dependency::new(Uuid::from_u128(*d), &format!("#{d}"), "P", AppVersion::ZERO)
                })
                .collect(),
            ..AppManifest::default()
        }
    }

    fn names<'a>(s: &'a SortedApps<'_>) -> Vec<&'a str> {
        s.order.iter().map(|m| m.name.as_str()).collect()
    }

    fn ms(id: Uuid, name: &str, deps: &[Uuid]) -> AppManifest {
        AppManifest {
            id,
            name: name.into(),
            publisher: "Microsoft".into(),
            version: AppVersion::new(24, 0, 0, 0),
            dependencies: deps
                .iter()
                .map(|d| Dependency::new(*d, "x", "Microsoft", AppVersion::new(24, 0, 0, 0)))
                .collect(),
            ..AppManifest::default()
        }
    }

    #[test]
    fn microsoft_first_and_implicit_edges() {
        let mut mine = app(100, "Aardvark", &[]);
        mine.application = Some(AppVersion::new(24, 0, 0, 0));
        mine.platform = Some(AppVersion::new(24, 0, 0, 0));
        let mut lib = app(101, "Zed Lib", &[]);
        lib.platform = Some(AppVersion::new(24, 0, 0, 0));
        let g = DependencyGraph::new(vec![
            mine,
            lib,
            ms(
                APPLICATION_APP_ID,
                "Application",
                &[BASE_APPLICATION_APP_ID, SYSTEM_APPLICATION_APP_ID],
            ),
            ms(
                BASE_APPLICATION_APP_ID,
                "Base Application",
                &[SYSTEM_APPLICATION_APP_ID, BUSINESS_FOUNDATION_APP_ID],
            ),
            ms(
                BUSINESS_FOUNDATION_APP_ID,
                "Business Foundation",
                &[SYSTEM_APPLICATION_APP_ID],
            ),
            ms(SYSTEM_APPLICATION_APP_ID, "System Application", &[]),
            ms(SYSTEM_APP_ID, "System", &[]),
        ]);
        let s = g.sort(&GraphOptions::default()).unwrap();
        assert_eq!(
            names(&s),
            [
                "System",
                "System Application",
                "Business Foundation",
                "Base Application",
                "Application",
                "Aardvark",
                "Zed Lib"
            ]
        );
        let deps: Vec<_> = g
            .dependencies_of(Uuid::from_u128(100))
            .iter()
            .map(|m| m.name.clone())
            .collect();
        assert_eq!(deps, ["Application", "System"]);
    }

    #[test]
    fn application_without_umbrella_points_at_layers() {
        let mut mine = app(100, "Mine", &[]);
        mine.application = Some(AppVersion::new(24, 0, 0, 0));
        let g = DependencyGraph::new(vec![
            mine,
            ms(BASE_APPLICATION_APP_ID, "Base Application", &[]),
        ]);
        let s = g.sort(&GraphOptions::default()).unwrap();
        assert_eq!(names(&s), ["Base Application", "Mine"]);
    }

    #[test]
    fn deterministic_tie_break() {
        let a = vec![
            app(3, "b", &[]),
            app(1, "C", &[]),
            app(2, "a", &[]),
            app(4, "B", &[]),
        ];
        let mut r = a.clone();
        r.reverse();
        let s1 = DependencyGraph::new(a);
        let s2 = DependencyGraph::new(r);
        let o1 = s1.sort(&GraphOptions::default()).unwrap();
        let o2 = s2.sort(&GraphOptions::default()).unwrap();
        assert_eq!(names(&o1), ["a", "B", "b", "C"]);
        assert_eq!(names(&o1), names(&o2));
    }

    #[test]
    fn cycle_path_named() {
        let g = DependencyGraph::new(vec![
            app(1, "A", &[2]),
            app(2, "B", &[3]),
            app(3, "C", &[1]),
            app(4, "D", &[1]),
            app(5, "E", &[]),
        ]);
        let e = g.sort(&GraphOptions::default()).unwrap_err();
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.to_string(), "dependency cycle: A -> B -> C -> A");
        // An app that depends on itself is a cycle of one (issue 19 item 12: it was
        // passed over).
        let g = DependencyGraph::new(vec![app(1, "A", &[1]), app(2, "B", &[1])]);
        let e = g.sort(&GraphOptions::default()).unwrap_err();
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.to_string(), "dependency cycle: A -> A");
    }

    #[test]
    fn missing_duplicates_and_versions() {
        let mut a = app(1, "A", &[2, 9]);
        a.dependencies[0].version = AppVersion::new(2, 0, 0, 0);
        let mut b1 = app(2, "B", &[]);
        b1.version = AppVersion::new(1, 5, 0, 0);
        let b2 = app(2, "B", &[]);
        let g = DependencyGraph::new(vec![a.clone(), b1, b2]);
        let e = g.sort(&GraphOptions::default()).unwrap_err();
        assert_eq!(
            e.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["A requires B 2.0.0.0 or later, but only 1.5.0.0 is available"]
        );
        let w: Vec<_> = e.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                "app B (00000000-0000-0000-0000-000000000002) is given twice: using version 1.5.0.0, ignoring 1.0.0.0",
                "A depends on #9 (00000000-0000-0000-0000-000000000009) 0.0.0.0 or later, which is not available"
            ]
        );
        a.dependencies[0].version = AppVersion::ZERO;
        let g = DependencyGraph::new(vec![a, app(2, "B", &[])]);
        let ok = g.sort(&GraphOptions::default()).unwrap();
        assert_eq!(ok.warnings.len(), 1);
        let e = g
            .sort(&GraphOptions {
                missing_is_error: true,
            })
            .unwrap_err();
        assert!(matches!(e.errors[0], GraphIssue::MissingDependency { .. }));
        assert_eq!(
            e.errors[0].severity(&GraphOptions {
                missing_is_error: true
            }),
            Severity::Error
        );
    }

    #[test]
    fn long_chain_no_overflow() {
        let n = 20_000u128;
        let apps: Vec<_> = (0..n)
            .map(|i| app(i + 1, &format!("n{i}"), &[]))
            .enumerate()
            .map(|(i, mut m)| {
                if i > 0 {
                    m.dependencies = vec![Dependency::new(
                        Uuid::from_u128(i as u128),
                        "p",
                        "P",
                        AppVersion::ZERO,
                    )];
                }
                m
            })
            .collect();
        let g = DependencyGraph::new(apps.clone());
        assert_eq!(
            g.sort(&GraphOptions::default()).unwrap().order.len(),
            n as usize
        );
        // close the loop: one giant cycle
        let mut apps = apps;
        apps[0].dependencies = vec![Dependency::new(
            Uuid::from_u128(n),
            "p",
            "P",
            AppVersion::ZERO,
        )];
        let e = DependencyGraph::new(apps)
            .sort(&GraphOptions::default())
            .unwrap_err();
        match &e.errors[0] {
            GraphIssue::Cycle { path } => assert_eq!(path.len(), n as usize + 1),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn random_dag_order_respects_edges(n in 1usize..40, edges in proptest::collection::vec((0usize..40, 0usize..40), 0..120)) {
            // Only edges from higher to lower index: a DAG.
            let mut apps: Vec<_> = (0..n).map(|i| app(i as u128 + 1, &format!("a{}", (i * 7) % 13), &[])).collect();
            for (x, y) in edges {
                let (x, y) = (x % n, y % n);
                if x > y {
                    let id = Uuid::from_u128(y as u128 + 1);
                    apps[x].dependencies.push(Dependency::new(id, "d", "P", AppVersion::ZERO));
                }
            }
            let g = DependencyGraph::new(apps.clone());
            let s = g.sort(&GraphOptions::default()).unwrap();
            prop_assert_eq!(s.order.len(), n);
            let pos: BTreeMap<Uuid, usize> = s.order.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
            for a in &apps {
                for d in &a.dependencies {
                    prop_assert!(pos[&d.id] < pos[&a.id]);
                }
            }
        }

        #[test]
        fn random_cycles_are_real(n in 2usize..30, edges in proptest::collection::vec((0usize..30, 0usize..30), 1..90)) {
            let mut apps: Vec<_> = (0..n).map(|i| app(i as u128 + 1, &format!("a{i}"), &[])).collect();
            for (x, y) in edges {
                let (x, y) = (x % n, y % n);
                let id = Uuid::from_u128(y as u128 + 1);
                apps[x].dependencies.push(Dependency::new(id, "d", "P", AppVersion::ZERO));
            }
            let g = DependencyGraph::new(apps.clone());
            match g.sort(&GraphOptions::default()) {
                Ok(s) => {
                    let pos: BTreeMap<Uuid, usize> = s.order.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
                    for a in &apps {
                        for d in &a.dependencies {
                            if d.id != a.id {
                                prop_assert!(pos[&d.id] < pos[&a.id]);
                            }
                        }
                    }
                }
                Err(e) => {
                    prop_assert!(!e.errors.is_empty());
                    for err in &e.errors {
                        let GraphIssue::Cycle { path } = err else {
                            return Err(TestCaseError::fail(format!("unexpected {err}")));
                        };
                        prop_assert!(path.len() >= 2);
                        prop_assert_eq!(path.first().map(|a| a.id), path.last().map(|a| a.id));
                        for w in path.windows(2) {
                            let from = apps.iter().find(|a| a.id == w[0].id).unwrap();
                            prop_assert!(from.dependencies.iter().any(|d| d.id == w[1].id), "edge {} -> {} not real", w[0].name, w[1].name);
                        }
                        // no repeated node inside the cycle
                        let inner: BTreeSet<Uuid> = path[..path.len() - 1].iter().map(|a| a.id).collect();
                        prop_assert_eq!(inner.len(), path.len() - 1);
                    }
                }
            }
        }
    }
}
