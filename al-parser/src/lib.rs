//! # al-parser
//!
//! A lossless parser for the AL language of Business Central.
