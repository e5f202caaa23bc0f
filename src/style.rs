//! Page styles for the PDF edition: paper, margins, type size, font families and colours.
//!
//! Styles are small TOML files (`styles/*.toml`). Four are built in (`print`, `letter`, `a5`,
//! `ereader`); any other file can be loaded with [`Style::load`]. Unknown keys are errors, so a
//! typo in a style file is reported instead of silently ignored.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The built-in styles, by name, as embedded TOML text.
const BUILTIN: [(&str, &str); 4] = [
    ("print", include_str!("../styles/print.toml")),
    ("letter", include_str!("../styles/letter.toml")),
    ("a5", include_str!("../styles/a5.toml")),
    ("ereader", include_str!("../styles/ereader.toml")),
];

/// A complete page style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Style name (shown nowhere; for messages).
    pub name: String,
    /// Paper and margins.
    pub page: PageStyle,
    /// Type size, leading, families and paragraph setting.
    pub text: TextStyle,
    /// Colours as `#rrggbb`.
    pub colors: Colors,
}

/// Paper size and margins, in millimetres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageStyle {
    /// Paper width.
    pub width_mm: f32,
    /// Paper height.
    pub height_mm: f32,
    /// Top margin (the running header sits inside it).
    pub margin_top_mm: f32,
    /// Bottom margin (the page number sits inside it).
    pub margin_bottom_mm: f32,
    /// Left margin.
    pub margin_left_mm: f32,
    /// Right margin.
    pub margin_right_mm: f32,
}

/// Type settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextStyle {
    /// Body type size in points.
    pub size_pt: f32,
    /// Baseline-to-baseline distance of body text in points.
    pub leading_pt: f32,
    /// Family of the running text.
    pub body: Family,
    /// Family of headings, the title and the running header.
    pub headings: Family,
    /// Justify paragraphs (last line ragged); `false` sets them ragged right.
    pub justify: bool,
    /// Hyphenate in the document's language.
    pub hyphenate: bool,
}

/// A font family among the shipped fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Libertinus Serif.
    Serif,
    /// Noto Sans.
    Sans,
    /// DejaVu Sans Mono.
    Mono,
}

/// Colours, each `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    /// Running text.
    pub text: String,
    /// Headings and the title.
    pub headings: String,
    /// Link text.
    pub links: String,
    /// Rules, the running header, page numbers, code backgrounds are derived from it.
    pub rules: String,
}

impl Default for Style {
    fn default() -> Self {
        // The built-in `print` style is checked by a unit test; fall back to a literal copy
        // only if that invariant were ever broken.
        Style::builtin("print").unwrap_or_else(|_| Style {
            name: "print".into(),
            page: PageStyle {
                width_mm: 210.0,
                height_mm: 297.0,
                margin_top_mm: 25.0,
                margin_bottom_mm: 27.0,
                margin_left_mm: 30.0,
                margin_right_mm: 30.0,
            },
            text: TextStyle {
                size_pt: 10.5,
                leading_pt: 14.0,
                body: Family::Serif,
                headings: Family::Sans,
                justify: true,
                hyphenate: true,
            },
            colors: Colors {
                text: "#1a1a1a".into(),
                headings: "#1a1a1a".into(),
                links: "#1f4e8c".into(),
                rules: "#8c8c8c".into(),
            },
        })
    }
}

impl Style {
    /// Names of the built-in styles.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// A built-in style by name (`print`, `letter`, `a5`, `ereader`).
    pub fn builtin(name: &str) -> Result<Style> {
        let text = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or_else(|| {
            Error::Style(format!(
                "no built-in style {name:?} (built in: {})",
                Style::builtin_names().join(", ")
            ))
        })?;
        Style::parse(text)
    }

    /// Parse a style from TOML text and check its values.
    pub fn parse(text: &str) -> Result<Style> {
        let style: Style = toml::from_str(text).map_err(|e| Error::Style(e.to_string()))?;
        style.validate()?;
        Ok(style)
    }

    /// Load a style file.
    pub fn load(path: &std::path::Path) -> Result<Style> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Style(format!("{}: {e}", path.display())))?;
        Style::parse(&text).map_err(|e| match e {
            Error::Style(m) => Error::Style(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// A built-in style name, or else a path to a style file.
    pub fn resolve(name_or_path: &str) -> Result<Style> {
        if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
            return Style::builtin(name_or_path);
        }
        let path = std::path::Path::new(name_or_path);
        if path.exists() {
            return Style::load(path);
        }
        Err(Error::Style(format!(
            "{name_or_path:?} is neither a built-in style ({}) nor a file",
            Style::builtin_names().join(", ")
        )))
    }

    /// Check ranges and colours.
    pub fn validate(&self) -> Result<()> {
        let p = &self.page;
        let bad = |what: &str| Err(Error::Style(format!("style {:?}: {what}", self.name)));
        if !(50.0..=2000.0).contains(&p.width_mm) || !(50.0..=2000.0).contains(&p.height_mm) {
            return bad("paper size must be between 50 and 2000 mm");
        }
        let margins = [p.margin_top_mm, p.margin_bottom_mm, p.margin_left_mm, p.margin_right_mm];
        if margins.iter().any(|m| !(8.0..=200.0).contains(m)) {
            return bad("margins must be between 8 and 200 mm");
        }
        if p.width_mm - p.margin_left_mm - p.margin_right_mm < 40.0
            || p.height_mm - p.margin_top_mm - p.margin_bottom_mm < 60.0
        {
            return bad("the text area is too small");
        }
        let t = &self.text;
        if !(5.0..=30.0).contains(&t.size_pt) {
            return bad("size_pt must be between 5 and 30");
        }
        if t.leading_pt < t.size_pt || t.leading_pt > t.size_pt * 3.0 {
            return bad("leading_pt must be between size_pt and 3 × size_pt");
        }
        for c in [&self.colors.text, &self.colors.headings, &self.colors.links, &self.colors.rules]
        {
            if parse_hex(c).is_none() {
                return bad(&format!("colour {c:?} is not #rrggbb"));
            }
        }
        Ok(())
    }
}

/// Parse `#rrggbb` into components in 0..=1.
pub fn parse_hex(s: &str) -> Option<[f32; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some([
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_validate() {
        for name in Style::builtin_names() {
            let s = Style::builtin(name).unwrap();
            assert_eq!(s.name, name);
        }
        assert_eq!(Style::default().name, "print");
        assert_eq!(Style::default(), Style::builtin("print").unwrap());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let text = include_str!("../styles/print.toml");
        let typo = text.replace("size_pt", "font_size_pt");
        assert!(matches!(Style::parse(&typo), Err(Error::Style(_))));
        let bad_colour = text.replace("#1f4e8c", "blue");
        assert!(matches!(Style::parse(&bad_colour), Err(Error::Style(_))));
        assert!(matches!(Style::resolve("no-such-style"), Err(Error::Style(_))));
    }

    #[test]
    fn resolve_loads_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        let text = include_str!("../styles/a5.toml").replace("name = \"a5\"", "name = \"mine\"");
        std::fs::write(&path, text).unwrap();
        let s = Style::resolve(path.to_str().unwrap()).unwrap();
        assert_eq!(s.name, "mine");
        assert_eq!(s.page.width_mm, 148.0);
    }
}
