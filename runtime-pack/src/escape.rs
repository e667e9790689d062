//! OPC part-name escaping.
//!
//! Parts outside `src/` are URI-escaped once (`Translations/Business%20Foundation.g.xlf`); AL
//! source parts under `src/` are escaped twice
//! (`src/System%2520Codeunits/Codeunit%2520-%2520Company%2520Triggers.al`).
//! `[Content_Types].xml` is not a part and is never escaped.

/// The prefix of AL source parts, whose names are escaped twice.
pub const SOURCE_PREFIX: &str = "src/";
/// The name of the OPC content-types entry (stored verbatim).
pub const CONTENT_TYPES: &str = "[Content_Types].xml";

use std::borrow::Cow;

/// Percent-escapes one level ([`al_manifest::uri::escape`]).
pub fn escape_uri(text: &str) -> String {
    al_manifest::uri::escape(text).into_owned()
}

/// Removes one level of percent-escaping ([`al_manifest::uri::unescape`]): a `%` not
/// followed by two hex digits is kept literally; `None` when the result is not UTF-8.
pub fn unescape_uri(text: &str) -> Option<String> {
    al_manifest::uri::unescape(text).map(Cow::into_owned)
}

/// The zip entry name for the package path `path`: escaped twice under `src/`, once elsewhere,
/// `[Content_Types].xml` verbatim.
///
/// ```
/// use runtime_pack::{escape_part_name, unescape_part_name};
/// let name = escape_part_name("src/System Codeunits/Codeunit - Company Triggers.al");
/// assert_eq!(name, "src/System%2520Codeunits/Codeunit%2520-%2520Company%2520Triggers.al");
/// assert_eq!(escape_part_name("Translations/Business Foundation.g.xlf"),
///            "Translations/Business%20Foundation.g.xlf");
/// assert_eq!(unescape_part_name(&name).as_deref(),
///            Some("src/System Codeunits/Codeunit - Company Triggers.al"));
/// ```
pub fn escape_part_name(path: &str) -> String {
    if path == CONTENT_TYPES {
        path.to_owned()
    } else if path.starts_with(SOURCE_PREFIX) {
        escape_uri(&escape_uri(path))
    } else {
        escape_uri(path)
    }
}

/// The package path of the zip entry `name`: the inverse of [`escape_part_name`]. Returns `None`
/// when an un-escaped level is not UTF-8.
pub fn unescape_part_name(name: &str) -> Option<String> {
    if name == CONTENT_TYPES {
        return Some(name.to_owned());
    }
    let once = unescape_uri(name)?;
    if name.starts_with(SOURCE_PREFIX) {
        unescape_uri(&once)
    } else {
        Some(once)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_names() {
        assert_eq!(
            unescape_part_name(
                "src/System%2520Codeunits/Codeunit%2520-%2520Company%2520Triggers.al"
            )
            .as_deref(),
            Some("src/System Codeunits/Codeunit - Company Triggers.al")
        );
        assert_eq!(
            unescape_part_name("entitlement/Azure%20AD%20Application%20Api.xml").as_deref(),
            Some("entitlement/Azure AD Application Api.xml")
        );
        assert_eq!(
            unescape_part_name("[Content_Types].xml").as_deref(),
            Some("[Content_Types].xml")
        );
        // Literal percent that is not an escape stays.
        assert_eq!(unescape_uri("100%").as_deref(), Some("100%"));
        assert_eq!(unescape_uri("%zz").as_deref(), Some("%zz"));
        // Bad UTF-8 after decoding.
        assert_eq!(unescape_uri("%FF"), None);
        assert_eq!(escape_part_name("a%b c/ä.xml"), "a%25b%20c/%C3%A4.xml");
    }

    proptest! {
        #[test]
        fn uri_round_trip(s in any::<String>()) {
            prop_assert_eq!(unescape_uri(&escape_uri(&s)), Some(s));
        }

        #[test]
        fn part_round_trip(rest in any::<String>(), src in any::<bool>()) {
            let path = if src { format!("src/{rest}") } else { rest };
            let name = escape_part_name(&path);
            prop_assert!(name.is_ascii());
            prop_assert_eq!(unescape_part_name(&name), Some(path));
        }

        #[test]
        fn unescape_never_panics(s in "[%0-9a-fA-FzZ /]{0,40}") {
            let _ = unescape_part_name(&s);
        }
    }
}
