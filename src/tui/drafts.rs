//! What the TUI keeps in the data folder for one technician on one desk: unsent notes
//! (a draft per ticket, `drafts/<number>.txt`) and the filter bar's history
//! (`filter-history.txt`), under `tui/<desk>/<login>/`. Written whole to a temporary file
//! and renamed, so a crash leaves the old or the new text, never half of one. Only the
//! app's loop calls this (effects); `update` stays pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::query::looks_like_number;

#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// A name safe as one path component: letters, digits and `.-_@`, the rest `_`.
fn component(s: &str) -> String {
    let c: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if c.is_empty() || c.chars().all(|x| x == '.') {
        "_".into()
    } else {
        c
    }
}

impl Store {
    /// `desk` names the desk: "local" for a store of its own, the server's address for
    /// `desk serve` (two servers' ticket numbers are not the same tickets).
    pub fn new(data: &Path, desk: &str, login: &str) -> Store {
        Store {
            dir: data
                .join("tui")
                .join(component(desk))
                .join(component(login)),
        }
    }

    fn draft_path(&self, number: &str) -> Option<PathBuf> {
        looks_like_number(number).then(|| self.dir.join("drafts").join(format!("{number}.txt")))
    }

    pub fn load_drafts(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(self.dir.join("drafts")) else {
            return out;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(number) = name.strip_suffix(".txt") else {
                continue;
            };
            if !looks_like_number(number) {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(e.path())
                && !text.trim().is_empty()
            {
                // A file edited by hand may hold anything: shown escaped, never raw.
                let text = desk_engine::domain::text::multi_line(&text).into_owned();
                out.insert(number.to_string(), text);
            }
        }
        out
    }

    pub fn save_draft(&self, number: &str, text: &str) -> Result<(), String> {
        let p = self
            .draft_path(number)
            .ok_or_else(|| format!("{number} is not a ticket number"))?;
        write(&p, text)
    }

    pub fn drop_draft(&self, number: &str) -> Result<(), String> {
        let Some(p) = self.draft_path(number) else {
            return Ok(());
        };
        match std::fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("{}: {e}", p.display())),
        }
    }

    pub fn load_history(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("filter-history.txt"))
            .map(|t| {
                t.lines()
                    .filter(|l| !l.trim().is_empty() && !l.chars().any(char::is_control))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn save_history(&self, history: &[String]) -> Result<(), String> {
        let mut text = history.join("\n");
        text.push('\n');
        write(&self.dir.join("filter-history.txt"), &text)
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .ok_or_else(|| format!("{}: no folder", path.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn drafts_and_history_survive_a_new_store_on_the_same_folder() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::new(dir.path(), "http://127.0.0.1:8765", "anna");
        s.save_draft("T20261129.0001", "half a note\nsecond line")
            .unwrap();
        s.save_history(&["status:new".into(), "printer".into()])
            .unwrap();
        let again = Store::new(dir.path(), "http://127.0.0.1:8765", "anna");
        assert_eq!(
            again
                .load_drafts()
                .get("T20261129.0001")
                .map(String::as_str),
            Some("half a note\nsecond line")
        );
        assert_eq!(again.load_history(), vec!["status:new", "printer"]);
        // another technician, another desk: their own
        assert!(
            Store::new(dir.path(), "http://127.0.0.1:8765", "ben")
                .load_drafts()
                .is_empty()
        );
        assert!(
            Store::new(dir.path(), "local", "anna")
                .load_drafts()
                .is_empty()
        );
        again.drop_draft("T20261129.0001").unwrap();
        again.drop_draft("T20261129.0001").unwrap();
        assert!(again.load_drafts().is_empty());
    }

    #[test]
    fn a_number_that_is_a_path_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::new(dir.path(), "../..", "../anna");
        assert!(s.save_draft("../../etc/passwd", "x").is_err());
        s.save_draft("T20261129.0001", "x").unwrap();
        assert!(
            s.dir
                .components()
                .all(|c| c != std::path::Component::ParentDir),
            "{}",
            s.dir.display()
        );
        // stored control characters come back escaped
        std::fs::write(
            s.dir.join("drafts").join("T20261129.0002.txt"),
            "evil \u{1b}]0;owned\u{7}",
        )
        .unwrap();
        assert_eq!(s.load_drafts()["T20261129.0002"], "evil ^[]0;owned^G");
    }
}
