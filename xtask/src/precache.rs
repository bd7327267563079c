//! The service worker's precache list: every built file and a build version, written into sw.js.
//!
//! The version hashes the file names (which carry content hashes) and the unhashed files' bytes,
//! so any change to the app gives the service worker a new version and therefore a new cache
//! (public/sw.js explains the rest). The list holds the parts the wasm split writes too, so every
//! page opens offline after the first visit.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::command::{Failure, Result, read_file, write_file};

const VERSION_START: &str = "const BUILD_VERSION = \"";
const LIST_START: &str = "const PRECACHE = [";

/// Writes the list of the files in `staging` and their version into `staging/sw.js`.
pub fn write_precache_list(staging: &Path) -> Result {
    let worker = staging.join("sw.js");
    let mut files = Vec::new();
    collect_files(staging, &mut files)?;
    let mut names: Vec<String> = files
        .iter()
        .filter(|file| **file != worker)
        .map(|file| {
            let relative = file.strip_prefix(staging).expect("listed under staging");
            format!("/{}", relative.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    names.sort();
    let mut digest = Sha256::new();
    for name in &names {
        digest.update(name.as_bytes());
        digest.update(read_file(&staging.join(name.trim_start_matches('/')))?);
    }
    let version: String = digest.finalize()[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();

    let source =
        String::from_utf8(read_file(&worker)?).map_err(|_| Failure::new("precache: sw.js is not UTF-8"))?;
    let list = serde_json::to_string(&names).expect("a list of strings serialises");
    let source = replace_between(&source, VERSION_START, "\";", &version)?;
    let source = replace_between(&source, LIST_START, "];", &list[1..list.len() - 1])?;
    write_file(&worker, source)?;
    println!("precache: sw.js version {version}, {} files", names.len());
    Ok(())
}

/// `source` with the text between the first `start` and the `end` after it replaced by `with`.
fn replace_between(source: &str, start: &str, end: &str, with: &str) -> Result<String> {
    let missing = || Failure::new(format!("precache: sw.js must contain `{start}...{end}`"));
    let from = source.find(start).ok_or_else(missing)? + start.len();
    let to = from + source[from..].find(end).ok_or_else(missing)?;
    Ok(format!("{}{with}{}", &source[..from], &source[to..]))
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| Failure::new(format!("listing {}: {error}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(|error| Failure::new(format!("listing {}: {error}", dir.display())))?
            .path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_lists_every_built_file_but_itself_and_changes_version_with_any_file() {
        let staging = std::env::temp_dir().join(format!("spor-precache-{}", std::process::id()));
        std::fs::create_dir_all(staging.join("icons")).unwrap();
        let worker_source = "const BUILD_VERSION = \"development\";\nconst PRECACHE = [];\nself.x = 1;\n";
        std::fs::write(staging.join("sw.js"), worker_source).unwrap();
        std::fs::write(staging.join("index.html"), "<p>one</p>").unwrap();
        std::fs::write(staging.join("icons/spor.svg"), "<svg/>").unwrap();

        write_precache_list(&staging).unwrap();
        let first = std::fs::read_to_string(staging.join("sw.js")).unwrap();
        assert!(
            first.contains("const PRECACHE = [\"/icons/spor.svg\",\"/index.html\"];"),
            "{first}"
        );
        assert!(first.ends_with("self.x = 1;\n"), "the rest of the worker is kept");
        assert!(!first.contains("development"));

        std::fs::write(staging.join("sw.js"), worker_source).unwrap();
        std::fs::write(staging.join("index.html"), "<p>two</p>").unwrap();
        write_precache_list(&staging).unwrap();
        let second = std::fs::read_to_string(staging.join("sw.js")).unwrap();
        let version = |source: &str| source.lines().next().unwrap().to_owned();
        assert_ne!(
            version(&first),
            version(&second),
            "a changed file gives a new version"
        );
        std::fs::remove_dir_all(&staging).unwrap();
    }

    #[test]
    fn a_worker_without_the_markers_is_refused() {
        let failure = replace_between("self.x = 1;", VERSION_START, "\";", "abc").unwrap_err();
        assert!(failure.to_string().contains("BUILD_VERSION"));
    }
}
