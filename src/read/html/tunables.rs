//! Named constants of the HTML reader, each with the reason for its value.
//!
//! Changing one of these changes what the extractor keeps; re-run `tests/corpus.rs`
//! (`cargo test --release --test suite corpus:: -- --nocapture`) after touching them.

/// How many bytes to scan for `<meta charset>`: the HTML standard's prescan window.
pub const CHARSET_PRESCAN_BYTES: usize = 1024;

/// Deepest element nesting read: Chrome's HTML parser stops nesting at this depth
/// (`kMaximumHTMLParserDOMTreeDepth`), so no page that renders needs more. Deeper pages
/// are refused with an error: Readability's scoring is quadratic in the depth (20,000
/// nested `<div>`s took 20 s) and the tree walks recurse (100,000 overflowed the stack).
pub const MAX_NESTING: usize = 512;

/// Before parsing, a page whose container tags (`<div>`, `<section>`, `<table>`...) open this
/// many more times than they close is refused: html5ever's tree builder is itself quadratic
/// in the depth (100,000 nested `<div>`s took 29 s to parse). Twenty times [`MAX_NESTING`]
/// leaves room for sloppy pages whose stray tags the parser closes itself.
pub const MAX_UNCLOSED_CONTAINERS: usize = 20 * MAX_NESTING;

/// Readability's own "enough text" threshold (characters of article text). Below it the
/// first extraction attempt is considered to have kept too little and fallbacks are tried.
pub const MIN_ARTICLE_CHARS: usize = 500;

/// A fallback candidate must be at least this many times longer (in text) than the
/// primary one to replace it. Guards against swapping a clean article for a whole page.
pub const FALLBACK_GAIN: f64 = 1.5;

/// A page description this many words long or more is looked for in the chosen article
/// (its words 4 to 15); shorter ones match by chance. When the article lacks it, our own
/// extractor runs to find the lead the Readability port left out (a standfirst, the letter
/// above a list of signatories): on about one page in six of the corpus.
pub const LEAD_PROBE_MIN_WORDS: usize = 16;

/// Most blocks taken as such a lead, just before the article's first words.
pub const LEAD_MAX_BLOCKS: usize = 8;

/// Most characters of page text from the description to the article's first words for the
/// description to count as the article's lead (eight long paragraphs).
pub const LEAD_MAX_GAP_CHARS: usize = 6000;

/// Share of the article's word 4-grams the other candidate must hold for its lead to be
/// taken: the same article with more before it, not another part of the page.
pub const LEAD_MIN_COVERAGE: f64 = 0.95;

/// Links share above which a block counts as navigation (link text / all text). Readability
/// uses 0.25–0.5 depending on weight; trafilatura flags link-dense blocks near 0.5 as well.
pub const LINK_DENSITY_MAX: f64 = 0.5;

/// Short blocks (characters) whose link density is checked strictly: menus and tag lists are
/// short link runs, while real paragraphs with many links are long.
pub const SHORT_BLOCK_CHARS: usize = 200;

/// Stricter link density for short blocks.
pub const SHORT_LINK_DENSITY_MAX: f64 = 0.33;

/// Words per item from which a list of links is content, not navigation: a changelog's bug
/// titles, a "See also" with descriptions, contributors and what they fixed. Menus, tag and
/// category lists have one to three words an item. (Readability.js keeps such lists too.)
pub const DESCRIPTIVE_LIST_MIN_WORDS: usize = 7;

/// Blocks at the end of an article where a list of long links is still dropped: lists of
/// other stories sit there, after the text.
pub const DESCRIPTIVE_LIST_TAIL_BLOCKS: usize = 3;

/// A block (by normalised text) repeated this many times on one page is chrome
/// (share bars at top and bottom, repeated bylines), not article text.
pub const REPEATED_BLOCK_MIN: usize = 2;

/// Only blocks at most this long (characters) are dropped as repeated; long repeated text
/// is more likely quoted article text (pull quotes are handled elsewhere).
pub const REPEATED_BLOCK_MAX_CHARS: usize = 160;

/// Minimum JSON-LD `articleBody` length (characters) for it to serve as a cross-check.
pub const JSONLD_BODY_MIN_CHARS: usize = 200;

/// Fraction of the JSON-LD `articleBody` shingles the extracted text must cover; below it a
/// candidate that covers more is preferred.
pub const JSONLD_MIN_COVERAGE: f64 = 0.6;

/// Maximum characters in a title suffix/prefix that may be cut as a site name.
pub const SITE_SUFFIX_MAX_CHARS: usize = 60;

/// When cleaning an already extracted article, an element named like chrome (share, related,
/// comments...) is kept if it holds more than this share of the article's text: then the
/// name is misleading (wrappers called `read-more`, `text-wrapper share-...`).
pub const CHROME_MAX_SHARE: f64 = 0.4;

/// Longest block (characters) that may be dropped as a chrome line ("Share this article",
/// "Read more: ...", "Advertisement"): real paragraphs that merely start with such a word
/// are longer.
pub const CHROME_LINE_MAX_CHARS: usize = 100;

/// Longest paragraph (characters) that may be dropped as a lone byline or date line.
pub const BYLINE_MAX_CHARS: usize = 60;

/// Longest metadata line (characters): a date with a few short fields beside it
/// (category, author, comment count).
pub const META_LINE_MAX_CHARS: usize = 120;

/// Most words in one field of a metadata line ("15:49 von Jane Roe in Fashion").
pub const META_FIELD_MAX_WORDS: usize = 6;

/// Trailing lines shorter than this (characters) after the last real paragraph are site
/// sign-offs ("Source: ...", "Subscribe to ...") rather than article text...
pub const TAIL_LINE_MAX_CHARS: usize = 45;

/// ...as long as there are at most this many of them (and under a tenth of the text).
pub const TAIL_MAX_LINES: usize = 2;

/// Longest paragraph (characters) that is dropped as the caption of a missing image when it
/// ends with a photo credit: captions are a sentence or two, article paragraphs run longer.
pub const CAPTION_MAX_CHARS: usize = 300;

/// Longest trailing photo credit (characters): a label and a few names or agencies.
pub const CREDIT_MAX_CHARS: usize = 90;

/// Longest block (characters) that may be dropped as a notice (call to action, login
/// prompt, licence line): they are one or two sentences.
pub const TAIL_NOTICE_MAX_CHARS: usize = 300;

/// Notices are looked for among the first blocks (affiliate and licence disclosures)...
pub const HEAD_NOTICE_BLOCKS: usize = 2;

/// ...and the last blocks of the article (follow us, get the app, comments, copyright); in
/// the middle of an article such words are more often its subject.
pub const TAIL_NOTICE_BLOCKS: usize = 4;

/// A "related articles" heading is looked for among the article's last blocks...
pub const RELATED_TAIL_BLOCKS: usize = 8;

/// ...and the article is cut there only when what follows is at most this share of its text
/// (teaser lists are short; a real closing section is not).
pub const RELATED_TAIL_MAX_SHARE: f64 = 0.35;

/// A `<noscript>` holding at least this many characters of paragraph text, in at least
/// [`NOSCRIPT_ARTICLE_MIN_PARAGRAPHS`] paragraphs, may be the article itself: pages that
/// render their text with script (Blogger's `text/template` posts) put the readable copy
/// there. Notices ("enable JavaScript") and tracking pixels are far shorter.
pub const NOSCRIPT_ARTICLE_MIN_CHARS: usize = 200;

/// See [`NOSCRIPT_ARTICLE_MIN_CHARS`].
pub const NOSCRIPT_ARTICLE_MIN_PARAGRAPHS: usize = 2;

/// ...and only when it is what its parent shows: the parent's other visible text (scripts,
/// styles and templates left out) is at most this share of the `<noscript>`'s paragraph
/// text. A notice beside a visible article stays a notice.
pub const NOSCRIPT_PARENT_MAX_SHARE: f64 = 0.1;

/// A recipe's ingredient list is the smallest element that shows at least this share of
/// its schema.org `recipeIngredient` lines (some lines are worded differently on the page).
pub const RECIPE_LIST_MIN_SHARE: f64 = 0.6;

/// The extracted article counts as having the ingredients when it shows this share of them;
/// below it the page's ingredient list is put before the method.
pub const RECIPE_PRESENT_SHARE: f64 = 0.5;
