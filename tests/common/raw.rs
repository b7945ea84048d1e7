//! Raw HTTP/1.1 against `desk serve`: bytes that no well-behaved client sends (invalid
//! UTF-8, two `Authorization` headers, stalled bodies), connections from other loopback
//! addresses (the whole of 127.0.0.0/8 is loopback on Linux), and the answer read back
//! as status, headers and JSON body. Shared through `#[path = "common/raw.rs"] mod raw;`.
#![allow(dead_code)]

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A guard against a hang, not a measurement.
pub const HANG_GUARD: Duration = Duration::from_secs(20);

/// The server's address from its URL (`http://127.0.0.1:PORT`).
pub fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap()
}

/// A connection to `server` from the loopback address `from` (127.0.0.1 for the usual).
pub async fn connect_from(from: &str, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    let ip: IpAddr = from.parse().unwrap();
    socket.bind(SocketAddr::new(ip, 0)).unwrap();
    socket.connect(server).await.unwrap()
}

/// What came back on a connection.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    /// The body as JSON (panics, naming the answer, if it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.head, self.body))
    }

    /// A header's value (the first, by case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// Reads one answer: the head, then a body of `content-length` bytes (or to the end of
/// the connection). `None` when the server closed without answering.
pub async fn read_answer(stream: &mut TcpStream) -> Option<Answer> {
    let mut answer = read_head(stream).await?;
    let length: Option<usize> = answer.header("content-length").map(|l| l.parse().unwrap());
    let mut body = std::mem::take(&mut answer.body).into_bytes();
    let mut chunk = [0u8; 4096];
    loop {
        if length.is_some_and(|l| body.len() >= l) {
            break;
        }
        let n = tokio::time::timeout(HANG_GUARD, stream.read(&mut chunk))
            .await
            .expect("the body did not end in time")
            .unwrap_or(0);
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    answer.body = String::from_utf8_lossy(&body).into_owned();
    Some(answer)
}

/// Reads the head of an answer (a change feed's, say, whose body does not end); `body`
/// holds what came after it in the same reads. `None` when the server closed first.
pub async fn read_head(stream: &mut TcpStream) -> Option<Answer> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = tokio::time::timeout(HANG_GUARD, stream.read(&mut chunk))
            .await
            .expect("no answer in time")
            .unwrap_or(0);
        if n == 0 {
            assert!(buf.is_empty(), "closed in the middle of an answer: {buf:?}");
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Some(Answer {
        status,
        head,
        body: String::from_utf8_lossy(&buf[head_end + 4..]).into_owned(),
    })
}

/// Sends `request` on a new connection from 127.0.0.1 and reads the answer.
pub async fn exchange(server: SocketAddr, request: &[u8]) -> Answer {
    let mut s = connect_from("127.0.0.1", server).await;
    s.write_all(request).await.unwrap();
    read_answer(&mut s).await.unwrap_or_else(|| {
        panic!(
            "closed without an answer to {:?}",
            String::from_utf8_lossy(request)
        )
    })
}

/// Whether the server closed `stream` (a read returns the end, or the connection was
/// reset), within the hang guard; whatever it sent before is returned.
pub async fn closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(HANG_GUARD, stream.read(&mut chunk)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&chunk[..n]),
        }
    }
}
