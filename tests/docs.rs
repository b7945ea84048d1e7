//! The repository explains itself: comments point into docs/, not to files outside the
//! repository, and every section of docs/rules.md or docs/architecture.md that code
//! names (`docs/rules.md, "Time"`) is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "rs" || x == "toml" || x == "sh")
        {
            out.push(p);
        }
    }
}

fn all_sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for d in ["src", "crates", "tests", "assets", "benches"] {
        sources(&Path::new(ROOT).join(d), &mut files);
    }
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (p, text)
        })
        .collect()
}

/// The headings of a markdown file, without their `#`s.
fn headings(doc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docs").join(doc)).unwrap();
    text.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .collect()
}

#[test]
fn no_comment_points_outside_the_repository() {
    // Spelt in two halves so this file does not name them itself.
    let outside = [
        ["SPEC", ".md"].concat(),
        ["SPEC", " §"].concat(),
        ["STYLE", " rule"].concat(),
    ];
    for (path, text) in all_sources() {
        for (i, line) in text.lines().enumerate() {
            for o in &outside {
                assert!(
                    !line.contains(o.as_str()),
                    "{}:{}: points outside the repository: {line}",
                    path.display(),
                    i + 1
                );
            }
        }
    }
}

#[test]
fn every_section_the_code_names_is_in_the_docs() {
    let mut named = 0;
    for doc in ["rules.md", "architecture.md"] {
        let heads = headings(doc);
        let pattern = format!("docs/{doc}, \"");
        for (path, text) in all_sources() {
            for (i, line) in text.lines().enumerate() {
                let mut rest = line;
                while let Some(at) = rest.find(&pattern) {
                    rest = &rest[at + pattern.len()..];
                    let section = rest.split('"').next().unwrap();
                    named += 1;
                    assert!(
                        heads
                            .iter()
                            .any(|h| h == section || h.starts_with(&format!("{section} ("))),
                        "{}:{}: docs/{doc} has no section \"{section}\"",
                        path.display(),
                        i + 1
                    );
                }
            }
        }
    }
    assert!(named > 10, "the code names sections of the docs");
}

#[test]
fn the_index_links_every_document() {
    let index = std::fs::read_to_string(Path::new(ROOT).join("docs/README.md")).unwrap();
    for doc in [
        "rules.md",
        "architecture.md",
        "lists.md",
        "tui.md",
        "serve.md",
        "portal.md",
    ] {
        assert!(
            index.contains(&format!("]({doc})")),
            "docs/README.md does not link {doc}"
        );
    }
    for e in std::fs::read_dir(Path::new(ROOT).join("docs")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(
            name == "README.md" || index.contains(&format!("]({name})")),
            "docs/README.md does not link {name}"
        );
    }
}
