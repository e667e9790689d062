//! The plain-text licence range file (license-format.md §11.2): parse and write.

use super::error::{LicenceError, RangeErrorKind};
use super::model::{
    CollectionKind, Licence, LicenceFormat, PermissionCollection, PermissionRange, RangeComment,
    RangeExpiry, SignatureStatus,
};
use super::perm::{Date, Permission, Permissions};

/// First line written by [`write_range_file`].
pub const RANGE_FILE_MAGIC: &str = "# bc-license-ranges 1";

/// A field of a data line with its 1-based character column.
struct Field<'a> {
    text: &'a str,
    column: usize,
}

/// Splits a data line into fields. A line holding a tab, comma or semicolon is split on each
/// of them (empty fields kept, spaces trimmed: blank Permission-Range columns survive);
/// otherwise on runs of spaces.
fn split_fields<'a>(line: &'a str) -> Vec<Field<'a>> {
    let delimited = line.contains(['\t', ',', ';']);
    let mut out = Vec::new();
    let mut start = 0usize;
    let push = |from: usize, to: usize, out: &mut Vec<Field<'a>>| {
        let raw = line.get(from..to).unwrap_or_default();
        let lead = raw.len() - raw.trim_start().len();
        let column = line.get(..from + lead).map_or(1, |s| s.chars().count() + 1);
        out.push(Field {
            text: raw.trim(),
            column,
        });
    };
    if delimited {
        for (i, c) in line.char_indices() {
            if matches!(c, '\t' | ',' | ';') {
                push(start, i, &mut out);
                start = i + c.len_utf8();
            }
        }
        push(start, line.len(), &mut out);
    } else {
        let mut in_word = false;
        for (i, c) in line.char_indices() {
            if c == ' ' {
                if in_word {
                    push(start, i, &mut out);
                    in_word = false;
                }
            } else if !in_word {
                start = i;
                in_word = true;
            }
        }
        if in_word {
            push(start, line.len(), &mut out);
        }
    }
    out
}

fn five_col(text: &str) -> Option<Permission> {
    match text.to_ascii_lowercase().as_str() {
        "" | "-" | "." | "no" | "none" => Some(Permission::None),
        "yes" | "direct" => Some(Permission::Direct),
        "indirect" => Some(Permission::Indirect),
        _ => None,
    }
}

fn is_five_col_word(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "yes" | "direct" | "indirect" | "no" | "none"
    )
}

fn err(line: usize, column: usize, kind: RangeErrorKind) -> LicenceError {
    LicenceError::RangeFile { line, column, kind }
}

fn parse_id(f: &Field<'_>, line: usize, field: &'static str) -> Result<u32, LicenceError> {
    let ok = !f.text.is_empty() && f.text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| f.text.parse().ok()).flatten().ok_or_else(|| {
        err(
            line,
            f.column,
            RangeErrorKind::BadId {
                field,
                text: f.text.to_string(),
            },
        )
    })
}

fn parse_perm_token(f: &Field<'_>, line: usize) -> Result<(u32, Permissions), LicenceError> {
    if f.text.bytes().all(|b| b.is_ascii_digit()) && !f.text.is_empty() {
        let pbm: u32 = f.text.parse().map_err(|_| {
            err(
                line,
                f.column,
                RangeErrorKind::BadPermissions(f.text.to_string()),
            )
        })?;
        return Ok((pbm, Permissions::from_pbm(pbm)));
    }
    let p = Permissions::parse_letters(f.text).ok_or_else(|| {
        err(
            line,
            f.column,
            RangeErrorKind::BadPermissions(f.text.to_string()),
        )
    })?;
    Ok((p.to_pbm(), p))
}

fn parse_expiry(f: &Field<'_>, line: usize) -> Result<Date, LicenceError> {
    f.text
        .parse()
        .map_err(|_| err(line, f.column, RangeErrorKind::BadDate(f.text.to_string())))
}

/// One data line → (kind, range).
fn parse_line(
    fields: &[Field<'_>],
    line: usize,
    end_col: usize,
) -> Result<(CollectionKind, PermissionRange), LicenceError> {
    // Type, from and to are the first three non-empty fields (alignment may leave blanks).
    let mut it = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.text.is_empty());
    let missing = |what| err(line, end_col, RangeErrorKind::Missing(what));
    let (_, ty) = it.next().ok_or_else(|| missing("object type"))?;
    let kind = CollectionKind::from_name(ty.text).ok_or_else(|| {
        err(
            line,
            ty.column,
            RangeErrorKind::UnknownType(ty.text.to_string()),
        )
    })?;
    let (_, from_f) = it.next().ok_or_else(|| missing("from"))?;
    let from = parse_id(from_f, line, "from")?;
    let (to_i, to_f) = it.next().ok_or_else(|| missing("to"))?;
    let to = parse_id(to_f, line, "to")?;
    if from > to {
        return Err(err(
            line,
            from_f.column,
            RangeErrorKind::FromAfterTo { from, to },
        ));
    }
    let raw_rest = fields.get(to_i + 1..).unwrap_or_default();
    let first5 = raw_rest.get(..5).unwrap_or_default();
    let five = first5.len() == 5
        && (first5.iter().any(|f| is_five_col_word(f.text))
            || first5.iter().all(|f| f.text.is_empty()));
    let mut rest_end = raw_rest.len();
    while rest_end > 0
        && raw_rest
            .get(rest_end - 1)
            .is_some_and(|f| f.text.is_empty())
    {
        rest_end -= 1;
    }
    let rest = if five {
        raw_rest
    } else {
        raw_rest.get(..rest_end).unwrap_or_default()
    };
    let nonempty: Vec<&Field<'_>> = rest.iter().filter(|f| !f.text.is_empty()).collect();
    let (pbm, permissions, exp_field, extra) = if five {
        let mut a = [Permission::None; 5];
        for (i, f) in rest.iter().take(5).enumerate() {
            a[i] = five_col(f.text).ok_or_else(|| {
                err(
                    line,
                    f.column,
                    RangeErrorKind::BadColumn {
                        column: super::perm::LETTERS[i],
                        text: f.text.to_string(),
                    },
                )
            })?;
        }
        let p = Permissions::from_array(a);
        let after: Vec<&Field<'_>> = rest.iter().skip(5).filter(|f| !f.text.is_empty()).collect();
        (p.to_pbm(), p, after.first().copied(), after.get(1).copied())
    } else {
        let pf = nonempty.first().ok_or_else(|| missing("permissions"))?;
        let (pbm, p) = parse_perm_token(pf, line)?;
        (pbm, p, nonempty.get(1).copied(), nonempty.get(2).copied())
    };
    if let Some(x) = extra {
        return Err(err(
            line,
            x.column,
            RangeErrorKind::Extra(x.text.to_string()),
        ));
    }
    let expiry = exp_field
        .map(|f| parse_expiry(f, line))
        .transpose()?
        .map(|d| RangeExpiry {
            expires: Some(d),
            warning: None,
            label: String::new(),
        });
    Ok((
        kind,
        PermissionRange {
            from,
            to,
            pbm,
            permissions,
            expiry,
            line: Some(line),
        },
    ))
}

/// Parses a licence range file (UTF-8 text, BOM allowed). Errors name the 1-based line and
/// column.
///
/// ```
/// use runtime_pack::licence::{CollectionKind, parse_range_file};
/// let lic = parse_range_file("# licensee: Example Ltd\ntable 50000 50049 RIMDX\ncodeunit;1;49999;X\n")?;
/// assert_eq!(lic.licensee(), Some("Example Ltd"));
/// let hit = lic.lookup(CollectionKind::Codeunit, 80, None);
/// assert_eq!(hit.permissions.to_letters(), "----X");
/// # Ok::<(), runtime_pack::licence::LicenceError>(())
/// ```
pub fn parse_range_file(text: &str) -> Result<Licence, LicenceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut comments = Vec::new();
    let mut collections: Vec<PermissionCollection> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        let trimmed = raw.trim_start();
        if let Some(c) = trimmed.strip_prefix('#') {
            if let Some((k, v)) = c.split_once(':') {
                let k = k.trim();
                if !k.is_empty() && !k.contains(char::is_whitespace) {
                    comments.push(RangeComment {
                        key: k.to_string(),
                        value: v.trim().to_string(),
                    });
                }
            }
            continue;
        }
        let data = raw.split('#').next().unwrap_or_default();
        if data.trim().is_empty() {
            continue;
        }
        let fields = split_fields(data);
        let end_col = data.trim_end().chars().count() + 1;
        let (kind, range) = parse_line(&fields, line, end_col)?;
        match collections.iter_mut().find(|c| c.kind == Some(kind)) {
            Some(c) => c.ranges.push(range),
            None => collections.push(PermissionCollection {
                name: kind.file_name().to_string(),
                kind: Some(kind),
                declared_count: None,
                ranges: vec![range],
            }),
        }
    }
    if collections.is_empty() {
        return Err(LicenceError::EmptyRangeFile);
    }
    Ok(Licence {
        format: LicenceFormat::RangeFile,
        header: Vec::new(),
        properties: Vec::new(),
        comments,
        collections,
        signature: SignatureStatus::Absent,
        warnings: Vec::new(),
    })
}

/// Writes a licence as a range file: `# key: value` facts (serial number, country, expiry;
/// no address data), then one `type from to RIMDX [expires]` line per range of every known
/// collection. Unknown collections are listed as comments. Warning dates (`wd`) and
/// signatures are not carried over. Parsing the result gives the same permissions per range.
///
/// ```
/// use runtime_pack::licence::{parse_range_file, write_range_file};
/// let lic = parse_range_file("page 50000 50099 31 2030-01-31\nquery 1 9 rx\n")?;
/// let text = write_range_file(&lic);
/// assert!(text.contains("\npage               50000         50099         RIMDX  2030-01-31\n"));
/// let again = parse_range_file(&text)?;
/// for (a, b) in lic.collections.iter().zip(&again.collections) {
///     assert_eq!(a.kind, b.kind);
///     let perms = |c: &runtime_pack::licence::PermissionCollection| {
///         c.ranges.iter().map(|r| (r.from, r.to, r.permissions, r.expiry.clone())).collect::<Vec<_>>()
///     };
///     assert_eq!(perms(a), perms(b));
/// }
/// # Ok::<(), runtime_pack::licence::LicenceError>(())
/// ```
pub fn write_range_file(licence: &Licence) -> String {
    let mut out = String::new();
    out.push_str(RANGE_FILE_MAGIC);
    out.push('\n');
    let source = match licence.format {
        LicenceFormat::BcLicense => ".bclicense (signature not carried over)",
        LicenceFormat::RangeFile => "range file",
    };
    out.push_str(&format!("# source: {source}\n"));
    if let Some(sn) = licence.serial() {
        out.push_str(&format!("# serial: {}\n", one_line(sn)));
    }
    if let Some(cc) = licence.country() {
        out.push_str(&format!("# country: {}\n", one_line(cc)));
    }
    if let Some(exp) = licence.expires() {
        out.push_str(&format!("# expires: {exp}\n"));
    }
    out.push_str("# type             from          to            perms  expires\n");
    for c in &licence.collections {
        let Some(kind) = c.kind else {
            out.push_str(&format!(
                "# skipped unknown collection {:?} ({} rows)\n",
                one_line(&c.name),
                c.ranges.len()
            ));
            continue;
        };
        for r in &c.ranges {
            let mut line = format!(
                "{:<18} {:<13} {:<13} {}",
                kind.range_name(),
                r.from,
                r.to,
                r.permissions.to_letters()
            );
            if let Some(ed) = r.expiry.as_ref().and_then(|e| e.expires) {
                line.push_str(&format!("  {ed}"));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
