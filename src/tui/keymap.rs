//! Keybindings as data: the action table (`action::TABLE`) with the user's overrides drives
//! dispatch, the help overlay, the footer and the command palette. The config file's `[keys]` table replaces the keys of
//! an action; a key that ends up on two actions is reported naming both.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;

use super::action::{Action, Layer, TABLE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    /// Shift is folded into the character (`G`), and `BackTab` stands for shift-tab, so
    /// terminals that report shift differently still match.
    pub fn from_event(k: &KeyEvent) -> KeySpec {
        let code = match k.code {
            KeyCode::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        KeySpec {
            code,
            ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
            alt: k.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(s: &str) -> Result<KeySpec, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse::<u8>().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "\"{s}\" is not a key (try \"x\", \"ctrl-x\", \"enter\", \"f2\")"
                        ));
                    }
                }
            }
        };
        Ok(KeySpec { code, ctrl, alt })
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Delete => f.write_str("del"),
            KeyCode::Backspace => f.write_str("backspace"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<KeySpec>,
    pub layers: &'static [Layer],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let (k, _) = Keymap::build(&BTreeMap::new());
        k
    }
}

impl Keymap {
    /// Applies user overrides (action name -> keys) over the table's defaults. Returns
    /// the keymap and one message per problem; a problem never stops desk from starting,
    /// it is shown.
    pub fn build(overrides: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let mut bindings: Vec<(Binding, bool)> = TABLE
            .iter()
            .map(|d| {
                let keys = d
                    .keys
                    .iter()
                    .filter_map(|k| KeySpec::parse(k).ok())
                    .collect();
                let b = Binding {
                    action: d.action,
                    keys,
                    layers: d.layers,
                };
                (b, false)
            })
            .collect();
        for (name, keys) in overrides {
            let Some(action) = Action::parse(name) else {
                problems.push(format!("[keys] {name}: no such action"));
                continue;
            };
            let mut parsed = Vec::new();
            for k in keys {
                match KeySpec::parse(k) {
                    Ok(spec) => parsed.push(spec),
                    Err(e) => problems.push(format!("[keys] {name}: {e}")),
                }
            }
            if let Some((b, user)) = bindings.iter_mut().find(|(b, _)| b.action == action) {
                b.keys = parsed;
                *user = true;
            }
        }
        // A key on two actions of one layer: the user's own binding keeps it (they asked
        // for it); between two of equal standing the first in the table keeps it. Both
        // are named either way.
        let mut owner: Vec<(KeySpec, Action, &'static [Layer])> = Vec::new();
        let mut order: Vec<usize> = (0..bindings.len()).collect();
        order.sort_by_key(|i| !bindings[*i].1);
        for i in order {
            let (b, _) = &mut bindings[i];
            let mut kept = Vec::new();
            for k in &b.keys {
                let clash = |(ok, _, layers): &&(KeySpec, Action, &'static [Layer])| {
                    ok == k && layers.iter().any(|l| b.layers.contains(l))
                };
                if let Some((_, other, _)) = owner.iter().find(clash) {
                    problems.push(format!(
                        "key \"{k}\" is bound to both {} and {}; {} keeps it",
                        other.name(),
                        b.action.name(),
                        other.name()
                    ));
                } else {
                    owner.push((*k, b.action, b.layers));
                    kept.push(*k);
                }
            }
            b.keys = kept;
        }
        (
            Keymap {
                bindings: bindings.into_iter().map(|(b, _)| b).collect(),
            },
            problems,
        )
    }

    /// The action of a key on the panes.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        self.action_in(Layer::Main, key)
    }

    pub fn action_in(&self, layer: Layer, key: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(key);
        self.bindings
            .iter()
            .find(|b| b.layers.contains(&layer) && b.keys.contains(&spec))
            .map(|b| b.action)
    }

    /// The keys of an action as shown to people: `s`, `q/ctrl-c`, or `-` when unbound.
    pub fn keys_for(&self, action: Action) -> String {
        let keys: Vec<String> = self
            .bindings
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.keys.iter().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        if keys.is_empty() {
            "-".into()
        } else {
            keys.join("/")
        }
    }

    /// The first key of an action, for the footer and for messages ("press y").
    pub fn first_key(&self, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(|k| k.to_string())
    }

    /// `first_key`, or `-` when the action has no key.
    pub fn key(&self, action: Action) -> String {
        self.first_key(action).unwrap_or_else(|| "-".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_have_no_conflicts() {
        let (k, problems) = Keymap::build(&BTreeMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(k.action_for(&key('s')), Some(Action::Status));
        assert_eq!(
            k.action_for(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(k.keys_for(Action::Quit), "q/ctrl-c");
    }

    #[test]
    fn override_replaces_and_conflict_names_both() {
        let mut o = BTreeMap::new();
        o.insert("sort_next".to_string(), vec!["s".to_string()]);
        let (k, problems) = Keymap::build(&o);
        assert_eq!(k.action_for(&key('s')), Some(Action::SortNext));
        assert_eq!(k.action_for(&key('o')), None);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("sort_next") && problems[0].contains("status"));
    }

    #[test]
    fn bad_names_and_keys_are_reported() {
        let mut o = BTreeMap::new();
        o.insert("fly".to_string(), vec!["f".to_string()]);
        o.insert(
            "note".to_string(),
            vec!["ctrl-".to_string(), "f2".to_string()],
        );
        let (k, problems) = Keymap::build(&o);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(k.keys_for(Action::Note), "f2");
    }
}
