//! Extension scopes (DEV, PTE, global apps, on-prem) as data: where each can be
//! deployed, what identifies it, what it may depend on, and its
//! resource-exposure defaults (scope-rules.md §1, §7.1).
//!
//! ```
//! use scope_rules::scope::{Scope, GlobalKind};
//! let s: Scope = "Marketplace".parse().unwrap();
//! assert_eq!(s, Scope::APPSOURCE);
//! assert_eq!("appsource".parse::<Scope>().unwrap(), Scope::Global(GlobalKind::Marketplace));
//! assert!(!s.may_depend_on(Scope::Pte));
//! assert!(Scope::Pte.may_depend_on(Scope::Dev));
//! ```

use std::fmt;
use std::str::FromStr;

/// Which kind of global app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GlobalKind {
    /// An ISV app from the Marketplace (formerly AppSource).
    Marketplace,
    /// A Microsoft first-party app (Base App, System App, localizations, …).
    Microsoft,
    /// An Embed ISV app on a code-customized base app.
    Embed,
}

/// The scope (extension type) of an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// A DEV extension, published from VS Code or Designer (sandboxes only).
    Dev,
    /// A per-tenant extension uploaded for one customer.
    Pte,
    /// A global app.
    Global(GlobalKind),
    /// On-prem, published with `Publish-NAVApp -Scope Global`.
    OnPremGlobal,
    /// On-prem, published with `Publish-NAVApp -Scope Tenant`.
    OnPremTenant,
    /// On-prem runtime package (compiled artefacts only, no AL source).
    OnPremRuntimePackage,
}

/// Where an app can be deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeployTarget {
    /// A SaaS production environment.
    SaasProduction,
    /// A SaaS sandbox environment.
    SaasSandbox,
    /// An on-prem server.
    OnPrem,
}

/// What makes an app unique within its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `id` + `version`, service-wide; the same pair may not exist with different
    /// content (AVS0107).
    IdVersion,
    /// `id` + `version` + environment: the same pair may differ between environments.
    IdVersionEnvironment,
    /// `id` + `version` + tenant (on-prem tenant scope).
    IdVersionTenant,
}

/// The four `resourceExposurePolicy` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExposurePolicy {
    /// Dependents may debug into this app.
    pub allow_debugging: bool,
    /// Source can be downloaded.
    pub allow_downloading_source: bool,
    /// Symbols carry the source.
    pub include_source_in_symbol_file: bool,
    /// The policy also applies when published as a DEV extension.
    pub apply_to_dev_extension: bool,
}

/// Which code analyzer governs a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cop {
    /// AppSourceCop (AS rules).
    AppSourceCop,
    /// PerTenantExtensionCop (PTE rules).
    PerTenantExtensionCop,
}

impl Scope {
    /// The Marketplace/AppSource scope (alias).
    pub const APPSOURCE: Scope = Scope::Global(GlobalKind::Marketplace);
    /// The Marketplace/AppSource scope (alias).
    pub const MARKETPLACE: Scope = Scope::Global(GlobalKind::Marketplace);

    /// Every scope, for iteration in tests and tables.
    pub const ALL: [Scope; 8] = [
        Scope::Dev,
        Scope::Pte,
        Scope::Global(GlobalKind::Marketplace),
        Scope::Global(GlobalKind::Microsoft),
        Scope::Global(GlobalKind::Embed),
        Scope::OnPremGlobal,
        Scope::OnPremTenant,
        Scope::OnPremRuntimePackage,
    ];

    /// Canonical lower-case name, accepted back by [`FromStr`].
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::Dev => "dev",
            Scope::Pte => "pte",
            Scope::Global(GlobalKind::Marketplace) => "appsource",
            Scope::Global(GlobalKind::Microsoft) => "microsoft",
            Scope::Global(GlobalKind::Embed) => "embed",
            Scope::OnPremGlobal => "onprem",
            Scope::OnPremTenant => "onprem-tenant",
            Scope::OnPremRuntimePackage => "runtime-package",
        }
    }

    /// Whether this is a global app (Marketplace, Microsoft or Embed).
    pub const fn is_global(self) -> bool {
        matches!(self, Scope::Global(_))
    }

    /// Whether this is one of the on-prem scopes.
    pub const fn is_on_prem(self) -> bool {
        matches!(
            self,
            Scope::OnPremGlobal | Scope::OnPremTenant | Scope::OnPremRuntimePackage
        )
    }

    /// Where apps of this scope can live.
    pub const fn deploy_targets(self) -> &'static [DeployTarget] {
        match self {
            Scope::Dev => &[DeployTarget::SaasSandbox],
            Scope::Pte
            | Scope::Global(GlobalKind::Marketplace)
            | Scope::Global(GlobalKind::Embed) => {
                &[DeployTarget::SaasProduction, DeployTarget::SaasSandbox]
            }
            Scope::Global(GlobalKind::Microsoft) => &[
                DeployTarget::SaasProduction,
                DeployTarget::SaasSandbox,
                DeployTarget::OnPrem,
            ],
            Scope::OnPremGlobal | Scope::OnPremTenant | Scope::OnPremRuntimePackage => {
                &[DeployTarget::OnPrem]
            }
        }
    }

    /// Whether an app of this scope can be deployed to `target`.
    pub fn can_deploy_to(self, target: DeployTarget) -> bool {
        self.deploy_targets().contains(&target)
    }

    /// What identifies an app of this scope.
    pub const fn identity(self) -> Identity {
        match self {
            Scope::Dev | Scope::Pte => Identity::IdVersionEnvironment,
            Scope::OnPremTenant => Identity::IdVersionTenant,
            _ => Identity::IdVersion,
        }
    }

    /// Whether an app of this scope may depend on an app of scope `dependency`.
    ///
    /// Global apps depend on global apps only; PTE and DEV extensions may depend
    /// on global apps, PTEs and DEV extensions. The sources state no rule for
    /// on-prem scopes, so they may depend on anything that can be on-prem
    /// (every scope but DEV and the SaaS-only global kinds are accepted too,
    /// as on-prem servers can hold any published .app).
    pub const fn may_depend_on(self, dependency: Scope) -> bool {
        match self {
            Scope::Global(_) => dependency.is_global(),
            Scope::Pte | Scope::Dev => {
                matches!(dependency, Scope::Global(_) | Scope::Pte | Scope::Dev)
            }
            Scope::OnPremGlobal | Scope::OnPremTenant | Scope::OnPremRuntimePackage => true,
        }
    }

    /// The analyzer that applies to the scope, if any.
    pub const fn cop(self) -> Option<Cop> {
        match self {
            Scope::Global(GlobalKind::Marketplace) => Some(Cop::AppSourceCop),
            Scope::Pte => Some(Cop::PerTenantExtensionCop),
            _ => None,
        }
    }

    /// Whether new objects need a registered affix (Marketplace apps).
    pub const fn requires_affixes(self) -> bool {
        matches!(self, Scope::Global(GlobalKind::Marketplace))
    }

    /// Effective resource-exposure policy when `resourceExposurePolicy` is absent.
    ///
    /// Every flag defaults to false in every scope, except that for a DEV
    /// extension the policy is not applied (source can be seen and debugged)
    /// unless `applyToDevExtension` is true, so this returns all-true for
    /// [`Scope::Dev`]. Documented in scope-rules.md §7.1; a commented-out docs
    /// note saying only `allowDownloadingSource` is honoured for DEV is
    /// **uncertain** and not modelled.
    pub const fn exposure_defaults(self) -> ExposurePolicy {
        match self {
            Scope::Dev => ExposurePolicy {
                allow_debugging: true,
                allow_downloading_source: true,
                include_source_in_symbol_file: true,
                apply_to_dev_extension: false,
            },
            _ => ExposurePolicy {
                allow_debugging: false,
                allow_downloading_source: false,
                include_source_in_symbol_file: false,
                apply_to_dev_extension: false,
            },
        }
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope name that is not recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown scope {0:?} (expected dev, pte, appsource/marketplace, microsoft, embed, global, onprem, onprem-tenant or runtime-package)"
)]
pub struct UnknownScope(pub String);

impl FromStr for Scope {
    type Err = UnknownScope;

    /// Case-insensitive; `-`, `_` and spaces are ignored. `global` means a
    /// Microsoft global app (the typical "global" entry of an environment);
    /// `onprem` means on-prem global scope.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        Ok(match key.as_str() {
            "dev" | "development" => Scope::Dev,
            "pte" | "pertenant" | "pertenantextension" => Scope::Pte,
            "appsource" | "marketplace" => Scope::APPSOURCE,
            "microsoft" | "global" | "globalmicrosoft" => Scope::Global(GlobalKind::Microsoft),
            "embed" | "globalembed" => Scope::Global(GlobalKind::Embed),
            "onprem" | "onpremglobal" => Scope::OnPremGlobal,
            "onpremtenant" | "tenant" => Scope::OnPremTenant,
            "runtime" | "runtimepackage" | "onpremruntime" | "onpremruntimepackage" => {
                Scope::OnPremRuntimePackage
            }
            _ => return Err(UnknownScope(s.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trip_and_aliases() {
        for s in Scope::ALL {
            assert_eq!(s.as_str().parse::<Scope>().unwrap(), s);
            assert_eq!(s.as_str().to_uppercase().parse::<Scope>().unwrap(), s);
        }
        assert_eq!("MarketPlace".parse::<Scope>().unwrap(), Scope::APPSOURCE);
        assert_eq!("On-Prem".parse::<Scope>().unwrap(), Scope::OnPremGlobal);
        assert!("cloud".parse::<Scope>().is_err());
    }

    #[test]
    fn serde_round_trip() {
        for s in Scope::ALL {
            let j = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Scope>(&j).unwrap(), s);
        }
        assert!(serde_json::from_str::<Scope>("\"moon\"").is_err());
    }

    #[test]
    fn dependency_rules() {
        assert!(Scope::APPSOURCE.may_depend_on(Scope::Global(GlobalKind::Microsoft)));
        assert!(!Scope::APPSOURCE.may_depend_on(Scope::Dev));
        assert!(!Scope::Global(GlobalKind::Embed).may_depend_on(Scope::Pte));
        assert!(Scope::Dev.may_depend_on(Scope::Pte));
        assert!(!Scope::Pte.may_depend_on(Scope::OnPremTenant));
    }

    #[test]
    fn deploy_targets() {
        assert!(Scope::Dev.can_deploy_to(DeployTarget::SaasSandbox));
        assert!(!Scope::Dev.can_deploy_to(DeployTarget::SaasProduction));
        assert!(!Scope::OnPremRuntimePackage.can_deploy_to(DeployTarget::SaasSandbox));
        assert!(Scope::Pte.can_deploy_to(DeployTarget::SaasProduction));
    }

    #[test]
    fn cops_and_defaults() {
        assert_eq!(Scope::APPSOURCE.cop(), Some(Cop::AppSourceCop));
        assert_eq!(Scope::Pte.cop(), Some(Cop::PerTenantExtensionCop));
        assert_eq!(Scope::Dev.cop(), None);
        assert!(Scope::Dev.exposure_defaults().allow_debugging);
        assert_eq!(Scope::Pte.exposure_defaults(), ExposurePolicy::default());
        assert_eq!(Scope::Pte.identity(), Identity::IdVersionEnvironment);
    }
}
