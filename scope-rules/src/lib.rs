//! # scope-rules
//!
//! Extension scopes (DEV, PTE, AppSource), ID ranges, affix rules, static checks
//! and the move engine.
