#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Scenarios of a move, table-driven, at library level: each row is a small in-memory
//! project (app.json and a few AL files; optionally dependents and dependency symbols), the
//! [`MoveOptions`] of the move, and what [`move_app`] must return — exact texts or
//! substrings of edited files, report fields, mapping entries, or the [`MoveError`] of a
//! refused request.
//!
//! One runner ([`scenarios`]) moves every row and reports every failing row by name. It
//! also checks that every expectation can fail: each check is evaluated a second time
//! against a deliberately wrong value (text altered, count off by one, negated), and a
//! check that still passes is reported. A row may name a known bug (`expect_bug`): it is
//! run, but skipped with a note instead of failing.
//!
//! `SCENARIO=name` runs only the rows whose name contains `name`; `SCENARIO_DUMP=1` prints
//! the old and new text of every file a row's move changed.

use al_parser::symbols::{ParsedApp, SourceText};
use scope_rules::affix::AffixPosition;
use scope_rules::move_engine::{
    Dependencies, Dependent, MoveError, MoveMapping, MoveOptions, MoveOutcome, ProjectFile,
    Verification, app_info, move_app, plan_project,
};
use scope_rules::{IdRange, Scope};

mod projects;
mod rows;
mod runner;
mod table;
mod vocab;

use projects::*;
use rows::*;
use runner::*;
use table::*;
use vocab::*;
