//! # runtime-pack
//!
//! Read, write and build Business Central `.app` packages, including runtime
//! (source-free) packages and the licence check.
