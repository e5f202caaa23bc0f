//! Language detection (whatlang) and script direction.

use super::text::is_cjk;
use crate::model::Document;

/// ISO 639-1 code for a whatlang language (ISO 639-3); `None` when there is no 2-letter code.
fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    })
}

/// Detect the language of `text` as an ISO 639-1 code. Short or ambiguous text gives `None`.
pub fn detect_lang(text: &str) -> Option<&'static str> {
    // whatlang is fast but quadratic-ish on huge inputs; a few thousand characters decide.
    let sample: String = text.chars().take(6000).collect();
    // whatlang goes by the script with the most characters; a Chinese, Japanese or Korean
    // character is a word or a syllable, worth several letters. Lyrics or a lesson with
    // their romanisation line by line are Chinese, not Javanese: when such characters
    // weigh more than the letters, the language is detected on them alone.
    let (mut cjk, mut letters) = (0usize, 0usize);
    for c in sample.chars() {
        if is_cjk(c) {
            cjk += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    if cjk > 0 && letters > 0 && cjk * CJK_LETTER_WEIGHT > letters {
        let only: String = sample.chars().filter(|c| is_cjk(*c) || !c.is_alphabetic()).collect();
        if let Some(lang) = whatlang::detect(&only).and_then(|i| iso639_1(i.lang())) {
            return Some(lang);
        }
    }
    let info = whatlang::detect(&sample)?;
    // Scripts used by one language are certain whatever the trigram confidence says.
    let script_certain = matches!(
        info.script(),
        whatlang::Script::Hangul
            | whatlang::Script::Hiragana
            | whatlang::Script::Katakana
            | whatlang::Script::Greek
            | whatlang::Script::Hebrew
            | whatlang::Script::Georgian
            | whatlang::Script::Armenian
            | whatlang::Script::Thai
    );
    if !script_certain && info.confidence() < 0.3 && sample.chars().count() < 200 {
        return None;
    }
    iso639_1(info.lang())
}

/// Letters a Chinese, Japanese or Korean character counts as when scripts are weighed: a
/// Han character is a syllable, often a word; its pinyin is two to five letters (3.2 on
/// average over a page of lyrics), an English word five or so.
const CJK_LETTER_WEIGHT: usize = 4;

/// Whether a language tag names a right-to-left language.
pub fn lang_is_rtl(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
    )
}

/// Pass: fill `meta.lang` from the body when the input did not declare it, and `meta.dir`
/// for right-to-left languages.
pub(crate) fn detect_language(mut doc: Document) -> Document {
    if doc.meta.lang.is_none() {
        let mut text = doc.meta.title.clone().unwrap_or_default();
        text.push('\n');
        text.push_str(&doc.body_text());
        doc.meta.lang = detect_lang(&text).map(str::to_string);
    }
    if doc.meta.dir.is_none() && doc.meta.lang.as_deref().is_some_and(lang_is_rtl) {
        doc.meta.dir = Some("rtl".into());
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages() {
        assert_eq!(
            detect_lang("The quick brown fox jumps over the lazy dog while the cat watches from the window."),
            Some("en")
        );
        assert_eq!(
            detect_lang("К сожалению, браузер, которым вы пользуйтесь, устарел и не позволяет корректно отображать сайт."),
            Some("ru")
        );
        assert_eq!(
            detect_lang("これは日本語の文章です。ひらがなとカタカナがあります。"),
            Some("ja")
        );
    }

    #[test]
    fn chinese_with_its_romanisation_is_chinese() {
        let lyrics = "爱 逝去的爱 讨不回来\nAi shi qu de ai tao bu hui lai\n我还有话想对你说\n\
                      Wo hai you hua xiang dui ni shuo\n舍不得说 来不及说\nShe bu de shuo lai bu ji shuo\n\
                      离别的话最难说出口\nLi bie de hua zui nan shuo chu kou\n你会找到新的生活\n\
                      Ni hui zhao dao xin de sheng huo";
        assert_eq!(detect_lang(lyrics), Some("zh"));
        // An English text that names a few things in Chinese stays English.
        let english = "The restaurant on the corner, called 老北京 by its owners, serves noodles \
                       and dumplings every day of the week, and the queue at lunch reaches the street.";
        assert_eq!(detect_lang(english), Some("en"));
    }

    #[test]
    fn rtl_languages() {
        assert!(lang_is_rtl("ar"));
        assert!(lang_is_rtl("he-IL"));
        assert!(!lang_is_rtl("en-US"));
    }
}
