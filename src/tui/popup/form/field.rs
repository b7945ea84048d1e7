//! A form's fields: each named by a `FieldId` (never by its label), typed in a
//! ratatui-textarea, chosen from typed options, or switched on and off.

use ratatui_textarea::{CursorMove, TextArea};

use super::super::picker::{Choice, word_starts};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Title,
    Description,
    Note,
    Audience,
    Question,
    Due,
    Status,
    Priority,
    Queue,
    Assignee,
    WorkType,
    Source,
    Company,
    Contact,
    IssueType,
    TaskfireQueue,
    TaskfireResource,
    TaskfireDue,
    Name,
}

impl FieldId {
    /// Text in these is a time, resolved (and shown resolved) before it is sent.
    pub fn is_time(self) -> bool {
        matches!(self, FieldId::Due | FieldId::TaskfireDue)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub label: String,
    pub value: Choice,
}

impl Opt {
    pub fn new(label: impl Into<String>, value: Choice) -> Opt {
        Opt {
            label: label.into(),
            value,
        }
    }

    /// A name that is its own label.
    pub fn name(name: &str) -> Opt {
        Opt::new(name, Choice::Set(name.to_string()))
    }
}

#[derive(Debug, Clone)]
pub enum Input {
    Text {
        // Boxed: a text area is large next to a choice or a toggle.
        area: Box<TextArea<'static>>,
        multiline: bool,
        /// What it held when the form opened: only a change is "typed text" that Esc
        /// asks about.
        initial: String,
    },
    /// Picked with ←/→, or by typing the start of a word of an option.
    Choice {
        options: Vec<Opt>,
        selected: usize,
        typed: String,
    },
    /// A deliberate switch, e.g. who sees a note.
    Toggle {
        on: bool,
        off_label: String,
        on_label: String,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub label: String,
    pub input: Input,
    pub required: bool,
    pub error: Option<String>,
}

fn area_of(text: &str) -> TextArea<'static> {
    if text.is_empty() {
        return TextArea::default();
    }
    let mut area = TextArea::new(text.lines().map(str::to_string).collect());
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

impl Field {
    pub fn text(id: FieldId, label: &str, value: &str, multiline: bool, required: bool) -> Field {
        Field {
            id,
            label: label.into(),
            input: Input::Text {
                area: Box::new(area_of(value)),
                multiline,
                initial: value.to_string(),
            },
            required,
            error: None,
        }
    }

    pub fn choice(id: FieldId, label: &str, options: Vec<Opt>, required: bool) -> Field {
        Field {
            id,
            label: label.into(),
            input: Input::Choice {
                options,
                selected: 0,
                typed: String::new(),
            },
            required,
            error: None,
        }
    }

    /// Starts a choice on the option with this value, when there is one.
    pub fn on(mut self, value: &Choice) -> Field {
        if let Input::Choice {
            options, selected, ..
        } = &mut self.input
            && let Some(i) = options.iter().position(|o| &o.value == value)
        {
            *selected = i;
        }
        self
    }

    pub fn toggle(id: FieldId, label: &str, off_label: &str, on_label: &str) -> Field {
        Field {
            id,
            label: label.into(),
            input: Input::Toggle {
                on: false,
                off_label: off_label.into(),
                on_label: on_label.into(),
            },
            required: false,
            error: None,
        }
    }

    /// The text typed, trimmed ("" for a choice or a toggle).
    pub fn text_value(&self) -> String {
        match &self.input {
            Input::Text { area, .. } => area.lines().join("\n").trim().to_string(),
            _ => String::new(),
        }
    }

    pub fn choice_value(&self) -> Choice {
        match &self.input {
            Input::Choice {
                options, selected, ..
            } => options
                .get(*selected)
                .map_or(Choice::Keep, |o| o.value.clone()),
            _ => Choice::Keep,
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self.input, Input::Toggle { on: true, .. })
    }

    /// Nothing given: an empty text, or a choice of nothing.
    pub fn is_empty(&self) -> bool {
        match &self.input {
            Input::Text { .. } => self.text_value().is_empty(),
            Input::Choice { .. } => self.choice_value() == Choice::Keep,
            Input::Toggle { .. } => false,
        }
    }

    /// Text typed since the form opened.
    pub fn is_changed_text(&self) -> bool {
        match &self.input {
            Input::Text { initial, .. } => {
                let v = self.text_value();
                !v.is_empty() && v != initial.trim()
            }
            _ => false,
        }
    }

    pub fn set_text(&mut self, text: &str) {
        if let Input::Text { area, .. } = &mut self.input {
            **area = area_of(text);
        }
    }

    pub fn is_multiline(&self) -> bool {
        matches!(
            self.input,
            Input::Text {
                multiline: true,
                ..
            }
        )
    }

    /// ←/→ on a choice: the previous or next option, round.
    pub fn cycle(&mut self, forward: bool) {
        if let Input::Choice {
            options,
            selected,
            typed,
        } = &mut self.input
        {
            let n = options.len().max(1);
            *selected = if forward {
                (*selected + 1) % n
            } else {
                (*selected + n - 1) % n
            };
            typed.clear();
        }
    }

    /// A letter typed on a choice: the first option with a word starting with what was
    /// typed since the field was entered; a letter that fits none starts over from it.
    pub fn type_choice(&mut self, c: char) {
        let Input::Choice {
            options,
            selected,
            typed,
        } = &mut self.input
        else {
            return;
        };
        typed.push(c);
        let find = |t: &str| options.iter().position(|o| word_starts(&o.label, t));
        match find(typed) {
            Some(i) => *selected = i,
            None => {
                *typed = c.to_string();
                if let Some(i) = find(typed) {
                    *selected = i;
                } else {
                    typed.clear();
                }
            }
        }
    }

    /// Leaving a field ends its typed prefix.
    pub fn leave(&mut self) {
        if let Input::Choice { typed, .. } = &mut self.input {
            typed.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_on_a_choice_picks_by_the_start_of_a_word() {
        let opts = ["(keep)", "Client Portal", "Level 1", "Level 2", "Projects"]
            .iter()
            .map(|n| Opt::name(n))
            .collect();
        let mut f = Field::choice(FieldId::Queue, "Queue", opts, false);
        f.type_choice('l');
        assert_eq!(f.choice_value(), Choice::Set("Level 1".into()));
        f.type_choice('e');
        f.type_choice('v');
        assert_eq!(f.choice_value(), Choice::Set("Level 1".into()));
        // "lev2" fits nothing: it starts over from "2", which is a word of Level 2
        f.type_choice('2');
        assert_eq!(f.choice_value(), Choice::Set("Level 2".into()));
        f.leave();
        f.type_choice('p');
        assert_eq!(f.choice_value(), Choice::Set("Client Portal".into()));
        f.type_choice('r');
        assert_eq!(f.choice_value(), Choice::Set("Projects".into()));
        f.type_choice('z');
        assert_eq!(
            f.choice_value(),
            Choice::Set("Projects".into()),
            "no match moves nothing"
        );
    }
}
