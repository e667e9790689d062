//! Semantic checks of an [`AppManifest`] (the rules the compiler applies to
//! `app.json` itself).

use crate::diag::{AL1046, AL1047, AL1048, DiagnosticKind, ManifestDiagnostic, Severity};
use crate::model::{AppManifest, IdRange};

impl AppManifest {
    /// Checks the rules that need no other file, returning findings in a stable
    /// order (empty when all is well). Diagnostics are labelled `app.json` and carry
    /// the JSON path; [`crate::AppJsonDocument::validate`] adds line:column.
    ///
    /// * AL1048 (error): `idRange` and `idRanges` both set.
    /// * AL1047 (error): a range with `from` > `to`.
    /// * AL1046 (error): two ranges overlap (reported on the later one in
    ///   document order).
    /// * warning: `showMyCode` combined with `resourceExposurePolicy`.
    /// * warning: the same dependency id listed twice.
    ///
    /// ```
    /// use al_manifest::{AppManifest, IdRange};
    /// let mut m = AppManifest::default();
    /// m.id_ranges = Some(vec![IdRange::new(50100, 50149), IdRange::new(50200, 50100)]);
    /// let d = m.validate();
    /// assert_eq!(d[0].to_string(), "app.json: idRanges[1]: from 50200 is greater than to 50100");
    /// assert_eq!(d[0].code, Some("AL1047"));
    /// ```
    pub fn validate(&self) -> Vec<ManifestDiagnostic> {
        let file = "app.json";
        let mut out = Vec::new();
        if self.id_range.is_some() && self.id_ranges.is_some() {
            out.push(
                ManifestDiagnostic::error(
                    DiagnosticKind::IdRangeAndIdRanges,
                    file,
                    "idRange",
                    "idRange and idRanges cannot both be set; use idRanges",
                )
                .with_code(AL1048),
            );
        }
        let mut check_list = |key: &str, ranges: &[IdRange], single: bool| {
            let path = |i: usize| {
                if single {
                    key.to_string()
                } else {
                    format!("{key}[{i}]")
                }
            };
            for (i, r) in ranges.iter().enumerate() {
                if !r.is_valid() {
                    out.push(
                        ManifestDiagnostic::error(
                            DiagnosticKind::InvalidIdRange,
                            file,
                            path(i),
                            format!("from {} is greater than to {}", r.from, r.to),
                        )
                        .with_code(AL1047),
                    );
                }
            }
            // Sweep over valid ranges sorted by start: O(n log n).
            let mut sorted: Vec<(usize, IdRange)> = ranges
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, r)| r.is_valid())
                .collect();
            sorted.sort_by_key(|(i, r)| (r.from, r.to, *i));
            let mut reach: Option<(usize, IdRange)> = None;
            let mut overlaps = Vec::new();
            for (i, r) in sorted {
                if let Some((j, prev)) = reach {
                    if prev.overlaps(&r) {
                        let (first, later) = if j < i { (j, i) } else { (i, j) };
                        let (fr, lr) = if j < i { (prev, r) } else { (r, prev) };
                        overlaps.push((later, first, lr, fr));
                    }
                    if r.to > prev.to {
                        reach = Some((i, r));
                    }
                } else {
                    reach = Some((i, r));
                }
            }
            overlaps.sort_by_key(|o| (o.0, o.1));
            for (later, first, lr, fr) in overlaps {
                out.push(
                    ManifestDiagnostic::error(
                        DiagnosticKind::OverlappingIdRanges,
                        file,
                        path(later),
                        format!(
                            "range {}..{} overlaps {} ({}..{})",
                            lr.from,
                            lr.to,
                            path(first),
                            fr.from,
                            fr.to
                        ),
                    )
                    .with_code(AL1046),
                );
            }
        };
        if let Some(r) = &self.id_range {
            check_list("idRange", std::slice::from_ref(r), true);
        }
        if let Some(rs) = &self.id_ranges {
            check_list("idRanges", rs, false);
        }
        if self.show_my_code.is_some() && self.resource_exposure_policy.is_some() {
            out.push(
                ManifestDiagnostic::error(
                    DiagnosticKind::ShowMyCodeWithPolicy,
                    file,
                    "showMyCode",
                    "showMyCode cannot be combined with resourceExposurePolicy; the policy's defaults apply",
                )
                .with_severity(Severity::Warning),
            );
        }
        let mut seen = std::collections::BTreeMap::new();
        for (i, d) in self.dependencies.iter().enumerate() {
            if let Some(first) = seen.insert(d.id, i) {
                out.push(
                    ManifestDiagnostic::error(
                        DiagnosticKind::Other,
                        file,
                        format!("dependencies[{i}]"),
                        format!(
                            "dependency {} is listed again (first at dependencies[{first}])",
                            d.id
                        ),
                    )
                    .with_severity(Severity::Warning),
                );
                seen.insert(d.id, first);
            }
        }
        out.extend(self.unwritable_characters());
        out
    }

    /// Strings of the manifest holding a character NavxManifest.xml cannot carry (XML
    /// 1.0 allows no control character but tab, LF and CR, no lone surrogate, no
    /// U+FFFE/U+FFFF): one error each, at its JSON path, the character shown escaped.
    /// Writers refuse such a manifest instead of writing ill-formed XML.
    ///
    /// ```
    /// use al_manifest::AppManifest;
    /// let m = AppManifest { name: "Bad\u{1}Name".into(), ..AppManifest::default() };
    /// let d = m.unwritable_characters();
    /// assert_eq!(d[0].path, "name");
    /// assert!(d[0].message.contains("'\\u{1}'"), "{}", d[0].message);
    /// ```
    pub fn unwritable_characters(&self) -> Vec<ManifestDiagnostic> {
        fn walk(v: &serde_json::Value, path: &str, out: &mut Vec<ManifestDiagnostic>) {
            use serde_json::Value;
            match v {
                Value::String(s) => {
                    if let Some(c) = s.chars().find(|c| !crate::xml::is_xml_char(*c)) {
                        out.push(ManifestDiagnostic::error(
                            DiagnosticKind::Other,
                            "app.json",
                            path,
                            format!(
                                "holds the character {c:?}, which NavxManifest.xml (XML 1.0) \
                                 cannot carry; remove it"
                            ),
                        ));
                    }
                }
                Value::Array(items) => {
                    for (i, x) in items.iter().enumerate() {
                        walk(x, &format!("{path}[{i}]"), out);
                    }
                }
                Value::Object(map) => {
                    for (k, x) in map {
                        let p = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        walk(x, &p, out);
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Ok(v) = serde_json::to_value(self) {
            walk(&v, "", &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AppVersion, Dependency};

    fn m(ranges: &[(u32, u32)]) -> AppManifest {
        AppManifest {
            id_ranges: Some(ranges.iter().map(|(a, b)| IdRange::new(*a, *b)).collect()),
            ..AppManifest::default()
        }
    }

    #[test]
    fn clean() {
        assert!(m(&[(50100, 50149), (50150, 50199)]).validate().is_empty());
        assert!(AppManifest::default().validate().is_empty());
    }

    #[test]
    fn from_greater_than_to() {
        let d = m(&[(50100, 50149), (50200, 50100)]).validate();
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].to_string(),
            "app.json: idRanges[1]: from 50200 is greater than to 50100"
        );
        assert_eq!(d[0].kind, DiagnosticKind::InvalidIdRange);
    }

    #[test]
    fn overlaps() {
        let d = m(&[(50100, 50149), (1, 10), (50140, 50160), (50100, 50100)]).validate();
        let s: Vec<_> = d.iter().map(ToString::to_string).collect();
        assert_eq!(
            s,
            vec![
                "app.json: idRanges[2]: range 50140..50160 overlaps idRanges[0] (50100..50149)",
                "app.json: idRanges[3]: range 50100..50100 overlaps idRanges[0] (50100..50149)",
            ]
        );
        assert!(d.iter().all(|d| d.code == Some(AL1046)));
    }

    #[test]
    fn both_and_legacy() {
        let mut x = m(&[(1, 2)]);
        x.id_range = Some(IdRange::new(5, 3));
        let d = x.validate();
        assert_eq!(d[0].code, Some(AL1048));
        assert_eq!(
            d[1].to_string(),
            "app.json: idRange: from 5 is greater than to 3"
        );
    }

    #[test]
    fn warnings() {
        let mut x = AppManifest {
            show_my_code: Some(true),
            resource_exposure_policy: Some(Default::default()),
            ..AppManifest::default()
        };
        let dep = Dependency::new(uuid::Uuid::nil(), "a", "b", AppVersion::ZERO);
        x.dependencies = vec![dep.clone(), dep.clone(), dep];
        let d = x.validate();
        assert_eq!(d.len(), 3);
        assert!(d.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(d[2].path, "dependencies[2]");
        assert!(d[2].message.contains("dependencies[0]"));
    }
}
