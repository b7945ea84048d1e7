//! Keybindings as data: one table of (action, keys) drives dispatch, the help overlay, the
//! footer and the command palette. The config file's `[keys]` table replaces the keys of
//! an action; a key that ends up on two actions is reported naming both.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;

use super::action::{Action, Layer};

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
            other => write!(f, "{other:?}"),
        }
    }
}

const DEFAULTS: &[(Action, &[&str])] = &[
    (Action::Help, &["?"]),
    (Action::Quit, &["q", "ctrl-c"]),
    (Action::Palette, &[":"]),
    (Action::Up, &["k", "up"]),
    (Action::Down, &["j", "down"]),
    (Action::Top, &["g", "home"]),
    (Action::Bottom, &["G", "end"]),
    (Action::PageUp, &["pgup", "ctrl-u"]),
    (Action::PageDown, &["pgdn", "ctrl-d"]),
    (Action::NextPane, &["tab"]),
    (Action::PrevPane, &["backtab"]),
    (Action::Open, &["enter"]),
    (Action::Back, &["esc"]),
    (Action::Filter, &["/"]),
    (Action::ClearFilter, &["x"]),
    (Action::SaveView, &["V"]),
    (Action::DeleteView, &["D"]),
    (Action::Refresh, &["r"]),
    (Action::SortNext, &["o"]),
    (Action::SortReverse, &["O"]),
    (Action::Status, &["s"]),
    (Action::Queue, &["m"]),
    (Action::Assign, &["a"]),
    (Action::Due, &["d"]),
    (Action::Title, &["T"]),
    (Action::WorkType, &["w"]),
    (Action::Priority, &["p"]),
    (Action::Note, &["n"]),
    (Action::Taskfire, &["t"]),
    (Action::Escalate, &["e"]),
    (Action::NewTicket, &["c"]),
    (Action::Outbox, &["N"]),
    (Action::SaveForm, &["ctrl-s"]),
    (Action::NextField, &["tab"]),
    (Action::PrevField, &["backtab"]),
    (Action::Editor, &["ctrl-e"]),
    (Action::Confirm, &["y"]),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<KeySpec>,
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
    /// Applies user overrides (action name -> keys) over the defaults. Returns the keymap
    /// and one message per problem; a problem never stops desk from starting, it is shown.
    pub fn build(overrides: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let mut bindings: Vec<(Binding, bool)> = DEFAULTS
            .iter()
            .map(|(a, keys)| {
                let keys = keys.iter().filter_map(|k| KeySpec::parse(k).ok()).collect();
                (Binding { action: *a, keys }, false)
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
            if let Some(b) = bindings.iter_mut().find(|(b, _)| b.action == action) {
                *b = (
                    Binding {
                        action,
                        keys: parsed,
                    },
                    true,
                );
            }
        }
        // A key on two actions: the user's own binding keeps it (they asked for it); between
        // two of equal standing the first in the table keeps it. Both are named either way.
        let mut owner: Vec<(KeySpec, Action, bool)> = Vec::new();
        let mut order: Vec<usize> = (0..bindings.len()).collect();
        order.sort_by_key(|i| !bindings[*i].1);
        for i in order {
            let (b, user) = &mut bindings[i];
            let mut kept = Vec::new();
            for k in &b.keys {
                let same = |(ok, other, _): &&(KeySpec, Action, bool)| {
                    ok == k && other.layer() == b.action.layer()
                };
                if let Some((_, other, _)) = owner.iter().find(same) {
                    problems.push(format!(
                        "key \"{k}\" is bound to both {} and {}; {} keeps it",
                        other.name(),
                        b.action.name(),
                        other.name()
                    ));
                } else {
                    owner.push((*k, b.action, *user));
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
            .find(|b| b.action.layer() == layer && b.keys.contains(&spec))
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

    /// The first key of an action, for the footer.
    pub fn first_key(&self, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(|k| k.to_string())
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
