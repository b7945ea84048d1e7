//! Forms (notes, the due date, the title, triage, Taskfire T1–T3 and T5, portal submit
//! and note, a new ticket, a view's name): typed fields, errors beside them. While a save
//! is in flight, and after a failed one, the typed text stays; Esc on typed text asks
//! first (docs/tui.md, "Typed text").

pub mod field;
mod view;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use desk_engine::model::Ticket;

use super::text::{type_into, typed_char};
use super::{Ctx, Flow, Outcome};
use crate::tui::action::Action;
use crate::tui::due;
use crate::tui::event::RequestId;
pub use field::{Field, FieldId, Input, Opt};

/// A time field's text that clears the time.
pub fn is_clear(text: &str) -> bool {
    matches!(text.trim(), "-" | "none")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Note,
    Due,
    Title,
    Triage,
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
pub struct FormState {
    pub kind: FormKind,
    pub title: String,
    /// The tickets the form acts on, as they were when it opened: its edits are
    /// conditional on these versions.
    pub targets: Vec<Ticket>,
    /// Shown above the fields: what will happen.
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last save failed.
    pub error: Option<String>,
    pub saving: Option<RequestId>,
    /// Esc was pressed on typed text: the form asks whether to throw it away.
    pub ask: bool,
    /// The text last written as this ticket's draft.
    pub draft_saved: String,
}

impl FormState {
    pub fn new(kind: FormKind, title: impl Into<String>, targets: Vec<Ticket>) -> FormState {
        FormState {
            kind,
            title: title.into(),
            targets,
            intro: Vec::new(),
            fields: Vec::new(),
            focus: 0,
            error: None,
            saving: None,
            ask: false,
            draft_saved: String::new(),
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

    pub fn asking(&self) -> bool {
        self.ask
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn text(&self, id: FieldId) -> String {
        self.field(id).map(Field::text_value).unwrap_or_default()
    }

    /// A choice that had nothing to choose from (the form opened before the desk's names
    /// came) gets its options; one that has options keeps what was picked.
    pub fn fill_choice(&mut self, id: FieldId, new: Vec<Opt>) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id)
            && let Input::Choice { options, .. } = &mut f.input
            && options.is_empty()
        {
            *options = new;
            f.error = None;
        }
    }

    pub fn choice(&self, id: FieldId) -> super::Choice {
        self.field(id)
            .map_or(super::Choice::Keep, Field::choice_value)
    }

    pub fn is_on(&self, id: FieldId) -> bool {
        self.field(id).is_some_and(Field::is_on)
    }

    /// The ticket a single-ticket form is about.
    pub fn number(&self) -> Option<String> {
        match self.targets.as_slice() {
            [one] => Some(one.number.clone()),
            _ => None,
        }
    }

    /// The ticket whose draft this form's text is: a note on one ticket.
    pub fn draft_number(&self) -> Option<String> {
        matches!(self.kind, FormKind::Note | FormKind::PortalNote)
            .then(|| self.number())
            .flatten()
    }

    /// The note's text, for its draft.
    pub fn draft_text(&self) -> String {
        self.text(FieldId::Note)
    }

    /// Text was typed since the form opened.
    pub fn has_typed(&self) -> bool {
        self.fields.iter().any(Field::is_changed_text)
    }

    /// A time field's text resolved: `Ok(None)` when empty.
    pub fn time(
        &self,
        id: FieldId,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<Option<DateTime<Utc>>, String> {
        let text = self.text(id);
        if text.is_empty() || is_clear(&text) {
            return Ok(None);
        }
        due::resolve(&text, now, tz).map(Some)
    }

    /// What a time field sets: `None` leaves it alone (an empty triage field), "" clears
    /// it, else the instant in RFC 3339.
    pub fn time_change(
        &self,
        id: FieldId,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<Option<String>, String> {
        let text = self.text(id);
        if text.is_empty() && self.kind == FormKind::Triage {
            return Ok(None);
        }
        Ok(Some(
            self.time(id, now, tz)?
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ))
    }

    /// Marks every required field left empty and every time that does not resolve; true
    /// when the form may be sent.
    pub fn validate(&mut self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> bool {
        let mut ok = true;
        // Why each time field does not resolve.
        let bad: Vec<(FieldId, String)> = self
            .fields
            .iter()
            .filter(|f| f.id.is_time())
            .filter_map(|f| self.time(f.id, now, tz).err().map(|e| (f.id, e)))
            .collect();
        for f in &mut self.fields {
            f.error = None;
            if f.required && f.is_empty() {
                f.error = Some(format!("{} is required", f.label.to_lowercase()));
                ok = false;
            }
            if let Some((_, e)) = bad.iter().find(|(id, _)| *id == f.id) {
                f.error = Some(e.clone());
                ok = false;
            }
        }
        ok
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        if let Some(f) = self.focused() {
            f.leave();
        }
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    fn submit(&mut self, cx: &Ctx) -> Flow {
        if !self.validate(cx.now, cx.tz) {
            self.error = Some("fill in the marked fields".into());
            return Flow::Stay;
        }
        self.error = None;
        Flow::Do(Outcome::SubmitForm)
    }

    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>, cx: &Ctx) -> Flow {
        if self.ask {
            return match action {
                Some(Action::Confirm) => Flow::CloseThen(Outcome::Discard {
                    number: self.draft_number(),
                }),
                Some(Action::KeepDraft) => match self.draft_number() {
                    Some(number) => Flow::CloseThen(Outcome::KeepDraft {
                        number,
                        text: self.draft_text(),
                    }),
                    None => Flow::Stay,
                },
                Some(Action::Deny | Action::Cancel) => {
                    self.ask = false;
                    Flow::Stay
                }
                _ => Flow::Stay,
            };
        }
        if self.saving.is_some() {
            // Typing waits while the save is in flight; nothing typed is lost. Esc
            // leaves it to finish in the background.
            return match action {
                Some(Action::Cancel) => Flow::CloseThen(Outcome::Discard { number: None }),
                _ => Flow::Stay,
            };
        }
        match action {
            Some(Action::Cancel) if self.has_typed() => {
                self.ask = true;
                return Flow::Stay;
            }
            Some(Action::Cancel) => return Flow::Close,
            Some(Action::SaveForm) => return self.submit(cx),
            Some(Action::Editor) => {
                return match self.focused().map(|f| &f.input) {
                    Some(Input::Text { area, .. }) => {
                        Flow::Do(Outcome::Edit(area.lines().join("\n")))
                    }
                    _ => Flow::Stay,
                };
            }
            Some(Action::NextField) => {
                self.move_focus(true);
                return Flow::Stay;
            }
            Some(Action::PrevField) => {
                self.move_focus(false);
                return Flow::Stay;
            }
            _ => {}
        }
        let last = self.focus + 1 == self.fields.len();
        self.error = None;
        let Some(field) = self.focused() else {
            return Flow::Stay;
        };
        field.error = None;
        let multiline = field.is_multiline();
        match (&mut field.input, k.code) {
            (Input::Text { .. }, KeyCode::Enter) if multiline => {
                if let Input::Text { area, .. } = &mut field.input {
                    type_into(area, k);
                }
            }
            (Input::Text { area, .. }, code) if code != KeyCode::Enter => type_into(area, k),
            (Input::Choice { .. }, KeyCode::Left) => field.cycle(false),
            (Input::Choice { .. }, KeyCode::Right | KeyCode::Char(' ')) => field.cycle(true),
            (Input::Choice { typed, .. }, KeyCode::Backspace) => typed.clear(),
            (Input::Toggle { on, .. }, KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right) => {
                *on = !*on
            }
            (_, KeyCode::Enter) => {
                if last {
                    return self.submit(cx);
                }
                self.move_focus(true);
            }
            (Input::Choice { .. }, _) => {
                if let Some(c) = typed_char(k) {
                    field.type_choice(c);
                }
            }
            _ => {}
        }
        Flow::Stay
    }
}
