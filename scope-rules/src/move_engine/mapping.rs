//! The mapping a move records (`move-mapping.json`): old and new identity, every renumbered
//! or renamed symbol, the non-AL files' byte changes and the spellings a name-driven rewrite
//! cannot know, so that a reverse move restores every byte.

use std::collections::HashMap;

use al_manifest::AppManifest;
use serde::{Deserialize, Serialize};

use crate::Scope;
use crate::checks::source::ObjectKind;
use crate::move_engine::edits::MoveEdits;
use crate::move_engine::outputs::ProjectOutputs;
use crate::move_engine::request::Request;
use crate::move_engine::{MoveError, MoveOptions};
use al_parser::edit::format_name;
use al_parser::symbols::SymbolId;

/// One line of the move mapping (`move-mapping.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingEntry {
    /// `object` or the member kind (`field`, `value`, `control`, `action`, `procedure`, ...).
    pub kind: String,
    /// Object type keyword (`table`, `tableextension`, ...).
    pub object_kind: String,
    /// The object's old name.
    pub object: String,
    /// The member's old name (members only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Old ID (objects, fields, enum values).
    pub old_id: Option<u32>,
    /// New ID.
    pub new_id: Option<u32>,
    /// Old name.
    pub old_name: String,
    /// New name.
    pub new_name: String,
    /// The symbol in the workspace (not serialized).
    #[serde(skip)]
    pub symbol: Option<SymbolId>,
}

/// The identity of an app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppIdentity {
    /// App id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version.
    pub version: String,
}

/// A byte change to a file that is not AL source (app.json, launch.json, ...): at byte
/// `at` of the new file, `new` replaced `old` (or the file was created / deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Splice {
    /// Which app: empty for the moved app, else the dependent's app id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app: String,
    /// File path.
    pub file: String,
    /// Byte offset in the new file.
    pub at: usize,
    /// The old bytes (UTF-8 text).
    pub old: String,
    /// The new bytes (UTF-8 text).
    pub new: String,
    /// The move created the file (a reverse move deletes it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created: bool,
}

/// A reference whose old spelling a name-driven reverse rewrite would not reproduce
/// (other case, quotes it did not need): at byte `at` of the moved file's decoded text,
/// the reverse move writes `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spelling {
    /// Which app: empty for the moved app, else the dependent's app id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app: String,
    /// File path.
    pub file: String,
    /// Byte offset in the moved file's decoded text.
    pub at: u32,
    /// The text before the move.
    pub text: String,
}

/// `move-mapping.json`: what a move changed, enough to undo it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveMapping {
    /// Format version (1).
    pub format: u32,
    /// Source scope (`None` in a mapping read from CSV, which records none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Scope>,
    /// Target scope (`None` in a mapping read from CSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Scope>,
    /// Identity before the move.
    pub old_app: AppIdentity,
    /// Identity after the move.
    pub new_app: AppIdentity,
    /// One entry per renumbered or renamed symbol.
    pub mapping: Vec<MappingEntry>,
    /// Byte changes of non-AL files.
    #[serde(default)]
    pub files: Vec<Splice>,
    /// Old spellings of references.
    #[serde(default)]
    pub spellings: Vec<Spelling>,
}

impl MoveMapping {
    /// Reads a mapping: the JSON alkit writes, or CSV rows `type,oldId,newId[,object]`
    /// (an object type keyword, or `field`/`value` for a table-extension field or
    /// enum-extension value, whose fourth column names the extension object's old ID;
    /// `#` comments and a header row are skipped).
    ///
    /// ```
    /// use scope_rules::move_engine::MoveMapping;
    /// let m = MoveMapping::parse("type,oldId,newId\ntable,50100,70000000\n").unwrap();
    /// assert_eq!(m.mapping[0].new_id, Some(70000000));
    /// ```
    pub fn parse(text: &str) -> Result<Self, MoveError> {
        let t = text.trim_start_matches('\u{feff}');
        if t.trim_start().starts_with('{') {
            return serde_json::from_str(t).map_err(|e| {
                MoveError::Input(format!(
                    "mapping: line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ))
            });
        }
        let mut m = MoveMapping {
            format: 1,
            ..Default::default()
        };
        let mut first = true;
        for (i, line) in t.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let header = std::mem::replace(&mut first, false);
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad =
                |what: &str| MoveError::Input(format!("mapping: line {}: {what}: {line:?}", i + 1));
            if cols.len() < 3 || cols.len() > 4 {
                return Err(bad("expected `type,oldId,newId[,object]`"));
            }
            let (Ok(old), Ok(new)) = (cols[1].parse::<u32>(), cols[2].parse::<u32>()) else {
                if header {
                    continue;
                }
                return Err(bad("IDs must be whole numbers"));
            };
            let kind = cols[0].to_ascii_lowercase();
            let member = matches!(kind.as_str(), "field" | "value");
            if !member && kind.parse::<ObjectKind>().is_err() {
                return Err(bad("unknown object type"));
            }
            m.mapping.push(MappingEntry {
                kind: if member {
                    kind.clone()
                } else {
                    "object".into()
                },
                object_kind: if member { String::new() } else { kind },
                object: cols.get(3).map(|s| (*s).to_string()).unwrap_or_default(),
                member: None,
                old_id: Some(old),
                new_id: Some(new),
                old_name: String::new(),
                new_name: String::new(),
                symbol: None,
            });
        }
        Ok(m)
    }
}

/// Stage "report", the mapping: what a forward move records (a reverse move hands back
/// the mapping it was given).
pub(super) fn record(
    request: &Request,
    opts: &MoveOptions,
    app_out: &ProjectOutputs,
    edits: &MoveEdits,
    dependents_splices: Vec<Splice>,
    spellings: Vec<Spelling>,
) -> MoveMapping {
    if opts.reverse {
        return opts.mapping.clone().unwrap_or_default();
    }
    let mut files = app_out.splices.clone();
    files.extend(dependents_splices);
    MoveMapping {
        format: 1,
        from: Some(request.from),
        to: Some(request.to),
        old_app: identity_of(&request.app),
        new_app: identity_of(app_out.manifest.doc.manifest()),
        mapping: edits.mapping.clone(),
        files,
        spellings,
    }
}

pub(super) fn identity_of(m: &AppManifest) -> AppIdentity {
    AppIdentity {
        id: m.id.to_string(),
        name: m.name.clone(),
        publisher: m.publisher.clone(),
        version: m.version.to_string(),
    }
}

/// The smallest splice turning `old` into `new` (common prefix and suffix cut, on
/// character boundaries); `None` when equal or not UTF-8.
pub(super) fn splice(app: &str, file: &str, old: &[u8], new: &[u8]) -> Option<Splice> {
    if old == new {
        return None;
    }
    let (o, n) = (
        std::str::from_utf8(old).ok()?,
        std::str::from_utf8(new).ok()?,
    );
    let mut p = o.bytes().zip(n.bytes()).take_while(|(a, b)| a == b).count();
    while !o.is_char_boundary(p) || !n.is_char_boundary(p) {
        p -= 1;
    }
    let max_s = o.len().min(n.len()) - p;
    let mut s = o
        .bytes()
        .rev()
        .zip(n.bytes().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    while !o.is_char_boundary(o.len() - s) || !n.is_char_boundary(n.len() - s) {
        s -= 1;
    }
    Some(Splice {
        app: app.to_string(),
        file: file.to_string(),
        at: p,
        old: o[p..o.len() - s].to_string(),
        new: n[p..n.len() - s].to_string(),
        created: false,
    })
}

/// Undoes `s` on `bytes` (which must hold `s.new` at `s.at`).
pub(super) fn unsplice(bytes: &[u8], s: &Splice) -> Result<Vec<u8>, MoveError> {
    let end = s.at + s.new.len();
    if bytes.get(s.at..end) != Some(s.new.as_bytes()) {
        return Err(MoveError::Input(format!(
            "{}: changed since the move (expected {:?} at byte {}); cannot reverse",
            s.file, s.new, s.at
        )));
    }
    let mut out = Vec::with_capacity(bytes.len() + s.old.len());
    out.extend_from_slice(&bytes[..s.at]);
    out.extend_from_slice(s.old.as_bytes());
    out.extend_from_slice(&bytes[end..]);
    Ok(out)
}

pub(super) fn unquote(s: &str) -> String {
    let t = s.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| t.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(t);
    t.replace("''", "'").to_lowercase()
}

/// For each replacement text a forward move writes, what the reverse move writes back
/// (`None`: two symbols would write different texts, so it cannot be predicted).
pub(super) fn reverse_texts(mapping: &[MappingEntry]) -> HashMap<String, Option<String>> {
    let mut m: HashMap<String, Option<String>> = HashMap::new();
    for e in mapping {
        let cands = [
            (format_name(&e.new_name), format_name(&e.old_name)),
            (
                e.new_name.replace('\'', "''"),
                e.old_name.replace('\'', "''"),
            ),
            (
                e.new_id.map(|i| i.to_string()).unwrap_or_default(),
                e.old_id.map(|i| i.to_string()).unwrap_or_default(),
            ),
        ];
        for (fwd, back) in cands {
            if fwd.is_empty() {
                continue;
            }
            match m.get(&fwd) {
                None => {
                    m.insert(fwd, Some(back));
                }
                Some(Some(g)) if *g == back => {}
                Some(_) => {
                    m.insert(fwd, None);
                }
            }
        }
    }
    m
}
