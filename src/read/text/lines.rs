//! Line-level predicates for text dumps: what a line looks like, independent of its context.
//!
//! Every rule here is language-agnostic where it can be (Unicode classes, punctuation, shape)
//! and carries small multilingual keyword lists where it cannot (subscribe prompts, browser
//! notices). Keyword lists are deliberately short: shape decides, words confirm.

use crate::normalize::text::is_cjk;
use regex::Regex;
use std::sync::LazyLock;

/// Word tokens (the matches of Unicode `\w+`: maximal runs of word characters as `regex`
/// defines them), lower-cased. A scan rather than the regex: finding each match with the
/// regex, forward and then backward, was a fifth of reading a text dump (callgrind over 40
/// dumps: 298 of 1,522 M instructions; scan and lower-casing now 76 of 1,087 M).
pub(crate) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !regex_syntax::is_word_character(c))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Number of words; CJK text without spaces counts roughly one word per two characters.
pub(crate) fn word_count(s: &str) -> usize {
    count_words(s, usize::MAX)
}

/// Whether [`word_count`] is above `n`, reading only as far as needed to know (the line
/// rules ask this of long paragraphs, whose every word the full count would visit).
pub(crate) fn words_over(s: &str, n: usize) -> bool {
    count_words(s, n) > n
}

/// [`word_count`], stopping once it passes `limit`. One pass: whitespace-separated tokens
/// with a letter or digit in them, and CJK characters.
fn count_words(s: &str, limit: usize) -> usize {
    let (mut spaced, mut cjk) = (0, 0);
    let (mut in_token, mut counted) = (false, false);
    for c in s.chars() {
        if c.is_whitespace() {
            in_token = false;
            continue;
        }
        if !in_token {
            (in_token, counted) = (true, false);
        }
        if !counted && c.is_alphanumeric() {
            spaced += 1;
            counted = true;
        }
        cjk += usize::from(is_cjk(c));
        if spaced > limit || cjk / 2 > limit {
            break;
        }
    }
    spaced.max(cjk / 2)
}

/// Opening quotation marks that start a quoted passage.
pub(crate) const OPENING_QUOTES: &[char] = &['“', '"', '«', '„', '‘', '「', '『', '‹', '‚', '»'];

/// The closing mark that pairs with an opening mark.
pub(crate) fn closing_for(open: char) -> &'static [char] {
    match open {
        '“' => &['”'],
        '«' => &['»'],
        '»' => &['«'],
        '„' => &['“', '”'],
        '‘' => &['’'],
        '‚' => &['‘', '’'],
        '「' => &['」'],
        '『' => &['』'],
        '‹' => &['›'],
        _ => &['"'],
    }
}

/// Whether the line opens with a quotation mark.
pub(crate) fn opening_quote(s: &str) -> Option<char> {
    s.chars().next().filter(|c| OPENING_QUOTES.contains(c))
}

/// Sentence-final marks across scripts: Latin, CJK (`。！？`), Armenian (`։`), Devanagari
/// (`।`, `॥`), Arabic and Urdu (`؟`, `۔`), Ethiopic (`።`), Myanmar (`။`), Greek question mark.
pub(crate) const SENTENCE_ENDS: &[char] = &[
    '.', '!', '?', '…', '。', '！', '？', ';', '；', '։', '।', '॥', '؟', '۔', '።', '။', '\u{37E}',
];

/// Sentence-final punctuation, including closing quotes and brackets after it.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let trimmed = s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(c, '”' | '"' | '»' | '’' | '\'' | ')' | ']' | '」' | '』' | '“' | '›')
    });
    trimmed.ends_with(SENTENCE_ENDS)
}

/// Closing punctuation that a heading never ends with (a question mark is allowed).
pub(crate) fn has_closing_punctuation(s: &str) -> bool {
    let s = s.trim_end();
    (s.ends_with(SENTENCE_ENDS) && !s.ends_with(['?', '？', '؟']))
        || s.ends_with([',', ':', '，', '：', '、', '”', '»', '"', '’', '-', '–', '—'])
        || (s.ends_with('!') && !s.ends_with("?!"))
}

/// A line that could be a heading or title by shape alone: short, no closing punctuation,
/// starting with a capital letter or digit (or a caseless script), with some letters.
pub(crate) fn is_heading_shaped(s: &str, max_words: usize) -> bool {
    let n = word_count(s);
    if n == 0 || n > max_words || s.chars().count() > 160 || has_closing_punctuation(s) {
        return false;
    }
    let Some(first) = s.chars().find(|c| c.is_alphanumeric()) else { return false };
    // A line that starts with a quotation mark is a quotation, not a heading.
    if opening_quote(s).is_some() {
        return false;
    }
    first.is_uppercase() || first.is_numeric() || !first.is_lowercase()
}

/// Ticker and counter lines seen above an article's title: bullets, currency or commodity
/// codes with numbers (`USD91.20`, `EUR 97,35 ▲0.4%`, `BTC $64,000`), bare counters (`2718`).
pub(crate) fn is_ticker_line(s: &str) -> bool {
    static TICKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[\p{Lu}]{2,6}(?:/[\p{Lu}]{2,6})?\s*[:=]?\s*[$€£¥₽]?\s*[-+−]?\d[\d.,\s]*%?\s*(?:[▲▼↑↓+−-]\s*[\d.,]+\s*%?)?\s*)+$",
        )
        .expect("static regex")
    });
    static COUNTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[-+]?\d[\d.,\s]*[%kKMmBb]?$").expect("static regex"));
    let s = strip_bullet(s).unwrap_or(s).trim();
    if s.is_empty() {
        return true;
    }
    TICKER.is_match(s) || COUNTER.is_match(s)
}

/// The text after a list bullet (`•`, `-`, `*`, `·`, `▪`, `◦`, `–`), if the line has one.
pub(crate) fn strip_bullet(s: &str) -> Option<&str> {
    let t = s.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if matches!(
        first,
        '•' | '·'
            | '▪'
            | '◦'
            | '●'
            | '■'
            | '□'
            | '○'
            | '◆'
            | '►'
            | '▸'
            | '-'
            | '*'
            | '–'
            | '+'
    ) {
        let rest = chars.as_str();
        if rest.starts_with(char::is_whitespace) || (first != '-' && first != '*' && first != '+') {
            return Some(rest.trim_start());
        }
    }
    None
}

/// The text after an ordered-list number (`1.`, `2)`), with the number.
pub(crate) fn strip_number(s: &str) -> Option<(u32, &str)> {
    let t = s.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = &t[digits.len()..];
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
    if !rest.starts_with(' ') {
        return None;
    }
    Some((digits.parse().ok()?, rest.trim_start()))
}

/// `Term - definition` (hyphen, en or em dash): a glossary entry. The term is one to seven
/// words without sentence punctuation (a parenthesised expansion allowed); the definition has
/// at least three words.
pub(crate) fn glossary_entry(s: &str) -> Option<(String, String)> {
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<term>[\p{L}\p{N}][^.!?:;,\[\]]{0,60}?)\s+[-–—]\s+(?P<def>\S.+)$")
            .expect("static regex")
    });
    let caps = ENTRY.captures(s.trim())?;
    let term = caps.name("term")?.as_str().trim();
    let def = caps.name("def")?.as_str().trim();
    let term_words = word_count(term);
    let balanced = term.matches('(').count() == term.matches(')').count();
    if term_words == 0 || term_words > 7 || word_count(def) < 3 || !balanced {
        return None;
    }
    Some((term.to_string(), def.to_string()))
}

fn contains_any(lower: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| lower.contains(k))
}

/// Subscribe / newsletter / sign-up / donation prompts (short lines only).
pub(crate) fn is_subscribe_prompt(s: &str) -> bool {
    if words_over(s, 15) {
        return false;
    }
    let lower = s.to_lowercase();
    contains_any(
        &lower,
        &[
            "subscribe",
            "newsletter",
            "sign up",
            "sign-up",
            "signup",
            "weekly digest",
            "daily digest",
            "our digest",
            "follow us",
            "join our",
            "donate",
            "support us",
            "get our",
            "inbox",
            "подпис",
            "рассылк",
            "дайджест",
            "поддержите",
            "abonn",
            "newsletter",
            "inscri",
            "suscr",
            "iscriv",
            "abonnier",
            "anmeld",
            "spenden",
            "subskryb",
            "zapisz się",
            "підпис",
        ],
    )
}

/// "Share this" prompts and bare lists of social networks.
pub(crate) fn is_share_prompt(s: &str) -> bool {
    if words_over(s, 10) {
        return false;
    }
    let lower = s.to_lowercase();
    let starts = [
        "share",
        "tweet",
        "email this",
        "print this",
        "поделиться",
        "поделитесь",
        "partager",
        "teilen",
        "compartir",
        "condividi",
        "udostępnij",
        "поділитися",
        "compartilhe",
        "artikel teilen",
        "beitrag teilen",
        "möchten sie den artikel teilen",
        "möchtest du den artikel teilen",
        "weiterempfehlen",
        "artikel weiterempfehlen",
    ];
    if starts.iter().any(|k| lower.starts_with(k)) {
        return true;
    }
    let networks = [
        "facebook",
        "twitter",
        "x.com",
        "telegram",
        "whatsapp",
        "vk",
        "vkontakte",
        "linkedin",
        "reddit",
        "pinterest",
        "email",
        "e-mail",
        "print",
        "copy link",
        "mastodon",
        "bluesky",
        "threads",
        "ok",
        "одноклассники",
        "вконтакте",
        "viber",
    ];
    let ws = words(&lower);
    ws.len() >= 2 && ws.iter().all(|w| networks.contains(&w.as_str()) || w == "link" || w == "copy")
}

/// Words that name a social network or a sharing action, as items of a share bar.
const SHARE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "tweet",
    "teilen",
    "partager",
    "compartir",
    "condividi",
    "udostępnij",
    "поделиться",
    "delen",
    "facebook",
    "twitter",
    "linkedin",
    "pinterest",
    "whatsapp",
    "reddit",
    "telegram",
    "email",
    "e-mail",
    "mail",
    "print",
    "drucken",
    "imprimer",
    "pocket",
    "flipboard",
    "xing",
    "messenger",
    "+1",
];

/// One item of a share bar printed one per line (`• Facebook`, `WhatsApp`, `E-Mail`): at
/// most four words, one of them a share word.
pub(crate) fn is_share_item(s: &str) -> bool {
    let t = strip_bullet(s).unwrap_or(s).trim().to_lowercase();
    !words_over(&t, 4) && names_sharing(&t)
}

/// Whether one of the lower-cased text's words starts with a [`SHARE_WORDS`] entry (a
/// counter may be glued on: `teilen17`, `tweet0`).
fn names_sharing(lower: &str) -> bool {
    lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .any(|w| SHARE_WORDS.iter().any(|k| w.starts_with(k) && w.len() <= k.len() + 6))
}

/// A share bar: a line of at least three items (split at bullets and bars) most of which
/// name a network or a sharing action (`• teilen17 • tweet0 • +12 • mail • Info`,
/// `• Click to share on Facebook (Opens in new window) • …`). Counters glued to the labels
/// do not matter; an item counts when one of its words starts with a share word.
pub(crate) fn is_share_bar(s: &str) -> bool {
    let items: Vec<String> = s
        .split(['•', '|', '·', '▪'])
        .map(|i| i.trim().to_lowercase())
        .filter(|i| !i.is_empty())
        .collect();
    if items.len() < 3 {
        return false;
    }
    let sharing = items.iter().filter(|i| names_sharing(i)).count();
    sharing >= 2 && sharing * 2 >= items.len()
}

/// A line of short items between separators (`Billig kontra Apple • Zaubern mit Skripten •
/// …`, `News | Sport | Wetter`): a teaser or link list set as one line, however many words
/// it has. At least three items of at most eight words (four on average), at most one of
/// them ending like a sentence.
pub(crate) fn is_item_run(s: &str) -> bool {
    let items: Vec<&str> =
        s.split(['•', '|', '·', '▪']).map(str::trim).filter(|i| !i.is_empty()).collect();
    if items.len() < 3 {
        return false;
    }
    let counts: Vec<usize> = items.iter().map(|i| word_count(i)).collect();
    counts.iter().all(|&n| n <= 8)
        && counts.iter().sum::<usize>() <= 4 * items.len()
        && items.iter().filter(|i| ends_sentence(i)).count() <= 1
}

/// Headline case: of at least six words that start with a cased letter, 70% or more start
/// with a capital (`Adam Levine -- Unlucky Strike ... Nails Fan In The Head With Mic`).
/// Prose stays far below, German with its capitalised nouns too (about a third).
pub(crate) fn is_headline_case(s: &str) -> bool {
    let (mut cased, mut upper) = (0usize, 0usize);
    for w in s.split_whitespace() {
        let Some(c) = w.chars().find(|c| c.is_alphanumeric()) else { continue };
        if c.is_uppercase() {
            upper += 1;
            cased += 1;
        } else if c.is_lowercase() {
            cased += 1;
        }
    }
    cased >= 6 && upper * 10 >= cased * 7
}

/// A teaser's summary: prose that ends with its link to the story (`… knacken können.
/// Mehr…`, `… the new model. Read more »`, `… Weiterlesen`). An article's own paragraphs
/// do not end that way.
pub(crate) fn ends_with_more_link(s: &str) -> bool {
    static MORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)
            (?:
              (?:^|\s)(?:mehr|more|read\ more|lire\ la\ suite|leer\ más|leia\ mais|continue\ reading
                |weiterlesen|czytaj\ dalej|leggi\ tutto|lees\ meer|läs\ mer|читать\ далее|далее)
              \s*(?:…|\.\.\.|»|›|→|>)+
            | [.!?…]\s*(?:read\ more|continue\ reading|weiterlesen|lire\ la\ suite|leer\ más|leia\ mais
                |czytaj\ dalej|leggi\ tutto|lees\ meer|läs\ mer|читать\ далее)
            )\s*$",
        )
        .expect("static regex")
    });
    MORE.is_match(s)
}

/// Names of web browsers, as they appear in "please install a modern browser" lists.
const BROWSERS: &[&str] = &[
    "chrome",
    "google",
    "firefox",
    "mozilla",
    "safari",
    "opera",
    "edge",
    "microsoft",
    "internet",
    "explorer",
    "brave",
    "vivaldi",
    "yandex",
    "яндекс",
    "браузер",
    "chromium",
    "samsung",
    "uc",
];

/// A line made only of browser names (`Google Chrome Firefox Safari`).
pub(crate) fn is_browser_list(s: &str) -> bool {
    let ws = words(s);
    let hits = ws.iter().filter(|w| BROWSERS.contains(&w.as_str())).count();
    hits >= 2 && hits * 10 >= ws.len() * 8
}

/// "Your browser is outdated / not supported" notices, in several languages.
pub(crate) fn is_browser_notice(s: &str) -> bool {
    // Notices are a sentence or two; a paragraph about browsers is article text.
    if words_over(s, 45) {
        return false;
    }
    let lower = s.to_lowercase();
    let browser = contains_any(
        &lower,
        &["browser", "браузер", "navigateur", "navegador", "przeglądar", "prohlížeč"],
    );
    browser
        && contains_any(
            &lower,
            &[
                "outdated",
                "out of date",
                "update",
                "upgrade",
                "not supported",
                "unsupported",
                "modern",
                "устарел",
                "обнов",
                "современ",
                "не поддерж",
                "obsolète",
                "mettre à jour",
                "veraltet",
                "aktualisier",
                "desactualizado",
                "actualiz",
                "obsoleto",
                "aggiorna",
                "przestarzał",
                "zastaralý",
                "enable javascript",
                "javascript is disabled",
            ],
        )
}

/// Cookie and consent notices. Up to 80 words, a cookie and any consent word make one; a
/// longer text (consent banners run to 150 words) must also say it is the site's own
/// (`we use cookies`) and ask for consent.
pub(crate) fn is_cookie_notice(s: &str) -> bool {
    let words = word_count(s);
    if words > 150 {
        return false;
    }
    let lower = s.to_lowercase();
    if words > 80 {
        return contains_any(
            &lower,
            &[
                "we use cookies",
                "this site uses cookies",
                "website uses cookies",
                "verwenden cookies",
                "utilise des cookies",
                "utilizamos cookies",
            ],
        ) && contains_any(
            &lower,
            &["consent", "accept", "zustimm", "einwillig", "consentement", "consentimiento"],
        );
    }
    contains_any(&lower, &["cookie", "куки", "файлы cookie"])
        && contains_any(
            &lower,
            &[
                "we use",
                "this site uses",
                "website uses",
                "accept",
                "consent",
                "policy",
                "использует",
                "akzept",
                "accepter",
                "utiliza",
            ],
        )
}

/// Copyright and rights lines from page footers.
pub(crate) fn is_copyright(s: &str) -> bool {
    if words_over(s, 30) {
        return false;
    }
    let lower = s.to_lowercase();
    lower.starts_with('©')
        || lower.starts_with("(c) ")
        || lower.starts_with("copyright")
        || contains_any(
            &lower,
            &[
                "all rights reserved",
                "все права защищены",
                "tous droits réservés",
                "alle rechte vorbehalten",
                "todos los derechos reservados",
                "tutti i diritti riservati",
                "wszelkie prawa zastrzeżone",
                // Licence and liability footers, and the site engine's credit.
                "content is licensed under",
                "content of this page is licensed under",
                "is licensed under a creative commons",
                "steht unter einer creative commons",
                "stehen unter einer creative commons",
                "vervielfältigung nur mit genehmigung",
                "trotz sorgfältiger inhaltlicher kontrolle",
                "haftungsbeschränkung für externe links",
                "haftung für die inhalte externer links",
                "do not sell my personal information",
                "do not sell my data",
                "proudly powered by",
            ],
        )
        || (lower.trim_end_matches('.').starts_with("powered by ") && !words_over(s, 6))
}

/// Standalone advertising labels and "read more" links.
pub(crate) fn is_chrome_label(s: &str) -> bool {
    let lower = s.trim().trim_end_matches([':', '.', '…']).to_lowercase();
    matches!(
        lower.as_str(),
        "advertisement"
            | "advertising"
            | "sponsored"
            | "ad"
            | "реклама"
            | "anzeige"
            | "publicité"
            | "publicidad"
            | "pubblicità"
            | "read more"
            | "читать далее"
            | "читать также"
            | "читайте также"
            | "see also"
            | "related"
            | "related articles"
            | "more stories"
            | "lire aussi"
            | "mehr zum thema"
            | "top"
            | "back to top"
            | "read also"
            | "also read"
            | "more on this topic"
            | "по теме"
            | "похожие материалы"
            | "share"
            | "comments"
            | "комментарии"
            | "loading"
            | "menu"
            | "search"
    )
}

/// The controls and settings dialog of a web video player (video.js, on many news sites),
/// which text browsers print where the video stands: `Play Video`, `Current Time 0:00`,
/// `Stream TypeLIVE`, `descriptions off, selected`, `This is a modal window.`, and the
/// caption settings' `Font Family [Default ]` selects. One such line may be an article's
/// own (`Chapters`, `Live`): the caller removes them only in a cluster.
pub(crate) fn is_player_control(s: &str) -> bool {
    static CONTROL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)^(?:
            play(?:\s+video)? | pause | replay | mute | unmute | (?:non-|exit\s+)?fullscreen
          | picture-in-picture | playback\s+rate | audio\s+track | chapters | descriptions
          | subtitles | captions | close(?:\s+modal\s+dialog)?
          | (?:current|duration|remaining)\s+time\s+-?[\d:]+ | (?:loaded|progress):\s*[\d.]+\s*%
          | stream\s*type\s*live | seek\s+to\s+live.* | live
          | this\s+is\s+a\s+modal\s+window\..* | (?:beginning|end)\s+of\s+dialog\s+window\..*
          | [\w\s]+,\s+(?:selected|opens\s+\w+\s+settings\s+dialog)
          | (?:foreground|background|window|font\s+size|text\s+edge\s+style|font\s+family)
            (?:\s*\[[^\]]*\])*
          | (?:reset\s+)?defaults\s+done
          )$",
        )
        .expect("static regex")
    });
    let t = strip_bullet(s).unwrap_or(s).trim();
    t.len() <= 240 && CONTROL.is_match(t)
}

/// Markup left over by a text browser: image and insertion markers (`[IMG]`, `[INS::INS]`),
/// empty form fields, lone symbols. Fewer than two letters remain once bracketed runs are
/// removed.
pub(crate) fn is_markup_debris(s: &str) -> bool {
    static BRACKETS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[[^\]]*\]").expect("static regex"));
    let rest = BRACKETS.replace_all(s, "");
    rest.chars().filter(|c| c.is_alphabetic()).count() < 2 && !s.chars().any(char::is_numeric)
}

/// Screen-reader labels that text browsers print before captions and credits
/// (`Image caption …`, `Media caption …`, `Image copyright …`, `Photo: …`).
pub(crate) fn is_caption_label(s: &str) -> bool {
    let lower = s.trim_start().to_lowercase();
    [
        "image caption",
        "media caption",
        "image copyright",
        "image source",
        "photo credit",
        "image credit",
        "caption:",
        "photo:",
        "credit:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// `Tags: a, b, c` lines from article footers.
pub(crate) fn is_tag_line(s: &str) -> bool {
    let lower = s.trim_start().to_lowercase();
    ["tags:", "tags :", "теги:", "метки:", "schlagworte:", "mots-clés:", "etiquetas:", "topics:"]
        .iter()
        .any(|p| lower.starts_with(p))
        && !words_over(s, 25)
}

/// "Read more: <headline>" recommendations woven into an article, in several languages.
pub(crate) fn is_read_more(s: &str) -> bool {
    if words_over(s, 25) {
        return false;
    }
    let lower = s
        .trim_start()
        .trim_start_matches(['»', '>', '►', '▶', '→', '*'])
        .trim_start()
        .to_lowercase();
    const LABELS: &[&str] = &[
        "read more",
        "read also",
        "also read",
        "see also",
        "related:",
        "recommended:",
        "more:",
        "watch:",
        "listen:",
        "lea más",
        "lea también",
        "lea:",
        "lee también",
        "lee más",
        "vea también",
        "ver también",
        "mira:",
        "le puede interesar",
        "te puede interesar",
        "también te puede interesar",
        "artículos relacionados",
        "noticias relacionadas",
        "lire aussi",
        "à lire aussi",
        "a lire aussi",
        "voir aussi",
        "lesen sie auch",
        "lesen sie mehr",
        "mehr zum thema",
        "weiterlesen",
        "auch interessant",
        "leggi anche",
        "leggi:",
        "читайте также",
        "смотрите также",
        "читать также",
        "czytaj też",
        "czytaj także",
        "zobacz też",
        "zobacz także",
        "leia também",
        "leia mais",
        "veja também",
        "lees ook",
        "läs också",
        "læs også",
        "les også",
    ];
    LABELS.iter().any(|l| lower.starts_with(l))
}

/// Comment-section furniture: reply forms, "your e-mail will not be published", comment
/// counters, "N comments". After such a line an article is over.
pub(crate) fn is_comments_marker(s: &str) -> bool {
    if words_over(s, 20) {
        return false;
    }
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:there\s+(?:are|is)\s+|es\s+gibt\s+|il\s+y\s+a\s+|hay\s+)?\d+\s*(comments?|kommentare?|comentarios?|commentaires?|commenti|комментари\w*|reacties|responses?( to .*)?|antworten?\s+zu\s.*|(?:réponses?\s+(?:à|a)|respuestas?\s+a|risposte?\s+a)\s+[„“\x22«‚‘'].*|odpowiedzi|reakcj\w*)\b")
            .expect("static regex")
    });
    // "Comments (10580)", "Kommentare (3)".
    static COUNT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(comments?|kommentare?|commentaires?|comentarios?|commenti|комментарии|reacties)\s*\(\d+\)$")
            .expect("static regex")
    });
    let lower = s.trim().to_lowercase();
    // A comment's own "Reply" link, or a bare "Comments" heading, alone on its line.
    let bare =
        lower.trim_start_matches(['•', '*', '-', '·', ' ']).trim_end_matches(['↓', '→', ' ', ':']);
    COUNT.is_match(&lower)
        || matches!(
            bare,
            "reply"
                | "antworten"
                | "répondre"
                | "responder"
                | "rispondi"
                | "ответить"
                | "reageer"
                | "comments"
                | "kommentare"
                | "commentaires"
                | "comentarios"
                | "commenti"
                | "комментарии"
        )
        || COUNT_AFTER.is_match(bare)
        // Prompts whose words also occur in prose ("Diskutieren Sie mit Ihren Kindern…"):
        // only a short line of its own.
        || (!words_over(s, 6)
            && contains_any(
                &lower,
                &["einen kommentar", "kommentieren sie hier", "diskutieren sie mit", "votre commentaire"],
            ))
        || contains_any(
            &lower,
            &[
                "leave a reply",
                "sign in to post a comment",
                "sign in to post a reply",
                "sign in to comment",
                "log in to comment",
                "log in to post a comment",
                "to post a comment",
                "leave a comment",
                "post a comment",
                "add a comment",
                "write a comment",
                "email address will not be published",
                "e-mail-adresse wird nicht veröffentlicht",
                "kommentar schreiben",
                "kommentar verfassen",
                "deja un comentario",
                "deja tu comentario",
                "dejá tu comentario",
                "deja una respuesta",
                "para comentar debes",
                "laisser un commentaire",
                "adresse e-mail ne sera pas publiée",
                "lascia un commento",
                "оставить комментарий",
                "добавить комментарий",
                "deixe um comentário",
                "show comments",
                "view comments",
                "load comments",
                "join the discussion",
                "comments are closed",
                "kommentar hinterlassen",
                "hinterlasse einen kommentar",
                "hinterlassen sie einen kommentar",
                "schreibe einen kommentar",
                "schreib doch einen kommentar",
                "um einen kommentar",
                "einen kommentar abzugeben",
                "einen kommentar verfasst",
                "deinen kommentar zu veröffentlichen",
                "kommentar hinzufügen",
                "diskutieren sie mit!",
                "ihre meinung zu diesem thema",
                "kommentare sind geschlossen",
                "comentar este artículo",
                "vos réactions",
                "réagir à cet article",
                "commenta questo articolo",
                "skomentuj",
                "dodaj komentarz",
            ],
        )
}

/// Prompts to follow the site elsewhere or install its app.
pub(crate) fn is_follow_prompt(s: &str) -> bool {
    if words_over(s, 40) {
        return false;
    }
    let lower = s.to_lowercase();
    let networks = [
        "twitter",
        "facebook",
        "instagram",
        "telegram",
        "youtube",
        "whatsapp",
        "tiktok",
        "linkedin",
    ];
    let verbs = [
        "follow",
        "join",
        "like us",
        "síguenos",
        "siguenos",
        "únete",
        "suivez",
        "folgen",
        "seguici",
        "подписывайтесь",
        "segue",
        "canal de",
    ];
    let app =
        (lower.contains("download") || lower.contains("descarga") || lower.contains("get the"))
            && lower.contains("app");
    app || (networks.iter().any(|n| lower.contains(n)) && verbs.iter().any(|v| lower.contains(v)))
}

/// Any page-chrome line that is junk wherever it stands.
pub(crate) fn is_junk_anywhere(s: &str) -> bool {
    is_subscribe_prompt(s)
        || is_share_prompt(s)
        || is_share_bar(s)
        || is_browser_notice(s)
        || is_browser_list(s)
        || is_cookie_notice(s)
        || is_copyright(s)
        || is_chrome_label(s)
        || is_tag_line(s)
        || is_read_more(s)
        || is_follow_prompt(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &[&str] = &[
        "Hello, world_wide web 2.0!",
        "e\u{301}te\u{301} à Paris ² ½ Ⅻ ‿x",
        "株式会社 东京 서울 — «quoted» 'n' stuff",
        "",
        "   ",
        "a  b\tc\u{a0}d \u{2003}e",
        "١٢٣ арабские цифры ‍zwj‌",
    ];

    #[test]
    fn words_are_the_matches_of_unicode_word_runs() {
        let re = Regex::new(r"\w+").expect("regex");
        for s in MIXED {
            let want: Vec<String> = re.find_iter(s).map(|m| m.as_str().to_lowercase()).collect();
            assert_eq!(words(s), want, "{s:?}");
        }
    }

    #[test]
    fn words_over_agrees_with_word_count() {
        let long = "word ".repeat(50) + &"東".repeat(120);
        for s in MIXED.iter().copied().chain([long.as_str(), "- – x", "1 2 3 4 5"]) {
            let n = word_count(s);
            for limit in 0..n + 3 {
                assert_eq!(words_over(s, limit), n > limit, "{s:?} {limit}");
            }
        }
        assert_eq!(word_count("- – x 3"), 2);
    }

    #[test]
    fn tickers_and_counters() {
        for line in [
            "• CHF95.12",
            "EUR 93,30",
            "BTC $64,000 ▲1.2%",
            "• 1944",
            "  • GOLD2310.5",
            "GBP/USD 1.2650",
            "12K",
        ] {
            assert!(is_ticker_line(line), "{line}");
        }
        for line in ["Economy in 2024", "USA wins the cup", "The 1944 uprising began at dawn."] {
            assert!(!is_ticker_line(line), "{line}");
        }
    }

    #[test]
    fn item_runs() {
        for line in [
            "Billig kontra Apple • Zaubern mit Skripten • HomeKit • Datenrettung • iPad \
             automatisieren • Standort freigeben • Verräterische Daten",
            "News | Sport | Weather | Travel",
            "Mac: Der bessere PC • Kaufberatung: Alle Macs im Vergleich • Umsteigen von Windows \
             • Terminal Mehr…",
        ] {
            assert!(is_item_run(line), "{line}");
        }
        for line in [
            // Two items are no run.
            "Prices rose again | Markets",
            // Sentences between separators are prose.
            "The council met on Monday and voted to close the old bridge. | It will reopen in \
             May after repairs to the deck. | Traffic goes through the centre meanwhile.",
            "A sentence with no separators at all, long enough to be a paragraph of prose.",
        ] {
            assert!(!is_item_run(line), "{line}");
        }
    }

    #[test]
    fn headline_case() {
        assert!(is_headline_case(
            "Adam Levine -- Unlucky Strike ... Nails Fan In The Head With Mic (NEW VIDEO)"
        ));
        assert!(is_headline_case(
            "Tom Cruise and Katie Holmes -- No Love Lost ... NOT on Speaking Terms"
        ));
        for line in [
            // German capitalises its nouns: still far from headline case.
            "Das in der iOS-Version bereits enthaltene TOTP-Feature ist nun auch für OS X 10.10 \
             verfügbar.",
            "The council met on Monday and voted to close the Old Bridge in Kingston.",
            // Too few cased words to tell.
            "Breaking News Today",
            "東京都は月曜日に新しい計画を発表した。",
        ] {
            assert!(!is_headline_case(line), "{line}");
        }
    }

    #[test]
    fn summaries_ending_with_their_link() {
        for line in [
            "12 Fragen rund um das Unternehmen und seine Produkte – einige davon dürften nur \
             Fortgeschrittene knacken können. Mehr…",
            "The new model comes with a larger battery. Read more »",
            "The new model comes with a larger battery. Read more",
            "Le conseil a voté la fermeture du pont. Lire la suite",
            "Neben iOS 8.3 hat der Hersteller drei Anwendungen aktualisiert. Weiterlesen",
            "The new model comes with a larger battery. More...",
        ] {
            assert!(ends_with_more_link(line), "{line}");
        }
        for line in [
            "Everyone wanted more.",
            "I should read more.",
            "She asked for more... and got it",
            "Wir wollten mehr.",
        ] {
            assert!(!ends_with_more_link(line), "{line}");
        }
    }

    #[test]
    fn glossary_entries() {
        assert_eq!(
            glossary_entry("Jihad - a struggle or effort, in several senses of the word."),
            Some(("Jihad".into(), "a struggle or effort, in several senses of the word.".into()))
        );
        assert!(glossary_entry(
            "Сунниты — крупнейшее направление в исламе, объединяющее большинство"
        )
        .is_some());
        // A sentence with a dash aside is not an entry.
        assert!(glossary_entry("He left early, as planned - and never came back to the city.")
            .is_none());
        assert!(glossary_entry("Paris - London").is_none());
        let (term, _) = glossary_entry(
            "NATO (North Atlantic Treaty Organization) - a military alliance of thirty-two states.",
        )
        .expect("entry");
        assert_eq!(term, "NATO (North Atlantic Treaty Organization)");
    }

    #[test]
    fn junk_lines() {
        assert!(is_subscribe_prompt("Subscribe to our newsletter"));
        assert!(is_subscribe_prompt("Подпишитесь на нашу рассылку"));
        assert!(!is_subscribe_prompt("The magazine's subscribers fell by half in 2019, the report said, and then rose again when the new editor arrived."));
        assert!(is_browser_notice("Your browser is outdated. Please update it to view this site."));
        assert!(is_browser_notice("Votre navigateur est obsolète."));
        assert!(is_browser_list("Google Chrome Firefox Safari"));
        assert!(is_browser_list("Opera Microsoft Edge"));
        assert!(!is_browser_list("Chrome was released by Google in 2008 and quickly won users."));
        assert!(is_share_prompt("Share this article"));
        assert!(is_share_prompt("Facebook Twitter Telegram"));
        assert!(is_share_bar("• teilen17 • tweet0 • +12 • mail • Info"));
        assert!(is_share_bar(
            "• Click to email this to a friend (Opens in new window) • 61Click to share on \
             Facebook (Opens in new window)61 • Click to share on Twitter (Opens in new window)"
        ));
        assert!(!is_share_bar("• Politics • Sports • Business • Arts"));
        assert!(!is_share_bar("Home | News | Share prices | Markets"));
        assert!(!is_share_bar("He shared a post on Facebook and Twitter, then left."));
        assert!(is_cookie_notice("We use cookies to improve your experience. Accept"));
        // A long consent banner is one; a long paragraph that mentions cookies is not.
        let filler = "and to understand what you read ".repeat(16);
        assert!(is_cookie_notice(&format!(
            "We use cookies {filler}. By clicking Accept you consent."
        )));
        assert!(!is_cookie_notice(&format!(
            "The court ruled on cookies {filler}; the policy stays."
        )));
        assert!(is_copyright("© 2024 The Daily Example. All rights reserved."));
        for footer in [
            "Unless otherwise stated, the content of this page is licensed under Creative Commons.",
            "Trotz sorgfältiger inhaltlicher Kontrolle übernehmen wir keine Haftung.",
            "Do Not Sell My Personal Information",
            "Powered by Nikola",
            "Vervielfältigung nur mit Genehmigung",
            "Texte auf dieser Webseite stehen unter einer Creative Commons Namensnennung 3.0",
        ] {
            assert!(is_copyright(footer), "{footer}");
        }
        for prompt in ["Möchten Sie den Artikel teilen?", "Artikel teilen", "weiterempfehlen"] {
            assert!(is_share_prompt(prompt), "{prompt}");
        }
        assert!(!is_share_prompt("Möchten Sie den Hafen besuchen, wenn er wieder offen ist?"));
        assert!(!is_copyright("Powered by the wind, the boat crossed the bay in two days."));
        assert!(is_chrome_label("Advertisement"));
        assert!(is_tag_line("Tags: Russia, Syria, terrorism"));
        assert!(is_read_more("Read more: Harbour pier closes for repairs"));
        assert!(is_read_more("LE PUEDE INTERESAR: El puerto cierra"));
        assert!(!is_read_more("Reading more than one book a week is rare."));
        assert!(is_comments_marker("2 Kommentare"));
        assert!(is_comments_marker("Leave a Reply"));
        assert!(is_comments_marker("There are 13 comments"));
        assert!(is_comments_marker("  • Reply"));
        assert!(is_comments_marker("Comments (10580)"));
        assert!(is_comments_marker("• Comments"));
        assert!(is_comments_marker("Sign in to post a comment."));
        assert!(!is_comments_marker("Reply to the minister's letter"));
        assert!(is_comments_marker("Your email address will not be published."));
        assert!(!is_comments_marker("The comments he made were widely criticised."));
        for marker in [
            "11 Antworten zu „Lost in Paris“",
            "3 réponses à « Le retour »",
            "2 respuestas a «El viaje»",
            "Kommentare:",
            "Comentar este artículo",
            "Vos réactions",
            "Schreibe einen Kommentar",
            "Kommentar hinzufügen",
            "Diskutieren Sie mit!",
            "Dejá tu comentario",
        ] {
            assert!(is_comments_marker(marker), "{marker}");
        }
        for prose in [
            "Die 3 Antworten des Ministers überraschten",
            "3 Antworten auf die wichtigsten Fragen",
            "3 réponses à la crise du logement",
            "Diskutieren Sie mit Ihren Kindern über das, was sie im Netz sehen.",
            "Er schrieb damals einen Kommentar für die Lokalzeitung über den Hafen.",
        ] {
            assert!(!is_comments_marker(prose), "{prose}");
        }
        assert!(is_follow_prompt("Follow The Daily Example on Twitter and Instagram"));
        assert!(is_follow_prompt("Download the News app for iOS and Android."));
    }

    #[test]
    fn heading_shape() {
        assert!(is_heading_shaped("The long road home", 15));
        assert!(is_heading_shaped("Is it over?", 15));
        assert!(!is_heading_shaped("It was over.", 15));
        assert!(!is_heading_shaped("Speaker, role:", 15));
        assert!(!is_heading_shaped("“A quotation”", 15));
        assert!(!is_heading_shaped("lowercase start here", 15));
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("He said so.”"));
        assert!(ends_sentence("Really?"));
        assert!(!ends_sentence("A heading"));
    }

    #[test]
    fn list_markers() {
        assert_eq!(strip_bullet("• item"), Some("item"));
        assert_eq!(strip_bullet("- item"), Some("item"));
        assert_eq!(strip_bullet("-item"), None);
        assert_eq!(strip_number("3. third"), Some((3, "third")));
        assert_eq!(strip_number("2024. A year"), None);
    }
}
