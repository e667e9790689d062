//! Deterministic shortening of names that must carry an affix and fit a length
//! limit without colliding with names already taken.
//!
//! # Algorithm
//!
//! 1. Strip quotes. If the name already carries `affix` at either end, that
//!    part is kept as the affix and the rest is the *body*; otherwise the affix
//!    is added at `position` with the separator of [`separator_for`] (a space
//!    when the name contains whitespace). The affix is never shortened.
//! 2. When the whole name is longer than `limit`, the separator between affix and
//!    body goes first (`ABC Item Setup` → `ABCItem Setup`).
//! 3. While the name is still too long, shrink the body, in stages, each working
//!    from the **end** of the body towards its start:
//!    a. Microsoft's abbreviations of whole words, as Business Central's base app
//!    writes them ([`ABBREVIATIONS`]: Management → Mgt., Document → Doc.,
//!    Number → No., Quantity → Qty., Ledger → Ledg., …), in names whose body has
//!    spaces (they are quoted anyway);
//!    b. drop lower-case vowels (`a e i o u`) that do not start a word;
//!    c. drop spaces (and `_`/`-` separators) inside the body;
//!    d. cut characters off the end of the body.
//! 4. If the result collides (case-insensitively) with a name in `taken`,
//!    append a numeric disambiguator `2`, `3`, … to the body (cutting the body
//!    further so the name still fits) and take the first free one.
//!
//! Guarantees of `Ok(name)`: `name` has at most `limit` characters, carries
//! the affix at the requested end (or where it already was), does not equal
//! any entry of `taken` ignoring case, has a non-empty body, and depends only
//! on the inputs.
//!
//! ```
//! use std::collections::BTreeSet;
//! use scope_rules::shorten::shorten;
//! use scope_rules::affix::AffixPosition;
//!
//! let taken = BTreeSet::new();
//! let s = shorten("Customer Loyalty Ledger Entry", "ABC", AffixPosition::Prefix, 30, &taken).unwrap();
//! assert_eq!(s, "ABCCust. Loyalty Ledg. Entry");
//! let s = shorten("Loyalty Document Management Setup", "ABC", AffixPosition::Prefix, 30, &taken).unwrap();
//! assert_eq!(s, "ABCLoyalty Document Mgt. Setup");
//!
//! let taken: BTreeSet<String> = ["abcsetup".to_string()].into();
//! assert_eq!(shorten("Setup", "ABC", AffixPosition::Prefix, 30, &taken).unwrap(), "ABCSetup2");
//! ```

use std::collections::BTreeSet;

use crate::affix::{AffixPosition, affix_position, separator_for, strip_quotes};

/// Why no name could be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShortenError {
    /// The limit leaves no room for the affix, separator and one body character.
    #[error("a limit of {limit} characters leaves no room for affix {affix:?} and a name")]
    LimitTooSmall {
        /// The limit.
        limit: usize,
        /// The affix.
        affix: String,
    },
    /// The affix is empty.
    #[error("the affix is empty")]
    EmptyAffix,
    /// The name is empty.
    #[error("the name is empty")]
    EmptyName,
    /// Every disambiguated candidate was taken.
    #[error("no free name derived from {name:?} within {limit} characters")]
    Exhausted {
        /// The name.
        name: String,
        /// The limit.
        limit: usize,
    },
}

struct Parts {
    body: Vec<char>,
    affix: String,
    sep: String,
    position: AffixPosition,
}

impl Parts {
    fn compose(&self, body: &[char], disambiguator: &str) -> String {
        let body: String = body.iter().collect::<String>();
        let body = body.trim_end();
        match self.position {
            AffixPosition::Prefix => format!("{}{}{}{}", self.affix, self.sep, body, disambiguator),
            AffixPosition::Suffix => format!("{}{}{}{}", body, disambiguator, self.sep, self.affix),
        }
    }

    fn fixed_len(&self) -> usize {
        self.affix.chars().count() + self.sep.chars().count()
    }
}

fn split(name: &str, affix: &str, position: AffixPosition) -> Parts {
    let bare = strip_quotes(name);
    let affix_len = affix.chars().count();
    match affix_position(bare, affix) {
        Some(found) if bare.chars().count() > affix_len => {
            let chars: Vec<char> = bare.chars().collect();
            let (aff, rest): (String, Vec<char>) = match found {
                AffixPosition::Prefix => (
                    chars[..affix_len].iter().collect(),
                    chars[affix_len..].to_vec(),
                ),
                AffixPosition::Suffix => {
                    let cut = chars.len() - affix_len;
                    (chars[cut..].iter().collect(), chars[..cut].to_vec())
                }
            };
            // Separator: whitespace or '_'/'-' between affix and body stays.
            let (sep, body) = match found {
                AffixPosition::Prefix => {
                    let n = rest.iter().take_while(|c| is_sep(**c)).count();
                    (rest[..n].iter().collect::<String>(), rest[n..].to_vec())
                }
                AffixPosition::Suffix => {
                    let n = rest.iter().rev().take_while(|c| is_sep(**c)).count();
                    let cut = rest.len() - n;
                    (rest[cut..].iter().collect::<String>(), rest[..cut].to_vec())
                }
            };
            Parts {
                body,
                affix: aff,
                sep,
                position: found,
            }
        }
        _ => Parts {
            body: bare.chars().collect(),
            affix: affix.to_string(),
            sep: separator_for(bare).to_string(),
            position,
        },
    }
}

/// Words and the abbreviations Business Central's base app uses for them in object
/// names (the most frequent in W1 BaseApp's table, page, codeunit, report, query,
/// xmlport and enum names).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("Management", "Mgt."),
    ("Inventory", "Invt."),
    ("Warehouse", "Whse."),
    ("Journal", "Jnl."),
    ("Document", "Doc."),
    ("Production", "Prod."),
    ("Purchase", "Purch."),
    ("Account", "Acc."),
    ("Service", "Serv."),
    ("Physical", "Phys."),
    ("Configuration", "Config."),
    ("General", "Gen."),
    ("Resource", "Res."),
    ("Manufacturing", "Mfg."),
    ("Customer", "Cust."),
    ("Calculation", "Calc."),
    ("Calculate", "Calc."),
    ("Number", "No."),
    ("Register", "Reg."),
    ("Exchange", "Exch."),
    ("Credit", "Cr."),
    ("Financial", "Fin."),
    ("Invoice", "Inv."),
    ("Dimension", "Dim."),
    ("Worksheet", "Wksh."),
    ("Schedule", "Sched."),
    ("Adjustment", "Adjmt."),
    ("Template", "Templ."),
    ("Ledger", "Ledg."),
    ("Alternative", "Alt."),
    ("Synchronization", "Synch."),
    ("Assembly", "Asm."),
    ("Payment", "Pmt."),
    ("Vendor", "Vend."),
    ("Shipment", "Shpt."),
    ("Discount", "Disc."),
    ("Requisition", "Req."),
    ("Reconciliation", "Recon."),
    ("Availability", "Avail."),
    ("Archive", "Arch."),
    ("Transaction", "Trans."),
    ("Reclassification", "Reclass."),
    ("Allocation", "Alloc."),
    ("Receipt", "Rcpt."),
    ("Posted", "Pstd."),
    ("Accounting", "Acctg."),
    ("Statement", "Stmt."),
    ("Quantity", "Qty."),
    ("Amount", "Amt."),
    ("Application", "Appl."),
    ("Statistics", "Stats."),
    ("Reference", "Ref."),
    ("Percentage", "Pct."),
    ("Information", "Info."),
];

/// The abbreviation of a whole word (its case kept when the word is lower case).
fn abbreviation(word: &str) -> Option<String> {
    let (_, abbr) = ABBREVIATIONS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))?;
    Some(if word.chars().next().is_some_and(char::is_lowercase) {
        abbr.to_lowercase()
    } else {
        (*abbr).to_string()
    })
}

/// Stage a: abbreviates whole words of `body` (separated by whitespace), from the end,
/// until it fits.
fn abbreviate(body: &mut Vec<char>, fits: impl Fn(&Vec<char>) -> bool) {
    if !body.iter().any(|c| c.is_whitespace()) {
        return;
    }
    let mut end = body.len();
    while !fits(body) && end > 0 {
        let start = body[..end]
            .iter()
            .rposition(|c| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let word: String = body[start..end].iter().collect();
        if let Some(abbr) = abbreviation(&word) {
            body.splice(start..end, abbr.chars());
        }
        end = start.saturating_sub(1);
    }
}

fn is_sep(c: char) -> bool {
    c.is_whitespace() || c == '_' || c == '-'
}

fn is_droppable_vowel(body: &[char], i: usize) -> bool {
    matches!(body[i], 'a' | 'e' | 'i' | 'o' | 'u') && i > 0 && !is_sep(body[i - 1])
}

/// Shrinks `body` until `fixed + len(body) <= budget`, following stages a–c.
fn shrink(mut body: Vec<char>, room: usize) -> Vec<char> {
    let fits = |b: &Vec<char>| trimmed_len(b) <= room;
    // a. Microsoft's abbreviations, from the end.
    abbreviate(&mut body, fits);
    // b. vowels not starting a word, from the end.
    let mut i = body.len();
    while !fits(&body) && i > 0 {
        i -= 1;
        if is_droppable_vowel(&body, i) {
            body.remove(i);
        }
    }
    // c. separators inside the body, from the end.
    let mut i = body.len();
    while !fits(&body) && i > 0 {
        i -= 1;
        if is_sep(body[i]) {
            body.remove(i);
        }
    }
    // d. truncate.
    while !fits(&body) && !body.is_empty() {
        body.pop();
    }
    while body.last().is_some_and(|c| is_sep(*c)) {
        body.pop();
    }
    body
}

fn trimmed_len(body: &[char]) -> usize {
    let trailing = body.iter().rev().take_while(|c| is_sep(**c)).count();
    body.len() - trailing
}

/// Largest disambiguator tried before giving up with [`ShortenError::Exhausted`]
/// (beyond `taken.len() + 2`, which always suffices when the limit leaves room
/// for the digits).
const MAX_EXTRA_TRIES: usize = 10_000;

/// Produces a name carrying `affix` that fits `limit` characters and does not
/// collide with `taken` (case-insensitive). See the module docs for the
/// algorithm and guarantees.
pub fn shorten(
    name: &str,
    affix: &str,
    position: AffixPosition,
    limit: usize,
    taken: &BTreeSet<String>,
) -> Result<String, ShortenError> {
    let affix = affix.trim();
    if affix.is_empty() {
        return Err(ShortenError::EmptyAffix);
    }
    if strip_quotes(name).trim().is_empty() {
        return Err(ShortenError::EmptyName);
    }
    let mut parts = split(name, affix, position);
    // The separator between affix and body goes first.
    if parts.fixed_len() + trimmed_len(&parts.body) > limit {
        parts.sep.clear();
    }
    let fixed = parts.fixed_len();
    if limit < fixed + 1 {
        return Err(ShortenError::LimitTooSmall {
            limit,
            affix: affix.to_string(),
        });
    }
    let taken_lower: BTreeSet<String> = taken.iter().map(|t| t.to_lowercase()).collect();
    let is_free = |candidate: &str| !taken_lower.contains(&candidate.to_lowercase());

    let body = shrink(parts.body.clone(), limit - fixed);
    if !body.is_empty() {
        let candidate = parts.compose(&body, "");
        if is_free(&candidate) {
            return Ok(candidate);
        }
    }
    // Numeric disambiguator. Names with the same number of digits differ, so
    // among taken.len() + 1 candidates of equal digit count one is free.
    let last = taken
        .len()
        .saturating_add(2)
        .saturating_add(MAX_EXTRA_TRIES);
    for n in 2..=last {
        let digits = n.to_string();
        let dlen = digits.chars().count();
        if fixed + dlen + 1 > limit {
            break;
        }
        let body = shrink(parts.body.clone(), limit - fixed - dlen);
        if body.is_empty() {
            break;
        }
        let candidate = parts.compose(&body, &digits);
        if is_free(&candidate) {
            return Ok(candidate);
        }
    }
    Err(ShortenError::Exhausted {
        name: strip_quotes(name).to_string(),
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affix::name_has_affix;
    use proptest::prelude::*;

    fn none() -> BTreeSet<String> {
        BTreeSet::new()
    }

    #[test]
    fn short_names_just_get_the_affix() {
        assert_eq!(
            shorten("Setup", "ABC", AffixPosition::Suffix, 30, &none()).unwrap(),
            "SetupABC"
        );
        assert_eq!(
            shorten(
                "\"Loyalty Setup\"",
                "ABC",
                AffixPosition::Suffix,
                30,
                &none()
            )
            .unwrap(),
            "Loyalty Setup ABC"
        );
    }

    #[test]
    fn existing_affix_is_kept_in_place() {
        assert_eq!(
            shorten(
                "ABC Loyalty Setup",
                "abc",
                AffixPosition::Suffix,
                30,
                &none()
            )
            .unwrap(),
            "ABC Loyalty Setup"
        );
    }

    #[test]
    fn the_affix_space_then_abbreviations_then_vowels() {
        // Fits once the affix's space is dropped: nothing else changes.
        assert_eq!(
            shorten(
                "Customer Loyalty Points Entry",
                "ABC",
                AffixPosition::Prefix,
                32,
                &none()
            )
            .unwrap(),
            "ABCCustomer Loyalty Points Entry"
        );
        // Then Microsoft's abbreviations, from the end.
        let s = shorten(
            "Customer Loyalty Ledger Entry",
            "ABC",
            AffixPosition::Prefix,
            30,
            &none(),
        )
        .unwrap();
        assert_eq!(s, "ABCCust. Loyalty Ledg. Entry");
        assert_eq!(
            shorten(
                "Purchase Document Quantity Amount Buffer",
                "ABC",
                AffixPosition::Suffix,
                30,
                &none()
            )
            .unwrap(),
            "Purch. Doc. Qty. Amt. BuffrABC"
        );
        // Vowels only when no abbreviation is left.
        assert_eq!(
            shorten(
                "Loyalty Points Bonus Tier Entry",
                "ABC",
                AffixPosition::Prefix,
                30,
                &none()
            )
            .unwrap(),
            "ABCLoyalty Points Bns Tr Entry"
        );
    }

    #[test]
    fn an_affix_the_name_carries_is_never_cut() {
        let s = shorten(
            "ABC Loyalty Management Document Setup Card",
            "ABC",
            AffixPosition::Suffix,
            30,
            &none(),
        )
        .unwrap();
        assert!(s.starts_with("ABC"), "{s}");
        assert_eq!(s, "ABCLoyalty Mgt. Doc. Setup Crd");
    }

    #[test]
    fn collision_gets_number() {
        let taken: BTreeSet<String> = ["SetupABC".to_string(), "SETUP2ABC".to_string()].into();
        assert_eq!(
            shorten("Setup", "ABC", AffixPosition::Suffix, 30, &taken).unwrap(),
            "Setup3ABC"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            shorten("Setup", "ABC", AffixPosition::Prefix, 3, &none()),
            Err(ShortenError::LimitTooSmall {
                limit: 3,
                affix: "ABC".into()
            })
        );
        assert_eq!(
            shorten("Setup", " ", AffixPosition::Prefix, 30, &none()),
            Err(ShortenError::EmptyAffix)
        );
        assert_eq!(
            shorten("\"\"", "ABC", AffixPosition::Prefix, 30, &none()),
            Err(ShortenError::EmptyName)
        );
        let taken: BTreeSet<String> = ["SABC".to_string()].into();
        assert!(matches!(
            shorten("S", "ABC", AffixPosition::Suffix, 4, &taken),
            Err(ShortenError::Exhausted { .. })
        ));
    }

    proptest! {
        #[test]
        fn invariants(
            name in "[A-Za-z][A-Za-z0-9 _-]{0,60}",
            affix in "[A-Za-z]{2,4}",
            pre in any::<bool>(),
            limit in 8usize..40,
            taken in proptest::collection::btree_set("[A-Za-z0-9 ]{1,30}", 0..20),
        ) {
            let pos = if pre { AffixPosition::Prefix } else { AffixPosition::Suffix };
            let a = shorten(&name, &affix, pos, limit, &taken);
            let b = shorten(&name, &affix, pos, limit, &taken);
            prop_assert_eq!(&a, &b);
            if let Ok(s) = a {
                prop_assert!(s.chars().count() <= limit, "{s:?} > {limit}");
                prop_assert!(name_has_affix(&s, &affix));
                prop_assert!(!taken.iter().any(|t| t.eq_ignore_ascii_case(&s)));
            }
        }

        #[test]
        fn collisions_with_own_outputs_are_avoided(
            name in "[A-Za-z][A-Za-z ]{0,40}",
            limit in 10usize..31,
        ) {
            // Shortening the same name repeatedly while recording results yields distinct names.
            let mut taken = BTreeSet::new();
            for _ in 0..15 {
                let s = shorten(&name, "ABC", AffixPosition::Prefix, limit, &taken).unwrap();
                prop_assert!(s.chars().count() <= limit);
                prop_assert!(taken.insert(s.to_lowercase()));
            }
        }
    }
}
