//! The detail pane: every field (each time naming its zone), the Taskfire state, the R5
//! explanation, and the activity history with each note kind labelled and styled apart.

use chrono::{DateTime, Utc};
use desk_engine::model::{DeskSide, NoteKind, Ticket};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use desk_engine::domain::text::{multi_line, one_line};

use super::{expand_tabs, focused, pane_block};
use crate::tui::state::{Mode, Pane, State};
use crate::tui::theme::Theme;

pub struct DetailView<'a> {
    pub s: &'a State,
    pub th: &'a Theme,
}

/// A field's line; `v` is already safe (built from `one_line` values).
fn field<'a>(k: &str, v: String, th: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{k:<12}"), th.dim),
        Span::styled(v, th.text),
    ])
}

/// A text from the store as lines for the terminal: control characters escaped, tabs as
/// spaces.
fn text_lines(v: &str) -> Vec<String> {
    expand_tabs(&multi_line(v))
        .lines()
        .map(str::to_string)
        .collect()
}

/// The label of a note kind, so that kinds differ in text as well as in colour.
pub fn kind_label(k: NoteKind) -> &'static str {
    match k {
        NoteKind::Internal => "INTERNAL",
        NoteKind::Published => "PUBLISHED",
        NoteKind::Portal => "PORTAL",
        NoteKind::Taskfire => "TASKFIRE",
    }
}

pub fn lines<'a>(s: &State, t: &Ticket, th: &Theme) -> Vec<Line<'a>> {
    let opt = |v: &Option<String>| one_line(v.as_deref().unwrap_or("-")).into_owned();
    let ol = |v: &str| one_line(v).into_owned();
    let who = |v: &Option<String>| {
        v.as_deref()
            .map(|l| s.person(l))
            .unwrap_or_else(|| "-".into())
    };
    let when = |t: Option<DateTime<Utc>>| t.map(|d| s.when(d)).unwrap_or_else(|| "-".into());
    let mut out = vec![Line::from(vec![
        Span::styled(ol(&t.number), th.header),
        Span::raw("  "),
        Span::styled(ol(&t.title), th.text.add_modifier(Modifier::BOLD)),
    ])];
    out.push(field(
        "status",
        format!("{}   priority {}", ol(&t.status), ol(&t.priority)),
        th,
    ));
    let desk = match t.side() {
        DeskSide::Provider => String::new(),
        DeskSide::Taskfire(company) => format!(" (Taskfire desk of {})", ol(&company)),
    };
    out.push(field("queue", format!("{}{desk}", ol(&t.queue)), th));
    out.push(field(
        "source",
        format!("{}   issue type {}", ol(&t.source), opt(&t.issue_type)),
        th,
    ));
    out.push(field("work type", opt(&t.work_type), th));
    out.push(field(
        "company",
        format!("{}   contact {}", opt(&t.company), who(&t.contact)),
        th,
    ));
    out.push(field("assigned", who(&t.assigned), th));
    out.push(field(
        "created",
        format!(
            "{} {} by {}",
            t.created_local.format("%Y-%m-%d %H:%M"),
            ol(&t.created_tz),
            s.person(&t.created_by)
        ),
        th,
    ));
    // The creation time in the reader's own zone, unless it is the creator's zone already.
    if t.created_tz != s.tz.name() {
        out.push(field("", format!("= {}", s.when(t.created_at)), th));
    }
    let tz = s
        .catalog
        .as_ref()
        .map(|c| ol(&c.time_zone))
        .unwrap_or_else(|| "desk zone".into());
    let mark = if t.dates_differ() { " *" } else { "" };
    out.push(Line::from(vec![
        Span::styled(format!("{:<12}", "number date"), th.dim),
        Span::styled(format!("{} ({tz})", t.number_date), th.text),
        Span::styled(mark, th.mark),
    ]));
    if t.dates_differ() {
        out.push(Line::styled(
            format!(
                "* The number carries the desk's date {} ({tz}); the ticket was created on {} in its creator's zone ({}). Both are right: numbers count by desk date.",
                t.number_date,
                t.created_local.date_naive(),
                ol(&t.created_tz)
            ),
            th.mark,
        ));
    }
    out.push(field("due", when(t.due_at), th));
    if let Some(se) = &t.series {
        out.push(field("series", ol(se), th));
    }
    match &t.taskfire {
        Some(f) => {
            let holder = match f.held_by {
                desk_engine::model::HeldBy::Customer => "the customer's desk holds it",
                desk_engine::model::HeldBy::Provider => "the provider holds it",
            };
            out.push(field("taskfire", format!("shared; {holder}"), th));
            out.push(field(
                "",
                format!("queue {} · resource {}", ol(&f.queue), who(&f.resource)),
                th,
            ));
            out.push(field(
                "",
                format!(
                    "Taskfire status {} · Taskfire due {}",
                    ol(&f.status),
                    when(f.due_at)
                ),
                th,
            ));
            if s.mode == Mode::Portal {
                // The customer calls the provider's status the "service provider status".
                out.push(field(
                    "",
                    format!("service provider status {}", ol(&f.provider_status)),
                    th,
                ));
            } else {
                out.push(field(
                    "",
                    format!(
                        "provider status {} · provider due {}",
                        ol(&f.provider_status),
                        when(f.provider_due_at)
                    ),
                    th,
                ));
            }
        }
        None => out.push(field("taskfire", "not shared".into(), th)),
    }
    out.push(field("version", t.version.to_string(), th));
    if !t.description.is_empty() {
        out.push(Line::raw(""));
        out.extend(
            text_lines(&t.description)
                .into_iter()
                .map(|l| Line::styled(l, th.text)),
        );
    }
    out.push(Line::raw(""));
    out.push(Line::styled("History", th.header));
    let mut hist: Vec<(DateTime<Utc>, Vec<Line<'a>>)> = Vec::new();
    for n in &t.notes {
        let style: Style = match n.kind {
            NoteKind::Internal => th.internal,
            NoteKind::Published => th.published,
            NoteKind::Portal => th.portal,
            NoteKind::Taskfire => th.taskfire,
        };
        let seen = if n.kind.in_portal() {
            ""
        } else {
            " (staff only)"
        };
        let mut text = text_lines(&n.text).into_iter();
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{} ", s.when(n.at)), th.dim),
            Span::styled(
                format!("[{}]{seen} ", kind_label(n.kind)),
                style.add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("{}: ", s.person(&n.author)), style),
            Span::styled(text.next().unwrap_or_default(), style),
        ])];
        // A long note keeps its lines, indented under its header.
        lines.extend(text.map(|l| Line::styled(format!("    {l}"), style)));
        hist.push((n.at, lines));
    }
    for e in &t.events {
        hist.push((
            e.at,
            vec![Line::styled(
                format!(
                    "{} {} changed {}: {} → {}",
                    s.when(e.at),
                    s.person(&e.actor),
                    e.ticket_field()
                        .map_or_else(|| ol(&e.field), |f| f.label().to_string()),
                    shown(s, e.from.as_deref()),
                    shown(s, e.to.as_deref())
                ),
                th.event,
            )],
        ));
    }
    // Stable: a note and the event of the same change keep their order.
    hist.sort_by_key(|(at, _)| *at);
    if hist.is_empty() {
        out.push(Line::styled("no notes or changes yet", th.dim));
    }
    out.extend(hist.into_iter().flat_map(|(_, l)| l));
    out
}

impl Widget for DetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (s, th) = (self.s, self.th);
        let title = s
            .ticket()
            .map(|t| one_line(&t.number).into_owned())
            .unwrap_or_else(|| "Detail".into());
        let block = pane_block(title, focused(s, Pane::Detail), th);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(t) = s.ticket() else {
            Paragraph::new(Line::styled("no ticket selected", th.dim)).render(inner, buf);
            return;
        };
        Paragraph::new(lines(s, t, th))
            .wrap(Wrap { trim: false })
            .scroll((s.detail.scroll, 0))
            .render(inner, buf);
    }
}

/// An event's value as a person reads it: instants (a due date) in the viewer's zone.
fn shown(s: &State, v: Option<&str>) -> String {
    match v {
        None => "-".into(),
        Some(v) => match chrono::DateTime::parse_from_rfc3339(v) {
            Ok(t) => s.when(t.to_utc()),
            Err(_) => one_line(v).into_owned(),
        },
    }
}
