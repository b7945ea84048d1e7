//! The config file (`config.toml` in the `directories` config folder, or `$DESK_CONFIG`):
//! key overrides, saved views, theme, refresh period. A broken file never stops desk; its
//! problems are shown and the defaults used.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    pub query: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    keys: BTreeMap<String, Keys>,
    #[serde(default)]
    views: Vec<SavedView>,
    theme: Option<String>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
    refresh_seconds: Option<u64>,
    #[serde(default)]
    list: ListSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListSection {
    #[serde(default)]
    columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub keys: BTreeMap<String, Vec<String>>,
    pub views: Vec<SavedView>,
    pub theme: Option<String>,
    /// Colour overrides over the theme: role -> colour ("yellow", "#ffaa00").
    pub colors: BTreeMap<String, String>,
    pub refresh_seconds: u64,
    /// `[list] columns`: the list's columns by name, in order (none: the default set).
    pub columns: Vec<String>,
}

pub const DEFAULT_REFRESH_SECONDS: u64 = 15;

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            keys: BTreeMap::new(),
            views: Vec::new(),
            theme: None,
            colors: BTreeMap::new(),
            refresh_seconds: DEFAULT_REFRESH_SECONDS,
            columns: Vec::new(),
        }
    }
}

pub fn default_path() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("DESK_CONFIG")
        && !p.trim().is_empty()
    {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "desk").map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// Reads the file; a missing file is the defaults. Returns the problems found.
    pub fn load(path: Option<PathBuf>) -> (Config, Vec<String>) {
        let config = Config {
            path: path.clone(),
            ..Config::default()
        };
        let Some(p) = path else {
            return (config, Vec::new());
        };
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (config, Vec::new()),
            Err(e) => return (config, vec![format!("{}: {e}", p.display())]),
        };
        match Config::parse(&text) {
            Ok(mut c) => {
                c.path = Some(p);
                (c, Vec::new())
            }
            Err(e) => (config, vec![format!("{}: {e}", p.display())]),
        }
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        Ok(Config {
            path: None,
            keys: f
                .keys
                .into_iter()
                .map(|(k, v)| match v {
                    Keys::One(s) => (k, vec![s]),
                    Keys::Many(v) => (k, v),
                })
                .collect(),
            views: f.views,
            theme: f.theme,
            colors: f.colors,
            refresh_seconds: f.refresh_seconds.unwrap_or(DEFAULT_REFRESH_SECONDS).max(1),
            columns: f.list.columns,
        })
    }
}

/// Writes the saved views into the file, keeping everything else in it as it was,
/// comments included (toml_edit, not a re-serialisation).
pub fn save_views(path: &Path, views: &[SavedView]) -> Result<(), String> {
    let mut doc: toml_edit::DocumentMut = match std::fs::read_to_string(path) {
        Ok(t) => t
            .parse()
            .map_err(|e| format!("{}: {e}; views not saved", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => toml_edit::DocumentMut::new(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut list = toml_edit::ArrayOfTables::new();
    for v in views {
        let mut t = toml_edit::Table::new();
        t["name"] = toml_edit::value(v.name.clone());
        t["query"] = toml_edit::value(v.query.clone());
        list.push(t);
    }
    doc["views"] = toml_edit::Item::ArrayOfTables(list);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, doc.to_string()).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_views_and_theme() {
        let c = Config::parse(
            "theme = \"light\"\n[keys]\nquit = \"Q\"\nnote = [\"n\", \"f2\"]\n[[views]]\nname = \"Portal new\"\nquery = 'source:\"Client Portal\" status:new'\n",
        );
        let c = c.unwrap_or_default();
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.keys["note"], vec!["n", "f2"]);
        assert_eq!(c.views[0].name, "Portal new");
    }

    #[test]
    fn the_shipped_example_parses_and_its_views_are_valid_queries() {
        let c = Config::parse(include_str!("../../assets/config.example.toml")).unwrap();
        assert_eq!(c.views.len(), 3);
        let (cols, problems) = crate::tui::state::columns::Column::from_config(&c.columns);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(cols, crate::tui::state::columns::Column::DEFAULT.to_vec());
        for v in &c.views {
            crate::tui::query::Query::parse(&v.query).unwrap();
        }
        let (_, problems) = crate::tui::keymap::Keymap::build(&c.keys);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let e = Config::parse("colour = 1").err().unwrap_or_default();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn saving_views_keeps_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "# my colours\ntheme = \"light\"\n").unwrap();
        let v = SavedView {
            name: "mine".into(),
            query: "assigned:anna".into(),
        };
        save_views(&p, std::slice::from_ref(&v)).unwrap();
        let (c, problems) = Config::load(Some(p.clone()));
        assert!(problems.is_empty());
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.views, vec![v]);
        assert!(
            std::fs::read_to_string(&p)
                .unwrap()
                .starts_with("# my colours\n")
        );
    }
}
