//! `offprint.toml`: defaults for the command line's options, one key per long flag
//! (kebab-case, e.g. `base-url`, `no-images`). Flags given on the command line win.
//!
//! ```toml
//! output = "editions"
//! to = ["md", "epub"]      # or "md,epub"
//! author = "Jane Doe"      # or a list
//! jobs = 2
//! no-images = true
//! ```

use crate::{InputFormat, OutputFormat};
use serde::Deserialize;

/// A value given either as a list or as one comma-separated string.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ListOrString {
    /// `["a", "b"]`
    List(Vec<String>),
    /// `"a,b"` (for `to`) or `"a"`.
    One(String),
}

impl ListOrString {
    /// The items; a single string is split at commas when `split` is set.
    pub fn items(&self, split: bool) -> Vec<String> {
        match self {
            ListOrString::List(v) => v.iter().map(|s| s.trim().to_string()).collect(),
            ListOrString::One(s) if split => {
                s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
            }
            ListOrString::One(s) => vec![s.trim().to_string()],
        }
    }
}

/// Every option `offprint.toml` may set; absent keys leave the built-in default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `--output`
    pub output: Option<String>,
    /// `--to`
    pub to: Option<ListOrString>,
    /// `--from`
    pub from: Option<InputFormat>,
    /// `--title`
    pub title: Option<String>,
    /// `--author`
    pub author: Option<ListOrString>,
    /// `--lang`
    pub lang: Option<String>,
    /// `--base-url`
    pub base_url: Option<String>,
    /// `--quiet`
    pub quiet: Option<bool>,
    /// `--verbose`
    pub verbose: Option<bool>,
    /// `--jobs`
    pub jobs: Option<usize>,
    /// `--no-images`
    pub no_images: Option<bool>,
    /// `--timeout` (seconds)
    pub timeout: Option<u64>,
    /// `--style` (a built-in style name or a TOML file)
    pub style: Option<String>,
    /// `--css` (a stylesheet file for the EPUB)
    pub css: Option<std::path::PathBuf>,
    /// `--cover` (an image file for the EPUB cover)
    pub cover: Option<std::path::PathBuf>,
    /// `--no-cover`
    pub no_cover: Option<bool>,
}

impl Config {
    /// Parse the text of a config file.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        if config.jobs == Some(0) {
            return Err("`jobs` must be at least 1".into());
        }
        if config.timeout == Some(0) {
            return Err("`timeout` must be at least 1 second".into());
        }
        config.formats()?;
        Ok(config)
    }

    /// The `to` formats, checked.
    pub fn formats(&self) -> Result<Option<Vec<OutputFormat>>, String> {
        let Some(to) = &self.to else { return Ok(None) };
        to.items(true)
            .iter()
            .map(|f| {
                OutputFormat::from_name(f)
                    .ok_or_else(|| format!("`to`: unknown format `{f}` (md, epub, pdf, txt, json)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_long_flags() {
        let c = Config::parse(
            "output = \"out\"\nto = \"md, txt\"\nfrom = \"text\"\nauthor = [\"A\", \"B\"]\nbase-url = \"https://x/\"\nno-images = true\njobs = 3\ntimeout = 5\n",
        )
        .expect("parses");
        assert_eq!(c.output.as_deref(), Some("out"));
        assert_eq!(c.formats(), Ok(Some(vec![OutputFormat::Md, OutputFormat::Txt])));
        assert_eq!(c.from, Some(InputFormat::Text));
        assert_eq!(c.author.map(|a| a.items(false)), Some(vec!["A".into(), "B".into()]));
        assert_eq!(c.base_url.as_deref(), Some("https://x/"));
        assert_eq!((c.no_images, c.jobs, c.timeout), (Some(true), Some(3), Some(5)));
        let c = Config::parse("to = [\"epub\"]\nauthor = \"Jane, Doe\"").expect("parses");
        assert_eq!(c.formats(), Ok(Some(vec![OutputFormat::Epub])));
        assert_eq!(c.author.map(|a| a.items(false)), Some(vec!["Jane, Doe".into()]));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(Config::parse("outptu = \"x\"").unwrap_err().contains("outptu"));
        assert!(Config::parse("base_url = \"x\"").is_err(), "keys are kebab-case");
        assert!(Config::parse("to = \"md,docx\"").unwrap_err().contains("docx"));
        assert!(Config::parse("from = \"pdf\"").is_err());
        assert!(Config::parse("jobs = 0").is_err());
        assert_eq!(Config::parse(""), Ok(Config::default()));
    }
}
