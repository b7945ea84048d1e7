//! A full disk under a real `desk serve`: its store on a tiny tmpfs of its own (a private
//! mount namespace through `unshare`, as root or in a user namespace), filled up while it
//! runs. A write is then answered 507 in the one error shape, saying that the disk is
//! full and nothing was written, and the store is exactly as before; reads still work;
//! once space is free again, writes work again. Skipped, saying so, where no mount
//! namespace can be made (except under CI=true, where it must run).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;
#[path = "common/raw.rs"]
mod raw;

use desk::Server;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Mounts a 1 MiB tmpfs on $1, makes a demo store there and a token (into $3), then
/// becomes `desk serve` ($2).
const SCRIPT: &str = r#"set -e
mount -t tmpfs -o size=1m tmpfs "$1"
"$2" --data "$1" init --demo >/dev/null
"$2" --data "$1" token create anna >"$3" 2>/dev/null
exec "$2" --data "$1" serve --listen 127.0.0.1:0
"#;

fn unshare() -> Command {
    let mut c = Command::new("unshare");
    c.args(["--mount", "--map-root-user"]);
    c
}

fn can_mount() -> bool {
    unshare()
        .args(["sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Fills the file system of `dir` until it refuses another byte.
fn fill(dir: &Path) {
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    for _ in 0..1024 {
        if f.write_all(&chunk).and_then(|_| f.sync_all()).is_err() {
            return;
        }
    }
    panic!("the 1 MiB tmpfs took 16 MiB");
}

#[tokio::test]
async fn a_full_disk_is_507_and_writes_nothing() {
    if !can_mount() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must be able to make a mount namespace (unshare --mount)"
        );
        eprintln!(
            "skipped: cannot make a mount namespace with a tmpfs here (unshare --mount --map-root-user)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("m");
    std::fs::create_dir(&mount).unwrap();
    let token_file = dir.path().join("token");
    let mut command = unshare();
    command
        .args(["sh", "-c", SCRIPT, "sh"])
        .arg(&mount)
        .arg(desk::bin())
        .arg(&token_file)
        .env("DESK_NOW", desk::NOW);
    let server = Server::spawn(command);
    let token = std::fs::read_to_string(&token_file)
        .unwrap()
        .trim()
        .to_string();
    let addr = raw::addr_of(&server.url);
    let ask = |request: String| async move { raw::exchange(addr, request.as_bytes()).await };
    let list = || {
        ask(format!(
            "GET /api/v1/tickets?limit=1000 HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        ))
    };
    let create = |title: &str| {
        let body = format!(
            "{{\"title\": \"{title}\", \"description\": \"{}\"}}",
            "x".repeat(20_000)
        );
        ask(format!(
            "POST /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ))
    };
    assert_eq!(create("before the disk filled").await.status, 201);

    // The server's view of the mount: its file system, filled from outside.
    let inside = Path::new("/proc")
        .join(server.pid().to_string())
        .join("root")
        .join(mount.strip_prefix("/").unwrap());
    let before = list().await;
    assert_eq!(before.status, 200);
    fill(&inside);

    let full = create("while the disk is full").await;
    assert_eq!(full.status, 507, "{}", full.body);
    let v = full.json();
    assert_eq!(v["error"]["code"], "disk_full", "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("disk is full") && message.contains("nothing was written"),
        "{message}"
    );
    assert_eq!(
        full.header("content-type").as_deref(),
        Some("application/json")
    );

    // Nothing of it is in the store, and reads still work.
    let after = list().await;
    assert_eq!(after.status, 200);
    assert_eq!(after.body, before.body, "a refused write changed the store");

    // Space again: writing works again.
    std::fs::remove_file(inside.join("filler")).unwrap();
    let again = create("after space was freed").await;
    assert_eq!(again.status, 201, "{}", again.body);
}
