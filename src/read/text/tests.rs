//! Unit tests for the text-dump rules, each on a small dump written for the rule.

use super::*;
use crate::model::{block_text, inlines_text};

fn read(s: &str) -> Document {
    read_str(s).expect("reads")
}

/// A dump with a title and `middle` between two paragraphs of prose.
fn article_with(middle: &str) -> String {
    format!("Title of the story\n\n{P1}\n\n{middle}\n\n{P2}")
}

fn all_text(doc: &Document) -> String {
    let mut t = doc.meta.title.clone().unwrap_or_default();
    t.push('\n');
    t.push_str(&doc.body_text());
    t
}

const P1: &str = "The harbour authority announced on Monday that the northern pier will close for repairs after winter storms damaged its foundations beyond quick fixes.";
const P2: &str = "Engineers expect the work to take eighteen months, during which ferries will dock at the southern terminal instead of the old pier.";
const P3: &str = "Local traders worry that fewer visitors will walk past their shops while the pier is closed, and they have asked the council for help.";

#[test]
fn ticker_lines_above_the_title_are_dropped() {
    let dump = format!("• GBP1.27\n  • BTC64,210.5\n  • 3120\n\nHarbour pier to close for two years of repairs\n\n{P1}\n\n{P2}\n");
    let doc = read(&dump);
    assert_eq!(doc.meta.title.as_deref(), Some("Harbour pier to close for two years of repairs"));
    let text = all_text(&doc);
    assert!(!text.contains("GBP1.27") && !text.contains("3120") && !text.contains("BTC"));
    assert_eq!(doc.blocks[0], Block::para(P1), "the lede follows the title");
}

#[test]
fn short_lines_between_paragraphs_become_headings() {
    let dump = format!("Harbour pier to close for two years\n\n{P1}\n\nWhat happens to the ferries\n\n{P2}\n\nWill the shops survive?\n\n{P3}\n");
    let doc = read(&dump);
    let headings: Vec<String> = doc.headings().into_iter().map(|(_, t)| t).collect();
    assert_eq!(headings, ["What happens to the ferries", "Will the shops survive?"]);
    assert!(doc.headings().iter().all(|(l, _)| *l == 2));
}

#[test]
fn speaker_lines_attribute_the_quote_that_follows() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\nMaria Lopez, a marine engineer at the port:\n\n“The piles are rotten. We cannot patch them.\nIt has to be rebuilt from the seabed up.”\n\nTom Reed:\n\n“It is a blow for us.”\n\nAnna Berg\n\n“We will manage, as we always do.”\n\n{P2}\n"
    );
    let doc = read(&dump);
    let quotes: Vec<(String, usize)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Quote { attribution: Some(a), blocks } => Some((inlines_text(a), blocks.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        quotes,
        [
            ("Maria Lopez, a marine engineer at the port".to_string(), 2),
            ("Tom Reed".to_string(), 1),
            ("Anna Berg".to_string(), 1)
        ]
    );
    assert!(doc.headings().is_empty(), "a bare name before a quotation is not a heading");
    assert_eq!(doc.blocks.last(), Some(&Block::para(P2)), "the quote ends where its marks close");
}

const GLOSSARY: &str = "Caisson - a watertight chamber used in construction work under water.\n\nPile - a heavy beam driven vertically into the ground to support a structure.\n\n";

#[test]
fn repeated_glossary_is_kept_once_as_footnotes_on_first_mention() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1} Each pile will be replaced.\n\n{GLOSSARY}{P2}\n\n{GLOSSARY}{P3} A caisson keeps the site dry.\n\n{GLOSSARY}"
    );
    let doc = read(&dump);
    assert_eq!(doc.footnotes.len(), 2);
    let text = all_text(&doc);
    assert_eq!(text.matches("a watertight chamber").count(), 1);
    assert_eq!(text.matches("a heavy beam").count(), 1);
    // The footnote reference sits right after the first mention ("pile").
    let Block::Paragraph { content } = &doc.blocks[0] else { panic!("paragraph expected") };
    let pos =
        content.iter().position(|i| matches!(i, Inline::FootnoteRef { .. })).expect("noteref");
    assert!(inlines_text(&content[..pos]).ends_with("Each pile"));
    // Caisson is first mentioned in the third paragraph.
    assert!(
        matches!(&doc.blocks[2], Block::Paragraph { content } if content.iter().any(|i| matches!(i, Inline::FootnoteRef { .. })))
    );
}

#[test]
fn glossary_terms_never_mentioned_go_to_a_closing_section() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\n{GLOSSARY}{P2}\n\n{GLOSSARY}{P3}\n"
    );
    let doc = read(&dump);
    // "pile" is not in P1–P3 ("pier" is not "pile"); neither is "caisson".
    assert!(doc.footnotes.is_empty());
    assert_eq!(doc.headings().last().map(|(_, t)| t.as_str()), Some("Glossary"));
    assert_eq!(all_text(&doc).matches("a watertight chamber").count(), 1);
}

#[test]
fn a_quote_continues_across_a_sidebar_and_a_pull_quote() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\nMaria Lopez, engineer:\n\n“The old timber piles were installed in 1920 and have rotted below the waterline since then.\nNobody inspected them for decades, which is how the damage went unnoticed.\n\n{GLOSSARY}The old timber piles were installed in 1920\nWe will drive concrete piles instead, and they should last a century.”\n\n{P2}\n\n{GLOSSARY}"
    );
    let doc = read(&dump);
    let quote = doc.blocks.iter().find_map(|b| match b {
        Block::Quote { blocks, .. } => Some(blocks.iter().map(block_text).collect::<Vec<_>>()),
        _ => None,
    });
    let quote = quote.expect("a quote");
    assert_eq!(quote.len(), 3, "{quote:?}");
    assert!(quote[2].starts_with("We will drive concrete piles"));
    // The pull quote is gone; the sentence it repeats is still there once.
    assert_eq!(all_text(&doc).matches("The old timber piles were installed in 1920").count(), 1);
}

#[test]
fn standalone_pull_quote_and_paraphrased_caption_are_removed() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\n{P2} The council promised compensation for traders who lose income during the closure.\n\n{GLOSSARY}The council promised compensation for traders who lose income\n\n{P3} Divers photographed cracked concrete blocks under the old ferry ramp last spring.\n\n{GLOSSARY}Divers found cracked concrete under the old ferry ramp in spring\n\nThe next phase\n\nThe tender for the new pier opens in June, and the winning firm will start work in autumn.\n"
    );
    let doc = read(&dump);
    let text = all_text(&doc);
    assert_eq!(text.matches("The council promised compensation").count(), 1);
    assert!(!text.contains("Divers found cracked concrete"));
    assert!(text.contains("Divers photographed cracked concrete blocks"));
    // The only section heading is the real one (the glossary's terms are never mentioned, so
    // it closes the article).
    assert_eq!(doc.headings()[0].1, "The next phase", "{:?}", doc.headings());
    assert_eq!(doc.headings().len(), 2, "{:?}", doc.headings());
}

#[test]
fn headings_that_summarise_the_next_paragraph_survive() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\nTraders and the council: from partners to rivals\n\nIn the early years the council saw traders as partners, but the pier closure made them rivals over money.\n"
    );
    let doc = read(&dump);
    assert_eq!(doc.headings().len(), 1);
}

#[test]
fn trailing_junk_is_dropped() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\nSign up for our morning newsletter\n\nВаш браузер устарел, поэтому сайт может отображаться неправильно. Обновите его или выберите другой, например:\n\nOpera Microsoft Edge Chrome\n"
    );
    let doc = read(&dump);
    assert_eq!(doc.blocks, vec![Block::para(P1), Block::para(P2)]);
}

#[test]
fn other_language_footer_after_a_russian_article_is_dropped() {
    let dump = "Порт закроет северный причал на ремонт\n\nВласти порта объявили в понедельник, что северный причал закроется на ремонт после зимних штормов.\n\nИнженеры ожидают, что работы займут восемнадцать месяцев.\n\nYour browser is out of date. Please update it.\n\nChrome Firefox Opera\n";
    let doc = read(dump);
    assert_eq!(doc.blocks.len(), 2);
    assert_eq!(doc.meta.title.as_deref(), Some("Порт закроет северный причал на ремонт"));
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    // Wrapped at 72 columns, two paragraphs with no blank line between them.
    let dump = "A title for the wrapped article\n\n\
This paragraph was wrapped by a text browser at a fixed width of seventy\n\
two columns, so every line but the last is about as long as the width\n\
allows, and the next word never fits on the line before it.\n\
The second paragraph starts on a new line because the first one ended\n\
short of the width, which is how a wrapper leaves a paragraph break.\n";
    let doc = read(dump);
    assert_eq!(doc.blocks.len(), 2, "{:?}", doc.blocks);
    assert!(block_text(&doc.blocks[0]).contains("seventy two columns, so"));
    assert!(block_text(&doc.blocks[1]).starts_with("The second paragraph"));
}

#[test]
fn bulleted_lines_become_a_list_and_urls_links() {
    let dump = format!("Harbour pier to close for two years\n\n{P1}\n\n• ferries move south\n• shops get help\n\nDetails at https://example.org/pier.\n\n{P2}\n");
    let doc = read(&dump);
    assert!(matches!(&doc.blocks[1], Block::List { ordered: None, items } if items.len() == 2));
    assert!(
        matches!(&doc.blocks[2], Block::Paragraph { content } if content.iter().any(|i| matches!(i, Inline::Link { url, .. } if url == "https://example.org/pier")))
    );
}

#[test]
fn binary_and_empty_inputs_are_errors() {
    assert!(read_str("").is_err());
    assert!(super::read(b"\x00\x01\x02binary\x00\x00").is_err());
}

#[test]
fn non_utf8_dump_is_decoded() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(
        "Порт закроет северный причал на ремонт\n\nВласти порта объявили в понедельник, что северный причал закроется на ремонт после зимних штормов, которые повредили его основание.\n",
    );
    let doc = super::read(&bytes).expect("reads");
    assert_eq!(doc.meta.title.as_deref(), Some("Порт закроет северный причал на ремонт"));
}

#[test]
fn word_boundary_term_search() {
    assert_eq!(find_word_starting_with("the caissons held", "Caisson"), Some(12));
    assert_eq!(find_word_starting_with("noncaisson", "Caisson"), None);
    assert_eq!(find_word_starting_with("Хорасана и", "Хорасан"), Some("Хорасана".len()));
}

#[test]
fn a_russian_dump_with_the_same_furniture() {
    let gloss = "Тральщик — судно для поиска и уничтожения морских мин.\n\nФарватер — безопасный для плавания путь судов.\n\n";
    let dump = format!(
        "• USD92.10\n• EUR99.80\n• 2031\n\nВласти порта закроют северный причал на два года\n\n\
Власти порта объявили в понедельник, что северный причал закроется на ремонт после зимних штормов, которые повредили его основание.\n\n\
Что будет с паромами\n\n\
Мария Лопес, инженер порта:\n\n\
«Сваи сгнили ниже ватерлинии, и починить их уже нельзя. Фарватер придётся углубить.\n\n{gloss}\
Сваи сгнили ниже ватерлинии и починить их уже нельзя\n\
Мы забьём бетонные сваи, и они простоят сто лет, а тральщик проверит дно заранее».\n\n\
Работы займут восемнадцать месяцев, и всё это время паромы будут швартоваться у южного терминала.\n\n{gloss}\
Подпишитесь на нашу рассылку\n\nYour browser is out of date. Please install a modern browser:\n\nChrome Firefox Safari\n"
    );
    let doc = read(&dump);
    assert_eq!(doc.meta.title.as_deref(), Some("Власти порта закроют северный причал на два года"));
    assert_eq!(doc.headings().len(), 1, "{:?}", doc.headings());
    let text = all_text(&doc);
    for junk in ["USD92", "2031", "Подпишитесь", "browser", "Chrome"] {
        assert!(!text.contains(junk), "{junk}");
    }
    assert_eq!(doc.footnotes.len(), 2);
    assert_eq!(text.matches("безопасный для плавания").count(), 1);
    assert_eq!(text.matches("Сваи сгнили ниже ватерлинии").count(), 1, "{text}");
    let quote = doc.blocks.iter().find_map(|b| match b {
        Block::Quote { attribution: Some(a), blocks } => Some((inlines_text(a), blocks.len())),
        _ => None,
    });
    assert_eq!(quote, Some(("Мария Лопес, инженер порта".to_string(), 2)));
}

#[test]
fn wrapped_cjk_lines_join_without_spaces() {
    // 40 ideographs = 80 columns per full line.
    let line1 = "北港码头将因冬季风暴损坏而关闭维修工程师预计工程将持续十八个月期间渡轮将停靠南码头当地商人担心游客减少并已向市议会";
    let line2 = "求助市议会承诺为受影响的商户提供补偿。";
    let dump = format!("北港码头关闭两年维修\n\n{line1}\n{line2}\n");
    let doc = read(&dump);
    assert_eq!(doc.blocks, vec![Block::para(format!("{line1}{line2}"))]);
}

#[test]
fn cjk_lines_wrapped_by_character_count_join_too() {
    // lynx wraps at 80 characters, not columns: 80 ideographs are 160 columns wide, beyond
    // any wrap width in columns. A paragraph's second line starts after an ideographic
    // space.
    let ideographs =
        "北港码头将因冬季风暴损坏而关闭维修工程师预计工程将持续十八个月期间渡轮将停靠南码头";
    let line1: String = ideographs.chars().cycle().take(80).collect();
    let line2 = "求助市议会承诺为受影响的商户提供补偿。";
    let next = "\u{3000}当地商人担心游客减少。";
    let lines = [line1.clone(), line2.to_string(), next.to_string()];
    assert_eq!(unwrap_lines(&lines), [format!("{line1}{line2}"), next.to_string()]);
}

#[test]
fn dateline_and_byline_become_metadata() {
    let dump = format!("Harbour pier to close for two years\n\nBy Maria Lopez and Tom Reed\n\n28 March 2024, 14:10\n\n{P1}\n\n{P2}\n");
    let doc = read(&dump);
    assert_eq!(doc.meta.title.as_deref(), Some("Harbour pier to close for two years"));
    assert_eq!(doc.meta.date.as_deref(), Some("2024-03-28"));
    assert_eq!(doc.meta.authors, ["Maria Lopez", "Tom Reed"]);
    assert_eq!(doc.blocks, vec![Block::para(P1), Block::para(P2)]);
}

#[test]
fn link_references_and_image_markers_are_removed() {
    let dump = format!(
        "[1]Home [2]News\n\nHarbour pier to close for two years\n\n[IMG] {P1} See the [3]council report.\n\n{P2}\n\nReferences\n\n   1. https://example.org/\n   2. https://example.org/news\n   3. https://example.org/report\n"
    );
    let doc = read(&dump);
    let text = all_text(&doc);
    assert!(
        !text.contains("[3]")
            && !text.contains("[IMG]")
            && !text.contains("https://example.org/news"),
        "{text}"
    );
    assert!(text.contains("See the council report."));
    assert_eq!(doc.meta.title.as_deref(), Some("Harbour pier to close for two years"));
}

#[test]
fn lynx_image_names_iframes_and_form_fields_are_removed() {
    let dump = format!(
        "Harbour pier to close for two years\n\n   [harbour-pier_1200x800.jpg] {P1}\n   [tr?id=149438&amp;ev=PageView&amp;noscript=1]\n   IFRAME: https://www.youtube.com/embed/c8aFcHFu8QM\n\n   [dims?thumbnail=980%2C653&amp;quality=80&amp;image_uri=https%3A%2F%2Fs.blogcdn.com%2Fsl\n   ideshows%2Fimages%2F714.jpg] {P2} See [note 2] and [a] or [b].\n\n   ____________________ (BUTTON) Search\n"
    );
    let doc = read(&dump);
    let text = all_text(&doc);
    for junk in ["jpg", "PageView", "IFRAME", "youtube", "blogcdn", "ideshows", "____", "BUTTON"] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
    // Bracketed words are text, not image names.
    assert!(text.contains("See [note 2] and [a] or [b]."), "{text}");
    assert!(text.contains(&P1[..40]) && text.contains(&P2[..40]), "{text}");
}

#[test]
fn a_short_title_above_the_text_is_kept() {
    let doc = read(&format!("Glaciers\n\n{P1}\n\n{P2}\n"));
    assert_eq!(doc.meta.title.as_deref(), Some("Glaciers"));
    let doc = read(&format!("Title line\n\n{P1}\n"));
    assert_eq!(doc.meta.title.as_deref(), Some("Title line"));
    let doc = read("Հայաստանի լեռները\n\nՀայաստանը լեռնային երկիր է Հարավային Կովկասում, և նրա տարածքի մեծ մասը գտնվում է ծովի մակերևույթից բարձր։\n");
    assert_eq!(doc.meta.title.as_deref(), Some("Հայաստանի լեռները"));
    assert_eq!(doc.blocks.len(), 1);
}

#[test]
fn markdown_style_headings_in_a_dump_stay_headings() {
    let dump = format!("# Harbour pier to close for two years\n\n{P1}\n\n## What happens to the ferries\n\n{P2}\n\n{P3}\n");
    let doc = read(&dump);
    let all = all_text(&doc);
    assert!(all.contains("What happens to the ferries"), "{all}");
    assert!(all.contains("Harbour pier to close"), "{all}");
    assert!(all.contains(P3));
}

#[test]
fn a_share_bar_after_the_article_ends_it() {
    let teaser = "A second story about the lighthouse keepers who retired this spring after forty years of service on the island, told by their neighbours.";
    let bar = "Share this: Facebook | Twitter | Email | Print";
    let dump = format!("Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P1} {P2}\n\n{bar}\n\n{teaser}\n");
    let text = all_text(&read(&dump));
    assert!(text.contains(P3), "the article stays");
    assert!(!text.contains("lighthouse keepers"), "the teaser after the share bar goes: {text}");
    assert!(!text.contains("Share this"));
    // A share bar, one item a line, under the headline does not cut the article.
    let items = "  • Click to share on Facebook (Opens in new window)\n  • Click to share on Twitter (Opens in new window)\n  • Click to email this to a friend\n  • Print";
    let dump = format!("Harbour pier to close for two years\n\n{items}\n\n{P1}\n\n{P2}\n\n{P3}\n");
    let text = all_text(&read(&dump));
    assert!(text.contains(P1) && text.contains(P3) && !text.contains("Click to share"));
}

#[test]
fn an_end_of_article_line_ends_it() {
    let teaser = "The lighthouse keepers who retired this spring after forty years of service on the island look back on storms, shipwrecks and the quiet nights in between.";
    for end in ["Was this article helpful?", "责任编辑：王明", "About the author"] {
        let dump = format!(
            "Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n\n{end}\n\n{teaser}\n"
        );
        let text = all_text(&read(&dump));
        assert!(text.contains(P3), "the article stays");
        assert!(!text.contains("lighthouse keepers"), "the text after {end:?} goes: {text}");
    }
}

#[test]
fn without_prose_short_lines_are_the_content() {
    // A list of short lines and nothing else: no footer to strip, every line stays.
    let doc = read("Shopping list for the weekend\n\nflour\n\neggs\n\nmilk\n");
    let text = all_text(&doc);
    for w in ["flour", "eggs", "milk"] {
        assert!(text.contains(w), "{w} lost: {text}");
    }
    // Under an article, the same stubs are a footer.
    let doc = read(&format!("Harbour pier to close\n\n{P1}\n\n{P2}\n\nHome\n\nContact\n"));
    assert!(!all_text(&doc).contains("Contact"));
}

/// Teaser cards: a headline and its standfirst, as feeds under an article show them.
fn teasers(n: usize) -> String {
    (0..n)
        .map(|i| format!("Council votes on budget item number {i} this week\n\nThe council will decide on the budget item after a long debate in which members of every party raised objections to the plan number {i}.\n\nSave\n\n"))
        .collect()
}

#[test]
fn comments_marker_ends_the_article_before_a_longer_teaser_feed() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P1} {P2}\n\n{P3} {P1}\n\nComments (10580)\n\nSign in to post a comment.\n\nRecommended for You\n\n{}",
        teasers(12)
    );
    let text = all_text(&read(&dump));
    assert!(text.contains(P3), "{text}");
    assert!(!text.contains("budget item"), "the feed after the comments stays out: {text}");
    // A comment counter under the headline, before any prose, ends nothing.
    let dump =
        format!("Harbour pier to close for two years\n\n12 comments\n\n{P1}\n\n{P2}\n\n{P3}\n");
    let text = all_text(&read(&dump));
    assert!(text.contains(P1) && text.contains(P3), "{text}");
}

/// Eight different short news items (repeated sentences would read as pull quotes).
const ITEMS: [&str; 8] = [
    "Rail services between the two cities resume after the signal failure was repaired overnight.",
    "A new exhibition of maritime paintings opens at the town museum with works lent by collectors.",
    "Fishermen report the best herring catch in a decade after an unusually mild autumn season.",
    "The ferry company adds an evening crossing for commuters from next month until the spring.",
    "Schools reopen after the heating system was replaced during the half-term holiday break.",
    "Volunteers plant four hundred trees along the river path to protect the banks from erosion.",
    "The lifeboat crew rescues two kayakers stranded on a sandbank as the tide came in quickly.",
    "A bakery on the high street wins the regional prize for its traditional rye bread recipe.",
];

#[test]
fn a_live_feed_after_the_article_is_cut() {
    let feed: String = ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| {
            format!("14:{:02} Storm warning lifted for the coast, part {i}\n\n{item}\n\n", 50 - i)
        })
        .collect();
    let dump = format!("Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P1} {P2} {P3}\n\n{P2} {P3}\n\n{P3} {P1}\n\nLive\n\n{feed}");
    let text = all_text(&read(&dump));
    assert!(text.contains(P3), "{text}");
    assert!(!text.contains("Storm warning") && !text.contains("herring"), "{text}");
    // A live report whose entries are the article keeps them: stamps alone on their lines,
    // or a feed that starts before most of the prose.
    let report: String = ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| format!("14:{:02}\n\n{item}\n\n", 50 - i))
        .collect();
    let text = all_text(&read(&format!("Cup final: live report\n\n{P1}\n\n{report}")));
    assert!(text.contains("herring") && text.contains("rye bread"), "{text}");
    let headed: String = ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| {
            format!("14:{:02} Update number {i} from the ground\n\n{item}\n\n", 50 - i)
        })
        .collect();
    let text = all_text(&read(&format!("Cup final: live report\n\n{P1}\n\n{headed}")));
    assert!(text.contains("herring") && text.contains("rye bread"), "{text}");
}

#[test]
fn feed_items_have_a_time_and_a_headline() {
    for (s, minute) in [
        ("14:44 Accusations de viols : 14 militaires", 884),
        ("• 13:18 Loi renseignement : le Conseil", 798),
        ("9.05 pm Storm warning lifted", 1265),
        ("14h32 Un artiste arrêté", 872),
    ] {
        assert_eq!(feed_item_minute(s), Some(minute), "{s}");
    }
    for s in ["19:30", "07:15 p. m.", "12:21", "2015 was a year", "Bieg 15 65.06 sek.", "1:5 win"] {
        assert_eq!(feed_item_minute(s), None, "{s}");
    }
}

#[test]
fn a_programme_or_a_price_list_is_no_live_feed() {
    // Stamped lines that run forwards (a programme) or in no order (prices) after the
    // article's prose end nothing.
    let article = format!("Harbour festival opens on Saturday\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P1} {P2} {P3}\n\n{P2} {P3}\n\n{P3} {P1}");
    for lines in [
        [
            "10.30 Opening talk by the mayor",
            "11.15 Guided walk along the pier",
            "12.00 Lunch at the harbour market",
        ],
        [
            "3.50 Draught beer from the island",
            "2.20 Fresh bread with butter",
            "4.80 Smoked fish on rye",
        ],
    ] {
        let tail: String =
            lines.iter().zip(ITEMS).map(|(l, item)| format!("{l}\n\n{item}\n\n")).collect();
        let text = all_text(&read(&format!("{article}\n\n{tail}")));
        assert!(text.contains(lines[2]) && text.contains(ITEMS[2]), "{text}");
    }
}

#[test]
fn lynx_reference_list_is_cut_whole() {
    let dump = format!("Title of the story\n\n{P1} [12]Link text here.\n\nReferences\n\n   Visible links:\n   1. https://example.org/a\n  12. http://twitter.com/share?url=x&text=How to Program Your\n   Hidden links:\n  13. https://example.org/b\n");
    let out = strip_browser_markers(&dump);
    assert!(out.ends_with("Link text here.\n\n"), "{out:?}");
    assert!(!out.contains("[12]") && !out.contains("References"), "{out:?}");
    // A section called References with prose after it is text.
    let refs = format!("Title\n\n{P1}\n\nReferences\n\nSmith, J. (2001). On piers.\n");
    assert_eq!(strip_browser_markers(&refs), refs);
}

#[test]
fn formula_sources_are_removed_from_dumps() {
    // MediaWiki's TeX annotation (w3m), nested braces and a line break included.
    let w3m = "A square matrix A {\\displaystyle A} A is Hermitian if {\\displaystyle a_{ij}=\n{\\overline {a_{ji}}}} holds.";
    assert_eq!(strip_browser_markers(w3m), "A square matrix A  A is Hermitian if  holds.");
    // An unbalanced group is text, and stays.
    let open = "Set {\\displaystyle x and more";
    assert_eq!(strip_browser_markers(open), open);
    // lynx's MathML source between its markers becomes the formula's text; MediaWiki's
    // TeX annotation inside it goes.
    let lynx = "The matrix\n[MATH: <semantics> <mi> A\n</mi> <annotation encoding=\"application/x-tex\">{\\displaystyle A}</annotation> </semantics> :MATH]\nis Hermitian.";
    assert_eq!(strip_browser_markers(lynx), "The matrix\nA\nis Hermitian.");
    let inline = "When\n[MATH: <mi> a </mi> <mo> ≠ </mo>\n<mn> 0 </mn> :MATH]\n, there are two.";
    assert_eq!(strip_browser_markers(inline), "When\na ≠ 0\n, there are two.");
}

#[test]
fn a_pages_table_of_contents_is_dropped() {
    let toc =
        "Contents\n\nhide\n\n  • 1 Repairs\n      □ 1.1 Foundations\n  • 2 Ferries\n  • 3 Shops\n";
    let dump =
        format!("Harbour pier to close for two years\n\n{P1}\n\n{toc}\n{P2}\n\nFerries\n\n{P3}\n");
    let text = all_text(&read(&dump));
    assert!(!text.contains("Contents") && !text.contains("Foundations"), "{text}");
    assert!(text.contains(P2) && text.contains(P3), "{text}");
    // A list under such a label that is not numbered sections is content.
    let list = "Contents\n\n  • A hammer\n  • Two boxes of nails\n  • A spirit level\n";
    let text = all_text(&read(&format!("What is in the toolbox\n\n{P1}\n\n{list}\n{P2}\n")));
    assert!(text.contains("Two boxes of nails"), "{text}");
}

#[test]
fn a_video_players_controls_are_dropped() {
    let player = "Play Video\n\nPlay\n\nMute\n\nCurrent Time 0:00\n\nDuration Time 0:00\n\nLoaded: 0%\n\nStream TypeLIVE\n\n  • descriptions off, selected\n\nFont Family [Default ]\n\nThis is a modal window.\n\nClose\n\nVideo shows the storm damage at the pier";
    let dump = format!("Harbour pier to close for two years\n\n{P1}\n\n{player}\n\n{P2}\n\n{P3}\n");
    let text = all_text(&read(&dump));
    for control in
        ["Play", "Mute", "Current Time", "Stream Type", "selected", "Font Family", "modal"]
    {
        assert!(!text.contains(control), "{control}: {text}");
    }
    assert!(text.contains("Video shows the storm damage") && text.contains(P3), "{text}");
    // A lone `Chapters` heading is the article's own.
    let dump = format!("A book in review\n\n{P1}\n\nChapters\n\n{P2}\n\n{P3}\n");
    assert!(all_text(&read(&dump)).contains("Chapters"));
}

#[test]
fn a_slideshow_inside_the_article_is_dropped() {
    let slides: String = ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| {
            format!("  • {}/40 Picture story number {i}\n\n{item}\n\nReuters\n\n", i + 1)
        })
        .collect();
    let dump = format!("Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P1} {P2} {P3}\n\n{P2} {P3}\n\nNews in pictures\n\n{slides}6. What comes next\n\n{P3} {P1}\n");
    let text = all_text(&read(&dump));
    assert!(!text.contains("Picture story") && !text.contains("herring"), "{text}");
    assert!(!text.contains("News in pictures") && !text.contains("Reuters"), "{text}");
    assert!(text.contains("What comes next") && text.contains(&format!("{P3} {P1}")), "{text}");
    // A slideshow that is the article, after a short introduction, stays.
    let text = all_text(&read(&format!("The year in pictures\n\n{P1}\n\n{slides}")));
    assert!(text.contains("herring") && text.contains("Picture story number 3"), "{text}");
}

#[test]
fn slideshow_items_are_numbered_k_of_n_with_a_short_headline() {
    assert_eq!(gallery_index("• 6/50 City for sale"), Some((6, 50)));
    assert_eq!(gallery_index("12 / 20"), Some((12, 20)));
    for s in ["1/2 cup flour", "7/5 is more than one", "3/10 Today I want to talk about the long history of the harbour and its many piers and boats"] {
        assert_eq!(gallery_index(s), None, "{s}");
    }
}

/// A page's feed of other stories below the article: teaser headlines in headline case,
/// summaries that end with their "more" link, and a magazine blurb of short items between
/// bullets. None of it reads as the article's prose, so the region ends with the article.
#[test]
fn teaser_feeds_and_item_runs_after_the_article_stay_out() {
    let mut dump = format!("Harbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n\n");
    for label in ["Share", "Tweet", "Print", "Comments (4)", "Most read", "Most shared"] {
        dump.push_str(label);
        dump.push_str("\n\n");
    }
    dump.push_str(
        "Boat Show Opens In The Old Harbour With Record Crowds And Three New Ferry Lines \
         For The Summer Season Ahead Of The Regatta\n\n",
    );
    dump.push_str(
        "Sailing • Ferries • Harbour Tours • Fishing Trips • Boat Hire • Marina News • \
         Tide Tables • Weather At Sea\n\n",
    );
    for (i, what) in
        ["bakery", "museum", "library", "cinema", "market", "school"].iter().enumerate()
    {
        dump.push_str(&format!(
            "The {what} reopens\n\nAfter {} months of work the town's {what} opens its doors \
             again this weekend, with longer hours and a new entrance on the square. Mehr…\n\n",
            i + 3
        ));
    }
    let text = all_text(&read(&dump));
    assert!(text.contains(P1) && text.contains(P3), "{text}");
    for gone in ["Boat Show", "Harbour Tours", "bakery", "school", "Mehr"] {
        assert!(!text.contains(gone), "{gone:?} kept:\n{text}");
    }
}

/// Teaser links above the article, one headline per bullet with its second headline run
/// in: long, but in headline case, so they are no prose that could start the article.
#[test]
fn headline_case_teasers_above_the_article_stay_out() {
    let mut dump = String::new();
    for t in [
        "Tom Cruise and Katie Holmes -- No Love Lost ... NOT on Speaking Terms Tom Cruise, \
         Katie Holmes -- No Love Lost ... NOT on Speaking Terms",
        "Adam Levine -- Unlucky Strike ... Nails Fan In The Head With Mic (NEW VIDEO) Adam \
         Levine -- Unlucky Strike ... Nails Fan in Head With Mic",
        "Robert Durst -- Arrested with Latex Mask In Apparent Attempt to Change Identity \
         Robert Durst Arrested with Latex Mask In Apparent Attempt",
    ] {
        dump.push_str(&format!("  • {t}\n\n"));
    }
    dump.push_str(&format!(
        "Home\n\nHarbour pier to close for two years\n\n{P1}\n\n{P2}\n\n{P3}\n"
    ));
    let doc = read(&dump);
    assert_eq!(doc.meta.title.as_deref(), Some("Harbour pier to close for two years"));
    let text = all_text(&doc);
    assert!(!text.contains("Cruise") && !text.contains("Levine") && !text.contains("Durst"));
}

/// A box of other stories inside the article (a "related" heading, then headlines, labels
/// and bylines) goes; the article's paragraphs on both sides of it stay.
#[test]
fn a_related_box_inside_the_article_goes() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\nSur le même sujet\n\n  • Reportage\n\n\
         A Katmandou, exode sous pression\n\nPar Sébastien Farcis\n\n  • Interview\n\n\
         Népal : « Plus les heures passent, moins on est utiles »\n\n{P2}\n\n{P3}\n"
    );
    let text = all_text(&read(&dump));
    assert!(text.contains(P1) && text.contains(P2) && text.contains(P3), "{text}");
    for gone in ["même sujet", "Reportage", "Katmandou", "Farcis", "Népal"] {
        assert!(!text.contains(gone), "{gone:?} kept:\n{text}");
    }
    // The same heading with prose right after it is no box of links.
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\nSur le même sujet\n\n{P2}\n\n{P3}\n"
    );
    assert!(all_text(&read(&dump)).contains("Sur le même sujet"));
}

/// An image's alt text, then its caption repeating it with the photo credit: both go.
/// A paragraph that a longer one merely starts with (no credit after it) stays.
#[test]
fn alt_text_and_credited_caption_go() {
    let dump = format!(
        "Harbour pier to close for two years\n\n{P1}\n\nThe old pier at dusk, seen from the ferry.\n\n\
         The old pier at dusk, seen from the ferry. (Photo Jane Doe. AFP)\n\n{P2}\n\n{P3}\n"
    );
    let text = all_text(&read(&dump));
    assert!(text.contains(P1) && text.contains(P2) && text.contains(P3), "{text}");
    assert!(!text.contains("at dusk") && !text.contains("Jane Doe"), "{text}");
    let dump = format!(
        "Harbour pier to close for two years\n\nThe pier will close soon.\n\n\
         The pier will close soon. {P1}\n\n{P2}\n"
    );
    let text = all_text(&read(&dump));
    assert!(text.contains(&format!("The pier will close soon. {P1}")), "{text}");
}

#[test]
fn w3m_image_and_button_lines_are_removed() {
    let dump =
        "Opening line of the story\n[arrow-forw]\n[50x50_expe] [svg]\n   [Submit]\nClosing line\n";
    assert_eq!(strip_browser_markers(dump), "Opening line of the story\n\n\n\nClosing line\n");
    // Notes, omissions, words with a space and brackets inside text are text.
    for kept in ["[1]", "[...]", "[citation needed]", "He said [sic] it twice"] {
        let dump = format!("Before\n{kept}\nAfter\n");
        assert_eq!(strip_browser_markers(&dump), dump);
    }
}

#[test]
fn chart_labels_go_and_numbers_in_text_stay() {
    let ticks =
        ["$915", "600", "$263", "’17", "’18", "’19", "’20", "RECESSIONS", "’22", "PROJECTED"];
    let chart = ticks.join("\n\n");
    let text = all_text(&read(&article_with(&chart)));
    assert!(!text.contains("RECESSIONS") && !text.contains("$263"), "{text}");
    assert!(text.contains(P2), "{text}");
    // A poem's short lines have no numbers; a short run of figures is text.
    let poem = "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡\n床前明月光\n疑是地上霜\n举头望明月\n低头思故乡";
    let text = all_text(&read(&article_with(poem)));
    assert!(text.contains("低头思故乡"), "{text}");
    // A pager's numbers are list items, not a chart.
    let pager: String = (1..=12).map(|n| format!("  • {n}\n")).collect();
    let mut units = split_units(&pager);
    mark_chart_labels(&mut units);
    assert!(units.len() == 12 && units.iter().all(Unit::kept));
    let mut units = split_units(&chart);
    mark_chart_labels(&mut units);
    assert!(units.len() == ticks.len() && !units.iter().any(Unit::kept));
    let figures = "1914\n\n1918\n\n1939\n\n1945";
    let text = all_text(&read(&article_with(figures)));
    assert!(text.contains("1939"), "{text}");
}

#[test]
fn share_bar_one_item_per_line_goes_inside_the_article() {
    let bar = "Facebook\n\nWhatsapp\n\nTwitter\n\nE-mail\n\nMessenger";
    let text = all_text(&read(&article_with(bar)));
    assert!(!text.contains("Whatsapp") && !text.contains("Messenger"), "{text}");
    assert!(text.contains(P1) && text.contains(P2), "{text}");
    // Two such lines may be the article's own, and longer ones are text.
    for kept in
        ["Twitter\n\nFacebook", "Twitter\n\nFacebook\n\nShare prices fell sharply again on Monday"]
    {
        let mut units = split_units(kept);
        mark_share_runs(&mut units);
        assert!(units.iter().all(Unit::kept), "{kept}");
    }
}
