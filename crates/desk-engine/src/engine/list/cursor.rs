//! Page cursors: where the previous page of a sorted list ended, as opaque text. A cursor
//! names its sort, the segment of the order (docs/lists.md, "Paging") and the last row's
//! sort key and id, so that the next page starts right after that row even when rows
//! share the key, and a cursor of one sort cannot continue another.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, Result};
use crate::model::Sort;

/// A part of a list's order: its rows, ordered by (key, id), come after those of every
/// part before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    /// The rows that have the key.
    Main,
    /// The rows without it (no due date, no company): last in both directions.
    Null,
    /// Rows with one value of a field sorted by name (a status, a company).
    Value(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    None,
    Int(i64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: Sort,
    pub seg: Seg,
    pub key: Key,
    pub id: i64,
}

fn bad(after: &str) -> Error {
    let shown: String = crate::domain::text::one_line(after)
        .chars()
        .take(60)
        .collect();
    Error::invalid(
        "after",
        format!(
            "\"{shown}\" is not a cursor from a previous page of this list (--after, after=); start again without it"
        ),
    )
}

impl Cursor {
    pub fn encode(&self) -> String {
        let seg = match self.seg {
            Seg::Main => "m".to_string(),
            Seg::Null => "n".to_string(),
            Seg::Value(v) => format!("v{v}"),
        };
        let key = match &self.key {
            Key::None => String::new(),
            Key::Int(i) => format!("i{i}"),
            Key::Text(t) => format!("s{t}"),
        };
        URL_SAFE_NO_PAD.encode(format!("{}|{seg}|{}|{key}", self.sort, self.id))
    }

    pub fn decode(after: &str) -> Result<Cursor> {
        let bytes = URL_SAFE_NO_PAD
            .decode(after.trim())
            .map_err(|_| bad(after))?;
        let text = String::from_utf8(bytes).map_err(|_| bad(after))?;
        let mut parts = text.splitn(4, '|');
        let (Some(sort), Some(seg), Some(id), Some(key)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad(after));
        };
        let sort = Sort::parse(sort).map_err(|_| bad(after))?;
        let seg = match seg {
            "m" => Seg::Main,
            "n" => Seg::Null,
            v => Seg::Value(
                v.strip_prefix('v')
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| bad(after))?,
            ),
        };
        let id = id.parse().map_err(|_| bad(after))?;
        let key = match key.split_at_checked(1) {
            None => Key::None,
            Some(("i", n)) => Key::Int(n.parse().map_err(|_| bad(after))?),
            Some(("s", t)) => Key::Text(t.to_string()),
            Some(_) => return Err(bad(after)),
        };
        Ok(Cursor { sort, seg, key, id })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::SortField;

    #[test]
    fn cursors_come_back_as_they_went() {
        let cases = [
            (Seg::Main, Key::Int(-5)),
            (Seg::Null, Key::None),
            (Seg::Value(7), Key::None),
            (Seg::Main, Key::Text("a|b|c ü \"x\"".into())),
            (Seg::Main, Key::Text(String::new())),
        ];
        for (seg, key) in cases {
            let c = Cursor {
                sort: Sort::desc(SortField::Title),
                seg,
                key,
                id: 42,
            };
            let text = c.encode();
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(Cursor::decode(&text).unwrap(), c);
        }
    }

    #[test]
    fn what_is_not_a_cursor_is_refused_naming_the_cursor() {
        let forged = |s: &str| URL_SAFE_NO_PAD.encode(s);
        for bad in [
            "12".to_string(),
            "drop table".into(),
            "!!".into(),
            forged("due|m|1"),
            forged("colour|m|1|i1"),
            forged("due|x|1|i1"),
            forged("due|m|one|i1"),
            forged("due|m|1|q1"),
            forged("due|m|1|ix"),
            URL_SAFE_NO_PAD.encode([0xff, 0xfe]),
        ] {
            let e = Cursor::decode(&bad).unwrap_err();
            assert!(
                matches!(&e, Error::Invalid { field, message } if field == "after" && message.contains("--after")),
                "{bad}: {e:?}"
            );
        }
    }
}
