//! A PostgreSQL cluster of a test's own, which the test stops and starts (a database
//! restart under `desk serve`). Used through `#[path = "common/cluster.rs"] mod cluster;`.
#![allow(dead_code)]

/// A PostgreSQL cluster of this test's own (it stops and starts it), made as
/// `.ci/postgres.sh` makes one: `DESK_TEST_PG_BIN` names initdb and pg_ctl.
pub struct Cluster {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    /// `tool` run as the `postgres` user when the tests run as root (PostgreSQL refuses
    /// to run as root), else as the user running them.
    fn command(&self, tool: &str) -> std::process::Command {
        let tool = self.bin.join(tool);
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .unwrap()
            .stdout
            == b"0\n";
        if root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&tool);
            c
        } else {
            std::process::Command::new(&tool)
        }
    }

    fn as_postgres(&self, tool: &str, args: &[&str]) {
        let out = self.command(tool).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn new() -> Option<Cluster> {
        // Only where the shared test server runs (and so PostgreSQL is installed).
        desk_store_pg::testing::server_url("database restart")?;
        let bin =
            std::path::PathBuf::from(std::env::var("DESK_TEST_PG_BIN").expect(
                "DESK_TEST_PG_BIN: the folder of initdb and pg_ctl (.ci/postgres.sh sets it)",
            ));
        let dir = tempfile::Builder::new()
            .prefix("desk-pg-restart")
            .tempdir()
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o777),
        )
        .unwrap();
        let c = Cluster { bin, dir, port };
        let data = c.data();
        c.as_postgres(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "desk",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        );
        std::fs::write(
            format!("{data}/postgresql.auto.conf"),
            format!("listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\nfsync = off\n"),
        )
        .unwrap();
        std::fs::write(
            format!("{data}/pg_hba.conf"),
            "host all all 127.0.0.1/32 trust\n",
        )
        .unwrap();
        c.start();
        Some(c)
    }

    fn data(&self) -> String {
        format!("{}/data", self.dir.path().display())
    }

    pub fn start(&self) {
        let log = format!("{}/log", self.dir.path().display());
        self.as_postgres("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "start"]);
    }

    pub fn stop(&self) {
        self.as_postgres("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    pub fn url(&self) -> String {
        format!("postgres://desk@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}
