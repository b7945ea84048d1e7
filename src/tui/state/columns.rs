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

/// The columns that fit `width`: the number and title always (the title at least 16
/// wide, a third of a wide list), the others in order while they fit; each with its
/// width (0 for the title, which takes what is left).
pub fn fit(cols: &[Column], width: u16, number: u16) -> Vec<(Column, u16)> {
    let title_min = if width < 70 { 16 } else { (width / 3).max(16) };
    // The mark flags and the number, and the title's minimum.
    let mut used = 4 + number + 1 + title_min;
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

    #[test]
    fn narrow_panes_drop_columns_and_keep_the_title_wide_enough() {
        let all = Column::DEFAULT;
        let narrow = fit(&all, 60, 15);
        assert!(narrow.iter().any(|(c, _)| *c == Column::Title));
        let used: u16 = narrow.iter().map(|(_, w)| w + 1).sum::<u16>() + 3;
        assert!(60 >= used + 16, "{narrow:?}");
        // A list 100 wide keeps the triage fields and a title a quarter of it at least.
        let wide = fit(&all, 100, 15);
        for c in [
            Column::Status,
            Column::Priority,
            Column::Assigned,
            Column::Taskfire,
        ] {
            assert!(wide.iter().any(|(x, _)| *x == c), "{c:?} in {wide:?}");
        }
        let used: u16 = wide.iter().map(|(_, w)| w + 1).sum::<u16>() + 3;
        assert!(100 >= used + 32, "{wide:?}");
        // 80 columns (a list 60 wide): status and priority still
        let small = fit(&all, 60, 20);
        assert!(
            small.iter().any(|(x, _)| *x == Column::Priority),
            "{small:?}"
        );
        let all_fit = fit(&all, 300, 15);
        assert_eq!(all_fit.len(), all.len());
    }
}
