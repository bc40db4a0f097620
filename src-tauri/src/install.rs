//! Whether this install of Appdesk can replace itself, and how.
//!
//! A `.deb` or `.rpm` belongs to the system's package manager: only root may
//! replace it. The updater plugin would try `pkexec`, `zenity` and `sudo` in
//! turn, which fails in a headless session or where none is installed, so a
//! user who is not root is told what to run instead, and never offered a button
//! that fails. Running as root, Appdesk hands the verified package to `dpkg -i`
//! / `rpm -U` itself. Flatpak updates only through `flatpak update`. Everything
//! else (AppImage, Windows installers, the macOS `.app`) is the plugin's.

use serde::Serialize;
use tauri::utils::config::BundleType;
use tauri::utils::platform::bundle_type;
use tauri_plugin_updater::Update;

/// How an available update gets installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum InstallRoute {
    /// Appdesk downloads, verifies and installs it, then offers a restart.
    SelfUpdate,
    /// Appdesk cannot replace itself here; `command` is what to run instead.
    Instead { reason: String, command: String },
}

/// What the route depends on, apart from the process (for the unit tests).
#[derive(Debug, Clone)]
struct Install {
    bundle: Option<BundleType>,
    root: bool,
    flatpak: bool,
}

fn decide(install: &Install, app_id: &str, url: &str) -> InstallRoute {
    let file = url.rsplit('/').next().unwrap_or("appdesk-package");
    let instead = |reason: &str, command: String| InstallRoute::Instead {
        reason: reason.to_owned(),
        command,
    };
    if install.flatpak {
        return instead(
            "Appdesk runs as a Flatpak, which Flatpak itself updates.",
            format!("flatpak update {app_id}"),
        );
    }
    match &install.bundle {
        Some(BundleType::Deb) if !install.root => instead(
            "Appdesk was installed as a .deb package, which only root can replace.",
            format!("curl -fLO {url} && sudo apt install ./{file}"),
        ),
        Some(BundleType::Rpm) if !install.root => instead(
            "Appdesk was installed as an .rpm package, which only root can replace.",
            format!("sudo dnf install {url}"),
        ),
        None if cfg!(target_os = "linux") => instead(
            "This copy of Appdesk was not installed from a release package.",
            format!("Download {url} and install it with your package manager"),
        ),
        _ => InstallRoute::SelfUpdate,
    }
}

fn current() -> Install {
    Install {
        bundle: bundle_type(),
        root: is_root(),
        flatpak: std::env::var_os("FLATPAK_ID").is_some()
            || std::path::Path::new("/.flatpak-info").exists(),
    }
}

#[cfg(unix)]
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user (no unsafe geteuid).
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(not(unix))]
fn is_root() -> bool {
    false
}

/// The route for this process.
pub fn route(app_id: &str, url: &str) -> InstallRoute {
    decide(&current(), app_id, url)
}

/// Installs verified package bytes (the plugin's download verified them).
/// The error says what happened; on any error the installed version is unchanged.
pub fn install(update: &Update, bytes: &[u8]) -> Result<(), String> {
    let here = current();
    if let InstallRoute::Instead { reason, command } =
        decide(&here, "", update.download_url.as_str())
    {
        return Err(format!("{reason} Run instead: {command}"));
    }
    match here.bundle {
        #[cfg(target_os = "linux")]
        Some(BundleType::Deb) => system_package(bytes, "deb", is_deb(bytes), &["dpkg", "-i"]),
        #[cfg(target_os = "linux")]
        Some(BundleType::Rpm) => system_package(bytes, "rpm", is_rpm(bytes), &["rpm", "-U"]),
        _ => update
            .install(bytes)
            .map_err(|e| format!("The update could not be installed: {e}")),
    }
}

fn is_deb(bytes: &[u8]) -> bool {
    bytes.starts_with(b"!<arch>\n") && bytes.get(8..21) == Some(b"debian-binary".as_slice())
}

fn is_rpm(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xed, 0xab, 0xee, 0xdb])
}

#[cfg(target_os = "linux")]
fn system_package(bytes: &[u8], ext: &str, right_kind: bool, cmd: &[&str]) -> Result<(), String> {
    if !right_kind {
        return Err(format!(
            "The download is not a .{ext} package, the kind this install needs. Nothing was \
             installed."
        ));
    }
    let dir = tempfile_dir()?;
    let path = dir.join(format!("appdesk-update.{ext}"));
    let result = std::fs::write(&path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
        .and_then(|()| {
            std::process::Command::new(cmd[0])
                .args(&cmd[1..])
                .arg(&path)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", cmd[0]))
        });
    let _ = std::fs::remove_dir_all(&dir);
    let output = result?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} refused the package: {}",
            cmd.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// A fresh private folder under the temp dir (mode 0700 by the umask-free create).
#[cfg(target_os = "linux")]
fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    use std::os::unix::fs::DirBuilderExt;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("appdesk-update-{}-{nanos}", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://u.example/appdesk/Appdesk_0.2.0_amd64.deb";

    fn route_for(bundle: Option<BundleType>, root: bool, flatpak: bool) -> InstallRoute {
        decide(
            &Install {
                bundle,
                root,
                flatpak,
            },
            "dev.appdesk.desktop",
            URL,
        )
    }

    #[test]
    fn a_system_package_updates_itself_only_as_root() {
        assert_eq!(
            route_for(Some(BundleType::Deb), true, false),
            InstallRoute::SelfUpdate
        );
        let InstallRoute::Instead { command, .. } = route_for(Some(BundleType::Deb), false, false)
        else {
            panic!("a .deb run by a user cannot replace itself");
        };
        assert_eq!(
            command,
            format!("curl -fLO {URL} && sudo apt install ./Appdesk_0.2.0_amd64.deb")
        );
        let InstallRoute::Instead { command, .. } = route_for(Some(BundleType::Rpm), false, false)
        else {
            panic!("an .rpm run by a user cannot replace itself");
        };
        assert_eq!(command, format!("sudo dnf install {URL}"));
    }

    #[test]
    fn flatpak_is_told_to_use_flatpak_even_as_root() {
        let InstallRoute::Instead { command, .. } = route_for(Some(BundleType::Deb), true, true)
        else {
            panic!("flatpak");
        };
        assert_eq!(command, "flatpak update dev.appdesk.desktop");
    }

    #[test]
    fn package_kinds_are_told_apart_by_their_magic_bytes() {
        assert!(is_deb(b"!<arch>\ndebian-binary   0"));
        assert!(!is_deb(&[0xed, 0xab, 0xee, 0xdb, 0, 0]));
        assert!(is_rpm(&[0xed, 0xab, 0xee, 0xdb, 3, 0]));
        assert!(!is_rpm(b"!<arch>\ndebian-binary"));
    }
}
