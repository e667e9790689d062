//! NuGet versions (`23.2.14098.14562`, `1.0.0-beta`) and version ranges (`1.0`, `[1.0,2.0)`).

use std::cmp::Ordering;
use std::fmt;

/// A NuGet version: up to four numeric parts (missing parts are 0) and an optional
/// pre-release label. Ordered as NuGet orders them: numerically by part, a pre-release
/// before its release, labels compared case-insensitively.
///
/// ```
/// use runtime_pack::nuget::NuGetVersion;
/// let a: NuGetVersion = "23.2".parse().unwrap();
/// let b: NuGetVersion = "23.2.0.0".parse().unwrap();
/// assert_eq!(a, b);
/// assert!("1.0.0-beta".parse::<NuGetVersion>().unwrap() < "1.0.0".parse().unwrap());
/// assert_eq!(b.to_string(), "23.2.0.0");
/// ```
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    /// The four numeric parts.
    pub parts: [u64; 4],
    /// The pre-release label, without the dash (empty for a release).
    pub pre: String,
    /// How many numeric parts were written (1–4), to print the version as given.
    written: usize,
}

impl NuGetVersion {
    /// A release version from four parts.
    pub fn new(parts: [u64; 4]) -> Self {
        Self {
            parts,
            pre: String::new(),
            written: 4,
        }
    }

    /// The normalised form used in flat-container URLs and file names: lower-case, at
    /// least three parts, a fourth only when not 0 (`1.0.0`, `23.2.14098.14562`).
    ///
    /// ```
    /// use runtime_pack::nuget::NuGetVersion;
    /// let v: NuGetVersion = "1.0.0.0".parse().unwrap();
    /// assert_eq!(v.normalized(), "1.0.0");
    /// ```
    pub fn normalized(&self) -> String {
        let [a, b, c, d] = self.parts;
        let mut s = if d == 0 {
            format!("{a}.{b}.{c}")
        } else {
            format!("{a}.{b}.{c}.{d}")
        };
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre.to_lowercase());
        }
        s
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for NuGetVersion {}
impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.to_lowercase().cmp(&other.pre.to_lowercase()),
            }
        })
    }
}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.written.clamp(1, 4);
        let parts: Vec<String> = self.parts[..n].iter().map(u64::to_string).collect();
        write!(f, "{}", parts.join("."))?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for NuGetVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        // Build metadata (`+abc`) does not take part in comparisons.
        let s = s.split('+').next().unwrap_or_default();
        let (nums, pre) = match s.split_once('-') {
            Some((n, p)) => (n, p),
            None => (s, ""),
        };
        let mut parts = [0u64; 4];
        let mut written = 0;
        for (i, p) in nums.split('.').enumerate() {
            let slot = parts
                .get_mut(i)
                .ok_or_else(|| format!("`{s}`: more than four version parts"))?;
            *slot = p.parse().map_err(|_| format!("`{s}` is not a version"))?;
            written = i + 1;
        }
        if pre
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        {
            return Err(format!("`{s}`: bad pre-release label"));
        }
        Ok(Self {
            parts,
            pre: pre.to_owned(),
            written,
        })
    }
}

/// A NuGet version range: `1.0` (at least 1.0), `[1.0]` (exactly), `[1.0,2.0)`, `(,2.0]` …
///
/// ```
/// use runtime_pack::nuget::{NuGetVersion, VersionRange};
/// let r: VersionRange = "[23.2.14098.14562,23.3)".parse().unwrap();
/// assert!(r.contains(&"23.2.15000.0".parse().unwrap()));
/// assert!(!r.contains(&"23.3.0.0".parse().unwrap()));
/// let min = VersionRange::at_least("24.0.0.0".parse().unwrap());
/// assert!(min.contains(&"25.1".parse().unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRange {
    /// Lower bound and whether it is included.
    pub min: Option<(NuGetVersion, bool)>,
    /// Upper bound and whether it is included.
    pub max: Option<(NuGetVersion, bool)>,
}

impl VersionRange {
    /// Every version at or above `v` (how app.json's minimum versions read).
    pub fn at_least(v: NuGetVersion) -> Self {
        Self {
            min: Some((v, true)),
            max: None,
        }
    }

    /// Every version.
    pub fn any() -> Self {
        Self {
            min: None,
            max: None,
        }
    }

    /// Whether `v` lies in the range.
    pub fn contains(&self, v: &NuGetVersion) -> bool {
        let above = match &self.min {
            None => true,
            Some((m, true)) => v >= m,
            Some((m, false)) => v > m,
        };
        let below = match &self.max {
            None => true,
            Some((m, true)) => v <= m,
            Some((m, false)) => v < m,
        };
        above && below
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.min, &self.max) {
            (Some((m, true)), None) => write!(f, "{m}"),
            (Some((a, true)), Some((b, true))) if a == b => write!(f, "[{a}]"),
            (min, max) => {
                let (open, lo) = match min {
                    Some((m, inc)) => (if *inc { '[' } else { '(' }, m.to_string()),
                    None => ('(', String::new()),
                };
                let (close, hi) = match max {
                    Some((m, inc)) => (if *inc { ']' } else { ')' }, m.to_string()),
                    None => (')', String::new()),
                };
                write!(f, "{open}{lo},{hi}{close}")
            }
        }
    }
}

impl std::str::FromStr for VersionRange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(Self::any());
        }
        let first = t.chars().next().unwrap_or(' ');
        if first != '[' && first != '(' {
            return Ok(Self::at_least(t.parse()?));
        }
        let last = t.chars().last().unwrap_or(' ');
        if last != ']' && last != ')' {
            return Err(format!("`{t}`: a range must end with `]` or `)`"));
        }
        let inner = &t[1..t.len() - 1];
        let (lo_inc, hi_inc) = (first == '[', last == ']');
        let bound = |x: &str, inc: bool| -> Result<Option<(NuGetVersion, bool)>, String> {
            let x = x.trim();
            if x.is_empty() {
                Ok(None)
            } else {
                Ok(Some((x.parse()?, inc)))
            }
        };
        match inner.split_once(',') {
            None => {
                let v: NuGetVersion = inner.trim().parse()?;
                if !(lo_inc && hi_inc) {
                    return Err(format!("`{t}`: an exact version needs `[` and `]`"));
                }
                Ok(Self {
                    min: Some((v.clone(), true)),
                    max: Some((v, true)),
                })
            }
            Some((lo, hi)) => Ok(Self {
                min: bound(lo, lo_inc)?,
                max: bound(hi, hi_inc)?,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> NuGetVersion {
        s.parse().unwrap()
    }

    #[test]
    fn ordering_and_ranges() {
        assert!(v("1.10") > v("1.9"));
        assert!(v("1.0.0-alpha") < v("1.0.0-beta"));
        assert_eq!(v("1.0.0+meta"), v("1.0"));
        assert!("1.x".parse::<NuGetVersion>().is_err());
        assert!("1.2.3.4.5".parse::<NuGetVersion>().is_err());
        let r: VersionRange = "(1.0,]".parse().unwrap();
        assert!(!r.contains(&v("1.0")) && r.contains(&v("9")));
        let r: VersionRange = "[1.0]".parse().unwrap();
        assert!(r.contains(&v("1.0.0.0")) && !r.contains(&v("1.0.0.1")));
        assert_eq!(r.to_string(), "[1.0]");
        assert!("(1.0)".parse::<VersionRange>().is_err());
        assert!("[1.0".parse::<VersionRange>().is_err());
        assert_eq!(v("23.2.0.1").normalized(), "23.2.0.1");
    }
}
