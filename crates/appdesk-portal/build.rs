//! Embeds the web console (issue 19 §2): every file of `portal-ui/dist`, as
//! `npm --prefix portal-ui run build` leaves it, becomes an `include_bytes!`
//! entry of `$OUT_DIR/console_files.rs`, so the binary serves the console
//! with no second server and no files beside it.
//!
//! Without `portal-ui/dist` the workspace still builds, and the console is a
//! page saying how to build it (src/console_not_built.html); the browser
//! tests fail on that page, as they should.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let ui = manifest.join("../../portal-ui");
    let dist = ui.join("dist");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));

    // Cargo scans a directory given here for any change. Watch the dist when
    // it exists, else portal-ui (where a build makes it), else nothing more
    // than this script: a path that does not exist would rebuild every time.
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/console_not_built.html");
    if dist.is_dir() {
        println!("cargo::rerun-if-changed={}", dist.display());
    } else if ui.is_dir() {
        println!("cargo::rerun-if-changed={}", ui.display());
    }

    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        collect(&dist, &dist, &mut files);
    } else {
        println!(
            "cargo::warning=portal-ui/dist/index.html is missing: the console served is a page \
             saying to run npm --prefix portal-ui ci && npm --prefix portal-ui run build"
        );
    }
    files.sort();
    let mut code = String::from(
        "/// Every file of the console: its path under `dist/` and its bytes.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        code.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    code.push_str(&format!(
        "/// Whether `portal-ui/dist` was there to embed.\npub const BUILT: bool = {};\n",
        !files.is_empty()
    ));
    std::fs::write(out.join("console_files.rs"), code).expect("write console_files.rs");
}

/// Every file under `dir`, as `(path relative to root with '/', absolute path)`.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.is_file() {
            let relative = path.strip_prefix(root).expect("under the root");
            let name: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let absolute = std::fs::canonicalize(&path).unwrap_or(path);
            files.push((name.join("/"), absolute));
        }
    }
}
