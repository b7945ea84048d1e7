//! The list's columns: which there are, their names in the config file (`[list] columns`),
//! their widths. The number and the title are always shown; the title takes every
//! column the others leave.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Number,
    Title,
    Status,
    Priority,
    Assigned,
    Taskfire,
    Contact,
    Company,
    Queue,
    Source,
    Due,
    Updated,
    Age,
}

impl Column {
    pub const ALL: [Column; 13] = [
        Column::Number,
        Column::Title,
        Column::Status,
        Column::Priority,
        Column::Assigned,
        Column::Taskfire,
        Column::Contact,
        Column::Company,
        Column::Queue,
        Column::Source,
        Column::Due,
        Column::Updated,
        Column::Age,
    ];

    /// The columns when the config names none: the triage fields first.
    pub const DEFAULT: [Column; 9] = [
        Column::Number,
        Column::Title,
        Column::Status,
        Column::Priority,
        Column::Assigned,
        Column::Taskfire,
        Column::Due,
        Column::Company,
        Column::Age,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Title => "title",
            Column::Status => "status",
            Column::Priority => "priority",
            Column::Assigned => "assigned",
            Column::Taskfire => "taskfire",
            Column::Contact => "contact",
            Column::Company => "company",
            Column::Queue => "queue",
            Column::Source => "source",
            Column::Due => "due",
            Column::Updated => "updated",
            Column::Age => "age",
        }
    }

    /// The header: short where the column is narrow.
    pub fn header(self) -> &'static str {
        match self {
            Column::Priority => "prio",
            Column::Taskfire => "held",
            c => c.name(),
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == s)
    }

    /// Its width; the title's is what is left.
    pub fn width(self) -> u16 {
        match self {
            Column::Number | Column::Title => 0,
            Column::Status => 12,
            Column::Priority => 4,
            Column::Assigned => 8,
            Column::Taskfire => 5,
            Column::Contact => 18,
            Column::Company => 12,
            Column::Queue => 12,
            Column::Source => 13,
            Column::Due => 10,
            Column::Updated => 7,
            Column::Age => 4,
        }
    }

    /// The columns a config asks for, in its order, with the number and the title added
    /// when left out; one message per name that is no column.
    pub fn from_config(names: &[String]) -> (Vec<Column>, Vec<String>) {
        let mut problems = Vec::new();
        let mut cols = Vec::new();
        for n in names {
            match Column::parse(&n.to_lowercase()) {
                Some(c) if !cols.contains(&c) => cols.push(c),
                Some(_) => {}
                None => problems.push(format!(
                    "[list] columns: \"{n}\" is no column ({})",
                    Column::ALL.map(Column::name).join(", ")
                )),
            }
        }
        if cols.is_empty() {
            return (Column::DEFAULT.to_vec(), problems);
        }
        for (i, c) in [Column::Number, Column::Title].into_iter().enumerate() {
            if !cols.contains(&c) {
                cols.insert(i.min(cols.len()), c);
            }
        }
        (cols, problems)
    }
}

/// The columns a list shows, and the width of its marks cell before them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// 3 for ● Δ •; 4 when the held column is not shown and a ticket is shared, for the
    /// holder's mark (⇩ the customer's desk, ⇧ the provider after an escalation), which
    /// is then never lost.
    pub marks: u16,
    /// Each column with its width (0 for the title, which takes what is left).
    pub cols: Vec<(Column, u16)>,
}

impl Fit {
    pub fn holder_mark(&self) -> bool {
        self.marks == 4
    }
}

/// The columns that fit `width`: the number and title always (the title at least 16
/// wide, a third of a wide list), the others in order while they fit. Where the held
/// column does not fit (or is not configured) and some ticket is `shared`, the marks
/// cell takes the holder's mark.
pub fn fit(cols: &[Column], width: u16, number: u16, shared: bool) -> Fit {
    let held = fit_after(cols, width, number, 3);
    if !shared || held.iter().any(|(c, _)| *c == Column::Taskfire) {
        return Fit {
            marks: 3,
            cols: held,
        };
    }
    Fit {
        marks: 4,
        cols: fit_after(cols, width, number, 4),
    }
}

fn fit_after(cols: &[Column], width: u16, number: u16, marks: u16) -> Vec<(Column, u16)> {
    let title_min = if width < 70 { 16 } else { (width / 3).max(16) };
    // The marks and the number, and the title's minimum, each with its space.
    let mut used = marks + 1 + number + 1 + title_min;
    let mut keep = Vec::new();
    for c in cols {
        let w = match c {
            Column::Number => number,
            Column::Title => 0,
            c => {
                let w = c.width();
                if used + w + 1 > width {
                    continue;
                }
                used += w + 1;
                w
            }
        };
        keep.push((*c, w));
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names_columns_and_the_number_and_title_are_always_there() {
        let (c, p) = Column::from_config(&["priority".into(), "Assigned".into(), "colour".into()]);
        assert_eq!(
            c,
            vec![
                Column::Number,
                Column::Title,
                Column::Priority,
                Column::Assigned
            ]
        );
        assert_eq!(p.len(), 1);
        assert!(
            p[0].contains("colour") && p[0].contains("taskfire"),
            "{p:?}"
        );
        let (d, _) = Column::from_config(&[]);
        assert!(d.contains(&Column::Priority) && d.contains(&Column::Assigned));
    }

    /// The list pane's inner width on a `w`×`h` terminal, as the screen lays it out.
    fn list_at(w: u16, h: u16) -> u16 {
        let body = ratatui::layout::Rect::new(0, 0, w, h - 3);
        crate::tui::ui::panes(body, crate::tui::state::Pane::List)[1].width - 2
    }

    fn shows(f: &Fit, c: Column) -> bool {
        f.cols.iter().any(|(x, _)| *x == c)
    }

    /// What the columns and marks take beside the title, the table's spaces included.
    fn beside_title(f: &Fit) -> u16 {
        f.marks + f.cols.iter().map(|(_, w)| w + 1).sum::<u16>()
    }

    #[test]
    fn narrow_panes_drop_columns_and_keep_the_title_wide_enough() {
        let all = Column::DEFAULT;
        // 80×24: a list 60 wide keeps status and priority, and a title of 16 at least.
        let w = list_at(80, 24);
        assert_eq!(w, 60);
        let small = fit(&all, w, 15, true);
        assert!(shows(&small, Column::Priority), "{small:?}");
        assert!(w >= beside_title(&small) + 16, "{small:?}");
        // 100×30 (a list 78 wide) and 160×48 (80): the triage fields, the holder (its
        // column, or its mark where that does not fit) and a title a third of the list.
        for (tw, th, lw) in [(100, 30, 78), (160, 48, 80)] {
            let w = list_at(tw, th);
            assert_eq!(w, lw, "{tw}×{th}");
            let f = fit(&all, w, 15, true);
            for c in [Column::Status, Column::Priority, Column::Assigned] {
                assert!(shows(&f, c), "{tw}×{th}: {c:?} in {f:?}");
            }
            assert!(
                shows(&f, Column::Taskfire) || f.holder_mark(),
                "{tw}×{th}: no holder in {f:?}"
            );
            assert!(w >= beside_title(&f) + w / 3, "{tw}×{th}: {f:?}");
        }
        // 200×50: the held column itself.
        let wide = fit(&all, list_at(200, 50), 15, true);
        assert!(
            shows(&wide, Column::Taskfire) && !wide.holder_mark(),
            "{wide:?}"
        );
        let all_fit = fit(&all, 300, 15, true);
        assert_eq!(all_fit.cols.len(), all.len());
        assert!(!all_fit.holder_mark());
        // Without the held column configured, the mark shows the holder at any width.
        let (mine, _) = Column::from_config(&["priority".into()]);
        assert!(fit(&mine, 300, 15, true).holder_mark());
        // Nothing shared: no mark, and the title keeps that column.
        assert!(!fit(&all, list_at(100, 30), 15, false).holder_mark());
    }
}
