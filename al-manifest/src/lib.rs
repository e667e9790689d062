//! # al-manifest
//!
//! Manifests of Business Central extensions: `app.json`, `NavxManifest.xml`,
//! `AppSourceCop.json`, four-part versions and the dependency graph over a set of apps.
