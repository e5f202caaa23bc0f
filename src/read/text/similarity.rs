//! Text similarity for spotting pull quotes and detached captions: a short line that repeats
//! (verbatim, or as a close paraphrase) a sentence of the text around it.
//!
//! Two measures, both language-agnostic:
//! - [`sequence_ratio`]: longest common subsequence of word stems, over the short line's
//!   length. A pull quote copies a sentence, so word order survives: ratio near 1. A heading
//!   that summarises the next paragraph shares words but not their order.
//! - [`Idf::coverage`]: the share of the short line's informative words (weighted by inverse
//!   document frequency, so "the", "и", "der" weigh nothing) found in a window of text. A
//!   caption paraphrases what the nearby paragraphs say.

use super::lines::words;
use std::collections::{BTreeMap, BTreeSet};

/// Length of the stem prefix. Five characters join inflected forms (Russia/Russian,
/// territory/territories, Хорасан/Хорасана) without merging many unrelated words.
const STEM_CHARS: usize = 5;

/// Word stems of `s`: lower-cased `\w+` tokens cut to [`STEM_CHARS`] characters.
pub(crate) fn stems(s: &str) -> Vec<String> {
    words(s).into_iter().map(|w| w.chars().take(STEM_CHARS).collect()).collect()
}

/// Split text into sentences at `.`, `!`, `?`, `…` (and CJK equivalents) followed by space,
/// and at line breaks.
pub(crate) fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in s.lines() {
        let mut start = 0;
        let mut prev_end = false;
        for (i, c) in line.char_indices() {
            if prev_end && c.is_whitespace() {
                let sent = line[start..i].trim();
                if !sent.is_empty() {
                    out.push(sent);
                }
                start = i;
            }
            prev_end = (super::lines::SENTENCE_ENDS.contains(&c) && c != ';' && c != '；')
                || (prev_end && matches!(c, '”' | '"' | '»' | '’' | ')'));
        }
        let sent = line[start..].trim();
        if !sent.is_empty() {
            out.push(sent);
        }
    }
    out
}

/// Longest common subsequence of `a` and `b`, divided by `a.len()`.
pub(crate) fn sequence_ratio(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / a.len() as f64
}

/// Inverse document frequencies of stems over a set of texts.
pub(crate) struct Idf {
    df: BTreeMap<String, usize>,
    n: usize,
}

impl Idf {
    /// Count, for every stem, how many of `texts` contain it.
    pub(crate) fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut df: BTreeMap<String, usize> = BTreeMap::new();
        let mut n = 0;
        for t in texts {
            n += 1;
            let set: BTreeSet<String> = stems(t).into_iter().collect();
            for s in set {
                *df.entry(s).or_default() += 1;
            }
        }
        Idf { df, n }
    }

    fn weight(&self, stem: &str) -> f64 {
        let df = self.df.get(stem).copied().unwrap_or(0) as f64;
        ((self.n as f64 + 1.0) / (df + 0.5)).ln().max(0.0)
    }

    /// IDF-weighted share of the distinct stems of `line` that occur in `window`.
    pub(crate) fn coverage(&self, line: &[String], window: &BTreeSet<String>) -> f64 {
        let distinct: BTreeSet<&String> = line.iter().collect();
        let mut total = 0.0;
        let mut found = 0.0;
        for s in distinct {
            let w = self.weight(s);
            total += w;
            if window.contains(s) {
                found += w;
            }
        }
        if total == 0.0 {
            0.0
        } else {
            found / total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_copy_has_ratio_one() {
        let a = stems("The river froze early this year");
        let b = stems("Locals say the river froze early this year, trapping boats in the harbour.");
        assert!((sequence_ratio(&a, &b) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn summary_heading_has_low_ratio() {
        let a = stems("Trade and the empire: from partners to rivals");
        let b = stems(
            "In the early years the empire saw trade as a partnership with its rivals abroad.",
        );
        assert!(sequence_ratio(&a, &b) < 0.6);
    }

    #[test]
    fn sentences_split_on_terminal_punctuation() {
        assert_eq!(sentences("One. Two? “Three.” Four"), vec!["One.", "Two?", "“Three.”", "Four"]);
    }

    #[test]
    fn idf_ignores_common_words() {
        let idf =
            Idf::new(["the cat sat", "the dog ran", "the bird flew", "the lighthouse keeper"]);
        let window: BTreeSet<String> = stems("the cat").into_iter().collect();
        // "the" occurs everywhere and weighs (almost) nothing; "lighthouse" is missing.
        let cov = idf.coverage(&stems("the lighthouse"), &window);
        assert!(cov < 0.2, "{cov}");
        let cov = idf.coverage(&stems("the cat"), &window);
        assert!(cov > 0.99, "{cov}");
    }
}
