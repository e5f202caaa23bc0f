//! Package metadata: identifier, dates, Dublin Core and accessibility properties.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::emit::xhtml::{self, clean_text, escape_text};
use crate::model::Document;

/// A date the model gave, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedDate {
    /// W3C date-time form for `dc:date` and `<time datetime>` (`2024`, `2024-03`,
    /// `2024-03-28` or `2024-03-28T10:00:00Z`).
    pub w3c: String,
    /// The instant (midnight UTC for a bare date).
    pub instant: DateTime<Utc>,
}

/// Parse an ISO 8601 / RFC 3339 date as readers write it. `None` when it is not one.
pub(crate) fn parse_date(s: &str) -> Option<ParsedDate> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        let instant = dt.with_timezone(&Utc);
        return Some(ParsedDate { w3c: instant.format("%Y-%m-%dT%H:%M:%SZ").to_string(), instant });
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            let instant = Utc.from_utc_datetime(&n);
            return Some(ParsedDate {
                w3c: instant.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                instant,
            });
        }
    }
    let date_only = |d: NaiveDate, w3c: String| {
        d.and_hms_opt(0, 0, 0).map(|n| ParsedDate { w3c, instant: Utc.from_utc_datetime(&n) })
    };
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return date_only(d, d.format("%Y-%m-%d").to_string());
    }
    let bytes = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| bytes.get(r).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    if s.len() == 7 && digits(0..4) && bytes.get(4) == Some(&b'-') && digits(5..7) {
        let d = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()?;
        return date_only(d, s.to_string());
    }
    if s.len() == 4 && digits(0..4) {
        let d = NaiveDate::parse_from_str(&format!("{s}-01-01"), "%Y-%m-%d").ok()?;
        return date_only(d, s.to_string());
    }
    // A longer string that starts with a date (`2024-03-28 10:00 +0200`, ...): keep the day.
    if s.len() > 10 && s.is_char_boundary(10) {
        if let Ok(d) = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d") {
            return date_only(d, d.format("%Y-%m-%d").to_string());
        }
    }
    None
}

/// Namespace for offprint's name-based identifiers (UUIDv5 of "offprint" in the DNS space).
fn offprint_namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_DNS, b"offprint")
}

/// The stable identifier of one article: UUIDv5 of its source URL, or of the SHA-256 of its
/// title and text when it has no source.
pub(crate) fn doc_identifier(doc: &Document) -> Uuid {
    match doc.meta.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(src) => Uuid::new_v5(&Uuid::NAMESPACE_URL, src.as_bytes()),
        None => {
            let mut h = Sha256::new();
            h.update(doc.title_or_default().as_bytes());
            h.update(b"\n");
            h.update(doc.body_text().as_bytes());
            let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
            Uuid::new_v5(&offprint_namespace(), hex.as_bytes())
        }
    }
}

/// Everything the package document says about the publication.
#[derive(Debug, Clone)]
pub(crate) struct BookMeta {
    pub title: String,
    pub authors: Vec<String>,
    /// Main language (`dc:language`, first).
    pub lang: String,
    /// Further languages of a multi-article book.
    pub other_langs: Vec<String>,
    pub rtl: bool,
    pub date: Option<ParsedDate>,
    /// `dcterms:modified`: the date, else `SOURCE_DATE_EPOCH`, else the Unix epoch.
    pub modified: DateTime<Utc>,
    pub sources: Vec<String>,
    pub publisher: Option<String>,
    pub description: Option<String>,
    pub identifier: Uuid,
    /// Line under the title on the cover (site, or article count).
    pub cover_site: Option<String>,
}

/// The document's title as shown: tidied, `Untitled` when nothing printable is left.
pub(crate) fn title_of(doc: &Document) -> String {
    match tidy(doc.title_or_default()) {
        t if t.is_empty() => "Untitled".to_string(),
        t => t,
    }
}

/// Drop characters XML forbids, then collapse whitespace.
pub(crate) fn tidy(s: &str) -> String {
    clean_text(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tidy_opt(s: Option<&str>) -> Option<String> {
    s.map(tidy).filter(|s| !s.is_empty())
}

fn modified(date: Option<&ParsedDate>, sde: Option<i64>) -> DateTime<Utc> {
    date.map(|d| d.instant)
        .or_else(|| sde.and_then(|t| Utc.timestamp_opt(t, 0).single()))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

impl BookMeta {
    /// Metadata of a single-article publication.
    pub fn from_doc(doc: &Document, sde: Option<i64>) -> Self {
        let date = doc.meta.date.as_deref().and_then(parse_date);
        let site = tidy_opt(doc.meta.site.as_deref());
        BookMeta {
            title: title_of(doc),
            authors: doc.meta.authors.iter().map(|a| tidy(a)).filter(|a| !a.is_empty()).collect(),
            lang: xhtml::doc_lang(doc),
            other_langs: Vec::new(),
            rtl: xhtml::doc_is_rtl(doc),
            modified: modified(date.as_ref(), sde),
            date,
            sources: tidy_opt(doc.meta.source.as_deref()).into_iter().collect(),
            publisher: site.clone(),
            description: tidy_opt(doc.meta.description.as_deref()),
            identifier: doc_identifier(doc),
            cover_site: site,
        }
    }

    /// Metadata of a book of several articles. Its authors are `authors` when given, else
    /// [`crate::bundle::book_authors`].
    pub fn from_docs(docs: &[Document], title: &str, authors: &[String], sde: Option<i64>) -> Self {
        let given =
            if authors.is_empty() { crate::bundle::book_authors(docs) } else { authors.to_vec() };
        let mut authors: Vec<String> = Vec::new();
        for a in &given {
            let a = tidy(a);
            if !a.is_empty() && !authors.contains(&a) {
                authors.push(a);
            }
        }
        let mut langs: Vec<String> = Vec::new();
        let mut sources: Vec<String> = Vec::new();
        let mut sites: Vec<String> = Vec::new();
        let mut date: Option<ParsedDate> = None;
        let mut id_input = format!("book\n{}\n", title.trim());
        for doc in docs {
            let l = xhtml::doc_lang(doc);
            if !langs.contains(&l) {
                langs.push(l);
            }
            if let Some(s) = tidy_opt(doc.meta.source.as_deref()) {
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
            if let Some(s) = tidy_opt(doc.meta.site.as_deref()) {
                if !sites.contains(&s) {
                    sites.push(s);
                }
            }
            if let Some(d) = doc.meta.date.as_deref().and_then(parse_date) {
                if date.as_ref().is_none_or(|cur| d.instant > cur.instant) {
                    date = Some(d);
                }
            }
            id_input.push_str(&doc_identifier(doc).to_string());
            id_input.push('\n');
        }
        let lang = langs.first().cloned().unwrap_or_else(|| "en".to_string());
        let other_langs = langs.iter().skip(1).cloned().collect();
        let publisher = match sites.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        let title = match tidy(title) {
            t if t.is_empty() => "Untitled".to_string(),
            t => t,
        };
        let cover_site = publisher.clone().or_else(|| {
            if sites.is_empty() {
                None
            } else {
                Some(sites.join(" · "))
            }
        });
        BookMeta {
            title,
            authors,
            lang,
            other_langs,
            rtl: !docs.is_empty() && docs.iter().all(xhtml::doc_is_rtl),
            modified: modified(date.as_ref(), sde),
            date,
            sources,
            publisher,
            description: None,
            identifier: Uuid::new_v5(&offprint_namespace(), id_input.as_bytes()),
            cover_site,
        }
    }

    /// Text alternative of the cover image.
    pub fn cover_alt(&self) -> String {
        let mut parts = vec![self.title.clone()];
        if let Some(s) = &self.cover_site {
            parts.push(s.clone());
        }
        if let Some(d) = &self.date {
            parts.push(d.w3c.chars().take(10).collect());
        }
        format!("Cover: {}", parts.join(", "))
    }

    /// Metadata elements `epub-builder` cannot write, for the end of `<metadata>`.
    pub fn opf_extra(&self, has_images: bool) -> String {
        let mut m: Vec<String> = Vec::new();
        for l in &self.other_langs {
            m.push(format!("<dc:language>{}</dc:language>", escape_text(l)));
        }
        if let Some(d) = &self.date {
            m.push(format!("<dc:date>{}</dc:date>", escape_text(&d.w3c)));
        }
        for s in &self.sources {
            m.push(format!("<dc:source>{}</dc:source>", escape_text(s)));
        }
        if let Some(p) = &self.publisher {
            m.push(format!("<dc:publisher>{}</dc:publisher>", escape_text(p)));
        }
        if let Some(d) = &self.description {
            m.push(format!("<dc:description>{}</dc:description>", escape_text(d)));
        }
        let prop = |p: &str, v: &str| format!("<meta property=\"{p}\">{}</meta>", escape_text(v));
        m.push(prop("schema:accessMode", "textual"));
        if has_images {
            m.push(prop("schema:accessMode", "visual"));
        }
        m.push(prop("schema:accessModeSufficient", "textual"));
        if has_images {
            m.push(prop("schema:accessModeSufficient", "textual,visual"));
        }
        for f in
            ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
        {
            m.push(prop("schema:accessibilityFeature", f));
        }
        if has_images {
            m.push(prop("schema:accessibilityFeature", "alternativeText"));
        }
        m.push(prop("schema:accessibilityHazard", "none"));
        let summary = if has_images {
            "Reflowable text with a heading structure, a table of contents and linked \
             footnotes. Images carry the text alternatives and captions the source gave."
        } else {
            "Reflowable text with a heading structure, a table of contents and linked \
             footnotes. No content depends on images."
        };
        m.push(prop("schema:accessibilitySummary", summary));
        m.iter().map(|l| format!("    {l}\n")).collect()
    }
}

/// Heading of the navigation document in the publication's language.
pub(crate) fn toc_name(lang: &str) -> &'static str {
    let primary = lang.split('-').next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "ru" => "Содержание",
        "uk" => "Зміст",
        "be" => "Змест",
        "bg" => "Съдържание",
        "el" => "Περιεχόμενα",
        "de" => "Inhalt",
        "fr" => "Sommaire",
        "es" | "pt" => "Índice",
        "it" => "Indice",
        "nl" => "Inhoud",
        "pl" => "Spis treści",
        "ar" => "المحتويات",
        "he" => "תוכן העניינים",
        "fa" => "فهرست",
        _ => "Contents",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_of_many_writers_has_no_creator_unless_given_one() {
        let by = |names: &[&str]| Document {
            meta: crate::model::Meta {
                authors: names.iter().map(|n| n.to_string()).collect(),
                ..Default::default()
            },
            ..Default::default()
        };
        let docs = [by(&["Ann", "Bo"]), by(&["Cy", "Di"])];
        assert!(BookMeta::from_docs(&docs, "B", &[], None).authors.is_empty());
        let ed = ["Ed Itor".to_string()];
        assert_eq!(BookMeta::from_docs(&docs, "B", &ed, None).authors, ["Ed Itor"]);
        assert_eq!(BookMeta::from_docs(&docs[..1], "B", &[], None).authors, ["Ann", "Bo"]);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-03-28").map(|d| d.w3c).as_deref(), Some("2024-03-28"));
        assert_eq!(
            parse_date("2024-03-28T10:00:00+02:00").map(|d| d.w3c).as_deref(),
            Some("2024-03-28T08:00:00Z")
        );
        assert_eq!(parse_date("2024-03").map(|d| d.w3c).as_deref(), Some("2024-03"));
        assert_eq!(parse_date("2024").map(|d| d.w3c).as_deref(), Some("2024"));
        assert_eq!(
            parse_date("2024-03-28 10:00 +0200").map(|d| d.w3c).as_deref(),
            Some("2024-03-28")
        );
        assert_eq!(parse_date("March 28"), None);
        assert_eq!(parse_date("2024-13-45"), None);
    }

    #[test]
    fn identifiers_are_stable() {
        let mut a = Document::default();
        a.meta.title = Some("T".into());
        a.blocks.push(crate::model::Block::para("body"));
        assert_eq!(doc_identifier(&a), doc_identifier(&a.clone()));
        let mut b = a.clone();
        b.blocks.push(crate::model::Block::para("more"));
        assert_ne!(doc_identifier(&a), doc_identifier(&b));
        a.meta.source = Some("https://example.org/x".into());
        assert_eq!(
            doc_identifier(&a),
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://example.org/x")
        );
    }

    #[test]
    fn modified_never_uses_the_clock() {
        let d = Document::default();
        assert_eq!(BookMeta::from_doc(&d, None).modified, DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(BookMeta::from_doc(&d, Some(86_400)).modified.timestamp(), 86_400);
    }
}
