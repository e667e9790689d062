//! Four-part app versions ([`AppVersion`]) and `major.minor` runtime versions
//! ([`RuntimeVersion`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest value of one version part: .NET `System.Version` stores parts as
/// non-negative `int32`.
pub const MAX_VERSION_PART: u32 = i32::MAX as u32;

/// Why a version string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The string was empty (after nothing: whitespace is not trimmed).
    #[error("expected a version like {expected}, found an empty string")]
    Empty {
        /// The expected shape, e.g. `"major.minor.build.revision"`.
        expected: &'static str,
    },
    /// Wrong number of dot-separated parts.
    #[error("expected {expected} ({wanted} numeric parts), found {found} part(s) in {text:?}")]
    PartCount {
        /// The expected shape.
        expected: &'static str,
        /// How many parts are needed.
        wanted: usize,
        /// How many parts were found.
        found: usize,
        /// The rejected text.
        text: String,
    },
    /// A part was not made of ASCII digits only.
    #[error(
        "expected a non-negative decimal number for the {part} part of {text:?}, found {found:?}"
    )]
    NotANumber {
        /// Name of the part (`major`, `minor`, `build`, `revision`).
        part: &'static str,
        /// The offending part.
        found: String,
        /// The rejected text.
        text: String,
    },
    /// A part is larger than [`MAX_VERSION_PART`].
    #[error("the {part} part of {text:?} is larger than {max} (the .NET System.Version limit)")]
    TooLarge {
        /// Name of the part.
        part: &'static str,
        /// The rejected text.
        text: String,
        /// The limit, [`MAX_VERSION_PART`].
        max: u32,
    },
    /// A `semver::Version` that cannot be mapped (pre-release or build metadata,
    /// or a part larger than [`MAX_VERSION_PART`]).
    #[error("semver version {version} cannot be mapped to a 4-part version: {reason}")]
    Semver {
        /// The semver version as text.
        version: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

const PART_NAMES: [&str; 4] = ["major", "minor", "build", "revision"];
const APP_SHAPE: &str = "major.minor.build.revision";
const RUNTIME_SHAPE: &str = "major.minor";

fn parse_part(s: &str, idx: usize, text: &str) -> Result<u32, VersionError> {
    let part = PART_NAMES.get(idx).copied().unwrap_or("extra");
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VersionError::NotANumber {
            part,
            found: s.to_string(),
            text: text.to_string(),
        });
    }
    match s.parse::<u64>() {
        Ok(v) if v <= u64::from(MAX_VERSION_PART) => Ok(v as u32),
        _ => Err(VersionError::TooLarge {
            part,
            text: text.to_string(),
            max: MAX_VERSION_PART,
        }),
    }
}

fn parse_parts(
    text: &str,
    min: usize,
    max: usize,
    expected: &'static str,
) -> Result<[u32; 4], VersionError> {
    if text.is_empty() {
        return Err(VersionError::Empty { expected });
    }
    let count = text.split('.').count();
    if count < min || count > max {
        return Err(VersionError::PartCount {
            expected,
            wanted: max,
            found: count,
            text: text.to_string(),
        });
    }
    let mut out = [0u32; 4];
    for (i, (slot, s)) in out.iter_mut().zip(text.split('.')).enumerate() {
        *slot = parse_part(s, i, text)?;
    }
    Ok(out)
}

/// A Business Central app version: `major.minor.build.revision`.
///
/// * Each part is a decimal number in `0..=2147483647` ([`MAX_VERSION_PART`]),
///   as for .NET `System.Version`.
/// * Ordering is numeric, part by part (`1.10.0.0 > 1.9.0.0`).
/// * [`FromStr`] requires exactly four parts (what `app.json` requires); leading
///   zeros are accepted (`01` = `1`) and dropped by [`Display`](fmt::Display).
///   Signs and whitespace are rejected. [`AppVersion::parse_lenient`] also
///   accepts 2 or 3 parts.
/// * Serde reads and writes it as a string.
///
/// ```
/// use al_manifest::AppVersion;
/// let v: AppVersion = "24.0.16410.18040".parse()?;
/// assert_eq!(v.major, 24);
/// assert!(v > "24.0.9999.0".parse()?);
/// assert_eq!(v.to_string(), "24.0.16410.18040");
/// assert!("1.0".parse::<AppVersion>().is_err());
/// # Ok::<(), al_manifest::VersionError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AppVersion {
    /// Major part.
    pub major: u32,
    /// Minor part.
    pub minor: u32,
    /// Build part.
    pub build: u32,
    /// Revision part.
    pub revision: u32,
}

impl AppVersion {
    /// `0.0.0.0`, e.g. the `CompatibilityId` written by the compiler.
    pub const ZERO: AppVersion = AppVersion::new(0, 0, 0, 0);

    /// Builds a version from its parts (no range check: values above
    /// [`MAX_VERSION_PART`] are representable but never produced by parsing).
    pub const fn new(major: u32, minor: u32, build: u32, revision: u32) -> Self {
        AppVersion {
            major,
            minor,
            build,
            revision,
        }
    }

    /// Parses 2, 3 or 4 parts; missing parts are 0 (`"1.2"` = `1.2.0.0`).
    ///
    /// Note: .NET would keep missing parts as "undefined" (-1), which sorts below 0;
    /// this crate has no such state.
    pub fn parse_lenient(text: &str) -> Result<Self, VersionError> {
        let [major, minor, build, revision] = parse_parts(text, 2, 4, APP_SHAPE)?;
        Ok(Self::new(major, minor, build, revision))
    }

    /// True when `self` meets a dependency's minimum version `min` (`self >= min`).
    ///
    /// ```
    /// use al_manifest::AppVersion;
    /// let have = AppVersion::new(1, 0, 0, 2);
    /// assert!(have.satisfies(&AppVersion::new(1, 0, 0, 1)));
    /// assert!(!have.satisfies(&AppVersion::new(1, 1, 0, 0)));
    /// ```
    pub fn satisfies(&self, min: &AppVersion) -> bool {
        self >= min
    }

    /// The parts as a tuple, in significance order.
    pub const fn as_tuple(&self) -> (u32, u32, u32, u32) {
        (self.major, self.minor, self.build, self.revision)
    }
}

impl fmt::Display for AppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.major, self.minor, self.build, self.revision
        )
    }
}

impl FromStr for AppVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let [major, minor, build, revision] = parse_parts(s, 4, 4, APP_SHAPE)?;
        Ok(Self::new(major, minor, build, revision))
    }
}

impl Serialize for AppVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AppVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Maps `major.minor.patch` to `major.minor.build` with revision 0.
///
/// Rejects versions with pre-release or build metadata, and parts above
/// [`MAX_VERSION_PART`].
///
/// ```
/// use al_manifest::AppVersion;
/// let v = AppVersion::try_from(&semver::Version::new(2, 1, 7))?;
/// assert_eq!(v.to_string(), "2.1.7.0");
/// # Ok::<(), al_manifest::VersionError>(())
/// ```
impl TryFrom<&semver::Version> for AppVersion {
    type Error = VersionError;
    fn try_from(v: &semver::Version) -> Result<Self, Self::Error> {
        let err = |reason| VersionError::Semver {
            version: v.to_string(),
            reason,
        };
        if !v.pre.is_empty() {
            return Err(err("pre-release identifiers are not supported"));
        }
        if !v.build.is_empty() {
            return Err(err("build metadata is not supported"));
        }
        let part = |p: u64| {
            u32::try_from(p)
                .ok()
                .filter(|p| *p <= MAX_VERSION_PART)
                .ok_or_else(|| err("a part is larger than 2147483647"))
        };
        Ok(AppVersion::new(
            part(v.major)?,
            part(v.minor)?,
            part(v.patch)?,
            0,
        ))
    }
}

impl TryFrom<semver::Version> for AppVersion {
    type Error = VersionError;
    fn try_from(v: semver::Version) -> Result<Self, Self::Error> {
        AppVersion::try_from(&v)
    }
}

/// Maps `major.minor.build.revision` to semver `major.minor.build`; the revision
/// is dropped (lossy when it is not 0).
impl From<AppVersion> for semver::Version {
    fn from(v: AppVersion) -> Self {
        semver::Version::new(u64::from(v.major), u64::from(v.minor), u64::from(v.build))
    }
}

/// The AL runtime version of `app.json`'s `runtime` property: `major.minor`
/// (e.g. `"13.0"`). Ordered numerically.
///
/// ```
/// use al_manifest::RuntimeVersion;
/// let r: RuntimeVersion = "8.0".parse()?;
/// assert!(r >= RuntimeVersion::new(8, 0));
/// assert!(r > "4.10".parse::<RuntimeVersion>()? || r < "4.10".parse()?);
/// # Ok::<(), al_manifest::VersionError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RuntimeVersion {
    /// Major part.
    pub major: u32,
    /// Minor part.
    pub minor: u32,
}

impl RuntimeVersion {
    /// Builds a runtime version.
    pub const fn new(major: u32, minor: u32) -> Self {
        RuntimeVersion { major, minor }
    }
}

impl fmt::Display for RuntimeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for RuntimeVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let [major, minor, ..] = parse_parts(s, 2, 2, RUNTIME_SHAPE)?;
        Ok(Self::new(major, minor))
    }
}

impl Serialize for RuntimeVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RuntimeVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_and_display() {
        let v: AppVersion = "1.2.3.4".parse().unwrap();
        assert_eq!(v, AppVersion::new(1, 2, 3, 4));
        assert_eq!(v.to_string(), "1.2.3.4");
        let v: AppVersion = "01.002.0.0".parse().unwrap();
        assert_eq!(v.to_string(), "1.2.0.0");
    }

    #[test]
    fn rejects_with_clear_errors() {
        let e = "1.0".parse::<AppVersion>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected major.minor.build.revision (4 numeric parts), found 2 part(s) in \"1.0\""
        );
        let e = "1.0.x.0".parse::<AppVersion>().unwrap_err();
        assert!(matches!(e, VersionError::NotANumber { part: "build", .. }));
        assert!(e.to_string().contains("build part"));
        let e = "1.0.0.2147483648".parse::<AppVersion>().unwrap_err();
        assert!(matches!(
            e,
            VersionError::TooLarge {
                part: "revision",
                ..
            }
        ));
        assert!("1.0.0.2147483647".parse::<AppVersion>().is_ok());
        assert!(matches!(
            "".parse::<AppVersion>(),
            Err(VersionError::Empty { .. })
        ));
        for bad in [
            " 1.0.0.0",
            "1.0.0.0 ",
            "+1.0.0.0",
            "-1.0.0.0",
            "1..0.0",
            "1.0.0.0.",
            "1.0.0.0.0",
            "99999999999999999999.0.0.0",
        ] {
            assert!(bad.parse::<AppVersion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn lenient() {
        assert_eq!(
            AppVersion::parse_lenient("1.2").unwrap(),
            AppVersion::new(1, 2, 0, 0)
        );
        assert_eq!(
            AppVersion::parse_lenient("1.2.3").unwrap(),
            AppVersion::new(1, 2, 3, 0)
        );
        assert!(AppVersion::parse_lenient("1").is_err());
        assert!(AppVersion::parse_lenient("1.2.3.4.5").is_err());
    }

    #[test]
    fn ordering_is_numeric() {
        let a: AppVersion = "1.10.0.0".parse().unwrap();
        let b: AppVersion = "1.9.0.0".parse().unwrap();
        assert!(a > b);
        assert!(a.satisfies(&b));
        assert!(!b.satisfies(&a));
        assert!(a.satisfies(&a));
    }

    #[test]
    fn serde_as_string() {
        let v = AppVersion::new(1, 2, 3, 4);
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"1.2.3.4\"");
        let back: AppVersion = serde_json::from_str("\"1.2.3.4\"").unwrap();
        assert_eq!(back, v);
        assert!(serde_json::from_str::<AppVersion>("\"1.2\"").is_err());
        assert!(serde_json::from_str::<AppVersion>("1").is_err());
        let r: RuntimeVersion = serde_json::from_str("\"12.0\"").unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"12.0\"");
    }

    #[test]
    fn runtime() {
        let r: RuntimeVersion = "4.10".parse().unwrap();
        assert!(r > RuntimeVersion::new(4, 2));
        assert!("4".parse::<RuntimeVersion>().is_err());
        assert!("4.0.0".parse::<RuntimeVersion>().is_err());
    }

    #[test]
    fn semver_mapping() {
        let v = AppVersion::try_from(semver::Version::new(1, 2, 3)).unwrap();
        assert_eq!(v, AppVersion::new(1, 2, 3, 0));
        let s: semver::Version = AppVersion::new(1, 2, 3, 9).into();
        assert_eq!(s, semver::Version::new(1, 2, 3));
        let pre = semver::Version::parse("1.0.0-beta").unwrap();
        assert!(AppVersion::try_from(&pre).is_err());
        let meta = semver::Version::parse("1.0.0+abc").unwrap();
        assert!(AppVersion::try_from(&meta).is_err());
        let big = semver::Version::new(1u64 << 31, 0, 0);
        assert!(AppVersion::try_from(&big).is_err());
    }

    fn part() -> impl Strategy<Value = u32> {
        prop_oneof![0u32..20, 0..=MAX_VERSION_PART]
    }

    proptest! {
        #[test]
        fn roundtrip(a in part(), b in part(), c in part(), d in part()) {
            let v = AppVersion::new(a, b, c, d);
            let back: AppVersion = v.to_string().parse().unwrap();
            prop_assert_eq!(back, v);
        }

        #[test]
        fn order_matches_tuple(x in (part(), part(), part(), part()), y in (part(), part(), part(), part())) {
            let a = AppVersion::new(x.0, x.1, x.2, x.3);
            let b = AppVersion::new(y.0, y.1, y.2, y.3);
            prop_assert_eq!(a.cmp(&b), x.cmp(&y));
            prop_assert_eq!(a.satisfies(&b), x >= y);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = s.parse::<AppVersion>();
            let _ = AppVersion::parse_lenient(&s);
            let _ = s.parse::<RuntimeVersion>();
        }

        #[test]
        fn runtime_roundtrip(a in part(), b in part()) {
            let r = RuntimeVersion::new(a, b);
            prop_assert_eq!(r.to_string().parse::<RuntimeVersion>().unwrap(), r);
        }
    }
}
