//! The static checks: app.json and AppSourceCop.json ([`manifest`], [`cop`]), AL source
//! ([`source`], [`property_rules`]), packages against an environment ([`deploy`]), two apps
//! installed side by side ([`side_by_side`], shared by `deploy` and the move), the rule
//! catalog ([`rules`]) and the findings they produce ([`diagnostic`]); the side-by-side
//! rules ([`side_by_side`]) shared by the move and `deploy-check`.
//!
//! ```
//! use scope_rules::checks::source::{ObjectDecl, ObjectKind, SourceContext, check_objects};
//! use scope_rules::{IdRange, RuleConfig, RuleId, Scope, render_text};
//! let ctx = SourceContext::new(Scope::Pte, vec![IdRange::new(50100, 50149)]);
//! let t = ObjectDecl::new(ObjectKind::Table, Some(70000000), "Points", "src/Points.Table.al");
//! let found = check_objects(&[t], &ctx, &RuleConfig::new());
//! assert!(found.iter().any(|d| d.code == RuleId::PTE0001));
//! assert!(render_text(&found).contains("PTE0001"));
//! ```

pub mod cop;
pub mod dependencies;
pub mod deploy;
pub mod diagnostic;
pub(crate) mod jsonpos;
pub mod manifest;
pub mod property_rules;
pub mod rules;
pub mod side_by_side;
pub mod source;
