//! The wake-up of the change feed across servers (docs/postgres.md, "The changes
//! table"): a connection of its own that `LISTEN`s on `desk_changes`, which every write
//! that changed tickets `NOTIFY`s at commit. The notification carries nothing; the
//! changes table is the truth, so a wake-up lost while reconnecting costs one timeout.

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};
use std::time::Duration;

use crate::conn::{config, error, place};
use desk_engine::Result;

pub struct Listener {
    url: String,
    client: Option<Client>,
}

impl Listener {
    pub fn new(url: &str) -> Listener {
        Listener {
            url: url.to_string(),
            client: None,
        }
    }

    fn connect(&self) -> Result<Client> {
        let config = config(&self.url)?;
        let mut client = config
            .connect(NoTls)
            .map_err(|e| error(&place(&config), &e))?;
        client
            .batch_execute("LISTEN desk_changes")
            .map_err(|e| error(&place(&config), &e))?;
        Ok(client)
    }

    /// Waits until a change is announced or `timeout` passes; `Ok(true)`: announced.
    /// A lost connection is made again on the next call (`Err` says why it failed; the
    /// caller waits and reads the table anyway).
    pub fn wait(&mut self, timeout: Duration) -> Result<bool> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = Some(self.connect()?);
        }
        let Some(client) = self.client.as_mut() else {
            return Ok(false);
        };
        let heard = {
            let mut notifications = client.notifications();
            let first = notifications.timeout_iter(timeout).next();
            // Several commits may have announced themselves: one read serves them all.
            if matches!(first, Ok(Some(_))) {
                let _ = notifications.iter().count();
            }
            first.map(|n| n.is_some())
        };
        heard.map_err(|e| {
            self.client = None;
            desk_engine::Error::Unavailable(format!("listening: {e}"))
        })
    }
}

impl Drop for Listener {
    /// As `PgDb`: the client is closed on a thread of its own.
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = std::thread::spawn(move || drop(client)).join();
        }
    }
}
