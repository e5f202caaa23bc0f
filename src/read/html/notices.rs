//! Lines a page adds around an article that are not the article: photo credits (and the
//! captions they end, left behind when the image was dropped), and the calls to action,
//! login prompts and legal notices sites put at the end of a story.
//!
//! Hand-written because no crate knows these phrasings; the lists cover the languages of the
//! development corpus (English, German, French, Spanish, Portuguese, Italian, Polish, Dutch)
//! and are matched on whole words, case-insensitively.

use std::sync::LazyLock;

use regex::Regex;

use super::tunables::{CAPTION_MAX_CHARS, CREDIT_MAX_CHARS, TAIL_NOTICE_MAX_CHARS};
use crate::model::{block_text, Block, Inline};

/// Picture agencies and stock libraries that appear in credits (`Name/Agency`).
const AGENCIES: &str = r"getty(?:\s+images)?|reuters(?:\s+files)?|afp|dpa|ap(?:\s+photo)?|epa|istock(?:photo)?(?:\.com)?|shutterstock|unsplash|pixabay|imago(?:\s+images)?|wenn(?:\.com)?|picture[\s-]alliance|keystone|bestimage|alamy|ansa|efe|sipa|adobe\s*stock|stock\.adobe\.com|colourbox|depositphotos|xinhua";

/// Start of a credit: `©`, or a label with a colon (`Foto:`, `Bild:`, `Quelle:`) anywhere,
/// or a label with a preposition (`Photo by`, `Foto von`, `Imagen de`) where a sentence or a
/// bracket starts: mid-sentence, "une photo de la ville" is text, not a credit.
static CREDIT_START: LazyLock<Regex> = LazyLock::new(|| {
    const LABEL: &str = r"(?:fotos?|photos?|photograph(?:y)?|bild(?:er)?|quelle|credits?|crédits?(?:\s+photos?)?|créditos?|image|imagen(?:es)?|fot\.|zdjęcie|foto\s+credit)";
    Regex::new(&format!(
        r"(?i)(?:(?:^|[\s|(\[–—-])(?:©|\(c\)|copyright\b|{LABEL}\s*:)|(?:^|[.!?]\s+|[|(\[–—-]\s*){LABEL}\s+(?:by|von|de|di)\b)"
    ))
    .expect("static regex")
});

/// A credit made only of a `Name/Agency` pair (`Mike Blake/Reuters files`). The name part
/// excludes ASCII digits only: with Unicode's `\d` in that forty-fold repeated class the
/// regex took 2.4 ms to build instead of 0.5 (a tenth of converting a short article), and
/// the results were identical on the 151,000 lines of the corpus and its text dumps.
static AGENCY_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:^|[\s(|])(?:[^/()|\n0-9:;,!?]{{0,40}}/\s*)?(?:{AGENCIES})(?:\s*/[^/()|\n]{{1,30}})?\)?\s*$"
    ))
    .expect("static regex")
});

/// Build this module's patterns now (they take about 8 ms together, which is most of
/// reading a short article). A caller about to read pages can run this on another thread
/// while it parses the first one; a pattern still being built there is waited for, not
/// built twice.
pub fn warm_up() {
    for re in [&NOTICE, &CREDIT_START, &AGENCY_TAIL, &RELATED, &ARTICLE_END] {
        LazyLock::force(re);
    }
}

/// Byte offset where a trailing photo credit starts, if the text ends with one.
pub fn credit_start(text: &str) -> Option<usize> {
    let text = text.trim_end();
    // A credit is at the end: search only the last stretch of the text.
    let from = text.char_indices().rev().nth(CREDIT_MAX_CHARS + 2).map_or(0, |(i, _)| i);
    credit_start_in(&text[from..]).map(|s| s + from)
}

fn credit_start_in(t: &str) -> Option<usize> {
    let by_label = CREDIT_START.find_iter(t).last().map(|m| {
        // Keep the boundary character out of the credit (but take an opening bracket).
        let s = m.as_str();
        let lead = s.len()
            - s.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '|' | '–' | '—' | '-' | '.' | '!' | '?')
            })
            .len();
        m.start() + lead
    });
    let by_agency = AGENCY_TAIL.find(t).map(|m| {
        // The name before the agency does not run across a sentence end.
        let s = m.as_str();
        let s = s.rfind(". ").map_or(s, |i| &s[i + 2..]);
        m.end() - s.trim_start_matches([' ', '|']).len()
    });
    let start = match (by_label, by_agency) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let credit = &t[start..];
    let words = credit.split_whitespace().count();
    (credit.chars().count() <= CREDIT_MAX_CHARS && words <= 12 && !credit_is_sentence(credit))
        .then_some(start)
}

/// A credit is a name list, not a sentence: no sentence end before its last few characters.
fn credit_is_sentence(credit: &str) -> bool {
    let body = credit.trim_end_matches([')', '.', ' ']);
    body.contains(". ") && body.split(". ").skip(1).any(|s| s.split_whitespace().count() > 4)
}

/// A paragraph that is a photo credit, or a short caption ending with one: the caption of an
/// image that is no longer there.
pub fn is_orphan_caption(b: &Block) -> bool {
    let Block::Paragraph { .. } = b else { return false };
    let t = block_text(b);
    t.chars().count() <= CAPTION_MAX_CHARS && credit_start(&t).is_some()
}

/// Cut a trailing credit from a figure's caption (the caption itself stays).
pub fn strip_caption_credit(b: &mut Block) {
    let Block::Figure { caption, .. } = b else { return };
    let text = crate::model::inlines_text(caption);
    let Some(start) = credit_start(&text) else { return };
    let kept = text[..start].trim_end_matches([' ', '|', '(', '–', '—', '-', ',']).trim();
    if kept.is_empty() {
        caption.clear();
    } else if kept.len() < text.trim().len() {
        *caption = vec![Inline::text(kept.to_string())];
    }
}

/// Calls to action, login and comment prompts, and legal notices. Matched against
/// lower-cased text and written in lower case, without the `i` flag: Unicode case folding
/// of its literals made it the slowest pattern to build (4.6 ms of the 11 that a single
/// article waits for; 2.7 without it).
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        # social channels and apps
        \b(?:follow|folgen\s+sie|folge|síguenos|siga|suivez|seguici|obserwuj)\b(?:\s+\S+){0,4}?\s+(?:on|auf|en|sur|su|na|op)\s+(?:twitter|facebook|instagram|telegram|whatsapp|tiktok|youtube|linkedin|mastodon|x\.com)\b
      | \b(?:telegram|whatsapp)\b.{0,80}\b(?:canal|channel|kanal|únete|join|beitreten)\b
      | \b(?:canal|channel|kanal)\b.{0,40}\b(?:telegram|whatsapp)\b
      | \b(?:download|herunterladen|descarga|descargue|baixe|télécharge[zr]?|get)\b.{0,80}\bapps?\b
      | \bapps?\b.{0,40}\b(?:ios|android|app\s+store|google\s+play)\b
      | \bwith\s+the\s+.{1,40}?\bapp\b
      # newsletters, membership, sign-up
      | \b(?:sign\s+up|subscribe|newsletter|abonnieren|abonnez|suscríbete|suscribirse|assine|iscriviti|zapisz\s+się|inscreva)\b
      | \b(?:hazte|become|werde|werden\s+sie|devenez|diventa)\s+(?:un\s+|a\s+|ein\s+)?(?:miembro|member|mitglied|membre|socio|abonnent)
      | \b(?:support\s+(?:us|our\s+journalism)|unterstützen\s+sie\s+(?:uns|unseren))\b
      # comments and logins
      | \b(?:(?:sie\s+sind|du\s+bist)\s+(?:aktuell\s+|derzeit\s+|noch\s+)?nicht\s+(?:eingeloggt|angemeldet)|eingeloggt\s+sein\s+um|must\s+be\s+logged\s+in|log\s+in\s+to\s+(?:comment|post|reply)|not\s+logged\s+in)\b
      | \b(?:keine\s+kommentare|no\s+comments|kommentierte\s+artikel|in\s+den\s+kommentaren|leave\s+a\s+comment|hinterlasse\s+(?:einfach\s+)?einen\s+kommentar|kommentare?\s+(?:zu\s+)?schreiben)\b
      | \b(?:teilen|share|partager|compartir|condividi|udostępnij)\b[^.!?]{0,30}:\s*$
      # legal notices and disclaimers
      | \b(?:all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|tous\s+droits\s+réservés|todos\s+los\s+derechos\s+reservados|wszelkie\s+prawa\s+zastrzeżone|prawem\s+autorskim|tutti\s+i\s+diritti\s+riservati)\b
      | \b(?:unter|under|sous|bajo|sob|sotto)\s+(?:einer\s+|der\s+|a\s+|the\s+|la\s+|licence\s+|license\s+|lizenz\s+)?(?:creative\s+commons|cc[\s-]by)
      | \b(?:meinung\s+des\s+autors|opinion\s+of\s+the\s+author|views\s+expressed\s+(?:here|in\s+this))\b
      | \b(?:erhält\s+.{1,30}?\s+(?:ggf\.\s+)?eine\s+provision|affiliate\s+links?|we\s+may\s+earn\s+a\s+commission)\b
        ",
    )
    .expect("static regex")
});

/// A short paragraph, heading or one-item list that is a notice (see [`NOTICE`]).
pub fn is_notice(b: &Block) -> bool {
    let short_list = matches!(b, Block::List { items, .. } if items.len() == 1);
    if !matches!(b, Block::Paragraph { .. } | Block::Heading { .. }) && !short_list {
        return false;
    }
    let t = block_text(b);
    t.chars().count() <= TAIL_NOTICE_MAX_CHARS && NOTICE.is_match(&t.to_lowercase())
}

/// Headings that open a list of other articles ("Related stories", "Lesen Sie auch", "À lire
/// aussi", "Te puede interesar", "Czytaj też"), matched against [`heading_form`]. The
/// alternatives are grouped by how they may end: with more words (`\b.*`), with non-word
/// characters only (`\W*`), or right there; each Unicode class is compiled once per place
/// it is written, so a shared ending is written once.
static RELATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
        (?:
          more\s+(?:stories|articles|news|from|on|about|in|like\s+this)
        | read\s+(?:more|next|also)
        | (?:you|we\s+think\s+you)\s+(?:may|might|will)\s+(?:also\s+)?(?:like|enjoy)
        | most\s+(?:read|popular|viewed|shared|commented)
        | don.t\s+miss
        | weitere\s+(?:beiträge|artikel|themen|nachrichten|berichte|informationen\s+zum\s+thema)
        | (?:verwandte|mehr|top[\s-]?)\s*themen
        | zum\s+weiterlesen
        | mehr\s+(?:zum\s+thema|aus|von|dazu|artikel|news|nachrichten)
        | das\s+könnte\s+(?:sie|dich)\s+(?:auch\s+)?interessieren
        | (?:lesen\s+sie|lies)\s+(?:auch|mehr|weiter)
        | auch\s+interessant
        | mehr\s+(?:kolumnen|lesen\s+über)
        | (?:unsere\s+)?empfehlungen
        | entdecke\s+(?:weitere|mehr)
        | (?:à\s+)?lire\s+aussi
        | articles?\s+(?:similaires|liés|recommandés)
        | les\s+plus\s+lus
        | vous\s+aimerez\s+(?:aussi|également)
        | (?:también\s+)?(?:te|le)\s+puede\s+interesar
        | otras\s+noticias
        | (?:mirá|mira|ver|vea)\s+también
        | infórmate\s+más|informate\s+más
        | lee\s+(?:también|más)
        | (?:noticias|artículos)\s+relacionad[oa]s
        | (?:lo\s+)?más\s+(?:leído|visto)s?
        | leggi\s+anche
        | (?:ti\s+)?potrebbe\s+interessarti
        | articoli\s+correlati
        | (?:czytaj|zobacz)\s+(?:też|także|więcej|również)
        | polecane
        | najczęściej\s+czytane
        | (?:leia|veja)\s+(?:também|mais)
        | (?:mais\s+lidas|notícias\s+relacionadas)
        | lees\s+(?:ook|meer)
        | meer\s+(?:nieuws|artikelen|over)
        | (?:recent|similar|latest)\s+(?:posts|articles|stories)
        | (?:beliebte|neueste|ähnliche|verwandte)\s+(?:beiträge|artikel|posts)
        )\b.*
      | (?:
          meist[\s-]?(?:gelesen|diskutiert|kommentiert|gesucht|geklickt)\w*
        | (?:artikel|beiträge|news|nachrichten|meldungen)\s+zum\s+thema
        | (?:weitere|aktuelle|neueste)\s+(?:artikel|beiträge|berichte|news)\s+aus\s+dieser\s+(?:kategorie|rubrik)
        | .{0,30}nichts\s+mehr\s+(?:verpassen|versäumen)
        | .{0,40}\bsur\s+le\s+(?:même\s+)?sujet
        | pour\s+(?:aller\s+plus\s+loin|approfondir)
        | dans\s+la\s+même\s+rubrique
        | (?:热门推荐|相关阅读|推荐阅读|相关新闻|相关文章|延伸阅读|猜你喜欢)
        )\W*
      | related(?:\s+(?:stories|articles|posts|news|content|coverage))?
      | recommended(?:\s+(?:for\s+you|stories|articles|reading))?
      | (?:trending|popular)(?:\s+(?:now|stories|articles|posts))?
      | latest\s+(?:news|stories|articles|posts)
      | weitere\s+\S+(?:\s+\S+)?
      | vorschau\s+auf\s+den\s+nächsten\s+artikel
        )$",
    )
    .expect("static regex")
});

/// A short line as [`RELATED`] and [`ARTICLE_END`] read it: trimmed, without the non-word
/// characters it starts with (bullets, arrows, quotes), lower-cased. Doing both here rather
/// than with a leading `\W*` and `(?i)` in the patterns, which is the same match, halves
/// building them (about 6 ms instead of 12, most of what a single article's reading waits
/// for).
fn heading_form(t: &str) -> String {
    t.trim().trim_start_matches(|c| !regex_syntax::is_word_character(c)).to_lowercase()
}

/// A heading that opens a list of other articles.
pub fn is_related_heading(b: &Block) -> bool {
    let Block::Heading { .. } = b else { return false };
    is_related_text(&block_text(b))
}

/// Lines that close an article without opening a list of others: helpfulness polls,
/// "about the author" boxes, Chinese editors' sign-offs (`责任编辑：`), Blogger's "Posted
/// by … at" footer. Matched against [`heading_form`], grouped by ending as [`RELATED`] is.
static ARTICLE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
        (?:
          (?:was|is)\s+this\s+(?:article|page|post|story)\s+(?:helpful|useful)
        | (?:war|ist)\s+(?:der|dieser)\s+(?:artikel|beitrag)\s+(?:hilfreich|nützlich)
        | (?:fandest\s+du|fanden\s+sie)\s+(?:den|diesen)\s+(?:artikel|beitrag)\s+(?:hilfreich|nützlich)
        | (?:gefällt|gefiel)\s+(?:ihnen|dir)\s+(?:der|dieser)\s+(?:artikel|beitrag)
        | (?:did\s+you\s+(?:like|enjoy)|do\s+you\s+like)\s+this\s+(?:article|post|story)
        | cet\s+article\s+vous\s+a-t-il\s+(?:été\s+)?utile
        | (?:te|le)\s+(?:ha\s+)?(?:resultó|resultado|pareció)\s+útil
        )\b.*
      | (?:
          about\s+the\s+author|über\s+(?:den|die)\s+autor\S*(?:\s*/\s*die\s+autor\S*)?|à\s+propos\s+de\s+l.auteur|sobre\s+el\s+autor
        | (?:like|liken|j.aime|me\s+gusta)\s+(?:loading|lade|chargement|cargando)
        | explore\s+further
        )\W*
      | (?:like\s+this|gefällt\s+mir|j.aime\s+ceci|me\s+gusta\s+esto|mi\s+piace)\s*:
      | (?:posted|filed|veröffentlicht|publié|publicado)\s+(?:in|under|unter|dans|en)\s+.{1,60}
      | (?:zuletzt\s+(?:geändert|aktualisiert|überarbeitet)|last\s+(?:updated|modified))\s+(?:am|on)?\s*.{1,30}
      | (?:责任编辑|责编)\s*[:：].{0,20}
      | (?:posted|eingestellt|publicado|publié)\s+(?:by|von|por|par)\s+.{1,40}\s+(?:at|um|à|a\s+las?)\s+\d{1,2}[:.]\d{2}.*
        )$",
    )
    .expect("static regex")
});

/// A line that ends the article: a "related articles" heading ([`is_related_text`]) or one
/// of the [`ARTICLE_END`] lines (used by the text reader on whole-page dumps).
pub fn is_article_end_text(t: &str) -> bool {
    if t.chars().count() > 80 {
        return false;
    }
    let h = heading_form(t);
    RELATED.is_match(&h) || ARTICLE_END.is_match(&h)
}

/// A short line that reads like a "related articles" heading (also used by the text reader
/// on whole-page dumps).
pub fn is_related_text(t: &str) -> bool {
    t.chars().count() <= 80 && RELATED.is_match(&heading_form(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Block {
        Block::Paragraph { content: vec![Inline::text(s)] }
    }

    #[test]
    fn credits_are_found_at_the_end() {
        for (text, credit) in [
            ("Two players on the pitch. Foto: WITTERS", "Foto: WITTERS"),
            ("The first snow. (mlharing / iStock.com)", "(mlharing / iStock.com)"),
            (
                "A golfer in red. | © Augusta National/Getty Images",
                "© Augusta National/Getty Images",
            ),
            ("Emissions will be cut by 2030. Mike Blake/Reuters files", "Mike Blake/Reuters files"),
            ("Judy Eddy/WENN.com", "Judy Eddy/WENN.com"),
            ("Crédits photos : Bestimage", "Crédits photos : Bestimage"),
            (
                "Photograph by Ed Marshall, Redonda Restoration Programme",
                "Photograph by Ed Marshall, Redonda Restoration Programme",
            ),
            ("Die Lage ist ernst. (Quelle: Hume/Unsplash/DJV)", "(Quelle: Hume/Unsplash/DJV)"),
        ] {
            let start = credit_start(text).unwrap_or_else(|| panic!("no credit in {text:?}"));
            assert_eq!(&text[start..], credit, "{text:?}");
        }
    }

    #[test]
    fn ordinary_sentences_are_not_credits() {
        for text in [
            "The photo shows the bridge before the storm, and the water rising under it.",
            "He worked for Reuters for ten years before he joined the paper in 2010 as an editor.",
            "Photos: the council will publish them next week. Residents were asked to send their own pictures of the flood to the town hall.",
            "A sentence about images in general and about how they are made.",
            "Elle garde une photo de la ville.",
            "Guardo la foto de mi abuela.",
        ] {
            assert_eq!(credit_start(text), None, "{text:?}");
        }
    }

    #[test]
    fn orphan_captions_go_and_figure_credits_are_cut() {
        assert!(is_orphan_caption(&p("Two players on the pitch. Foto: WITTERS")));
        assert!(!is_orphan_caption(&p(&"A long paragraph of the article. ".repeat(20))));
        let mut f = Block::Figure {
            src: "a.jpg".into(),
            alt: String::new(),
            caption: vec![Inline::text("The harbour at dawn. Photo: Jane Roe/AFP")],
        };
        strip_caption_credit(&mut f);
        let Block::Figure { caption, .. } = f else { unreachable!() };
        assert_eq!(crate::model::inlines_text(&caption), "The harbour at dawn.");
    }

    #[test]
    fn related_headings() {
        let h = |s: &str| Block::heading(2, s);
        for t in [
            "Related stories",
            "Read more",
            "You might also like",
            "Most read",
            "Entdecke weitere Homestorys",
            "Vorschau auf den nächsten Artikel",
            "Das könnte Sie auch interessieren",
            "2023 nichts mehr versäumen!",
            "Audios et vidéos sur le sujet",
            "À lire aussi",
            "Te puede interesar",
            "También te puede interesar",
            "Otras Noticias",
            "Mirá también",
            "Czytaj też",
            "Verwandte Themen",
            "Weitere Beiträge aus der Kolumne:",
            "Zum Weiterlesen:",
            "Top-Themen der Redaktion",
            "Artikel zum Thema",
            "Mehr Kolumnen auf MeinMMO:",
            "Mehr lesen über:",
            "Aktuelle Berichte aus dieser Kategorie:",
            "Meist gesucht:",
            "Pour approfondir",
            "Dans la même rubrique",
            // leading bullets, arrows and quotes are skipped; case does not matter
            "» RELATED STORIES",
            "▶ À LIRE AUSSI",
            "• Czytaj RÓWNIEŻ:",
        ] {
            assert!(is_related_heading(&h(t)), "{t:?}");
        }
        for t in [
            "Pour approfondir la question, il faut revenir à 1848",
            "Artikel zum Thema Hafen in der Lokalzeitung von gestern",
            "Related work in economics",
            "The most read book of 1990",
            "Weitere",
            "Results",
            "See also",
        ] {
            assert!(!is_related_heading(&h(t)), "{t:?}");
        }
        assert!(!is_related_heading(&p("Read more")));
    }

    #[test]
    fn article_end_lines() {
        for t in [
            "Was this article helpful?",
            "Fandest du den Artikel hilfreich?",
            "War der Artikel nützlich?",
            "Fanden Sie diesen Artikel nützlich?",
            "Gefällt Ihnen dieser Artikel?",
            "Did you like this article? Share it",
            "About the author",
            "Über den Autor",
            "责任编辑：孔德明",
            "热门推荐",
            "Beliebte Beiträge zum Thema:",
            "Recent posts",
            "Eingestellt von der Michel um 21:11",
            "Posted by Jane at 10:42 PM",
            "Über den Autor/ die Autorin",
            "Gefällt mir:",
            "Like Loading...",
            "Explore further",
            "Posted in News, Politics",
            "Veröffentlicht in Aktuelle Meldungen",
            "Zuletzt geändert am 07.01.2020",
            "¿Te resultó útil este artículo?",
        ] {
            assert!(is_article_end_text(t), "{t:?}");
        }
        for t in [
            "The author of the report was not available for comment.",
            "Posted by the committee after the vote, the letter said little.",
            "He was helpful.",
            "Das Konzeptpapier",
            "Gefällt Ihnen der Artikel nicht, schreiben Sie uns einen langen Brief mit allen Gründen dafür.",
            "Related to this, the council met on Monday and decided to wait.",
            // a word right after the phrase is not a boundary, in any script
            "Czytaj teżeli",
            "热门推荐阅读全文",
            "Related:",
        ] {
            assert!(!is_article_end_text(t), "{t:?}");
        }
    }

    #[test]
    fn notices_in_several_languages() {
        for text in [
            "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner.",
            "¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular.",
            "For the latest stories download the Nationnews apps for iOS and Android.",
            "Get the latest news straight to your phone with the VI Consortium app.",
            "Do you want to be informed of our actions? Sign up here",
            "HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS",
            "Du musst Eingeloggt sein um Kommentare zu schreiben!",
            "Sie sind aktuell nicht eingeloggt.",
            "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)",
            "Den Artikel mit anderen teilen/diskutieren:",
            "Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.",
            "Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY",
            "Dieser Beitrag gibt die Meinung des Autors wieder, nicht die der Redaktion.",
        ] {
            assert!(is_notice(&p(text)), "{text:?}");
        }
        for text in [
            "The minister said she would follow the advice of her officials on Twitter policy.",
            "Comments from residents were mixed: some welcomed the plan.",
            "The app was downloaded a million times.",
            "Um einen Beitrag einzureichen, müssen Sie registriert und eingeloggt sein.",
            "Veröffentlicht am 16.08.2019 Dauer: 1 Stunde Lizenz: CC-BY 4.0",
        ] {
            assert!(!is_notice(&p(text)), "{text:?}");
        }
    }
}
