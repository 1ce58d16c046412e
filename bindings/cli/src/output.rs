//! Writing results safely: files replaced atomically, stdout failures reported.
//!
//! - [`write_atomic`] writes a whole file through a temporary file in the target's folder,
//!   flushed to disk and renamed over the target: a failure at any step leaves the old file
//!   as it was and no partial or temporary file behind.
//! - [`stdout`] writes to standard output and reports a failure (a full disk, `> /dev/full`)
//!   as [`Problem::CannotWrite`]; a closed pipe (`chiso … | head`) stays quiet.

use chiso::{Diagnostic, Diagnostics, Lang, Problem};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Name used for standard output in messages.
pub(crate) const STDOUT: &str = "stdout";

/// A [`Problem::CannotWrite`] about `file`.
pub(crate) fn cannot_write(file: &str, e: &io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        "$",
        None,
        Problem::CannotWrite {
            detail: e.to_string(),
        },
    )
    .in_file(file)])
}

/// Whether `e` is a closed pipe: the reader stopped reading, which is not a failure.
pub(crate) fn is_closed_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// Writes `bytes` to standard output and flushes; a closed pipe is not an error.
pub(crate) fn stdout(bytes: &[u8]) -> Result<(), Diagnostics> {
    let mut lock = io::stdout().lock();
    match lock.write_all(bytes).and_then(|()| lock.flush()) {
        Err(e) if !is_closed_pipe(&e) => Err(cannot_write(STDOUT, &e)),
        _ => Ok(()),
    }
}

/// Reports `d` on stderr and gives exit code 1 — the end of a command that failed.
pub(crate) fn failed(d: &Diagnostics, lang: Lang) -> ExitCode {
    crate::commands::report(d, lang);
    ExitCode::from(crate::commands::INVALID)
}

/// The name of `file` in a message: standard output in the message's language.
pub(crate) fn shown(file: &str, lang: Lang) -> &str {
    match (file, lang) {
        (STDOUT, Lang::Vi) => "đầu ra chuẩn (stdout)",
        (STDOUT, Lang::En) => "standard output",
        _ => file,
    }
}

/// Replaces `path` with `bytes` atomically.
///
/// The bytes go to a new temporary file in the same folder (so the rename never crosses a
/// file system), which is flushed to disk and renamed over `path`. On any failure the
/// temporary file is removed and `path` keeps its old content. A read-only target is
/// refused as the shell would refuse it (a rename could replace it, but that is not what
/// the user asked for); a target that is not a regular file (`/dev/stdout`, a named pipe)
/// is written directly, since it cannot be replaced. A symbolic link is followed: the file
/// it names is replaced, the link kept.
///
/// Errors: [`Problem::CannotWrite`] naming `path`, with the system's reason.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    let name = path.display().to_string();
    let fail = |e: io::Error| cannot_write(&name, &e);
    let target = match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(fail(io::Error::new(
                io::ErrorKind::IsADirectory,
                "Is a directory",
            )))
        }
        Ok(meta) if !meta.is_file() => {
            // A device or a pipe: nothing to replace, write straight through.
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            return match f.write_all(bytes).and_then(|()| f.flush()) {
                Err(e) if !is_closed_pipe(&e) => Err(fail(e)),
                _ => Ok(()),
            };
        }
        Ok(meta) if meta.permissions().readonly() => {
            return Err(fail(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "Permission denied (the file is read-only)",
            )))
        }
        Ok(_) => fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(fail(e)),
    };
    let (tmp, mut file) = temp_beside(&target).map_err(fail)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, &target)
        });
    written.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        fail(e)
    })
}

/// Creates a new, empty temporary file in the folder of `target`.
fn temp_beside(target: &Path) -> io::Result<(PathBuf, fs::File)> {
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let stem = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for attempt in 0..100u32 {
        let tmp = folder.join(format!(".{stem}.chiso-{pid}-{attempt}.tmp"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|r| {
                r.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn writes_a_new_file_and_replaces_an_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(leftovers(dir.path()), ["out.json"]);
    }

    #[test]
    fn a_missing_folder_is_a_write_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/out.json");
        let d = write_atomic(&p, b"x").unwrap_err();
        let en = d.render(Lang::En);
        assert!(
            en.contains("out.json") && en.contains("cannot write"),
            "{en}"
        );
        assert!(!en.contains("read"), "{en}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_read_only_file_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        fs::write(&p, b"old").unwrap();
        let mut perm = fs::metadata(&p).unwrap().permissions();
        perm.set_readonly(true);
        fs::set_permissions(&p, perm).unwrap();
        assert!(write_atomic(&p, b"new").is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(leftovers(dir.path()), ["out.json"]);
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let d = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(
            d.render(Lang::En).contains("folder"),
            "{}",
            d.render(Lang::En)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_full_device_is_a_write_error() {
        let p = Path::new("/dev/full");
        if p.exists() {
            assert!(write_atomic(p, b"x").is_err());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }
}
