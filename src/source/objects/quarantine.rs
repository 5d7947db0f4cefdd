//! Objects of a push still in quarantine. While a server's pre-receive hook runs, git keeps the
//! pushed objects in a temporary directory and tells the hook through `GIT_OBJECT_DIRECTORY`
//! and `GIT_ALTERNATE_OBJECT_DIRECTORIES`, which gix does not read; this gives the repository
//! an object store over both.

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
};

/// A scratch object directory whose only content is an `info/alternates` file; removed on drop.
pub struct Overlay {
    dir: PathBuf,
}

impl Drop for Overlay {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The object directories git's environment names, in lookup order; empty outside a hook.
fn env_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("GIT_OBJECT_DIRECTORY").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    if let Some(list) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        dirs.extend(split_paths(&list));
    }
    dirs
}

/// `GIT_ALTERNATE_OBJECT_DIRECTORIES` is separated like `PATH`.
fn split_paths(list: &OsString) -> Vec<PathBuf> {
    std::env::split_paths(list)
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// Points `repo` at the object directories of git's environment, when it names any, by
/// chaining them as alternates of an empty scratch directory (gix follows alternates).
/// The returned overlay must live as long as the repository is read.
pub fn apply(repo: &mut gix::ThreadSafeRepository) -> std::io::Result<Option<Overlay>> {
    let dirs = env_dirs();
    if dirs.is_empty() {
        return Ok(None);
    }
    let cwd = std::env::current_dir()?;
    let mut absolute: Vec<PathBuf> = dirs
        .iter()
        .map(|d| {
            if d.is_absolute() {
                d.clone()
            } else {
                cwd.join(d)
            }
        })
        .collect();
    // The repository's own objects stay reachable whatever the variables say.
    absolute.push(cwd.join(repo.objects_dir()));
    let overlay = Overlay {
        dir: scratch_dir()?,
    };
    write_alternates(&overlay.dir, &absolute)?;
    let store = gix::odb::Store::at_opts(
        overlay.dir.clone(),
        repo.objects.object_hash(),
        &mut std::iter::empty(),
        gix::odb::store::init::Options::default(),
    )?;
    repo.objects = store.into();
    Ok(Some(overlay))
}

fn scratch_dir() -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("keysift-odb-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(dir.join("info"))?;
    Ok(dir)
}

fn write_alternates(dir: &Path, dirs: &[PathBuf]) -> std::io::Result<()> {
    let mut text = String::new();
    for d in dirs {
        text.push_str(&d.to_string_lossy());
        text.push('\n');
    }
    std::fs::write(dir.join("info/alternates"), text)
}
