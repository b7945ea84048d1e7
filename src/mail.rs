//! A `Sender` for the outbox: each message becomes an .eml file in a pickup folder, the
//! hand-over that most mail servers accept. Written to a temporary name and renamed, so a
//! mail server never picks up half a message.

use desk_engine::Sender;
use desk_engine::model::Notification;
use std::path::{Path, PathBuf};

use crate::backend::{BackendError, ErrorKind};

pub struct PickupDir {
    dir: PathBuf,
    count: usize,
}

impl PickupDir {
    pub fn new(dir: &Path) -> Result<Self, BackendError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            BackendError::new(
                ErrorKind::Invalid,
                format!("cannot use {} as a pickup folder: {e}", dir.display()),
            )
        })?;
        Ok(PickupDir {
            dir: dir.to_path_buf(),
            count: 0,
        })
    }
}

/// One header line; line breaks in a value would start a new header, so they are folded.
fn header(name: &str, value: &str) -> String {
    format!("{name}: {}\r\n", value.replace(['\r', '\n'], " "))
}

pub fn render(n: &Notification) -> String {
    let mut m = String::new();
    m.push_str(&header("To", &n.to));
    m.push_str(&header("Subject", &n.subject));
    m.push_str(&header("Date", &n.at.to_rfc2822()));
    m.push_str(&header("MIME-Version", "1.0"));
    m.push_str(&header("Content-Type", "text/plain; charset=utf-8"));
    m.push_str(&header("X-Desk-Event", &n.event));
    if let Some(t) = &n.ticket {
        m.push_str(&header("X-Desk-Ticket", t));
    }
    m.push_str("\r\n");
    m.push_str(&n.body.replace("\r\n", "\n").replace('\n', "\r\n"));
    m.push_str("\r\n");
    m
}

impl Sender for PickupDir {
    fn send(&mut self, n: &Notification) -> Result<(), String> {
        self.count += 1;
        let name = format!(
            "{}-{}-{}-{}",
            n.at.format("%Y%m%dT%H%M%S"),
            n.event,
            std::process::id(),
            self.count
        );
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let path = self.dir.join(format!("{name}.eml"));
        std::fs::write(&tmp, render(n))
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                format!("cannot write {}: {e}", path.display())
            })
    }
}
