//! "Show in folder" for the paths in Settings: the system's own file manager
//! opens the folder (selecting the file where the system can). Which program
//! that is depends on the platform, so each has its `cfg` arm; the command is
//! spawned and not waited for, and only paths the shell chose reach it.

use std::ffi::OsString;
use std::path::Path;

use appdesk_core::{ErrorBody, ErrorCode};

/// The program and arguments that show `path` (a folder when `is_dir`).
pub fn command_for(path: &Path, is_dir: bool) -> (&'static str, Vec<OsString>) {
    let folder = if is_dir {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    #[cfg(target_os = "macos")]
    {
        let _ = folder;
        if is_dir {
            ("open", vec![path.into()])
        } else {
            ("open", vec!["-R".into(), path.into()])
        }
    }
    #[cfg(target_os = "windows")]
    {
        let _ = folder;
        if is_dir {
            ("explorer", vec![path.into()])
        } else {
            let mut select = OsString::from("/select,");
            select.push(path);
            ("explorer", vec![select])
        }
    }
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    {
        ("xdg-open", vec![folder.into()])
    }
}

/// Shows `path` in the file manager.
pub fn show(path: &Path, is_dir: bool) -> Result<(), ErrorBody> {
    let (program, args) = command_for(path, is_dir);
    let mut child = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            ErrorBody::new(
                ErrorCode::Io,
                None,
                format!("could not open the file manager ({program}): {e}"),
            )
        })?;
    // Reap it when it ends, without holding up the command.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(all(test, not(any(target_os = "macos", target_os = "windows"))))]
mod tests {
    use std::path::Path;

    use super::command_for;

    #[test]
    fn a_file_opens_its_folder_and_a_folder_itself_with_xdg_open() {
        let (program, args) = command_for(
            Path::new("/home/ana/.local/share/appdesk/appdesk.db"),
            false,
        );
        assert_eq!(program, "xdg-open");
        assert_eq!(args, ["/home/ana/.local/share/appdesk"]);
        let (_, args) = command_for(Path::new("/srv/data"), true);
        assert_eq!(args, ["/srv/data"]);
    }
}
