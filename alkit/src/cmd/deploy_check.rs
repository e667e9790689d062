//! `alkit deploy-check APP --scope pte|appsource|dev|onprem [--environment FILE]`:
//! would publishing this app into this environment be blocked? The environment
//! file format is documented in scope-rules' `deploy` module and in README.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use scope_rules::checks::deploy::{AppUnderTest, Environment, deploy_check};
use scope_rules::checks::manifest::check_runtime_package_submission;
use scope_rules::{Diagnostic, Scope};

use super::check::{Format, Project, emit, is_app_file, parse_scope, read_package, rule_config};

/// `alkit deploy-check ...`
#[derive(Debug, Args)]
pub struct DeployCheckArgs {
    /// Project folder (holding app.json), or a .app package.
    pub app: PathBuf,
    /// Scope the app will be published in: pte, appsource, dev or onprem.
    #[arg(long, value_parser = parse_scope)]
    pub scope: Scope,
    /// Environment description (JSON: platform, kind, installed apps). Without it the
    /// environment is taken as empty.
    #[arg(long)]
    pub environment: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Rule ids to disable (comma-separated, repeatable).
    #[arg(long, value_delimiter = ',')]
    pub disable: Vec<String>,
    /// An AL ruleset file (`*.ruleset.json`).
    #[arg(long)]
    pub ruleset: Option<PathBuf>,
}

fn read_environment(path: &std::path::Path) -> Result<Environment, Box<dyn std::error::Error>> {
    let text = crate::project::read_text(path)?;
    Environment::from_json_str(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// The app under test from a project folder or a package; `Err(diags)` when
/// the answer is known without an environment (a runtime package has no
/// readable identity).
fn app_under_test(
    args: &DeployCheckArgs,
    config: &scope_rules::RuleConfig,
) -> Result<Result<AppUnderTest, Vec<Diagnostic>>, Box<dyn std::error::Error>> {
    if is_app_file(&args.app) {
        let file = args.app.display().to_string();
        let pkg = read_package(&args.app)?;
        if pkg.kind() == runtime_pack::PackageKind::Runtime {
            if args.scope == Scope::APPSOURCE {
                return Ok(Err(check_runtime_package_submission(
                    true, args.scope, &file, config,
                )));
            }
            return Err(format!(
                "{file}: a runtime package carries no readable manifest; run deploy-check on the project folder it was built from"
            )
            .into());
        }
        if pkg.kind() == runtime_pack::PackageKind::SymbolsOnly {
            return Err(format!(
                "{file}: a symbols-only package (no AL source): a server cannot publish it as an extension \
                 (there is nothing to compile); run deploy-check on the full package or its project folder"
            )
            .into());
        }
        let m = match pkg.app_manifest() {
            Some(r) => r.map_err(|e| format!("{file}: NavxManifest.xml: {e}"))?,
            None => return Err(format!("{file}: the package has no NavxManifest.xml").into()),
        };
        let mut app = AppUnderTest::from_manifest(&m, args.scope, &file);
        let sources: Vec<(String, &[u8])> = pkg
            .source_files()
            .map(|e| (format!("{file}!{}", e.path), e.data.as_slice()))
            .collect();
        app.objects =
            scope_rules::objects_from_sources(sources.iter().map(|(l, b)| (l.as_str(), *b)));
        Ok(Ok(app))
    } else {
        let project = Project::read(&args.app)?;
        let mut app =
            AppUnderTest::from_manifest(project.doc.manifest(), args.scope, &project.app_json_file);
        app.objects = project.objects();
        Ok(Ok(app))
    }
}

/// Runs `alkit deploy-check`.
pub fn run(args: DeployCheckArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let config = rule_config(args.ruleset.as_deref(), &args.disable)?;
    let env = match &args.environment {
        Some(p) => read_environment(p)?,
        None => Environment::default(),
    };
    let diags = match app_under_test(&args, &config)? {
        Ok(app) => deploy_check(&app, &env),
        Err(diags) => diags,
    };
    Ok(emit(config.apply(diags), args.format))
}
