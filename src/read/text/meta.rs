//! Metadata lines near the title of a dump: datelines and bylines.

use super::lines::words_over;
use regex::Regex;
use std::sync::LazyLock;

/// Month names (English, French, German, Spanish, Italian, Portuguese, Russian genitive and
/// nominative stems) → month number. Matched on the lower-cased first letters.
const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("janv", 1),
    ("févr", 2),
    ("fevr", 2),
    ("mars", 3),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("sept", 9),
    ("déc", 12),
    ("jän", 1),
    ("märz", 3),
    ("okt", 10),
    ("dez", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("dic", 12),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
    ("ott", 10),
    ("set", 9),
    ("out", 10),
    ("dez", 12),
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
];

fn month(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    // Longest matching prefix wins ("juin" before "jun", "mars" before "mar").
    MONTHS.iter().filter(|(p, _)| w.starts_with(p)).max_by_key(|(p, _)| p.len()).map(|(_, m)| *m)
}

fn iso(y: i32, m: u32, d: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|date| date.format("%Y-%m-%d").to_string())
}

/// The first calendar date in a short line, as ISO 8601 (`2024-03-28`).
pub(crate) fn find_date(s: &str) -> Option<String> {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:(\d{4})-(\d{1,2})-(\d{1,2})(?:T|\b)|(\d{1,2})[./](\d{1,2})[./](\d{4})\b)")
            .expect("static regex")
    });
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{1,2})\.?\s+(\p{L}{3,})\.?,?\s+(\d{4})\b").expect("static regex")
    });
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\p{L}{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
            .expect("static regex")
    });
    if let Some(c) = NUMERIC.captures(s) {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        if let (Some(y), Some(m), Some(d)) = (n(1), n(2), n(3)) {
            return iso(y as i32, m, d);
        }
        if let (Some(d), Some(m), Some(y)) = (n(4), n(5), n(6)) {
            return iso(y as i32, m, d);
        }
    }
    if let Some(c) = DAY_MONTH.captures(s) {
        if let (Ok(d), Some(m), Ok(y)) = (c[1].parse(), month(&c[2]), c[3].parse()) {
            return iso(y, m, d);
        }
    }
    if let Some(c) = MONTH_DAY.captures(s) {
        if let (Some(m), Ok(d), Ok(y)) = (month(&c[1]), c[2].parse(), c[3].parse()) {
            return iso(y, m, d);
        }
    }
    None
}

/// A dateline: a short line that is mostly a date (and perhaps a time or a place).
pub(crate) fn dateline(s: &str) -> Option<String> {
    if words_over(s, 10) {
        return None;
    }
    find_date(s)
}

/// Authors named by a byline (`By Jane Doe and John Roe`, `Автор: Иван Петров`).
pub(crate) fn byline(s: &str) -> Option<Vec<String>> {
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?i:by|von|par|por|di|door|av|автор|авторы|текст)\s*:?\s+(?P<names>\p{Lu}.*)$",
        )
        .expect("static regex")
    });
    if words_over(s, 12) {
        return None;
    }
    let names = BY.captures(s.trim())?.name("names")?.as_str();
    let names = names.split(['|', '•', '·']).next().unwrap_or(names);
    let split = Regex::new(r",\s*|\s+(?:and|und|et|y|e|и|en|och|og)\s+|\s*&\s*").ok()?;
    let out: Vec<String> = split
        .split(names)
        .map(|n| n.trim().trim_end_matches(['.', ',']).to_string())
        .filter(|n| !n.is_empty() && find_date(n).is_none() && !words_over(n, 4))
        .collect();
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_several_forms() {
        assert_eq!(find_date("March 28, 2024"), Some("2024-03-28".into()));
        assert_eq!(find_date("28 March 2024, 14:10"), Some("2024-03-28".into()));
        assert_eq!(find_date("28 марта 2024"), Some("2024-03-28".into()));
        assert_eq!(find_date("30 juin 2015 à 07:19"), Some("2015-06-30".into()));
        assert_eq!(find_date("Updated 2024-03-28T10:00"), Some("2024-03-28".into()));
        assert_eq!(find_date("28.03.2024"), Some("2024-03-28".into()));
        assert_eq!(find_date("31 February 2024"), None);
        assert_eq!(find_date("The 2024 budget"), None);
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline("By Jane Doe and John Roe"),
            Some(vec!["Jane Doe".into(), "John Roe".into()])
        );
        assert_eq!(byline("Автор: Иван Петров"), Some(vec!["Иван Петров".into()]));
        assert_eq!(byline("By the way, this is not a byline at all"), None);
        assert_eq!(byline("by night"), None);
    }
}
