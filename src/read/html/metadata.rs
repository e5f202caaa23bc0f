//! Page metadata: JSON-LD (arrays and `@graph`), OpenGraph, Twitter cards, Dublin Core,
//! plain `<meta>`, `<time>`, bylines, `<title>`, `<html lang dir>`.

use std::collections::BTreeMap;

use dom_query::{Document, NodeRef};
use serde_json::Value;
use url::Url;

use super::text::{clean_text, norm_key, unescape_entities};
use super::tunables::SITE_SUFFIX_MAX_CHARS;
use crate::model::Meta;

/// What the page says about itself, before the article is extracted.
#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    /// The metadata for the document model.
    pub meta: Meta,
    /// JSON-LD `articleBody`, when present (used as a cross-check of the extraction).
    pub article_body: Option<String>,
    /// The `<title>` element's text.
    pub doc_title: Option<String>,
    /// A schema.org `Recipe`'s `recipeIngredient` lines, when the page has one: recipe sites
    /// set the ingredients apart from the method, where article extraction loses them.
    pub ingredients: Vec<String>,
    /// Authors named by visible byline markup (`rel=author`, `itemprop=author`, author
    /// classes), the last resort after JSON-LD, `<meta>` and the Readability byline.
    pub byline_authors: Vec<String>,
}

/// The elements matching `css`, in page order (none for an invalid selector).
fn all<'a>(doc: &'a Document, css: &str) -> Vec<NodeRef<'a>> {
    doc.try_select(css).map(|s| s.nodes().to_vec()).unwrap_or_default()
}

/// Element names the readers look up on every page.
const NAMED: &[&str] = &["title", "meta", "link", "script", "body", "base", "pre", "time"];

/// Class names of byline elements (see [`byline_authors`]).
const BYLINE_CLASSES: &[&str] = &["author-name", "byline__name", "byline-name"];

/// The elements the metadata reader looks at, in page order, gathered in one walk: the
/// [`NAMED`] kinds, and the candidates for bylines and dates (elements with `itemprop`,
/// links with `rel`, the [`BYLINE_CLASSES`]). Each CSS query walks the whole tree and
/// matches every element against the selector; the readers asked seven to ten of them of
/// every page, 5.5% of reading one (callgrind, `--to txt` over 40 corpus pages).
pub struct Named<'a> {
    nodes: Vec<NodeRef<'a>>,
}

impl<'a> Named<'a> {
    /// Gather them from `doc`.
    pub fn of(doc: &'a Document) -> Self {
        let nodes = doc
            .root()
            .descendants_it()
            .filter(|n| {
                let Some(el) = n.element_ref() else { return false };
                let name = &*el.name.local;
                NAMED.contains(&name)
                    || el.attrs.iter().any(|a| match &*a.name.local {
                        "itemprop" => true,
                        "rel" => name == "a",
                        "class" => BYLINE_CLASSES.iter().any(|b| contains_ignore_case(&a.value, b)),
                        _ => false,
                    })
            })
            .collect();
        Named { nodes }
    }

    /// The elements named `name` (one of [`NAMED`]), in page order.
    pub fn get(&self, name: &str) -> Vec<NodeRef<'a>> {
        debug_assert!(NAMED.contains(&name));
        self.nodes.iter().filter(|n| n.has_name(name)).cloned().collect()
    }

    /// The elements matching `css`, in page order, for a selector that only matches
    /// elements gathered here (`link[rel=canonical]`, `[itemprop~=author]`); none for an
    /// invalid one.
    pub fn select(&self, css: &str) -> Vec<NodeRef<'a>> {
        let Ok(matcher) = dom_query::Matcher::new(css) else { return Vec::new() };
        self.nodes.iter().filter(|n| n.is_match(&matcher)).cloned().collect()
    }
}

/// Whether `hay` contains `needle` (ASCII letters compared without case).
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn attr(e: &NodeRef, name: &str) -> Option<String> {
    e.attr(name).map(|v| v.to_string())
}

/// Collect metadata from a parsed page. `base` resolves relative image and canonical URLs.
pub fn extract(doc: &Document, base: Option<&Url>) -> PageMeta {
    extract_named(doc, &Named::of(doc), base)
}

/// [`extract`] with the page's [`Named`] elements already gathered.
pub fn extract_named(doc: &Document, named: &Named, base: Option<&Url>) -> PageMeta {
    let metas = meta_values(named);
    let ld = json_ld(named);
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| metas.get(*k).and_then(|v| v.last()).cloned())
    };

    let doc_title = named
        .get("title")
        .first()
        .map(|e| clean_text(&unescape_entities(&e.text())))
        .filter(|t| !t.is_empty());

    let site = ld.site.clone().or_else(|| {
        get(&["og:site_name", "application-name", "dc.publisher", "dcterms.publisher"])
    });

    // Title: structured data first (what the publisher calls the article), then the page
    // title with the site name cut.
    let mut title = ld
        .title(doc_title.as_deref())
        .or_else(|| {
            get(&[
                "dc.title",
                "dcterm.title",
                "dcterms.title",
                "og:title",
                "weibo:article:title",
                "weibo:webpage:title",
                "title",
                "twitter:title",
                "parsely-title",
            ])
        })
        .or_else(|| doc_title.as_deref().map(|t| title_from_doc_title(doc, t)));
    let mut authors = ld.authors.clone();
    if authors.is_empty() {
        for key in [
            "dc.creator",
            "dcterm.creator",
            "dcterms.creator",
            "author",
            "parsely-author",
            "sailthru.author",
            "article:author",
            "byl",
        ] {
            if let Some(vals) = metas.get(key) {
                for v in vals {
                    // article:author is often a profile URL, not a name.
                    if v.starts_with("http") || v.is_empty() {
                        continue;
                    }
                    push_author(&mut authors, v);
                }
                if !authors.is_empty() {
                    break;
                }
            }
        }
    }
    let byline_authors = if authors.is_empty() { byline_authors(named) } else { Vec::new() };
    let canonical = named
        .select("link[rel=canonical]")
        .iter()
        .find_map(|e| attr(e, "href"))
        .or_else(|| get(&["og:url"]))
        .or_else(|| ld.url.clone())
        .and_then(|u| absolute(base, &u))
        .filter(|u| u.starts_with("http"));
    // Without a declared site name, the page's host names the site (`Title | example.net`).
    let host = canonical
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .or_else(|| base.cloned())
        .and_then(|u| u.host_str().map(str::to_string));
    if let Some(t) = &title {
        let cut = match site.as_deref() {
            Some(site) => strip_site_name(t, Some(site)),
            None => strip_host_suffix(t, host.as_deref()),
        };
        // `Title - Author - Site`: once the site is cut, an author's name is the next suffix.
        // (Alone, ` | Author` is kept: Readability and the Guardian's own titles keep it.)
        title = Some(if cut.len() < t.len() {
            strip_author_suffix(&cut, authors.iter().chain(&byline_authors))
        } else {
            cut
        });
    }

    let date = ld
        .date
        .clone()
        .or_else(|| {
            get(&[
                "article:published_time",
                "og:article:published_time",
                "datepublished",
                "dc.date.issued",
                "dcterms.issued",
                "dc.date",
                "dcterms.date",
                "dcterms.created",
                "date",
                "pubdate",
                "publishdate",
                "publish_date",
                "parsely-pub-date",
                "sailthru.date",
                "article.published",
                "publication_date",
                "og:published_time",
            ])
        })
        .or_else(|| {
            named
                .select(
                    "[itemprop=datePublished], time[pubdate], article time[datetime], time[datetime]",
                )
                .iter()
            .find_map(|e| attr(e, "datetime").or_else(|| attr(e, "content")))
        })
        .and_then(|d| iso_date(&d));

    let html_el = doc.html_root();
    let lang = attr(&html_el, "lang")
        .or_else(|| attr(&html_el, "xml:lang"))
        .or_else(|| get(&["content-language", "dc.language", "dcterms.language", "language"]))
        .or_else(|| ld.lang.clone())
        .or_else(|| get(&["og:locale"]))
        .and_then(|l| norm_lang(&l));

    let dir = attr(&html_el, "dir")
        .or_else(|| named.get("body").first().and_then(|b| attr(b, "dir")))
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| d == "rtl" || d == "ltr")
        .or_else(|| lang.as_deref().filter(|l| is_rtl_lang(l)).map(|_| "rtl".to_string()))
        .filter(|d| d == "rtl");

    let description = ld
        .description
        .clone()
        .or_else(|| {
            get(&[
                "dc.description",
                "dcterm.description",
                "dcterms.description",
                "og:description",
                "weibo:article:description",
                "weibo:webpage:description",
                "description",
                "twitter:description",
            ])
        })
        .map(|d| clean_text(&d))
        .filter(|d| !d.is_empty());

    let image = get(&[
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
    ])
    .or_else(|| ld.image.clone())
    .and_then(|u| absolute(base, &u));

    // A description that only repeats the title says nothing more.
    let description =
        description.filter(|d| title.as_deref().is_none_or(|t| norm_key(t) != norm_key(d)));

    let meta = Meta {
        title: title.filter(|t| !t.is_empty()),
        authors,
        date,
        source: canonical,
        lang,
        site: site.map(|s| clean_text(&s)).filter(|s| !s.is_empty()),
        description,
        image,
        dir,
    };
    PageMeta { meta, article_body: ld.body, doc_title, ingredients: ld.ingredients, byline_authors }
}

/// `<meta>` values by lowercased `property`/`name`/`itemprop`/`http-equiv`, in page order.
fn meta_values(named: &Named) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for el in named.get("meta") {
        let Some(content) = el.attr("content") else { continue };
        let content = clean_text(&unescape_entities(&content));
        if content.is_empty() {
            continue;
        }
        for attr in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(names) = el.attr(attr) {
                // `property` may hold several space-separated names.
                for name in names.split_whitespace() {
                    let key = name.to_ascii_lowercase();
                    let key = key.strip_prefix("dc:").map(|k| format!("dc.{k}")).unwrap_or(key);
                    let key =
                        key.strip_prefix("dcterm:").map(|k| format!("dcterm.{k}")).unwrap_or(key);
                    let key =
                        key.strip_prefix("dcterms:").map(|k| format!("dcterms.{k}")).unwrap_or(key);
                    out.entry(key).or_default().push(content.clone());
                }
            }
        }
    }
    out
}

#[derive(Debug, Default)]
struct LdMeta {
    name: Option<String>,
    headline: Option<String>,
    authors: Vec<String>,
    date: Option<String>,
    site: Option<String>,
    description: Option<String>,
    image: Option<String>,
    body: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    ingredients: Vec<String>,
}

impl LdMeta {
    /// Readability's rule: when `name` and `headline` differ, take the one closer to the
    /// page title.
    fn title(&self, doc_title: Option<&str>) -> Option<String> {
        match (&self.name, &self.headline) {
            (Some(n), Some(h)) if n != h => {
                let dt = doc_title.map(norm_key).unwrap_or_default();
                let sim = |s: &str| word_similarity(&norm_key(s), &dt);
                if sim(h) > sim(n) && sim(n) < 0.75 {
                    Some(h.clone())
                } else {
                    Some(n.clone())
                }
            }
            (Some(n), _) => Some(n.clone()),
            (None, Some(h)) => Some(h.clone()),
            _ => None,
        }
    }
}

fn word_similarity(a: &str, b: &str) -> f64 {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let common = wb.iter().filter(|w| wa.contains(w)).count();
    common as f64 / wb.len() as f64
}

const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "report",
    "socialmediaposting",
    "liveblogposting",
    "medicalscholarlyarticle",
    "advertisercontentarticle",
    "satiricalarticle",
    "review",
    "posting",
    "creativework",
    "webpage",
    "recipe",
    "howto",
];

fn ld_types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => {
            a.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect()
        }
        _ => Vec::new(),
    }
}

fn flatten_ld<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flatten_ld(x, out)),
        Value::Object(o) => {
            out.push(v);
            if let Some(g) = o.get("@graph") {
                flatten_ld(g, out);
            }
        }
        _ => {}
    }
}

fn json_ld(named: &Named) -> LdMeta {
    let mut ld = LdMeta::default();
    let mut values: Vec<Value> = Vec::new();
    for script in named.select("script[type]") {
        let ty = attr(&script, "type").unwrap_or_default().to_ascii_lowercase();
        if !ty.contains("ld+json") {
            continue;
        }
        let raw = script.text().to_string();
        // Wrappers seen in the wild: `<!-- -->`, `<![CDATA[ ]]>`, `//<![CDATA[`: keep what
        // lies between the first `{`/`[` and the last `}`/`]`.
        let raw = raw.replace("<![CDATA[", "").replace("]]>", "");
        let start = raw.find(['{', '[']).unwrap_or(0);
        let end = raw.rfind(['}', ']']).map_or(raw.len(), |e| e + 1);
        let raw = raw.get(start..end.max(start)).unwrap_or_default();
        // Some pages put raw control characters inside strings; replace them.
        let raw: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        if let Ok(mut v) = serde_json::from_str::<Value>(&raw) {
            unescape_strings(&mut v);
            values.push(v);
        }
    }
    let mut objs: Vec<&Value> = Vec::new();
    for v in &values {
        flatten_ld(v, &mut objs);
    }
    // The best article-like object: the earliest type in ARTICLE_TYPES order.
    let rank = |o: &Value| -> Option<usize> {
        ld_types(o).iter().filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t)).min()
    };
    let article = objs
        .iter()
        .filter_map(|o| rank(o).map(|r| (r, *o)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, o)| o);
    // A recipe's ingredients (`recipeIngredient`, or the older `ingredients`).
    if let Some(r) = objs.iter().find(|o| ld_types(o).iter().any(|t| t == "recipe")) {
        if let Some(Value::Array(a)) = r.get("recipeIngredient").or_else(|| r.get("ingredients")) {
            ld.ingredients = a
                .iter()
                .filter_map(Value::as_str)
                .map(clean_text)
                .filter(|s| !s.is_empty())
                .collect();
        }
    }
    // Publisher / WebSite for the site name.
    for o in &objs {
        let types = ld_types(o);
        if ld.site.is_none() && types.iter().any(|t| t == "website") {
            ld.site = str_field(o, "name");
        }
    }
    let Some(a) = article else { return ld };
    let is_page = ld_types(a).iter().any(|t| t == "webpage");
    ld.name = str_field(a, "name").map(|s| clean_text(&s)).filter(|s| !s.is_empty());
    ld.headline = str_field(a, "headline").map(|s| clean_text(&s)).filter(|s| !s.is_empty());
    if is_page {
        // A bare WebPage's name is usually the page title with the site name.
        ld.name = ld.headline.clone().or(ld.name.clone());
    }
    if let Some(auth) = a.get("author").or_else(|| a.get("creator")) {
        collect_names(auth, &objs, &mut ld.authors);
    }
    ld.date = str_field(a, "datePublished").or_else(|| str_field(a, "dateCreated"));
    if let Some(p) = a.get("publisher") {
        let p = resolve_ref(p, &objs);
        if let Some(n) = p.and_then(|p| str_field(p, "name")) {
            ld.site = Some(n);
        }
    }
    ld.description = str_field(a, "description");
    ld.image = a.get("image").or_else(|| a.get("thumbnailUrl")).and_then(image_url);
    ld.body = str_field(a, "articleBody").or_else(|| str_field(a, "text"));
    ld.lang = str_field(a, "inLanguage");
    ld.url = str_field(a, "url").or_else(|| match a.get("mainEntityOfPage") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(o @ Value::Object(_)) => str_field(o, "@id"),
        _ => None,
    });
    ld
}

/// Decode the HTML character references in every string of a JSON-LD value (publishers
/// write `"name":"Harper&#039;s Magazine"`; see [`unescape_entities`]).
fn unescape_strings(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(decoded) = unescape_entities(s) {
                *s = decoded;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(unescape_strings),
        Value::Object(o) => o.values_mut().for_each(unescape_strings),
        _ => {}
    }
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| x.as_str().map(|s| s.trim().to_string())),
        _ => None,
    }
}

fn resolve_ref<'a>(v: &'a Value, objs: &[&'a Value]) -> Option<&'a Value> {
    if let Some(id) = v.get("@id").and_then(Value::as_str) {
        if v.get("name").is_none() {
            return objs
                .iter()
                .find(|o| {
                    o.get("@id").and_then(Value::as_str) == Some(id) && o.get("name").is_some()
                })
                .copied();
        }
    }
    Some(v)
}

fn collect_names(v: &Value, objs: &[&Value], out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.starts_with("http") => push_author(out, s),
        Value::Array(a) => a.iter().for_each(|x| collect_names(x, objs, out)),
        Value::Object(_) => {
            if let Some(n) = resolve_ref(v, objs).and_then(|o| str_field(o, "name")) {
                push_author(out, &n);
            }
        }
        _ => {}
    }
}

fn push_author(out: &mut Vec<String>, name: &str) {
    let name = clean_text(name);
    let name = trim_name(strip_by(&name));
    if name.is_empty() || name.chars().count() > 100 {
        return;
    }
    let key = name_key(name);
    if !key.is_empty() && !out.iter().any(|a| name_key(a) == key) {
        out.push(name.to_string());
    }
}

/// Words that introduce an author ("By Jane Doe", "Par …", "Por …", "Von …"), longest
/// first, matched case-insensitively at the start with a space or colon after them.
const BY_PREFIXES: &[&str] = &[
    "veröffentlicht von",
    "geschrieben von",
    "eingestellt von",
    "erstellt von",
    "verfasst von",
    "publicado por",
    "escrito por",
    "written by",
    "posted by",
    "words by",
    "story by",
    "text by",
    "écrit par",
    "publié par",
    "auteur",
    "author",
    "autor",
    "przez",
    "texte",
    "text",
    "door",
    "por",
    "par",
    "von",
    "by",
    "av",
    "af",
];
/// `name` without a leading "By" (or its kin, see [`BY_PREFIXES`]).
fn strip_by(name: &str) -> &str {
    let name = name.trim_start();
    for p in BY_PREFIXES {
        let Some(head) = name.get(..p.len()) else { continue };
        if !head.eq_ignore_ascii_case(p) {
            continue;
        }
        let rest = &name[p.len()..];
        let after = rest.trim_start_matches(':');
        if after.len() < rest.len() || rest.starts_with(char::is_whitespace) {
            let after = after.trim_start();
            if !after.is_empty() {
                return after;
            }
        }
    }
    name
}

/// `name` without separators and stray punctuation at its ends ("Nicolas Perriault —",
/// "| Jane Doe"): what sits between a byline and the date or section beside it.
fn trim_name(name: &str) -> &str {
    name.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '—' | '–' | '-' | '|' | '·' | '•' | ',' | ';' | ':' | '/')
    })
}

/// A name's identity for de-duplication: its letters and digits, lowercased.
fn name_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// English month names and their abbreviations, which come before the day ("By Jane Doe
/// March 25, 2015"): taken off the end of a name only when a date (a digit) followed it,
/// so "Maria del Mar" keeps her name. (In the other languages the month follows the day
/// and goes with it.)
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Weekday names (English, French, German, Spanish, Italian, Portuguese, Dutch) that start a
/// byline's date ("Joe Wee Monday, February 29", "Jane Doe am Samstag"): taken off the end.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// Words that lead into a byline's date or status ("Jean Dupont le 3 mai", "Jane Doe on
/// Monday", "Sara Zinnecker Stand: 12.03."): taken off the end when written in lower case
/// (or, for the capitalised German "Stand" and the English labels, as they are), so the
/// surname "Le" stays.
const DATE_LEADS: &[&str] = &[
    "on",
    "at",
    "le",
    "am",
    "el",
    "il",
    "em",
    "op",
    "den",
    "der",
    "updated",
    "published",
    "posted",
];

/// Whether the last word of a byline, `word`, starts its date rather than ends the name;
/// `dated` says a digit followed.
fn is_date_lead(word: &str, dated: bool) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    let lower = w.to_lowercase();
    w.is_empty()
        || WEEKDAYS.contains(&lower.as_str())
        || (dated && MONTHS.contains(&lower.as_str()))
        || (w == lower && DATE_LEADS.contains(&w))
        || w == "Stand"
        || (dated && matches!(lower.as_str(), "updated" | "published" | "posted"))
}

/// Words after which a byline names other people or things than its authors ("Jane Doe
/// Edited by …", "Jane Doe Alle Artikel", "Jane Doe Über …"): the name ends before them.
const BYLINE_STOPS: &[&str] = &[
    "edited",
    "updated",
    "published",
    "photographs",
    "photos",
    "illustrations",
    "reviewed",
    "alle",
    "weitere",
    "mehr",
    "über",
    "about",
    "contact",
    "kontakt",
];

/// Words that show a "byline" is a control, a label or a comment, not a name ("Follow
/// Author", "View my complete profile", "Name (erforderlich)", "Peter sagt"). Words that are
/// also surnames (Said, Read, More, Sign) are in [`NOT_A_NAME_PHRASES`] only as phrases.
const NOT_A_NAME: &[&str] = &[
    "follow",
    "profile",
    "profil",
    "updated",
    "published",
    "posted",
    "subscribe",
    "newsletter",
    "share",
    "comments",
    "comment",
    "control",
    "contact",
    "menu",
    "login",
    "name",
    "required",
    "erforderlich",
    "says",
    "sagt",
    "schreibt",
    "writes",
    "dit",
    "dice",
    "scrive",
    "zeige",
    "afficher",
    "publiziert",
    "veröffentlicht",
    "eingestellt",
    "erstellt",
    "geschrieben",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "by",
    "edition",
    "ausgabe",
];

/// Controls whose words are also names on their own ("Max Read", "Thomas More").
const NOT_A_NAME_PHRASES: &[&str] =
    &["read more", "view more", "view all", "more from", "sign in", "sign up", "log in"];

/// Lower-case words that belong inside names ("Ludwig van Beethoven", "Leonardo da Vinci").
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "des", "le", "la", "bin",
    "ibn", "al", "el", "y", "e", "dos", "das", "do", "ter", "ten", "zu", "af", "av",
];

/// Whether `name` reads as a person's or an organisation's name: at most six words (not
/// counting a parenthesis), none of them a label or control word ([`NOT_A_NAME`]); with
/// `cased`, every word also starts with a capital (or a character of a script without
/// case) unless it is a particle — what tells "Jane Doe" from "ist ein Partner-Service".
fn plausible_name(name: &str, cased: bool) -> bool {
    let outside: String = {
        let mut depth = 0u32;
        name.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                depth == 0 && *c != ')'
            })
            .collect()
    };
    let words: Vec<&str> = outside.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || name.contains(':') {
        return false;
    }
    let lower = name.to_lowercase();
    if lower.split(|c: char| !c.is_alphanumeric()).any(|w| NOT_A_NAME.contains(&w))
        || NOT_A_NAME_PHRASES.iter().any(|p| lower.contains(p))
    {
        return false;
    }
    !cased
        || words.iter().all(|w| {
            let first = w.chars().find(|c| c.is_alphanumeric());
            first.is_none_or(|c| !c.is_lowercase())
                || NAME_PARTICLES.contains(&w.to_lowercase().as_str())
        })
}

/// Author names in a byline's text as Readability.js takes it ("By Stella Kim and Jennifer
/// Jett", "By Nathan Willis March 25, 2015", "Par Martin Untersinger"): the prefix, the
/// date and what follows it, and the roles after "Edited by" are cut; several authors are
/// split on "and"/"&"/"," (and their kin) when every part has two words or more, so "Mac &
/// i" and "Goodman, MA" stay whole. Labels and controls give no names.
pub fn byline_names(raw: &str) -> Vec<String> {
    let text = clean_text(raw);
    let text = strip_by(&text);
    // "Text und Interview: Jane Doe": the name follows the label's colon.
    let text = text.rsplit_once(": ").map_or(text, |(_, after)| after);
    // The date: from the first digit on (names have none), then month and weekday words and
    // connectors left at the end.
    let digit = text.find(|c: char| c.is_ascii_digit());
    let text = digit.map_or(text, |i| &text[..i]);
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if let Some(stop) = words.iter().skip(1).position(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        BYLINE_STOPS.contains(&w.as_str())
    }) {
        words.truncate(stop + 1);
    }
    while words.last().is_some_and(|w| is_date_lead(w, digit.is_some())) {
        words.pop();
    }
    let text = words.join(" ");
    let text = trim_name(&text);
    if text.chars().count() > 100 {
        return Vec::new();
    }
    let names = split_names(text);
    if !names.iter().all(|n| plausible_name(n, true)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for name in names {
        push_author(&mut out, name);
    }
    out
}

/// `text` split into several names on ", " and the word "and" (or "&", "und", "et", "y",
/// "e", "og", "och") when every part has at least two words; whole otherwise, and whole
/// when it holds parentheses ("Martin Untersinger (avec Damien Leloup et Morgane Tual)").
fn split_names(text: &str) -> Vec<&str> {
    if text.contains('(') {
        return vec![text];
    }
    let mut parts = vec![text];
    for sep in [", ", " and ", " & ", " und ", " et ", " y ", " e ", " og ", " och "] {
        parts = parts.iter().flat_map(|p| p.split(sep)).map(trim_name).collect();
    }
    if parts.len() > 1 && parts.iter().all(|p| p.split_whitespace().count() >= 2) {
        parts
    } else {
        vec![text]
    }
}

fn image_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(image_url),
        Value::Object(_) => str_field(v, "url").or_else(|| str_field(v, "contentUrl")),
        _ => None,
    }
}

/// Authors from visible bylines (`rel=author`, `itemprop=author`, `.byline`).
fn byline_authors(named: &Named) -> Vec<String> {
    let mut out = Vec::new();
    let classes: Vec<String> = BYLINE_CLASSES.iter().map(|c| format!(".{c}")).collect();
    let css = format!(
        "[itemprop~=author] [itemprop~=name], a[rel~=author], [itemprop~=author], {}",
        classes.join(", ")
    );
    for e in named.select(&css) {
        // An `itemprop=author` that holds an `itemprop=name`: the name is taken on its own
        // (the container's text has the separators and dates around it).
        let is_author =
            e.attr("itemprop").is_some_and(|v| v.split_whitespace().any(|w| w == "author"));
        if is_author && e.descendants_it().any(|d| d.is("[itemprop~=name]")) {
            continue;
        }
        let t = attr(&e, "content").unwrap_or_else(|| e.text().to_string());
        let t = clean_text(&t);
        let t = trim_name(strip_by(&t));
        // User names ("mcupdate") are fine here, where the markup says it is an author.
        if t.chars().count() <= 60 && plausible_name(t, false) {
            push_author(&mut out, t);
        }
        if out.len() >= 4 {
            break;
        }
    }
    out
}

/// Readability's `<title>` rule: cut a site name after ` | `, ` - `, ` — `, ` » ` etc. when
/// what remains is long enough; fall back to the lone `<h1>` when the title is odd.
fn title_from_doc_title(doc: &Document, raw: &str) -> String {
    let orig = clean_text(raw);
    let seps = [" | ", " - ", " – ", " — ", " \\ ", " / ", " > ", " » "];
    let word_count = |s: &str| s.split_whitespace().count();
    let mut title = orig.clone();
    // Readability's "hierarchical" separators (`\ / > »`): with them a short cut title is
    // kept when it is all but one word of the original (`Home » Section`); after `|` or `-` a
    // short remainder more likely lost the real title (`Mozilla - Wikipedia`).
    let had_hier = [" \\ ", " / ", " > ", " » "].iter().any(|s| orig.contains(s));
    if let Some(pos) = seps.iter().filter_map(|s| orig.rfind(s)).max() {
        title = orig[..pos].trim().to_string();
        if word_count(&title) < 3 {
            // Take the part after the first separator instead.
            if let Some(first) =
                seps.iter().filter_map(|s| orig.find(s).map(|p| (p, s.len()))).min()
            {
                title = orig[first.0 + first.1..].trim().to_string();
            }
        }
    } else if orig.contains(": ") {
        let hs: Vec<String> = all(doc, "h1, h2").iter().map(|h| clean_text(&h.text())).collect();
        if !hs.contains(&orig) {
            if let Some(pos) = orig.rfind(": ") {
                title = orig[pos + 2..].to_string();
                if word_count(&title) < 3 {
                    if let Some(p) = orig.find(": ") {
                        title = orig[p + 2..].to_string();
                    }
                } else if orig.find(": ").map(|p| word_count(&orig[..p])).unwrap_or(0) > 5 {
                    title = orig.clone();
                }
            }
        }
    } else if orig.chars().count() > 150 || orig.chars().count() < 15 {
        if let [h] = all(doc, "h1").as_slice() {
            title = clean_text(&h.text());
        }
    }
    let wc = word_count(&title);
    let orig_wo_seps = {
        let mut s = orig.clone();
        for sep in seps {
            s = s.replace(sep.trim(), "");
        }
        word_count(&s).saturating_sub(1)
    };
    if wc <= 4 && (!had_hier || wc != orig_wo_seps) {
        title = orig;
    }
    title
}

/// Cut a ` | Site` / ` - Site` suffix when it is the site name. (A leading site name is
/// kept: `Site - Topic` titles are more often a real title than a prefix.)
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.map(norm_key).filter(|s| !s.is_empty()) else {
        return title.to_string();
    };
    let seps = [" | ", " - ", " – ", " — ", " · ", " :: ", " » ", ": "];
    for sep in seps {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            if tail.chars().count() <= SITE_SUFFIX_MAX_CHARS
                && norm_key(tail) == site
                && !head.trim().is_empty()
                && sep != ": "
            {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Cut a ` | example.net` / ` - Example` suffix that names the page's host, when no site name
/// is declared: the suffix, lower-cased and without spaces and punctuation, is the host
/// (`silvias.net`), or one of its labels before the top-level domain (`BBC` for
/// `news.bbc.co.uk`, `ARSnova` for `arsnova.thm.de`). Only a whole label counts: `Spiegel
/// Online` is not `spiegel.de`.
fn strip_host_suffix(title: &str, host: Option<&str>) -> String {
    let Some(host) = host.map(|h| h.trim_start_matches("www.").to_lowercase()) else {
        return title.to_string();
    };
    let squash = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    // The labels before the top-level domain, and before a country's generic second level
    // (`co.uk`, `com.au`, `gv.at`); `blog.zdf.de` is ZDF's.
    const SECOND_LEVEL: &[&str] =
        &["co", "com", "org", "net", "ac", "edu", "gov", "gv", "gob", "gouv", "or", "ne", "go"];
    let labels: Vec<&str> = host.split('.').collect();
    let name_end = match labels.as_slice() {
        [.., sld, tld] if labels.len() > 2 && tld.len() == 2 && SECOND_LEVEL.contains(sld) => {
            labels.len() - 2
        }
        _ => labels.len().saturating_sub(1),
    };
    // The whole host, or any of its labels before the domain's end (`ARSnova` on
    // arsnova.thm.de, `ZDF` on blog.zdf.de).
    let mut names: Vec<String> = labels[..name_end].iter().map(|l| squash(l)).collect();
    names.push(squash(&host));
    for sep in [" | ", " - ", " – ", " — ", " · ", " :: ", " » "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) =
                (title[..pos].trim(), squash(&title[pos + sep.len()..]).to_lowercase());
            if !head.is_empty() && tail.chars().count() >= 3 && names.contains(&tail) {
                return head.to_string();
            }
        }
    }
    title.to_string()
}

/// Cut a ` - Jane Doe` / ` | by Jane Doe` suffix naming one of the page's authors: what is
/// left of `Title - Author - Site` once the site name is gone (blog platforms title pages so).
fn strip_author_suffix<'a>(title: &str, authors: impl Iterator<Item = &'a String>) -> String {
    let keys: Vec<String> = authors.map(|a| norm_key(a)).filter(|k| !k.is_empty()).collect();
    if keys.is_empty() {
        return title.to_string();
    }
    for sep in [" | ", " - ", " – ", " — ", " · "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (title[..pos].trim(), &title[pos + sep.len()..]);
            let tail = strip_by(tail.trim());
            if head.split_whitespace().count() >= 2 && keys.contains(&norm_key(tail)) {
                return head.to_string();
            }
        }
    }
    title.to_string()
}

fn absolute(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    match base {
        Some(b) => b.join(href).ok().map(|u| u.to_string()),
        None => Url::parse(href).ok().map(|u| u.to_string()),
    }
}

/// Normalise a date to ISO 8601: RFC 3339 and RFC 2822 are re-emitted; `YYYY-MM-DD…` prefixes
/// are kept as the date.
pub fn iso_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339());
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(d.to_rfc3339());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"] {
        if let Ok(d) = chrono::DateTime::parse_from_str(s, fmt) {
            return Some(d.to_rfc3339());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    let head: String = s.chars().take(10).collect();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&head, "%Y-%m-%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&head, "%Y/%m/%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    None
}

/// `en_US` → `en-US`; drop junk.
fn norm_lang(raw: &str) -> Option<String> {
    let l = raw.split([',', ';']).next().unwrap_or_default().trim().replace('_', "-");
    let ok = !l.is_empty()
        && l.len() <= 35
        && l.split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !ok {
        return None;
    }
    // BCP 47 casing: language lowercase, script titlecase, region uppercase.
    let parts: Vec<String> = l
        .split('-')
        .enumerate()
        .map(|(i, p)| match (i, p.len()) {
            (0, _) => p.to_ascii_lowercase(),
            (_, 2) => p.to_ascii_uppercase(),
            (_, 4) => {
                let lower = p.to_ascii_lowercase();
                let mut cs = lower.chars();
                cs.next()
                    .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            }
            _ => p.to_ascii_lowercase(),
        })
        .collect();
    Some(parts.join("-"))
}

fn is_rtl_lang(l: &str) -> bool {
    let primary = l.split('-').next().unwrap_or_default().to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> PageMeta {
        let doc = Document::from(html);
        let base = Url::parse("https://example.org/news/a.html").ok();
        extract(&doc, base.as_ref())
    }

    #[test]
    fn byline_names_cut_prefix_date_and_roles() {
        let cases: &[(&str, &[&str])] = &[
            ("By Nathan Willis\n  March 25, 2015", &["Nathan Willis"]),
            ("by Lucas Nolan22 Dec 2016651", &["Lucas Nolan"]),
            ("BY GILLIAN MOHNEY March 11, 2015 3:46 PM", &["GILLIAN MOHNEY"]),
            ("Written by Rob Ewaschuk Edited by Betsy Beyer", &["Rob Ewaschuk"]),
            ("By Stella Kim and Jennifer Jett", &["Stella Kim", "Jennifer Jett"]),
            ("Stella Kim, Jennifer Jett", &["Stella Kim", "Jennifer Jett"]),
            (
                "Par Martin Untersinger (avec Damien Leloup et Morgane Tual)",
                &["Martin Untersinger (avec Damien Leloup et Morgane Tual)"],
            ),
            ("Mac & Co", &["Mac & Co"]),
            ("By Brenda Goodman, MA", &["Brenda Goodman, MA"]),
            ("Joe Wee Monday, February 29, 2016", &["Joe Wee"]),
            ("Isabella Di Biase am Samstag", &["Isabella Di Biase"]),
            ("Johanna Kropfitsch Alle Artikel", &["Johanna Kropfitsch"]),
            ("Text und Interview: Harald Willenbrock", &["Harald Willenbrock"]),
            ("Erstellt von Andri Bryner", &["Andri Bryner"]),
            ("Ludwig van Beethoven", &["Ludwig van Beethoven"]),
            ("By Minh Le", &["Minh Le"]),
            ("Par Jean Dupont le 3 mai 2015", &["Jean Dupont"]),
            ("Maria del Mar", &["Maria del Mar"]),
            ("Nguyen Thi Mai", &["Nguyen Thi Mai"]),
            ("肖春芳", &["肖春芳"]),
            // Labels, controls, comment authors and prose give no names.
            ("Follow Author", &[]),
            ("Last Updated: January 7, 2025", &[]),
            ("April 28, 2019 at 6:01 am Updated April 29, 2019", &[]),
            ("Name (erforderlich)", &[]),
            ("Art Edwards says", &[]),
            ("Peter sagt", &[]),
            ("Veröffentlicht", &[]),
            ("Posted", &[]),
            ("Credaris ist ein Partner-Service von comparis.ch", &[]),
            ("View my complete profile", &[]),
            ("Revised Edition Edited by Adrian Parr", &[]),
            ("Read more", &[]),
            ("Sign in to comment", &[]),
            // Surnames that are also words of controls and comments.
            ("By Edward W. Said", &["Edward W. Said"]),
            ("Max Read", &["Max Read"]),
            ("Thomas More", &["Thomas More"]),
            ("", &[]),
        ];
        for (raw, want) in cases {
            assert_eq!(byline_names(raw), *want, "{raw:?}");
        }
    }

    #[test]
    fn author_names_lose_separators_and_duplicates() {
        // An `itemprop=author` container around its `itemprop=name` (with the separator
        // after the name inside it) gives the name once.
        let m = meta_of(
            r#"<html><body><article><p><span itemprop="author" itemscope>
            <span itemprop="name">Nicolas Perriault</span> —</span>
            <time datetime="2013-09-29">2013-09-29</time></p><p>Text.</p></article></body></html>"#,
        );
        assert_eq!(m.byline_authors, vec!["Nicolas Perriault"]);
        // Prefixes in any case and language; the same name twice is kept once.
        let mut out = Vec::new();
        for n in ["por César Salza", "César Salza", "Von Vanessa Franke", "vanessa franke,"] {
            push_author(&mut out, n);
        }
        assert_eq!(out, vec!["César Salza", "Vanessa Franke"]);
        // A word that merely starts like a prefix stays.
        let mut out = Vec::new();
        push_author(&mut out, "Byron Parker");
        push_author(&mut out, "Avery Doe");
        assert_eq!(out, vec!["Byron Parker", "Avery Doe"]);
    }

    #[test]
    fn page_markup_without_meta_tags() {
        // Bylines, `<time>`, canonical link, `dir` on the body and a lone `<h1>` standing in
        // for a too-short `<title>`: each selector has to match in dom_query's engine (an
        // invalid one would match nothing, silently).
        let m = meta_of(
            r#"<html><head><title>Short</title>
            <link rel="canonical" href="/news/story.html"></head>
            <body dir="rtl"><article><h1>The Harbour Pier Closes for Two Years</h1>
            <p class="byline">By <a rel="author" href="/jane">Jane Doe</a></p>
            <div itemprop="author" itemscope><span itemprop="name">John Roe</span></div>
            <time datetime="2024-03-28T10:00:00Z">yesterday</time><p>Text.</p>
            </article></body></html>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("The Harbour Pier Closes for Two Years"));
        assert!(m.meta.authors.is_empty(), "markup bylines wait for Readability's");
        assert_eq!(m.byline_authors, vec!["Jane Doe", "John Roe"], "in page order");
        assert!(
            m.meta.date.as_ref().is_some_and(|d| d.starts_with("2024-03-28")),
            "{:?}",
            m.meta.date
        );
        assert_eq!(m.meta.source.as_deref(), Some("https://example.org/news/story.html"));
        assert_eq!(m.meta.dir.as_deref(), Some("rtl"));
    }

    #[test]
    fn json_ld_graph() {
        let m = meta_of(
            r#"<html lang="en_GB"><head><title>Ignored | Example</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"https://example.org/#site","name":"Example Site"},
              {"@type":"Person","@id":"https://example.org/#jane","name":"Jane Doe"},
              {"@type":["NewsArticle"],"headline":"The Real Headline",
               "author":[{"@id":"https://example.org/#jane"},{"@type":"Person","name":"John Roe"}],
               "datePublished":"2024-03-28T10:00:00+01:00",
               "image":{"@type":"ImageObject","url":"/img/lead.jpg"},
               "articleBody":"Body text."}]}</script></head><body></body></html>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("The Real Headline"));
        assert_eq!(m.meta.authors, vec!["Jane Doe", "John Roe"]);
        assert_eq!(m.meta.date.as_deref(), Some("2024-03-28T10:00:00+01:00"));
        assert_eq!(m.meta.site.as_deref(), Some("Example Site"));
        assert_eq!(m.meta.lang.as_deref(), Some("en-GB"));
        assert_eq!(m.meta.image.as_deref(), Some("https://example.org/img/lead.jpg"));
        assert_eq!(m.article_body.as_deref(), Some("Body text."));
    }

    #[test]
    fn references_left_in_metadata_are_decoded() {
        let m = meta_of(
            r#"<html><head><title>Spot &amp;amp; Co &#8211; News</title>
            <meta property="og:description" content="Polic&amp;iacute;a &amp;quot;Nacional&amp;quot;">
            <script type="application/ld+json">{"@type":"NewsArticle",
              "headline":"Rene Benko-Firma Signa in Sorge &#8211; Finanzdaten",
              "author":{"@type":"Person","name":"Redacci&oacute;n"},
              "publisher":{"@type":"Organization","name":"Harper&#039;s Magazine"}}</script>
            </head><body></body></html>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("Rene Benko-Firma Signa in Sorge – Finanzdaten"));
        assert_eq!(m.meta.site.as_deref(), Some("Harper's Magazine"));
        assert_eq!(m.meta.authors, vec!["Redacción"]);
        assert_eq!(m.meta.description.as_deref(), Some("Policía \"Nacional\""));
        // The parser decodes `&amp;amp;` once, this once more (as Readability.js does).
        assert_eq!(m.doc_title.as_deref(), Some("Spot & Co – News"));
    }

    #[test]
    fn json_ld_in_cdata() {
        let m = meta_of(
            "<script type=\"application/ld+json\">\n<![CDATA[\n{\"@type\":\"Article\",\"name\":\"Hermitian matrix\"}\n]]>\n</script><title>Hermitian matrix - Wikipedia</title>",
        );
        assert_eq!(m.meta.title.as_deref(), Some("Hermitian matrix"));
    }

    #[test]
    fn json_ld_array() {
        let m = meta_of(
            r#"<script type="application/ld+json">[{"@type":"Organization","name":"Org"},
               {"@type":"BlogPosting","name":"Post Name","author":"A. Writer","publisher":{"name":"The Blog"}}]</script>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("Post Name"));
        assert_eq!(m.meta.authors, vec!["A. Writer"]);
        assert_eq!(m.meta.site.as_deref(), Some("The Blog"));
    }

    #[test]
    fn author_suffix_cut_after_the_site_name() {
        let m = meta_of(
            r#"<script type="application/ld+json">{"@type":"Article","headline":"A Long Lie - Jo Welch - Medium","author":{"name":"Jo Welch"},"publisher":{"name":"Medium"}}</script>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("A Long Lie"));
        let m = meta_of(
            r#"<meta property="og:title" content="Notes on Rust | by Ann Author | Blogs"><meta property="og:site_name" content="Blogs"><meta name="author" content="Ann Author">"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("Notes on Rust"));
        // Without a site name before it, an author suffix stays (`Headline | Columnist`).
        let m = meta_of(
            r#"<meta property="og:title" content="Notes on Rust | Ann Author"><meta name="author" content="Ann Author">"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("Notes on Rust | Ann Author"));
        // Not an author: kept. Nor is a title that would be left with one word.
        let m = meta_of(
            r#"<meta property="og:title" content="A Talk - Ann Author - Blogs"><meta property="og:site_name" content="Blogs"><meta name="author" content="Bob Roe">"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("A Talk - Ann Author"));
        let m = meta_of(
            r#"<meta property="og:title" content="Interview - Ann Author - Blogs"><meta property="og:site_name" content="Blogs"><meta name="author" content="Ann Author">"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("Interview - Ann Author"));
    }

    #[test]
    fn opengraph_and_site_suffix() {
        let m = meta_of(
            r#"<html><head><title>Something Else</title>
            <meta property="og:title" content="A Story Worth Reading | The Daily">
            <meta property="og:site_name" content="The Daily">
            <meta property="og:description" content="What happened.">
            <meta property="og:image" content="//cdn.example.org/x.png">
            <meta property="og:url" content="https://example.org/story">
            <meta property="article:published_time" content="2023-01-02">
            <meta name="author" content="By Ann Author">
            </head><body></body></html>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("A Story Worth Reading"));
        assert_eq!(m.meta.site.as_deref(), Some("The Daily"));
        assert_eq!(m.meta.description.as_deref(), Some("What happened."));
        assert_eq!(m.meta.image.as_deref(), Some("https://cdn.example.org/x.png"));
        assert_eq!(m.meta.source.as_deref(), Some("https://example.org/story"));
        assert_eq!(m.meta.date.as_deref(), Some("2023-01-02"));
        assert_eq!(m.meta.authors, vec!["Ann Author"]);
        // A description that repeats the title is dropped.
        let m = meta_of(
            r#"<html><head><meta property="og:title" content="A Story Worth Reading">
            <meta name="description" content="A story worth reading."></head></html>"#,
        );
        assert_eq!(m.meta.description, None);
    }

    #[test]
    fn host_suffix_cut_without_a_site_name() {
        let title_of = |title: &str, url: &str| {
            meta_of(&format!(
                r#"<html><head><title>{title}</title><link rel="canonical" href="{url}"></head><body></body></html>"#
            ))
            .meta
            .title
        };
        let url = "https://www.silvias.net/blog/story/";
        assert_eq!(title_of("Election Day | silvias.net", url).as_deref(), Some("Election Day"));
        assert_eq!(title_of("Election Day - Silvias", url).as_deref(), Some("Election Day"));
        let bbc = "https://news.bbc.co.uk/2/story.stm";
        assert_eq!(
            title_of("Floods in the north | BBC", bbc).as_deref(),
            Some("Floods in the north")
        );
        // A short name under a country's domain, with a subdomain, is the name; so is the
        // subdomain when it names the site.
        assert_eq!(
            title_of("Wahl in Sachsen - ZDF", "https://blog.zdf.de/a").as_deref(),
            Some("Wahl in Sachsen")
        );
        assert_eq!(
            title_of("Fragen im Hörsaal – ARSnova", "https://arsnova.thm.de/blog/").as_deref(),
            Some("Fragen im Hörsaal")
        );
        // A generic second level is no site's name: `- Com` on example.com.au stays.
        assert_eq!(
            title_of("Floods in the north - Com", "https://example.com.au/").as_deref(),
            Some("Floods in the north - Com")
        );
        // A suffix that is not the host's name stays, and so does a title that is only it.
        assert_eq!(
            title_of("Election Day - Part Two", url).as_deref(),
            Some("Election Day - Part Two")
        );
        assert_eq!(
            title_of("Der Spiegel - Story", "https://spiegel.de/a").as_deref(),
            Some("Der Spiegel - Story")
        );
    }

    #[test]
    fn doc_title_separator_and_rtl() {
        let m = meta_of(
            r#"<html lang="ar"><head><title>A Long Enough Article Title Here - Site</title></head></html>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("A Long Enough Article Title Here"));
        assert_eq!(m.meta.dir.as_deref(), Some("rtl"));
    }

    #[test]
    fn short_title_before_a_separator_is_not_swapped_for_the_site() {
        // One word before ` - `: cutting would leave only the site name.
        let m = meta_of("<html><head><title>Mozilla - Wikipedia</title></head></html>");
        assert_eq!(m.meta.title.as_deref(), Some("Mozilla - Wikipedia"));
        // ...but with the site name declared, the suffix is cut.
        let m = meta_of(
            r#"<html><head><title>Mozilla - Wikipedia</title><meta property="og:site_name" content="Wikipedia"></head></html>"#,
        );
        assert_eq!(m.meta.title.as_deref(), Some("Mozilla"));
        // Hierarchical separators: the remainder is kept when it is all but one word.
        let m = meta_of("<html><head><title>Home » Gardening Tips</title></head></html>");
        assert_eq!(m.meta.title.as_deref(), Some("Gardening Tips"));
    }

    #[test]
    fn lang_casing() {
        assert_eq!(norm_lang("en_us").as_deref(), Some("en-US"));
        assert_eq!(norm_lang("ZH-hant-tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(norm_lang("not a tag"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            iso_date("Tue, 1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01T10:52:37+02:00")
        );
        assert_eq!(iso_date("2020/05/06").as_deref(), Some("2020-05-06"));
        assert_eq!(iso_date("2020-05-06T07:08:09").as_deref(), Some("2020-05-06T07:08:09"));
        assert_eq!(iso_date("yesterday"), None);
    }
}
