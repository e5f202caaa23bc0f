//! The `offprint` command: a thin layer over the library. Arguments → inputs and options →
//! `offprint::read_document` / `offprint::write_edition` → files written atomically.

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use offprint::{InputFormat, Options, OutputFormat};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  offprint input -o output                 convert every page in input/ to md, epub and pdf
  offprint article.html --to md,pdf        two editions of one page into ./output
  offprint dump.txt --to md -o -           Markdown of a text dump on standard output
  cat page.html | offprint - --from html --to epub -o books
  offprint page.html --title \"Better title\" --author \"Jane Doe\" --lang en";

/// Turn raw web articles (HTML pages or plain-text page dumps) into clean Markdown, EPUB 3
/// and PDF editions.
#[derive(Debug, Parser)]
#[command(name = "offprint", version, about, after_help = EXAMPLES)]
struct Cli {
    /// Input files, folders (every .html/.htm/.xhtml/.txt inside, sorted by name), or `-`
    /// for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,

    /// Output folder, or `-` to write the single requested format to standard output.
    #[arg(short, long, default_value = "output", value_name = "DIR")]
    output: String,

    /// Formats to write, comma-separated.
    #[arg(
        long = "to",
        value_delimiter = ',',
        default_value = "md,epub,pdf",
        value_name = "FORMATS"
    )]
    to: Vec<Format>,

    /// Input format; by default the extension decides, then the content.
    #[arg(long = "from", value_name = "FORMAT")]
    from: Option<From>,

    /// Title to use instead of the one the input gives.
    #[arg(long)]
    title: Option<String>,

    /// Author to use instead of the input's (repeat for several).
    #[arg(long = "author", value_name = "NAME")]
    authors: Vec<String>,

    /// Language tag (BCP 47, e.g. `en`, `ru`) instead of the declared or detected one.
    #[arg(long)]
    lang: Option<String>,

    /// Base URL for resolving relative links and images of local HTML files.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Md,
    Epub,
    Pdf,
    Txt,
    Json,
}

impl Format {
    fn to_lib(self) -> OutputFormat {
        match self {
            Format::Md => OutputFormat::Md,
            Format::Epub => OutputFormat::Epub,
            Format::Pdf => OutputFormat::Pdf,
            Format::Txt => OutputFormat::Txt,
            Format::Json => OutputFormat::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum From {
    Html,
    Text,
}

/// Extensions of inputs taken from a folder.
const INPUT_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "txt"];

/// One input to convert.
#[derive(Debug)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }

    fn stem(&self) -> String {
        match self {
            Input::Stdin => "stdin".into(),
            Input::File(p) => {
                p.file_stem().map_or("output".into(), |s| s.to_string_lossy().into_owned())
            }
        }
    }

    fn read(&self) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        match self {
            Input::Stdin => {
                std::io::stdin().read_to_end(&mut buf).context("cannot read standard input")?;
            }
            Input::File(p) => {
                buf = std::fs::read(p).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => anyhow::anyhow!("no such file or folder"),
                    _ => anyhow::Error::new(e).context("cannot read the file"),
                })?;
            }
        }
        Ok(buf)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("offprint: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Expand folders into their inputs; report inputs that do not exist as usage errors.
fn expand_inputs(args: &[String]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                .with_context(|| format!("{arg}: cannot list the folder"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        INPUT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                    })
                })
                .collect();
            files.sort();
            if files.is_empty() {
                eprintln!("offprint: {arg}: no .html, .htm, .xhtml or .txt files in this folder");
            }
            inputs.extend(files.into_iter().map(Input::File));
        } else {
            // A missing file is reported when it is converted, like any other failing input.
            inputs.push(Input::File(path));
        }
    }
    Ok(inputs)
}

/// Convert every input; returns the number of failures.
fn run(cli: &Cli) -> Result<usize> {
    let inputs = expand_inputs(&cli.inputs)?;
    let formats: Vec<OutputFormat> = {
        let mut seen = BTreeSet::new();
        cli.to.iter().filter(|f| seen.insert(f.to_lib().extension())).map(|f| f.to_lib()).collect()
    };
    let to_stdout = cli.output == "-";
    if to_stdout && (formats.len() != 1 || inputs.len() != 1) {
        bail!("`-o -` writes one format of one input to standard output; got {} format(s) and {} input(s)", formats.len(), inputs.len());
    }
    let opts = Options {
        title: cli.title.clone(),
        authors: cli.authors.clone(),
        lang: cli.lang.clone(),
        base_url: cli.base_url.clone(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse().ok()),
        ..Options::default()
    };
    let out_dir = PathBuf::from(&cli.output);
    if !to_stdout {
        std::fs::create_dir_all(&out_dir)
            .with_context(|| format!("{}: cannot create the output folder", out_dir.display()))?;
    }
    let mut used_stems: BTreeSet<String> = BTreeSet::new();
    let mut failures = 0;
    for input in &inputs {
        let stem = unique_stem(&input.stem(), &mut used_stems);
        match convert(input, &formats, &opts, cli.from, to_stdout, &out_dir, &stem) {
            Ok(written) => {
                if !cli.quiet && !to_stdout {
                    eprintln!("{} → {}", input.display(), written.join(", "));
                }
            }
            Err(e) => {
                failures += 1;
                eprintln!("{}: {e:#}", input.display());
            }
        }
    }
    Ok(failures)
}

/// `name`, or `name-2`, `name-3`… when an earlier input of this run already used it.
fn unique_stem(stem: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = stem.to_string();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    candidate
}

fn convert(
    input: &Input,
    formats: &[OutputFormat],
    opts: &Options,
    from: Option<From>,
    to_stdout: bool,
    out_dir: &Path,
    stem: &str,
) -> Result<Vec<String>> {
    let bytes = input.read()?;
    let name = match input {
        Input::File(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
        Input::Stdin => None,
    };
    let format = match from {
        Some(From::Html) => InputFormat::Html,
        Some(From::Text) => InputFormat::Text,
        None => offprint::detect_format(name.as_deref(), &bytes),
    };
    let doc = offprint::read_document(&bytes, format, opts)?;
    // Render every edition first, so a failure leaves no file behind for this input.
    let mut editions = Vec::new();
    for &f in formats {
        editions.push((f, offprint::write_edition(&doc, f, opts)?));
    }
    let mut written = Vec::new();
    for (f, data) in editions {
        if to_stdout {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(&data).and_then(|()| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).context("cannot write to standard output");
                }
            }
            written.push("stdout".into());
        } else {
            let path = out_dir.join(format!("{stem}.{}", f.extension()));
            write_atomically(&path, &data)?;
            written.push(path.display().to_string());
        }
    }
    Ok(written)
}

/// Write to a temporary file in the same folder, then rename it into place.
fn write_atomically(path: &Path, data: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".offprint-")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    tmp.write_all(data).with_context(|| format!("{}: cannot write", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600 files; an edition is an ordinary document.
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
