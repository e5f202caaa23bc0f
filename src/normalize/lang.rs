//! Language detection (whatlang) and script direction.

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
    fn rtl_languages() {
        assert!(lang_is_rtl("ar"));
        assert!(lang_is_rtl("he-IL"));
        assert!(!lang_is_rtl("en-US"));
    }
}
