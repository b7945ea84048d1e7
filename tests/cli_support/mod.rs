//! Running the real `desk` binary on temporary stores, with the clock frozen.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/process.rs"]
mod process;
#[allow(unused_imports)]
pub use process::with_stdin;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const NOW: &str = "2026-11-29T10:00:00Z";

pub struct Desk {
    pub dir: tempfile::TempDir,
    pub now: String,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "command failed: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    /// Asserts a clean refusal: non-zero exit, one `error:` line naming `needle`, no panic.
    pub fn refused(&self, needle: &str) -> &Self {
        assert_ne!(
            self.code, 0,
            "expected a refusal, got success: {}",
            self.stdout
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr: {}",
            self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "error does not name {needle:?}: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }
}

impl Run {
    /// The cursor of the next page, if stderr says there is more (the command must
    /// have succeeded).
    pub fn cursor(&self) -> Option<String> {
        assert_eq!(self.code, 0, "{}", self.stderr);
        process::cursor(&self.stderr)
    }
}

/// What a finished command did, as a `Run`.
pub fn output(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_desk"));
    c.env_remove("DESK_DATA")
        .env_remove("DESK_AS")
        .env_remove("DESK_REMOTE")
        .env_remove("DESK_TOKEN")
        .env("NO_COLOR", "1");
    c
}

impl Desk {
    /// An empty data folder (no store yet).
    pub fn empty() -> Desk {
        Desk {
            dir: tempfile::tempdir().unwrap(),
            now: NOW.into(),
        }
    }

    /// A store from the demo setup.
    pub fn demo() -> Desk {
        let d = Desk::empty();
        d.run(&["init", "--demo"]).json_ok();
        d
    }

    /// A store from a setup given as text.
    pub fn with_setup(toml: &str) -> Desk {
        let d = Desk::empty();
        let file = d.dir.path().join("setup.toml");
        std::fs::write(&file, toml).unwrap();
        let r = d.run(&["init", "--setup", file.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        d
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn store(&self) -> PathBuf {
        self.data().join("desk.sqlite3")
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = bin();
        c.arg("--data")
            .arg(self.data())
            .args(args)
            .env("DESK_NOW", &self.now);
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        output(self.cmd(args).output().unwrap())
    }

    pub fn as_(&self, login: &str, args: &[&str]) -> Run {
        let mut all = vec!["--as", login];
        all.extend_from_slice(args);
        self.run(&all)
    }

    pub fn at(mut self, now: &str) -> Desk {
        self.now = now.into();
        self
    }

    /// Every page of `args` as `login` (with `--json --limit LIMIT`), following the
    /// cursors; the arrays in order.
    pub fn all_pages(
        &self,
        login: &str,
        args: &[&str],
        limit: &str,
    ) -> Vec<Vec<serde_json::Value>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut a: Vec<&str> = args.to_vec();
            a.extend(["--json", "--limit", limit]);
            if let Some(c) = &after {
                a.extend(["--after", c.as_str()]);
            }
            let r = self.as_(login, &a);
            out.push(r.json().as_array().unwrap().clone());
            match r.cursor() {
                Some(c) => after = Some(c),
                None => return out,
            }
        }
    }

    /// Every row of every table, in order: equal dumps mean an unchanged store.
    pub fn dump(&self) -> String {
        dump(&self.store())
    }
}

pub fn dump(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut st = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(cells.join("|"))
            })
            .unwrap();
        out.push_str(&format!("== {t}\n"));
        for r in rows {
            out.push_str(&r.unwrap());
            out.push('\n');
        }
    }
    out
}

impl Run {
    pub fn json_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "command failed: {}", self.stderr);
        self
    }
}
