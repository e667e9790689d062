//! Resolves app.json-style requirements over an in-memory NuGet feed and prints the plan:
//! `cargo run -p runtime-pack --example nuget_resolve`.
//!
//! The feed holds MSSymbols-shaped packages (application → base application → platform)
//! and a BcNuGet package of an app depending on the application; alkit's `symbols fetch`
//! does the same over HTTP.

use runtime_pack::nuget::{
    NuGetVersion, Nuspec, NuspecDependency, PackageSource, Requirement, ResolveOptions,
    SourceError, bcnuget_id, resolve, write_nupkg,
};

struct Memory(Vec<(Nuspec, Vec<u8>)>);

impl PackageSource for Memory {
    fn name(&self) -> String {
        "memory".into()
    }
    fn versions(&mut self, id: &str) -> Result<Option<Vec<NuGetVersion>>, SourceError> {
        let v: Vec<NuGetVersion> = self
            .0
            .iter()
            .filter(|(s, _)| s.id.eq_ignore_ascii_case(id))
            .map(|(s, _)| s.version.clone())
            .collect();
        Ok((!v.is_empty()).then_some(v))
    }
    fn download(&mut self, id: &str, v: &NuGetVersion) -> Result<Vec<u8>, SourceError> {
        self.0
            .iter()
            .find(|(s, _)| s.id.eq_ignore_ascii_case(id) && s.version == *v)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| SourceError::NotFound(format!("{id} {v}")))
    }
}

fn spec(id: &str, version: &str, deps: &[(&str, &str)]) -> Result<Nuspec, String> {
    Ok(Nuspec {
        id: id.into(),
        version: version.parse()?,
        dependencies: deps
            .iter()
            .map(|(i, r)| {
                Ok(NuspecDependency {
                    id: (*i).into(),
                    range: r.parse()?,
                })
            })
            .collect::<Result<_, String>>()?,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = "Microsoft.BaseApplication.symbols.437dbf0e-84ff-417a-965d-ed2bb9650972";
    let app_id = uuid::Uuid::parse_str("5b4f3a0e-9c1d-4e55-8a7b-2f6c1d9e0a11")?;
    let loyalty = bcnuget_id("Contoso Partners", "Customer Loyalty", app_id);
    let specs = vec![
        spec("Microsoft.Platform.symbols", "24.0.0", &[])?,
        spec("Microsoft.Platform.symbols", "25.0.0", &[])?,
        spec(
            "Microsoft.Application.symbols",
            "24.0.0",
            &[(base, "24.0.0"), ("Microsoft.Platform.symbols", "24.0.0")],
        )?,
        spec(
            "Microsoft.Application.symbols",
            "25.0.0",
            &[(base, "25.0.0"), ("Microsoft.Platform.symbols", "25.0.0")],
        )?,
        spec(base, "24.0.0", &[])?,
        spec(base, "25.0.0", &[])?,
        spec(
            &loyalty,
            "1.2.0.0",
            &[("Microsoft.Application", "[24.0,26.0)")],
        )?,
    ];
    let mut feed = Memory(
        specs
            .into_iter()
            .map(|s| {
                let b = write_nupkg(&s, &[]);
                (s, b)
            })
            .collect(),
    );
    // What a dependent app's app.json asks for.
    let roots = vec![
        Requirement::app(
            "Contoso Partners",
            "Customer Loyalty",
            app_id,
            "1.2.0.0".parse()?,
            None,
        ),
        Requirement::application("24.0.0.0".parse()?, None),
        Requirement::platform("24.0.0.0".parse()?),
    ];
    for highest in [false, true] {
        let options = ResolveOptions {
            highest,
            ..ResolveOptions::default()
        };
        let plan = resolve(&roots, &mut [&mut feed], &options)?;
        println!(
            "{}:",
            if highest {
                "highest"
            } else {
                "lowest (BC's minimums)"
            }
        );
        for p in &plan.packages {
            println!("  {} {} (sha256 {}…)", p.id, p.version, &p.sha256[..12]);
        }
    }
    Ok(())
}
