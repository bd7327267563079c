//! Splitting the app's wasm into parts (issue 16). The frame and Today load first; the
//! coordinator's pages (the `Lazy` routes in src/app.rs), the kiosk and handover screens, the sync
//! engine and the retention sweep (`#[lazy]` functions) are parts of their own, fetched when first
//! needed. The service worker precaches every part (precache.rs), so they work offline too.
//!
//! Trunk has no split step, so this runs as Trunk's post_build hook (Trunk.toml). Trunk has built
//! the wasm (with relocations kept, `.cargo/config.toml`) and bound it whole; this step splits the
//! built wasm at its split points (`wasm_split_cli_support`, the splitter cargo-leptos uses), binds
//! the main part again with wasm-bindgen, optimises every part with wasm-opt, minifies the
//! JavaScript, and puts the result in Trunk's place in the staging directory. Every file is named
//! by its content's hash, so a release downloads only the parts that changed and each part can be
//! cached for good.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::command::{Failure, Result, project_command, root, run_step};

/// The app's binary: Trunk names its files `spor-<hash>.js` and `spor-<hash>_bg.wasm`.
const APP: &str = "spor";

/// The loader module's name while the parts' hashes are unknown. It is written into the main
/// wasm's import section, so its final name must have the same length (16 hex digits).
const LOADER_PLACEHOLDER: &str = "__wasm_split-________________.js";

/// The main module's name in the loader until the main part's hash is known.
const MAIN_PLACEHOLDER: &str = "spor-main-placeholder.js";

/// Trunk's post_build hook: splits the build in `TRUNK_STAGING_DIR`, then lists every file for
/// the service worker.
pub fn post_build() -> Result {
    let staging = PathBuf::from(std::env::var_os("TRUNK_STAGING_DIR").ok_or_else(|| {
        Failure::new("post-build runs as Trunk's post_build hook (TRUNK_STAGING_DIR unset)")
    })?);
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|profile| profile == "release");
    // Trunk.toml builds release with the size-first `wasm-release` profile.
    let profile_dir = if release { "wasm-release" } else { "debug" };
    let built = target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join(format!("{APP}.wasm"));
    let work = target_dir().join("wasm-split");
    let split = split(&built, &work, release)?;
    let trunk_names = TrunkNames::find(&staging)?;
    install(&split, &staging, &trunk_names)?;
    println!(
        "split-wasm: {} ({} parts loaded later)",
        split.main_stem,
        split.parts.len()
    );
    crate::app_shell::write_page_texts(&staging)?;
    crate::precache::write_precache_list(&staging)
}

/// The split build, every file named by its hash, ready to go in Trunk's place.
struct SplitBuild {
    /// `spor-<hash>`: the main part's `.js` and `_bg.wasm`.
    main_stem: String,
    main_js: String,
    main_wasm: Vec<u8>,
    loader_name: String,
    loader_js: String,
    /// The parts loaded later, by file name.
    parts: BTreeMap<String, Vec<u8>>,
}

fn split(built: &Path, work: &Path, release: bool) -> Result<SplitBuild> {
    let input = read(built)?;
    if work.exists() {
        std::fs::remove_dir_all(work).map_err(|error| io_failure("clearing", work, error))?;
    }
    let main_unbound = work.join("main.wasm");
    let loader_link = format!("./{LOADER_PLACEHOLDER}");
    let main_module = format!("./{MAIN_PLACEHOLDER}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = work;
        options.main_out_path = &main_unbound;
        options.link_name = &loader_link;
        options.main_module = &main_module;
        options
    })
    .map_err(|error| Failure::new(format!("splitting {}: {error:#}", built.display())))?;

    // The main part is bound like Trunk binds the whole app, keeping the exports the parts link to.
    let bound = work.join("bound");
    run_step(
        project_command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--keep-lld-exports",
                "--no-demangle",
            ])
            .arg("--out-dir")
            .arg(&bound)
            .args(["--out-name", APP])
            .arg(&main_unbound),
        "binding the main part with wasm-bindgen",
    )?;
    let main_wasm_path = bound.join(format!("{APP}_bg.wasm"));
    let mut wasm_files = vec![main_wasm_path.clone()];
    wasm_files.extend(split.split_modules.iter().cloned());
    let mut js_files = vec![bound.join(format!("{APP}.js")), work.join(LOADER_PLACEHOLDER)];
    if release {
        for wasm in &wasm_files {
            run_step(
                project_command("wasm-opt")
                    .arg("-Oz")
                    .arg(wasm)
                    .arg("-o")
                    .arg(wasm),
                "optimising a part with wasm-opt",
            )?;
        }
        for js in &js_files {
            minify_js(js)?;
        }
    }

    let mut loader_js = read_text(&js_files.pop().expect("the loader"))?;
    let mut main_js = read_text(&js_files.pop().expect("the main module"))?;
    let mut main_wasm = read(&main_wasm_path)?;
    let mut parts = BTreeMap::new();
    for part in &split.split_modules {
        let stem = file_stem(part)?;
        let bytes = read(part)?;
        let name = format!("{stem}-{}.wasm", hash_of(&[&bytes]));
        let reference = format!("\"./{stem}.wasm\"");
        if !loader_js.contains(&reference) {
            return Err(Failure::new(format!(
                "split-wasm: the loader does not name {stem}.wasm"
            )));
        }
        loader_js = loader_js.replace(&reference, &format!("\"./{name}\""));
        parts.insert(name, bytes);
    }

    // The main part and the loader name each other, so one hash over both (and the parts' names,
    // through the loader) names them.
    let hash = hash_of(&[&main_wasm, main_js.as_bytes(), loader_js.as_bytes()]);
    let main_stem = format!("{APP}-{hash}");
    let loader_name = format!("__wasm_split-{hash}.js");
    replace_same_length(&mut main_wasm, LOADER_PLACEHOLDER, &loader_name)?;
    if !main_js.contains(LOADER_PLACEHOLDER) || !loader_js.contains(MAIN_PLACEHOLDER) {
        return Err(Failure::new(
            "split-wasm: the main module and the loader must import each other by their placeholder names",
        ));
    }
    main_js = main_js.replace(LOADER_PLACEHOLDER, &loader_name);
    loader_js = loader_js.replace(MAIN_PLACEHOLDER, &format!("{main_stem}.js"));
    Ok(SplitBuild {
        main_stem,
        main_js,
        main_wasm,
        loader_name,
        loader_js,
        parts,
    })
}

/// Puts the split build where Trunk staged the whole one, and points index.html at it.
fn install(split: &SplitBuild, staging: &Path, trunk: &TrunkNames) -> Result {
    for trunk_file in [&trunk.js, &trunk.wasm] {
        let path = staging.join(trunk_file);
        std::fs::remove_file(&path).map_err(|error| io_failure("removing", &path, error))?;
    }
    let main_js = format!("{}.js", split.main_stem);
    let main_wasm = format!("{}_bg.wasm", split.main_stem);
    write(&staging.join(&main_js), split.main_js.as_bytes())?;
    write(&staging.join(&main_wasm), &split.main_wasm)?;
    write(&staging.join(&split.loader_name), split.loader_js.as_bytes())?;
    for (name, bytes) in &split.parts {
        write(&staging.join(name), bytes)?;
    }
    let index = staging.join("index.html");
    let html = read_text(&index)?;
    // The loader is fetched with the main module rather than one round trip after it: its preload
    // goes before the main module's (Trunk's HTML may be minified, so the tag is found by its name).
    let preload_at = html
        .find(&format!("/{}", trunk.js))
        .and_then(|at| html[..at].rfind("<link"))
        .ok_or_else(|| {
            Failure::new(format!(
                "split-wasm: index.html links no /{} (Trunk's output changed?)",
                trunk.js
            ))
        })?;
    let html = format!(
        "{}<link rel=\"modulepreload\" href=\"/{}\">{}",
        &html[..preload_at],
        split.loader_name,
        &html[preload_at..]
    );
    let html = html.replace(&trunk.js, &main_js).replace(&trunk.wasm, &main_wasm);
    write(&index, html.as_bytes())
}

/// The names Trunk gave the whole build: `spor-<hash>.js` and `spor-<other hash>_bg.wasm`.
struct TrunkNames {
    js: String,
    wasm: String,
}

impl TrunkNames {
    fn find(staging: &Path) -> Result<TrunkNames> {
        let entries = std::fs::read_dir(staging).map_err(|error| io_failure("listing", staging, error))?;
        let names: Vec<String> = entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with(&format!("{APP}-")))
            .collect();
        let find = |suffix: &str| {
            names
                .iter()
                .find(|name| name.ends_with(suffix))
                .cloned()
                .ok_or_else(|| {
                    Failure::new(format!(
                        "split-wasm: no {APP}-<hash>{suffix} in {}",
                        staging.display()
                    ))
                })
        };
        Ok(TrunkNames {
            wasm: find("_bg.wasm")?,
            js: find(".js")?,
        })
    }
}

fn minify_js(file: &Path) -> Result {
    run_step(
        project_command("terser")
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(file)
            .arg(file),
        "minifying JavaScript with terser",
    )
}

/// The first 16 hex digits of the SHA-256 of `parts`, as Trunk names its files.
fn hash_of(parts: &[&[u8]]) -> String {
    let mut digest = Sha256::new();
    for part in parts {
        digest.update(part);
    }
    digest.finalize()[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Renames an import module in the wasm: every import names its module, so every occurrence.
fn replace_same_length(bytes: &mut [u8], from: &str, to: &str) -> Result {
    assert_eq!(from.len(), to.len(), "a name in the wasm keeps its length");
    let mut replaced = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..]
        .windows(from.len())
        .position(|window| window == from.as_bytes())
    {
        let start = at + found;
        bytes[start..start + to.len()].copy_from_slice(to.as_bytes());
        at = start + to.len();
        replaced += 1;
    }
    if replaced == 0 {
        return Err(Failure::new(format!(
            "split-wasm: the main part does not import {from}"
        )));
    }
    Ok(())
}

fn file_stem(path: &Path) -> Result<String> {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .map(str::to_owned)
        .ok_or_else(|| Failure::new(format!("split-wasm: an unnamed part {}", path.display())))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn io_failure(what: &str, path: &Path, error: std::io::Error) -> Failure {
    Failure::new(format!("split-wasm: {what} {}: {error}", path.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|error| io_failure("reading", path, error))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|error| io_failure("reading", path, error))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|error| io_failure("writing", path, error))
}
