//! Ctrl-C and SIGTERM: remove the staging folder and the lock, then exit.
//!
//! A build registers the paths it would leave behind (its staging folder, the
//! old output while it is being removed, its lock file). When the command
//! line has called [`install`], an interrupt waits for any file write or swap
//! step in progress (each holds [`hold`]), removes the registered paths and
//! exits with 130 (SIGINT) or 143 (SIGTERM). Because the handler waits for a
//! swap step to finish, an interrupt never leaves the output folder missing.
//! On Unix the signals are caught with `signal-hook`; on Windows Ctrl-C,
//! Ctrl-Break and closing the console are caught with `ctrlc` (exit 130).
//! A build killed outright (SIGKILL, power loss) leaves its staging folder;
//! the next build into the same `--out` removes it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

static GATE: RwLock<()> = RwLock::new(());
static CLEANUP: Mutex<BTreeMap<u64, Vec<PathBuf>>> = Mutex::new(BTreeMap::new());
static NEXT: AtomicU64 = AtomicU64::new(0);
static REQUESTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// True once Ctrl-C or SIGTERM has been received: the handler is cleaning up
/// and will end the process, so no further step (a swap above all) may start.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Held while writing a file into a staging folder or taking a swap step;
/// an interrupt waits until no one holds it. Never hold two at once.
pub fn hold() -> RwLockReadGuard<'static, ()> {
    GATE.read().unwrap_or_else(PoisonError::into_inner)
}

/// Paths to remove if the process is interrupted; dropping it forgets them.
#[derive(Debug)]
pub struct Registration(u64);

/// Remember `paths` for removal on interrupt until the registration is dropped.
pub fn register(paths: Vec<PathBuf>) -> Registration {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    CLEANUP
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, paths);
    Registration(id)
}

impl Drop for Registration {
    fn drop(&mut self) {
        CLEANUP
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.0);
    }
}

/// Remove every registered path, once no write or swap step is under way.
/// The gate stays shut afterwards (the guard is returned), so nothing writes again.
/// `only` limits it to one registration (for tests, which share the process).
fn clean_up(only: Option<u64>) -> std::sync::RwLockWriteGuard<'static, ()> {
    let gate = GATE.write().unwrap_or_else(PoisonError::into_inner);
    let registered = CLEANUP.lock().unwrap_or_else(PoisonError::into_inner);
    let chosen = registered
        .iter()
        .filter(|(id, _)| only.is_none_or(|o| o == **id));
    for path in chosen.flat_map(|(_, paths)| paths) {
        remove(path);
    }
    gate
}

/// Remove a folder or file. A browser printing a PDF into the staging folder
/// may add a file while the folder is being removed, so try a few times.
fn remove(path: &std::path::Path) {
    for _ in 0..5 {
        let removed = match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
            Ok(_) => std::fs::remove_file(path),
            Err(_) => return,
        };
        if removed.is_ok() {
            return;
        }
    }
}

fn clean_up_and_exit(code: i32) -> ! {
    REQUESTED.store(true, Ordering::SeqCst);
    let _gate = clean_up(None);
    eprintln!("interrupted: the build stopped and its temporary files were removed");
    std::process::exit(code)
}

/// Catch Ctrl-C and SIGTERM for the rest of the process (the command line
/// calls this; a library user decides for itself). Calling it twice is harmless.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(install_handler);
}

#[cfg(unix)]
fn install_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            clean_up_and_exit(128 + signal);
        }
    });
}

#[cfg(windows)]
fn install_handler() {
    let _ = ctrlc::set_handler(|| {
        clean_up_and_exit(130);
    });
}

#[cfg(not(any(unix, windows)))]
fn install_handler() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_and_forgotten_on_drop() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("stage");
        std::fs::create_dir_all(dir.join("a")).unwrap();
        let file = tmp.path().join("lock");
        std::fs::write(&file, "x").unwrap();
        let kept = tmp.path().join("kept");
        std::fs::create_dir(&kept).unwrap();
        let forgotten = register(vec![kept.clone()]);
        let forgotten_id = forgotten.0;
        drop(forgotten);
        drop(clean_up(Some(forgotten_id)));
        let reg = register(vec![dir.clone(), file.clone()]);
        drop(clean_up(Some(reg.0)));
        assert!(!dir.exists() && !file.exists());
        assert!(kept.exists(), "a dropped registration is not cleaned");
    }
}
