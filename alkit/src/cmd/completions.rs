//! `alkit completions SHELL` and `alkit man [--out DIR]`: shell completions and man pages
//! generated from the command-line grammar (clap_complete, clap_mangen), so they never
//! drift from it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, ValueEnum};

use crate::cli::Cli;

/// Shells `alkit completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash: `alkit completions bash > ~/.local/share/bash-completion/completions/alkit`.
    Bash,
    /// Zsh: `alkit completions zsh > "${fpath[1]}/_alkit"`.
    Zsh,
    /// Fish: `alkit completions fish > ~/.config/fish/completions/alkit.fish`.
    Fish,
    /// PowerShell: `alkit completions powershell | Out-String | Invoke-Expression`.
    Powershell,
}

/// `alkit completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `alkit man`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `alkit.1` and one page per subcommand (`alkit-move.1`, ...) into DIR instead
    /// of printing `alkit.1`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script for a shell.
pub fn completions(args: CompletionsArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "alkit", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    Ok(ExitCode::SUCCESS)
}

/// Prints the man page, or writes every page into a directory.
pub fn man(args: ManArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let cmd = Cli::command();
    match args.out {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            out!("{}", String::from_utf8_lossy(&page));
        }
    }
    Ok(ExitCode::SUCCESS)
}
