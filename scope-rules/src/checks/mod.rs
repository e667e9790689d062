//! The static checks: app.json and AppSourceCop.json ([`manifest`], [`cop`]), AL source
//! ([`source`], [`property_rules`]), packages against an environment ([`deploy`]), two apps
//! installed side by side ([`side_by_side`], shared by `deploy` and the move), the rule
//! catalog ([`rules`]) and the findings they produce ([`diagnostic`]).

pub mod cop;
pub mod deploy;
pub mod diagnostic;
pub mod jsonpos;
pub mod manifest;
pub mod property_rules;
pub mod rules;
pub mod side_by_side;
pub mod source;
