//! AL-Go for GitHub settings above an app folder (I/O; the model and its rules are
//! [`al_manifest::AlGoSettings`]): `check` applies them as AL-Go's build does, `move` warns
//! when they would undo its new affix.

use std::path::{Path, PathBuf};

use al_manifest::{AL_GO_PROJECT_SETTINGS, AL_GO_REPO_SETTINGS, AlGoSettings};

/// AL-Go settings that apply to the app in a folder.
pub struct Found {
    /// The repository's settings merged with the project's.
    pub settings: AlGoSettings,
    /// The files read, the repository's first.
    pub files: Vec<PathBuf>,
    /// The folder is one of the project's test app folders (`testFolders`,
    /// `bcptTestFolders`), which AL-Go compiles without writing these settings.
    pub test_app: bool,
}

impl Found {
    /// The files read, for messages.
    pub fn files_label(&self) -> String {
        let files: Vec<String> = self.files.iter().map(|p| p.display().to_string()).collect();
        files.join(", ")
    }
}

/// The AL-Go settings of the app in `dir`: the nearest folder at or above it holding
/// `.AL-Go/settings.json` is its AL-Go project, the nearest holding
/// `.github/AL-Go-Settings.json` its repository (AL-Go reads the repository's settings,
/// then the project's; a single-project repository keeps both at its root). `None` when
/// neither exists.
pub fn find(dir: &Path) -> Result<Option<Found>, Box<dyn std::error::Error>> {
    let dir = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut project: Option<&Path> = None;
    let mut repo: Option<&Path> = None;
    for a in dir.ancestors() {
        if project.is_none() && a.join(AL_GO_PROJECT_SETTINGS).is_file() {
            project = Some(a);
        }
        if a.join(AL_GO_REPO_SETTINGS).is_file() {
            repo = Some(a);
            break;
        }
    }
    let mut settings = AlGoSettings::default();
    let mut files = Vec::new();
    let read = [
        (repo, AL_GO_REPO_SETTINGS),
        (project, AL_GO_PROJECT_SETTINGS),
    ];
    for (folder, name) in read {
        let Some(folder) = folder else { continue };
        let file = folder.join(name);
        let text = crate::project::read_text(&file)?;
        settings.merge(AlGoSettings::from_json_str_named(
            &text,
            &file.display().to_string(),
        )?);
        files.push(file);
    }
    let Some(base) = project.or(repo) else {
        return Ok(None);
    };
    let rel = dir
        .strip_prefix(base)
        .map(|r| r.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(Found {
        test_app: settings.is_test_folder(&rel),
        settings,
        files,
    }))
}
