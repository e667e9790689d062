//! `alkit extract FILE.app DIR`: every entry of a package (paths un-escaped), plus an `app.json`
//! regenerated from NavxManifest.xml. All or nothing: the tree is built in a staging directory
//! beside DIR and renamed into place at the end.
//!
//! The result is a project `alkit pack` can rebuild: AL sources are stored as
//! `src/<project-relative path>` (app-format.md §2.3; the part name escaped twice) and report
//! layouts as `layout/<project-relative path>`, so both are written at their project-relative
//! path (`src/src/X.Table.al` → `DIR/src/X.Table.al`); every other entry keeps its package path.
//! The regenerated app.json keeps `showMyCode` and the resource exposure policy.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use runtime_pack::{Package, PackageKind};

/// `alkit extract`
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The package (.app) to extract.
    pub file: PathBuf,
    /// Destination directory: must not exist or be empty.
    pub dir: PathBuf,
}

/// The relative path an entry is written to: its un-escaped package path, empty segments dropped.
/// `None` if it would not stay inside the destination (the reader already refuses such names;
/// this is a second line of defence).
fn relative_path(package_path: &str) -> Option<PathBuf> {
    let rel: PathBuf = package_path.split('/').filter(|s| !s.is_empty()).collect();
    let sound =
        rel.components().count() > 0 && rel.components().all(|c| matches!(c, Component::Normal(_)));
    sound.then_some(rel)
}

/// Package folders whose entries are stored under the project-relative path of the file.
const PROJECT_RELATIVE_PREFIXES: &[&str] = &[runtime_pack::SOURCE_PREFIX, "layout/"];

/// Where an entry goes inside the extracted project, `/`-separated: the package path without
/// its `src/` or `layout/` prefix (those entries carry the project-relative path of the file),
/// otherwise the package path itself.
fn project_path(package_path: &str) -> &str {
    PROJECT_RELATIVE_PREFIXES
        .iter()
        .find_map(|p| package_path.strip_prefix(p))
        .filter(|rest| rest.split('/').any(|s| !s.is_empty()))
        .unwrap_or(package_path)
}

fn is_empty_dir(dir: &Path) -> std::io::Result<bool> {
    Ok(std::fs::read_dir(dir)?.next().is_none())
}

/// Writes the package's files under `root` (an empty staging directory). Returns the number of
/// files written and whether app.json was regenerated.
fn write_tree(package: &Package, root: &Path) -> Result<(usize, bool), Box<dyn std::error::Error>> {
    let app = package.app_package();
    let mut written = 0;
    // Lower-cased target -> entry name: two entries must not land on one file (file systems
    // may be case-insensitive).
    let mut targets = std::collections::HashMap::new();
    let mut has_app_json = false;
    for entry in app.entries() {
        if entry.path.ends_with('/') {
            continue;
        }
        let rel = relative_path(project_path(&entry.path))
            .ok_or_else(|| format!("entry `{}` has no safe file name", entry.name))?;
        let key = rel.to_string_lossy().to_lowercase();
        if let Some(first) = targets.insert(key, entry.name.as_str()) {
            return Err(format!(
                "entries `{first}` and `{}` would both be written to {}",
                entry.name,
                rel.display()
            )
            .into());
        }
        has_app_json |= rel == Path::new("app.json");
        let target = root.join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &entry.data))
            .map_err(|e| format!("{}: {e}", target.display()))?;
        written += 1;
    }
    let app_json = match package.app_manifest() {
        Some(Ok(m)) if !has_app_json => Some(m.to_json_string()),
        Some(Err(e)) => return Err(format!("NavxManifest.xml: {e}").into()),
        _ => None,
    };
    if let Some(text) = &app_json {
        std::fs::write(root.join("app.json"), text)?;
    }
    Ok((written, app_json.is_some()))
}

/// Runs `alkit extract`.
pub fn run(args: ExtractArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let label = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{label}: {e}"))?;
    let package = Package::read(&bytes).map_err(|e| format!("{label}: {e}"))?;
    if package.kind() == PackageKind::Runtime {
        return Err(format!(
            "{label}: runtime package (.NEA payload) is opaque; there is nothing to extract"
        )
        .into());
    }
    let dir = &args.dir;
    let existed = dir.exists();
    if existed && !(dir.is_dir() && is_empty_dir(dir)?) {
        return Err(format!(
            "{}: destination exists and is not an empty directory",
            dir.display()
        )
        .into());
    }
    crate::stage::refuse_interrupted(dir)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = tempfile::Builder::new()
        .prefix(".alkit-extract-")
        .tempdir_in(&parent)
        .map_err(|e| format!("{}: cannot create staging directory: {e}", parent.display()))?;
    // On any error below, `staging` is dropped and removed: no half-written tree remains.
    let (written, regenerated) = write_tree(&package, staging.path())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))?;
    }
    if existed {
        std::fs::remove_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(format!("{}: {e}", dir.display()).into());
    }
    let from = if package.kind() == PackageKind::ReadyToRun {
        " (the app embedded in the ready-to-run wrapper)"
    } else {
        ""
    };
    outln!(
        "extracted {written} files{from} to {}{}",
        dir.display(),
        if regenerated {
            ", app.json regenerated from NavxManifest.xml"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path("src/System Codeunits/X.al"),
            Some(PathBuf::from("src").join("System Codeunits").join("X.al"))
        );
        assert_eq!(
            relative_path("publishedartifacts/file:///S:/x.dll"),
            Some(
                ["publishedartifacts", "file:", "S:", "x.dll"]
                    .iter()
                    .collect()
            )
        );
        assert_eq!(relative_path("a/../b"), None);
        assert_eq!(relative_path("//"), None);
    }

    #[test]
    fn project_paths() {
        assert_eq!(
            project_path("src/src/Customer.Table.al"),
            "src/Customer.Table.al"
        );
        assert_eq!(project_path("src/X.al"), "X.al");
        assert_eq!(project_path("layout/src/R.rdlc"), "src/R.rdlc");
        assert_eq!(project_path("Translations/A.g.xlf"), "Translations/A.g.xlf");
        assert_eq!(project_path("srcx/A.al"), "srcx/A.al");
        assert_eq!(project_path("src//"), "src//");
    }
}

#[cfg(test)]
mod run_tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use runtime_pack::{Uuid, fixtures};

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".alkit-extract-"))
            .collect()
    }

    #[test]
    fn extracts_unescaped_tree_and_app_json() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("p.app");
        std::fs::write(
            &file,
            fixtures::normal_package(Uuid::nil(), Uuid::nil(), "Fixture App"),
        )
        .unwrap();
        let out = tmp.path().join("out");
        run(ExtractArgs {
            file: file.clone(),
            dir: out.clone(),
        })
        .unwrap();
        let al = out
            .join("System Codeunits")
            .join("Fixture Codeunit.Codeunit.al");
        assert!(
            std::fs::read_to_string(al)
                .unwrap()
                .starts_with("codeunit 50100")
        );
        assert!(out.join("Translations").join("Fixture App.g.xlf").is_file());
        assert!(out.join("[Content_Types].xml").is_file());
        let app_json = std::fs::read_to_string(out.join("app.json")).unwrap();
        assert!(app_json.contains("\"name\": \"Fixture App\""), "{app_json}");
        assert!(leftovers(tmp.path()).is_empty());

        // A non-empty destination is refused and left alone.
        let err = run(ExtractArgs {
            file: file.clone(),
            dir: out.clone(),
        })
        .unwrap_err();
        assert!(err.to_string().contains("not an empty directory"));

        // An empty existing destination is fine.
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        run(ExtractArgs {
            file,
            dir: empty.clone(),
        })
        .unwrap();
        assert!(empty.join("NavxManifest.xml").is_file());
    }

    #[test]
    fn failure_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("p.app");
        // `a` is a file and also a directory of `a/b`: the second write fails midway.
        let zip = fixtures::zip_raw(&[("x.xml", b"1"), ("a", b"2"), ("a/b", b"3")]);
        std::fs::write(&file, runtime_pack::write_container(Uuid::nil(), &zip)).unwrap();
        let out = tmp.path().join("out");
        assert!(
            run(ExtractArgs {
                file,
                dir: out.clone()
            })
            .is_err()
        );
        assert!(!out.exists());
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn runtime_and_defective_packages_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("r.app");
        std::fs::write(&file, fixtures::runtime_package(Uuid::nil())).unwrap();
        let out = tmp.path().join("out");
        let err = run(ExtractArgs {
            file,
            dir: out.clone(),
        })
        .unwrap_err();
        assert!(err.to_string().contains("runtime package"));
        assert!(!out.exists());

        let bomb = tmp.path().join("b.app");
        let zeros = vec![0u8; 4 << 20];
        let zip = fixtures::zip_raw(&[("bomb.xml", &zeros)]);
        std::fs::write(&bomb, runtime_pack::write_container(Uuid::nil(), &zip)).unwrap();
        let err = run(ExtractArgs {
            file: bomb,
            dir: out.clone(),
        })
        .unwrap_err();
        assert!(err.to_string().contains("bomb.xml"), "{err}");
        assert!(!out.exists());
    }
}
