//! Forms (notes, due date, Taskfire T1–T3 and T5, portal submit and note, view name):
//! fields typed in ratatui-textarea, choices, a toggle; errors shown beside the field.
//! While a save is in flight, and after a failed one, the typed text stays.

use ratatui_textarea::TextArea;

use super::super::event::RequestId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Note,
    Due,
    Title,
    TaskfireAssign,
    TaskfireComplete,
    TaskfireAsk,
    Escalate,
    PortalSubmit,
    PortalNote,
    NewTicket,
    SaveView,
}

#[derive(Debug, Clone)]
pub enum Input {
    Text {
        // Boxed: a text area is large next to a choice or a toggle.
        area: Box<TextArea<'static>>,
        multiline: bool,
    },
    /// Picked with ←/→; the first option may be a "none" entry.
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    /// A deliberate yes/no, e.g. who sees a note.
    Toggle {
        on: bool,
        off_label: String,
        on_label: String,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: String,
    pub input: Input,
    pub required: bool,
    pub error: Option<String>,
}

impl Field {
    pub fn text(label: &str, value: &str, multiline: bool, required: bool) -> Field {
        let mut area = TextArea::new(value.lines().map(str::to_string).collect());
        if value.is_empty() {
            area = TextArea::default();
        }
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Field {
            label: label.into(),
            input: Input::Text {
                area: Box::new(area),
                multiline,
            },
            required,
            error: None,
        }
    }

    pub fn choice(label: &str, options: Vec<String>, required: bool) -> Field {
        Field {
            label: label.into(),
            input: Input::Choice {
                options,
                selected: 0,
            },
            required,
            error: None,
        }
    }

    /// Starts a choice on `value` when it is one of the options.
    pub fn choose(mut self, value: &str) -> Field {
        if let Input::Choice { options, selected } = &mut self.input
            && let Some(i) = options.iter().position(|o| o == value)
        {
            *selected = i;
        }
        self
    }

    pub fn toggle(label: &str, off_label: &str, on_label: &str) -> Field {
        Field {
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

    /// The text typed, or the option chosen ("" for none).
    pub fn value(&self) -> String {
        match &self.input {
            Input::Text { area, .. } => area.lines().join("\n").trim().to_string(),
            Input::Choice { options, selected } => options
                .get(*selected)
                .filter(|o| !o.starts_with('('))
                .cloned()
                .unwrap_or_default(),
            Input::Toggle { on, .. } => on.to_string(),
        }
    }

    pub fn on(&self) -> bool {
        matches!(self.input, Input::Toggle { on: true, .. })
    }

    pub fn set_text(&mut self, text: &str) {
        if let Input::Text { area, .. } = &mut self.input {
            **area = TextArea::new(text.lines().map(str::to_string).collect());
            area.move_cursor(ratatui_textarea::CursorMove::Bottom);
            area.move_cursor(ratatui_textarea::CursorMove::End);
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
}

#[derive(Debug, Clone)]
pub struct FormState {
    pub kind: FormKind,
    pub title: String,
    /// The ticket the form acts on.
    pub number: Option<String>,
    /// Shown above the fields: what will happen.
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last save failed.
    pub error: Option<String>,
    pub saving: Option<RequestId>,
}

impl FormState {
    pub fn new(kind: FormKind, title: impl Into<String>, number: Option<String>) -> FormState {
        FormState {
            kind,
            title: title.into(),
            number,
            intro: Vec::new(),
            fields: Vec::new(),
            focus: 0,
            error: None,
            saving: None,
        }
    }

    pub fn with(mut self, f: Field) -> FormState {
        self.fields.push(f);
        self
    }

    pub fn intro(mut self, line: impl Into<String>) -> FormState {
        self.intro.push(line.into());
        self
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    pub fn value(&self, label: &str) -> String {
        self.field(label).map(Field::value).unwrap_or_default()
    }

    /// Marks every required field left empty; true when the form may be sent.
    pub fn validate(&mut self) -> bool {
        let mut ok = true;
        for f in &mut self.fields {
            f.error = None;
            if f.required && f.value().is_empty() {
                f.error = Some(format!("{} is required", f.label.to_lowercase()));
                ok = false;
            }
        }
        ok
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }
}
