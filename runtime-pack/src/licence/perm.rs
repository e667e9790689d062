//! The `pbm` permission bitmask, per-letter permissions and ISO dates.

use std::fmt;

use serde::Serialize;

/// One permission letter's level, as in the Permission Range table (`" ",Yes,Indirect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub enum Permission {
    /// Not granted.
    #[default]
    None,
    /// Granted only indirectly (through other objects).
    Indirect,
    /// Granted directly.
    Direct,
}

impl Permission {
    /// `D`, `I` or `-` (the report notation of license-format.md §11.3).
    pub fn code(self) -> char {
        match self {
            Permission::Direct => 'D',
            Permission::Indirect => 'I',
            Permission::None => '-',
        }
    }
}

/// Direct bits R, I, M, D, X of a `pbm` value.
const DIRECT: [u32; 5] = [1, 2, 4, 8, 16];
/// Indirect bits r, i, m, d, x of a `pbm` value (512 = indirect execute is inferred).
const INDIRECT: [u32; 5] = [32, 64, 128, 256, 512];
/// The permission letters in column order.
pub const LETTERS: [char; 5] = ['R', 'I', 'M', 'D', 'X'];

/// Read, Insert, Modify, Delete and Execute permission of one range.
///
/// ```
/// use runtime_pack::licence::{Permission, Permissions};
/// let p = Permissions::from_pbm(29 | 64); // R-MDX plus indirect insert
/// assert_eq!(p.insert, Permission::Indirect);
/// assert_eq!(p.to_letters(), "RiMDX");
/// assert_eq!(Permissions::parse_letters("RiMDX"), Some(p));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Permissions {
    /// R.
    pub read: Permission,
    /// I (what publishing a normal app needs).
    pub insert: Permission,
    /// M.
    pub modify: Permission,
    /// D.
    pub delete: Permission,
    /// X (what running needs).
    pub execute: Permission,
}

impl Permissions {
    /// Nothing granted.
    pub const NONE: Permissions = Permissions {
        read: Permission::None,
        insert: Permission::None,
        modify: Permission::None,
        delete: Permission::None,
        execute: Permission::None,
    };

    /// The five levels in R, I, M, D, X order.
    pub fn as_array(&self) -> [Permission; 5] {
        [
            self.read,
            self.insert,
            self.modify,
            self.delete,
            self.execute,
        ]
    }

    /// Builds from levels in R, I, M, D, X order.
    pub fn from_array(a: [Permission; 5]) -> Self {
        let [read, insert, modify, delete, execute] = a;
        Permissions {
            read,
            insert,
            modify,
            delete,
            execute,
        }
    }

    /// Decodes a `pbm` value: a letter is `Direct` if its direct bit is set, else `Indirect`
    /// if its indirect bit is set, else `None`. Bits ≥ 1024 are ignored.
    pub fn from_pbm(pbm: u32) -> Self {
        let mut a = [Permission::None; 5];
        for (i, slot) in a.iter_mut().enumerate() {
            *slot = if pbm & DIRECT[i] != 0 {
                Permission::Direct
            } else if pbm & INDIRECT[i] != 0 {
                Permission::Indirect
            } else {
                Permission::None
            };
        }
        Self::from_array(a)
    }

    /// The canonical `pbm` value (one bit per granted letter).
    pub fn to_pbm(&self) -> u32 {
        self.as_array()
            .iter()
            .enumerate()
            .map(|(i, p)| match p {
                Permission::Direct => DIRECT[i],
                Permission::Indirect => INDIRECT[i],
                Permission::None => 0,
            })
            .sum()
    }

    /// Five letters in RIMDX order: upper case = direct, lower case = indirect, `-` = none.
    pub fn to_letters(&self) -> String {
        self.as_array()
            .iter()
            .zip(LETTERS)
            .map(|(p, l)| match p {
                Permission::Direct => l,
                Permission::Indirect => l.to_ascii_lowercase(),
                Permission::None => '-',
            })
            .collect()
    }

    /// Parses letters from `RIMDX` (upper = direct, lower = indirect, order free, `-`/`.`
    /// placeholders). `None` if a character is not allowed or a letter repeats.
    pub fn parse_letters(s: &str) -> Option<Self> {
        let mut a = [Permission::None; 5];
        let mut seen = [false; 5];
        if s.is_empty() {
            return None;
        }
        for c in s.chars() {
            if c == '-' || c == '.' {
                continue;
            }
            let i = LETTERS.iter().position(|l| *l == c.to_ascii_uppercase())?;
            if std::mem::replace(&mut seen[i], true) {
                return None;
            }
            a[i] = if c.is_ascii_uppercase() {
                Permission::Direct
            } else {
                Permission::Indirect
            };
        }
        Some(Self::from_array(a))
    }

    /// Combines per letter, the stronger level winning (direct beats indirect beats none).
    pub fn union(&self, other: &Permissions) -> Permissions {
        let (a, b) = (self.as_array(), other.as_array());
        let mut out = [Permission::None; 5];
        for i in 0..5 {
            out[i] = a[i].max(b[i]);
        }
        Self::from_array(out)
    }

    /// Whether nothing is granted.
    pub fn is_none(&self) -> bool {
        *self == Self::NONE
    }

    /// `R=D, I=-, …` as in license-format.md §11.3.
    pub fn describe(&self) -> String {
        self.as_array()
            .iter()
            .zip(LETTERS)
            .map(|(p, l)| format!("{l}={}", p.code()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A calendar date (ISO `yyyy-mm-dd`), compared chronologically.
///
/// ```
/// use runtime_pack::licence::Date;
/// let d: Date = "2030-01-31".parse().unwrap();
/// assert!(d > "2029-12-31".parse().unwrap());
/// assert_eq!(d.to_string(), "2030-01-31");
/// assert!("31.01.2030".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

/// A string that is not an ISO `yyyy-mm-dd` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO date (yyyy-mm-dd): {0:?}")]
pub struct DateError(pub String);

impl std::str::FromStr for Date {
    type Err = DateError;

    /// Parses `yyyy-mm-dd`; a time part after `T` or a space is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let d = s.trim();
        let d = d.split(['T', ' ']).next().unwrap_or(d);
        let b = d.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = d.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = num(0..4).ok_or_else(err)?;
        let month = num(5..7).ok_or_else(err)?;
        let day = num(8..10).ok_or_else(err)?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(err()),
        };
        if day == 0 || day > days {
            return Err(err());
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::{Direct as Dr, Indirect as In, None as No};

    #[test]
    fn pbm_decoding_matches_the_documented_examples() {
        assert_eq!(Permissions::from_pbm(31).to_letters(), "RIMDX");
        assert_eq!(Permissions::from_pbm(16).to_letters(), "----X");
        assert_eq!(Permissions::from_pbm(12).to_letters(), "--MD-");
        assert_eq!(Permissions::from_pbm(29).to_letters(), "R-MDX");
        assert_eq!(Permissions::from_pbm(193).to_letters(), "Rim--");
        assert_eq!(Permissions::from_pbm(480).to_letters(), "rimd-");
        assert_eq!(Permissions::from_pbm(512).to_letters(), "----x");
        assert_eq!(Permissions::from_pbm(0), Permissions::NONE);
    }

    #[test]
    fn direct_bit_beats_indirect_bit_and_high_bits_are_ignored() {
        let p = Permissions::from_pbm(1 | 32 | 1024 | 4096);
        assert_eq!(p.read, Dr);
        assert_eq!(p.to_pbm(), 1);
        assert_eq!(Permissions::from_pbm(u32::MAX).to_letters(), "RIMDX");
    }

    #[test]
    fn letters_parse_in_any_order_with_placeholders() {
        let p = Permissions::parse_letters("x.D-r").unwrap();
        assert_eq!(p.as_array(), [In, No, No, Dr, In]);
        assert!(Permissions::parse_letters("RR").is_none());
        assert!(Permissions::parse_letters("RZ").is_none());
        assert!(Permissions::parse_letters("").is_none());
        assert_eq!(Permissions::parse_letters("-----"), Some(Permissions::NONE));
    }

    #[test]
    fn union_prefers_direct() {
        let a = Permissions::parse_letters("ri").unwrap();
        let b = Permissions::parse_letters("R-X").unwrap();
        assert_eq!(a.union(&b).to_letters(), "Ri--X");
        assert_eq!(a.union(&b).describe(), "R=D, I=I, M=-, D=-, X=D");
    }

    #[test]
    fn dates() {
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("2024-1-01".parse::<Date>().is_err());
        assert!("+024-01-01".parse::<Date>().is_err());
        assert_eq!(
            "2033-01-31 00:00:00Z".parse::<Date>().unwrap().to_string(),
            "2033-01-31"
        );
    }

    proptest::proptest! {
        #[test]
        fn letters_round_trip(pbm in 0u32..1024) {
            let p = Permissions::from_pbm(pbm);
            proptest::prop_assert_eq!(Permissions::parse_letters(&p.to_letters()), Some(p));
            proptest::prop_assert_eq!(Permissions::from_pbm(p.to_pbm()), p);
        }
    }
}
