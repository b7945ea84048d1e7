//! `desk completions SHELL` and `desk man`: generated from the clap definitions the
//! command line itself is parsed with, so they cannot drift from it.

use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

use super::Cli;
use crate::backend::{BResult, BackendError, ErrorKind};

fn io(what: &str, e: std::io::Error) -> BackendError {
    BackendError::new(ErrorKind::Internal, format!("{what}: {e}"))
}

/// The completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> BResult<()> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "desk", &mut out);
    write_stdout(&out)
}

/// desk(1) on stdout, or with `dir` a page for every command (desk-ticket-list(1), ...).
pub fn man(dir: Option<&Path>) -> BResult<()> {
    let cmd = Cli::command();
    match dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| io("cannot render the man page", e))?;
            write_stdout(&out)
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| io(&format!("cannot make {}", dir.display()), e))?;
            clap_mangen::generate_to(cmd, dir).map_err(|e| {
                io(
                    &format!("cannot write the man pages into {}", dir.display()),
                    e,
                )
            })?;
            eprintln!("wrote the man pages into {}", dir.display());
            Ok(())
        }
    }
}

fn write_stdout(bytes: &[u8]) -> BResult<()> {
    let mut o = std::io::stdout().lock();
    match o.write_all(bytes).and_then(|()| o.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}
