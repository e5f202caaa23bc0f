//! The `offprint` command: a thin layer over the library. Arguments (files, folders, URLs,
//! web archives, lists, standard input) → jobs with their edition names fixed up front →
//! `offprint::read_document` / `offprint::write_edition` in parallel → files written
//! atomically, messages in input order.

use anyhow::{bail, Context, Result};
use clap::{CommandFactory, Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use offprint::batch::{image_urls, url_slug, without_fragment, StemAllocator};
use offprint::config::Config;
use offprint::fetch::{self, FetchOptions, Fetcher};
use offprint::warc::Capture;
use offprint::{InputFormat, Options, OutputFormat};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EXAMPLES: &str = "\
Examples:
  offprint input -o output                 convert every page in input/ to md, epub and pdf
  offprint article.html --to md,pdf        two editions of one page into ./output
  offprint https://example.com/story       fetch a page (and its images) and convert it
  offprint crawl.warc.gz --to epub -j 2    every page captured in a web archive
  offprint --from-list urls.txt -q         inputs listed one per line
  offprint dump.txt --to md -o -           Markdown of a text dump on standard output
  cat page.html | offprint - --from html --to epub -o books
  offprint page.html --title \"Better title\" --author \"Jane Doe\" --lang en
  offprint completions bash > offprint.bash; offprint man > offprint.1

Defaults for any option can be set in ./offprint.toml (or --config FILE), one key per long
option (e.g. `to = \"md,epub\"`, `no-images = true`); options on the command line win.";

/// Turn raw web articles (HTML pages or plain-text page dumps) into clean Markdown, EPUB 3
/// and PDF editions.
#[derive(Debug, Parser)]
#[command(name = "offprint", version, about, after_help = EXAMPLES)]
struct Cli {
    /// Input files, folders (every .html/.htm/.xhtml/.txt/.warc/.warc.gz inside, sorted by
    /// name), http(s) URLs, web archives (.warc, .warc.gz), or `-` for standard input.
    #[arg(value_name = "INPUT", required_unless_present = "from_list")]
    inputs: Vec<String>,

    /// Read more inputs from FILE (`-`: standard input), one per line; blank lines and
    /// lines starting with `#` are ignored.
    #[arg(long, value_name = "FILE")]
    from_list: Option<String>,

    /// Output folder, or `-` to write the single requested format to standard output
    /// [default: output].
    #[arg(short, long, value_name = "DIR")]
    output: Option<String>,

    /// Formats to write, comma-separated [default: md,epub,pdf].
    #[arg(long = "to", value_delimiter = ',', value_name = "FORMATS")]
    to: Option<Vec<Format>>,

    /// Input format; by default the Content-Type (URLs, archives), then the extension, then
    /// the content decides.
    #[arg(long = "from", value_name = "FORMAT")]
    from: Option<From>,

    /// Title to use instead of the one the input gives (a book's title is --bundle's).
    #[arg(long, conflicts_with = "bundle")]
    title: Option<String>,

    /// Author to use instead of the input's (repeat for several); with --bundle, the
    /// book's author, while each chapter keeps its own byline.
    #[arg(long = "author", value_name = "NAME")]
    authors: Vec<String>,

    /// Language tag (BCP 47, e.g. `en`, `ru`) instead of the declared or detected one.
    #[arg(long)]
    lang: Option<String>,

    /// Base URL for resolving relative links and images of local HTML files (a fetched or
    /// archived page uses its own URL).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// Inputs converted at the same time [default: number of cores].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,

    /// Do not fetch the images of fetched pages (EPUB and PDF then refer to them remotely).
    #[arg(long)]
    no_images: bool,

    /// Seconds allowed for each HTTP request [default: 30].
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,

    /// Page style of the PDF: a built-in name (print, letter, a5, ereader) or a TOML file
    /// [default: print].
    #[arg(long, value_name = "NAME|PATH")]
    style: Option<String>,

    /// Stylesheet for the EPUB instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    css: Option<PathBuf>,

    /// Cover image (PNG, JPEG, GIF or WebP) for the EPUB instead of the generated one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_cover")]
    cover: Option<PathBuf>,

    /// Leave the EPUB without a cover.
    #[arg(long)]
    no_cover: bool,

    /// Set PDF editions with the shipped fonts only, even for characters they lack (shown as
    /// empty boxes, with a note); by default installed fonts that cover them are embedded,
    /// found with fontconfig, so the PDF then depends on the machine's fonts.
    #[arg(long)]
    no_system_fonts: bool,

    /// Bind every input into one book titled TITLE: one edition per format, named after the
    /// title, one chapter per article in the given order.
    #[arg(long, value_name = "TITLE")]
    bundle: Option<String>,

    /// Read option defaults from FILE instead of ./offprint.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,

    /// Print a line per input with its editions and timing.
    #[arg(short, long)]
    verbose: bool,
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

/// Extensions of inputs taken from a folder (besides web archives).
const INPUT_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "txt"];

/// Images fetched at the same time for one page.
const IMAGE_CONCURRENCY: usize = 4;

/// Most images fetched for one page.
const MAX_IMAGES_PER_PAGE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The options in force: command line over config file over built-in defaults.
#[derive(Debug)]
struct Settings {
    output: String,
    formats: Vec<OutputFormat>,
    from: Option<InputFormat>,
    opts: Options,
    verbosity: Verbosity,
    jobs: usize,
    images: bool,
    timeout: u64,
    env_epoch: bool,
    bundle: Option<String>,
    system_fonts: bool,
}

/// Where one job's bytes come from.
#[derive(Debug)]
enum Source {
    Stdin(Vec<u8>),
    File(PathBuf),
    Url(String),
    Capture {
        capture: Capture,
        images: Arc<BTreeMap<String, Vec<u8>>>,
    },
    /// Known to fail before conversion (a damaged archive record); the reason.
    Broken(String),
}

/// One unit of work: an input and the stem its editions get.
#[derive(Debug)]
struct Job {
    label: String,
    stem: String,
    source: Source,
}

/// A converted input.
struct Done {
    written: Vec<String>,
    notes: Vec<String>,
}

type Outcome = std::result::Result<Done, String>;

/// The binary's allocator is mimalloc (2, without transparent huge pages): the PDF writer's
/// per-glyph objects and lopdf's dictionaries churn the heap, and all three editions of the
/// readability/ pages took 12-17% less CPU than with glibc's malloc (tuned as it was: a
/// fixed 4 MiB mmap threshold and a 64 MiB trim threshold), with the same peak memory for
/// the batch (83-87 MiB at `-j2`, 77-84 with glibc). Transparent huge pages, mimalloc's
/// default, took it to 94-97 MiB; mimalloc 3 to 147-150 MiB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 2's `mi_option_t` (include/mimalloc.h, pinned
/// version), which the sys crate does not name for v2.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system 1 ms after it is freed instead of mimalloc's 10: on a
/// 5 MB page (`bench/bigpage.sh`, `--to txt`) the peak is 55-58 MiB instead of 64-69 (glibc:
/// 56-57; 3 ms gave 56-64), and the batch keeps its speed (at 0, every free that empties a
/// page is a system call and the gain is gone: 4.53 s CPU against 3.72 at 1 ms and 4.17
/// with glibc, medians of six runs).
fn tune_allocator() {
    // SAFETY: sets one of the allocator's options (a plain integer); called first thing in
    // `main`, before any other thread runs.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
}

fn main() -> ExitCode {
    tune_allocator();
    let args: Vec<OsString> = std::env::args_os().collect();
    let sub = args.get(1).and_then(|a| a.to_str());
    let result = match sub {
        Some("completions") => completions(args.get(2..).unwrap_or_default()),
        Some("man") => man(args.get(2..).unwrap_or_default()),
        _ => run(&Cli::parse()),
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("offprint: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The clap command plus the two generator subcommands, for completions and the man page.
fn full_command() -> clap::Command {
    Cli::command()
        .subcommand_negates_reqs(true)
        .subcommand(
            clap::Command::new("completions")
                .about("Print shell completions (bash, zsh, fish, elvish, powershell)")
                .arg(
                    clap::Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(clap::Command::new("man").about("Print the man page (roff)"))
}

fn completions(rest: &[OsString]) -> Result<usize> {
    let matches = match full_command()
        .find_subcommand("completions")
        .cloned()
        .unwrap_or_else(|| clap::Command::new("completions"))
        .bin_name("offprint completions")
        .try_get_matches_from(
            std::iter::once(OsString::from("completions")).chain(rest.iter().cloned()),
        ) {
        Ok(m) => m,
        Err(e) => e.exit(),
    };
    let Some(shell) = matches.get_one::<clap_complete::Shell>("shell").copied() else {
        bail!("completions: name a shell");
    };
    let mut cmd = full_command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "offprint", &mut out);
    write_stdout(&out)?;
    Ok(0)
}

fn man(rest: &[OsString]) -> Result<usize> {
    if let Some(extra) = rest.first() {
        bail!(
            "man takes no arguments (got `{}`); to convert a file named `man`, give it as ./man",
            extra.to_string_lossy()
        );
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(full_command()).render(&mut out).context("cannot render the man page")?;
    write_stdout(&out)?;
    Ok(0)
}

fn write_stdout(data: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(data).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// Load `--config FILE` (must exist) or `./offprint.toml` (when present).
fn load_config(cli: &Cli) -> Result<Config> {
    let (path, required) = match &cli.config {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from("offprint.toml"), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config::default())
        }
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read the config", path.display()))
        }
    };
    Config::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn settings(cli: &Cli, config: &Config) -> Result<Settings> {
    let formats: Vec<OutputFormat> = match &cli.to {
        Some(to) => to.iter().map(|f| f.to_lib()).collect(),
        None => config
            .formats()
            .map_err(anyhow::Error::msg)?
            .unwrap_or_else(|| vec![OutputFormat::Md, OutputFormat::Epub, OutputFormat::Pdf]),
    };
    let mut seen = BTreeSet::new();
    let formats: Vec<OutputFormat> =
        formats.into_iter().filter(|f| seen.insert(f.extension())).collect();
    if formats.is_empty() {
        bail!("no output format given");
    }
    let from = match cli.from {
        Some(From::Html) => Some(InputFormat::Html),
        Some(From::Text) => Some(InputFormat::Text),
        None => config.from,
    };
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose || config.verbose == Some(true) {
        Verbosity::Verbose
    } else if config.quiet == Some(true) {
        Verbosity::Quiet
    } else {
        Verbosity::Normal
    };
    let env_epoch: Option<i64> =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok());
    let authors = if cli.authors.is_empty() {
        config.author.as_ref().map(|a| a.items(false)).unwrap_or_default()
    } else {
        cli.authors.clone()
    };
    let style = match cli.style.as_ref().or(config.style.as_ref()) {
        Some(name) => {
            offprint::style::Style::resolve(name).with_context(|| format!("--style {name}"))?
        }
        None => offprint::style::Style::default(),
    };
    let css = match cli.css.as_ref().or(config.css.as_ref()) {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the stylesheet", path.display()))?,
        None => String::new(),
    };
    let cover = match cli.cover.as_ref().or(config.cover.as_ref()) {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("{}: cannot read the cover image", path.display()))?;
            if offprint::sniff_image_mime(&bytes).is_none_or(|m| m == "image/svg+xml") {
                bail!("{}: the cover must be a PNG, JPEG, GIF or WebP image", path.display());
            }
            Some(bytes)
        }
        None => None,
    };
    let opts = Options {
        title: cli.title.clone().or_else(|| config.title.clone()),
        authors,
        lang: cli.lang.clone().or_else(|| config.lang.clone()),
        base_url: cli.base_url.clone().or_else(|| config.base_url.clone()),
        source_date_epoch: env_epoch,
        style,
        css,
        cover,
        no_cover: cli.no_cover || config.no_cover == Some(true),
        ..Options::default()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(Settings {
        output: cli.output.clone().or_else(|| config.output.clone()).unwrap_or("output".into()),
        formats,
        from,
        opts,
        verbosity,
        jobs: cli.jobs.map(|j| j as usize).or(config.jobs).unwrap_or(cores).max(1),
        images: !(cli.no_images || config.no_images == Some(true)),
        timeout: cli.timeout.or(config.timeout).unwrap_or(30),
        env_epoch: env_epoch.is_some(),
        bundle: cli.bundle.clone().filter(|t| !t.trim().is_empty()),
        system_fonts: !cli.no_system_fonts,
    })
}

fn is_warc(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase());
    name.is_some_and(|n| n.ends_with(".warc") || n.ends_with(".warc.gz"))
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf).context("cannot read standard input")?;
    Ok(buf)
}

/// The input arguments: positional ones, then the `--from-list` lines.
fn input_args(cli: &Cli) -> Result<Vec<String>> {
    let mut args = cli.inputs.clone();
    if let Some(list) = &cli.from_list {
        let text = if list == "-" {
            if args.iter().any(|a| a == "-") {
                bail!("standard input cannot be both the list (`--from-list -`) and an input");
            }
            String::from_utf8_lossy(&read_stdin()?).into_owned()
        } else {
            std::fs::read_to_string(list)
                .with_context(|| format!("{list}: cannot read the list"))?
        };
        args.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from),
        );
    }
    if args.is_empty() {
        bail!("no inputs given");
    }
    Ok(args)
}

/// Turn the arguments into jobs, in order, each with its final edition stem. Web archives
/// are read here, so their pages get names before anything runs in parallel.
fn collect_jobs(args: &[String]) -> Result<Vec<Job>> {
    let mut stems = StemAllocator::default();
    let mut jobs = Vec::new();
    let mut stdin_used = false;
    for arg in args {
        if arg == "-" {
            if stdin_used {
                bail!("`-` (standard input) given more than once");
            }
            stdin_used = true;
            jobs.push(Job {
                label: "<stdin>".into(),
                stem: stems.claim("stdin"),
                source: Source::Stdin(read_stdin()?),
            });
        } else if fetch::is_url(arg) {
            jobs.push(Job {
                label: arg.clone(),
                stem: stems.claim(&url_slug(arg)),
                source: Source::Url(arg.clone()),
            });
        } else {
            let path = PathBuf::from(arg);
            if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                    .with_context(|| format!("{arg}: cannot list the folder"))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .filter(|p| {
                        is_warc(p)
                            || p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                                INPUT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                            })
                    })
                    .collect();
                files.sort();
                if files.is_empty() {
                    eprintln!(
                        "offprint: {arg}: no .html, .htm, .xhtml, .txt or .warc files in this folder"
                    );
                }
                for f in files {
                    push_file(f, &mut jobs, &mut stems);
                }
            } else {
                // A missing file is reported when it is converted, like any failing input.
                push_file(path, &mut jobs, &mut stems);
            }
        }
    }
    Ok(jobs)
}

fn push_file(path: PathBuf, jobs: &mut Vec<Job>, stems: &mut StemAllocator) {
    if is_warc(&path) {
        push_archive(&path, jobs, stems);
        return;
    }
    let stem = path.file_stem().map_or("output".into(), |s| s.to_string_lossy().into_owned());
    jobs.push(Job {
        label: path.display().to_string(),
        stem: stems.claim(&stem),
        source: Source::File(path),
    });
}

/// One job per page captured in the archive (named after its URL), one failed job per
/// damaged record; the archive's images are shared by its pages.
fn push_archive(path: &Path, jobs: &mut Vec<Job>, stems: &mut StemAllocator) {
    let label = path.display().to_string();
    let broken = |reason: String| Job {
        label: label.clone(),
        stem: String::new(),
        source: Source::Broken(reason),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            jobs.push(broken(read_error(&e)));
            return;
        }
    };
    let mut images = BTreeMap::new();
    let mut pages = Vec::new();
    for c in offprint::warc::captures(&bytes) {
        match c {
            Ok(c) => match c.mime.as_deref() {
                Some(m) if m.starts_with("image/") => {
                    images.insert(without_fragment(&c.uri).to_string(), c.body);
                }
                // Pages are web pages: crawler notes such as wget's `metadata://` log
                // records are plain text too, but not articles.
                Some(m) if fetch::is_page_mime(m) && fetch::is_url(&c.uri) => pages.push(Ok(c)),
                _ => {}
            },
            Err(e) => pages.push(Err(e)),
        }
    }
    if pages.is_empty() {
        jobs.push(broken("no HTML or text pages in this web archive".into()));
        return;
    }
    let images = Arc::new(images);
    for p in pages {
        match p {
            Ok(capture) => jobs.push(Job {
                label: format!("{label} ({})", capture.uri),
                stem: stems.claim(&url_slug(&capture.uri)),
                source: Source::Capture { capture, images: Arc::clone(&images) },
            }),
            Err(e) => jobs.push(broken(e.to_string())),
        }
    }
}

fn read_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::IsADirectory => "is a folder".into(),
        _ => format!("cannot read the file: {e}"),
    }
}

/// Convert every input; returns the number of failures.
fn run(cli: &Cli) -> Result<usize> {
    let config = load_config(cli)?;
    let settings = settings(cli, &config)?;
    let jobs = collect_jobs(&input_args(cli)?)?;
    // With fewer inputs than workers, the readers' patterns are built on a spare core while
    // the first page is read and parsed: a quarter less wall time for one short article.
    // (A batch keeps every core busy anyway, and another thread's heap would only add to
    // its peak memory.) Output does not depend on it.
    if jobs.len() < settings.jobs.max(2) {
        std::thread::spawn(offprint::read::html::notices::warm_up);
    }
    let to_stdout = settings.output == "-";
    if to_stdout && (settings.formats.len() != 1 || jobs.len() != 1) {
        bail!(
            "`-o -` writes one format of one input to standard output; got {} format(s) and {} input(s)",
            settings.formats.len(),
            jobs.len()
        );
    }
    let out_dir = PathBuf::from(&settings.output);
    if !to_stdout {
        std::fs::create_dir_all(&out_dir)
            .with_context(|| format!("{}: cannot create the output folder", out_dir.display()))?;
    }
    let defaults = FetchOptions::default();
    let timeout = Duration::from_secs(settings.timeout);
    let fetcher = Fetcher::new(&FetchOptions {
        timeout,
        connect_timeout: defaults.connect_timeout.min(timeout),
        ..defaults
    });
    let ctx = Ctx { settings: &settings, fetcher, to_stdout, out_dir };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs)
        .build()
        .context("cannot start the worker threads")?;

    let started = Instant::now();
    if let Some(title) = &settings.bundle {
        return run_bundle(title, &jobs, &ctx, &pool, started);
    }
    let reporter = Reporter::new(jobs.len(), settings.verbosity);
    let outcomes: Vec<Outcome> = pool.install(|| {
        jobs.par_iter()
            .enumerate()
            .map(|(i, job)| {
                let t = Instant::now();
                let outcome = convert(job, &ctx);
                reporter.done(i, job, &outcome, t.elapsed());
                outcome
            })
            .collect()
    });
    reporter.finish();

    let failures: Vec<(&Job, &String)> =
        jobs.iter().zip(&outcomes).filter_map(|(j, o)| o.as_ref().err().map(|e| (j, e))).collect();
    if settings.verbosity >= Verbosity::Normal {
        let secs = started.elapsed().as_secs_f64();
        let converted = jobs.len() - failures.len();
        let rate = if secs > 0.0 { jobs.len() as f64 / secs } else { 0.0 };
        let place =
            if to_stdout { String::new() } else { format!(" into {}", ctx.out_dir.display()) };
        eprintln!(
            "converted {converted}{place}, failed {}, in {secs:.2} s ({rate:.1} inputs/s)",
            failures.len()
        );
        for (job, reason) in &failures {
            eprintln!("  {}: {reason}", job.label);
        }
    }
    Ok(failures.len())
}

/// `--bundle`: read every input (in parallel), then write one book of those that read.
fn run_bundle(
    title: &str,
    jobs: &[Job],
    ctx: &Ctx,
    pool: &rayon::ThreadPool,
    started: Instant,
) -> Result<usize> {
    let loaded: Vec<std::result::Result<Loaded, String>> =
        pool.install(|| jobs.par_iter().map(|job| load(job, ctx)).collect());
    let mut docs = Vec::new();
    let mut opts = ctx.settings.opts.clone();
    let mut failures = 0;
    for (job, l) in jobs.iter().zip(loaded) {
        match l {
            Ok((doc, o, notes)) => {
                for n in notes {
                    if ctx.settings.verbosity >= Verbosity::Normal {
                        eprintln!("{}: {n}", job.label);
                    }
                }
                opts.images.extend(o.images);
                docs.push(doc);
            }
            Err(e) => {
                failures += 1;
                eprintln!("{}: {e}", job.label);
            }
        }
    }
    if docs.is_empty() {
        bail!("--bundle: no input could be read");
    }
    // Markdown and PDF link bundled articles to their chapters (`#anchor`); plain text and
    // JSON keep the web addresses, which mean something outside the book too.
    let mut book = offprint::bundle::bundle_document(&docs, title);
    let mut linked_book = offprint::bundle::bundle_document_with_anchors(&docs, title);
    if !opts.authors.is_empty() {
        book.meta.authors.clone_from(&opts.authors);
        linked_book.meta.authors.clone_from(&opts.authors);
    }
    let mut editions = Vec::new();
    let mut notes = Vec::new();
    for &f in &ctx.settings.formats {
        let data = match f {
            OutputFormat::Epub => {
                offprint::emit::epub::write_book(&docs, title, &offprint::epub_options(&opts))
            }
            OutputFormat::Pdf => render_pdf(&linked_book, &opts, true, ctx, &mut notes),
            OutputFormat::Md => offprint::write_edition(&linked_book, f, &opts),
            OutputFormat::Txt | OutputFormat::Json => offprint::write_edition(&book, f, &opts),
        };
        editions.push((f, data.with_context(|| format!("--bundle {title}"))?));
    }
    let stem = offprint::batch::slugify(title);
    let stem = if stem.is_empty() { "book".to_string() } else { stem };
    match write_rendered(editions, &stem, notes, ctx) {
        Ok(done) => {
            if ctx.settings.verbosity >= Verbosity::Normal {
                eprintln!(
                    "bound {} article(s) into {} in {:.2} s, failed {failures}",
                    docs.len(),
                    done.written.join(", "),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Err(e) => bail!("--bundle {title}: {e}"),
    }
    Ok(failures)
}

struct Ctx<'a> {
    settings: &'a Settings,
    fetcher: Fetcher,
    to_stdout: bool,
    out_dir: PathBuf,
}

/// Prints per-input messages in input order as jobs finish (whatever order they finish
/// in), above a progress bar when stderr is a terminal.
struct Reporter {
    bar: ProgressBar,
    verbosity: Verbosity,
    state: Mutex<(usize, BTreeMap<usize, Vec<String>>)>,
}

impl Reporter {
    fn new(total: usize, verbosity: Verbosity) -> Self {
        let visible =
            total > 1 && verbosity >= Verbosity::Normal && std::io::stderr().is_terminal();
        let target =
            if visible { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} inputs  {rate}  ETA {eta}  {elapsed}",
        ) {
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1}/s", state.per_sec());
                },
            ));
        }
        Reporter { bar, verbosity, state: Mutex::new((0, BTreeMap::new())) }
    }

    fn done(&self, index: usize, job: &Job, outcome: &Outcome, took: Duration) {
        let mut lines = Vec::new();
        match outcome {
            Err(reason) => lines.push(format!("{}: {reason}", job.label)),
            Ok(done) => {
                if self.verbosity >= Verbosity::Normal {
                    lines.extend(done.notes.iter().map(|n| format!("{}: warning: {n}", job.label)));
                }
                if self.verbosity >= Verbosity::Verbose {
                    lines.push(format!(
                        "{} → {} ({} ms)",
                        job.label,
                        done.written.join(", "),
                        took.as_millis()
                    ));
                }
            }
        }
        if let Ok(mut state) = self.state.lock() {
            state.1.insert(index, lines);
            loop {
                let next = state.0;
                let Some(lines) = state.1.remove(&next) else { break };
                state.0 += 1;
                if !lines.is_empty() {
                    self.bar.suspend(|| {
                        for l in &lines {
                            eprintln!("{l}");
                        }
                    });
                }
            }
        }
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The media types that certainly are not pages.
fn is_non_page_mime(mime: &str) -> bool {
    ["image/", "audio/", "video/", "font/"].iter().any(|p| mime.starts_with(p))
        || matches!(
            mime,
            "application/pdf" | "application/zip" | "application/gzip" | "application/json"
        )
}

fn convert(job: &Job, ctx: &Ctx) -> Outcome {
    let (doc, opts, notes) = load(job, ctx)?;
    write_editions(&doc, &opts, &job.stem, notes, ctx)
}

/// A read document, the options to write it with (its images included), and notes.
type Loaded = (offprint::Document, Options, Vec<String>);

/// Read one input into a document, gathering the images its editions embed.
fn load(job: &Job, ctx: &Ctx) -> std::result::Result<Loaded, String> {
    let s = ctx.settings;
    let mut opts = s.opts.clone();
    if s.bundle.is_some() {
        // In a book, `--author` names the book's authors (see `run_bundle`); each chapter
        // keeps its own byline, and its own title (a `title` in offprint.toml would
        // otherwise give every chapter the same one; `--title` is refused with `--bundle`).
        opts.authors.clear();
        opts.title = None;
    }
    let mut notes = Vec::new();
    let mut page_url: Option<String> = None;
    let (bytes, name, mime): (Cow<[u8]>, Option<String>, Option<String>) = match &job.source {
        Source::Broken(reason) => return Err(reason.clone()),
        Source::Stdin(b) => (Cow::Borrowed(b.as_slice()), None, None),
        Source::File(p) => {
            let b = std::fs::read(p).map_err(|e| read_error(&e))?;
            (Cow::Owned(b), p.file_name().map(|n| n.to_string_lossy().into_owned()), None)
        }
        Source::Url(u) => {
            let f = ctx.fetcher.get(u, None).map_err(|e| e.to_string())?;
            if !s.env_epoch {
                opts.source_date_epoch = f.date.or(opts.source_date_epoch);
            }
            let bytes = transcode(f.bytes, f.mime.as_deref(), f.charset.as_deref());
            page_url = Some(f.url.clone());
            (Cow::Owned(bytes), last_segment(&f.url), f.mime)
        }
        Source::Capture { capture, .. } => {
            if !s.env_epoch {
                opts.source_date_epoch = capture.timestamp().or(opts.source_date_epoch);
            }
            let bytes = transcode(
                capture.body.clone(),
                capture.mime.as_deref(),
                capture.charset.as_deref(),
            );
            page_url = Some(capture.uri.clone());
            (Cow::Owned(bytes), last_segment(&capture.uri), capture.mime.clone())
        }
    };
    let format = match (s.from, mime.as_deref()) {
        (Some(f), _) => f,
        (None, Some("text/html" | "application/xhtml+xml")) => InputFormat::Html,
        (None, Some("text/plain")) => InputFormat::Text,
        (None, Some(m)) if is_non_page_mime(m) => {
            return Err(format!("not a web page (Content-Type {m})"))
        }
        (None, _) => offprint::detect_format(name.as_deref(), &bytes),
    };
    if let Some(u) = &page_url {
        opts.source = Some(u.clone());
        opts.base_url = Some(u.clone());
    }
    let doc = offprint::read_document(bytes, format, &opts).map_err(|e| e.to_string())?;

    if s.formats.iter().any(|f| f.embeds_images()) {
        let wanted = image_urls(&doc, opts.base_url.as_deref());
        match &job.source {
            Source::Capture { images, .. } => {
                for u in wanted {
                    match images.get(without_fragment(&u)) {
                        Some(b) => {
                            opts.images.insert(u, b.clone());
                        }
                        None => notes.push(format!("image {u} is not in the archive")),
                    }
                }
            }
            Source::Url(_) if s.images && !wanted.is_empty() => {
                if wanted.len() > MAX_IMAGES_PER_PAGE {
                    notes.push(format!(
                        "{} images; only the first {MAX_IMAGES_PER_PAGE} are fetched",
                        wanted.len()
                    ));
                }
                let wanted: Vec<String> = wanted.into_iter().take(MAX_IMAGES_PER_PAGE).collect();
                let fetched = ctx.fetcher.get_all(&wanted, page_url.as_deref(), IMAGE_CONCURRENCY);
                for (u, r) in fetched {
                    match r {
                        Ok(b) => {
                            opts.images.insert(u, b);
                        }
                        Err(e) => notes.push(format!("image {u}: {e}")),
                    }
                }
            }
            Source::File(p) => {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let base = opts.base_url.as_deref().and_then(|b| url::Url::parse(b).ok());
                for src in offprint::images::figure_srcs(&doc) {
                    // With --base-url the reader made relative srcs absolute: a src under
                    // the base's folder is looked for beside the page first.
                    if let Some(rel) = base.as_ref().and_then(|b| under_base(b, &src)) {
                        if let Ok(Some(b)) = offprint::images::read_local(dir, &rel) {
                            opts.images.insert(src, b);
                        }
                        continue;
                    }
                    match offprint::images::read_local(dir, &src) {
                        Ok(Some(b)) => {
                            opts.images.insert(src, b);
                        }
                        Ok(None) => {}
                        Err(e) => notes.push(format!("image {src}: {e}")),
                    }
                }
            }
            _ => {}
        }
        for (src, r) in offprint::images::inline_images(&doc) {
            match r {
                Ok(b) => {
                    opts.images.insert(src, b);
                }
                Err(e) => notes.push(format!("image {}: {e}", short_src(&src))),
            }
        }
        // Supported formats at a sensible size for both writers; the rest is left out.
        let gathered = std::mem::take(&mut opts.images);
        for (src, b) in gathered {
            if src.starts_with("data:") {
                opts.images.insert(src, b);
                continue;
            }
            match offprint::images::prepare(b) {
                Ok(b) => {
                    opts.images.insert(src, b);
                }
                Err(e) => notes.push(format!("image {}: {e}", short_src(&src))),
            }
        }
    }
    Ok((doc, opts, notes))
}

/// `src` relative to the folder of `base` when it lies under it (same origin, no `..`).
fn under_base(base: &url::Url, src: &str) -> Option<String> {
    let u = url::Url::parse(src).ok()?;
    if !matches!(u.scheme(), "http" | "https") || u.origin() != base.origin() {
        return None;
    }
    let rel = base.make_relative(&u)?;
    (!rel.is_empty() && !rel.starts_with("../") && !rel.starts_with('/')).then_some(rel)
}

/// A figure `src` short enough for a note (`data:` URIs are cut).
fn short_src(src: &str) -> String {
    if src.len() > 80 {
        format!("{}…", src.chars().take(40).collect::<String>())
    } else {
        src.to_string()
    }
}

/// Render every edition of `doc` (in memory first, so a failure leaves no file behind),
/// then write them as `<stem>.<ext>`, all or none.
fn write_editions(
    doc: &offprint::Document,
    opts: &Options,
    stem: &str,
    mut notes: Vec<String>,
    ctx: &Ctx,
) -> Outcome {
    let mut editions = Vec::new();
    for &f in &ctx.settings.formats {
        let data = if f == OutputFormat::Pdf {
            render_pdf(doc, opts, false, ctx, &mut notes).map_err(|e| e.to_string())?
        } else {
            offprint::write_edition(doc, f, opts).map_err(|e| e.to_string())?
        };
        editions.push((f, data));
    }
    write_rendered(editions, stem, notes, ctx)
}

/// The PDF edition, with system fonts for what the shipped fonts lack (unless turned off).
/// The writer reports what it could not set well (characters no font covers, undecodable
/// images) into `notes`: never a silent loss.
/// The PDF of `doc`; `contents`: with a contents page (a book).
fn render_pdf(
    doc: &offprint::Document,
    opts: &Options,
    contents: bool,
    ctx: &Ctx,
    notes: &mut Vec<String>,
) -> offprint::Result<Vec<u8>> {
    let mut pdf_opts = offprint::pdf_options(opts);
    pdf_opts.contents = contents;
    if ctx.settings.system_fonts && pdf_opts.fallback_fonts.is_empty() {
        let uncovered = offprint::emit::pdf::uncovered_chars(doc, &pdf_opts);
        if !uncovered.is_empty() {
            pdf_opts.fallback_fonts = system_fonts_for(&uncovered);
        }
    }
    let (data, warnings) = offprint::emit::pdf::write_with_warnings(doc, &pdf_opts)?;
    notes.extend(warnings.into_iter().map(|w| format!("pdf: {w}")));
    Ok(data)
}

/// Most system font families handed to the PDF writer for one document (each with up to
/// three style siblings).
const MAX_SYSTEM_FONTS: usize = 4;

/// A system font file and the characters it covers.
struct SystemFont {
    path: PathBuf,
    /// Family name (the first fontconfig lists).
    family: String,
    /// Regular upright face (preferred among faces that cover as much).
    regular: bool,
    /// Regular or bold weight at normal width: a style sibling worth passing along with the
    /// regular face, so bold and italic text find their own fallback face.
    sibling: bool,
    /// Sorted, disjoint code point ranges.
    ranges: Vec<(u32, u32)>,
}

impl SystemFont {
    fn covers(&self, c: char) -> bool {
        let u = c as u32;
        let i = self.ranges.partition_point(|r| r.1 < u);
        self.ranges.get(i).is_some_and(|r| r.0 <= u)
    }
}

/// The installed fonts (TrueType/OpenType files, first face of collections), sorted by path:
/// from fontconfig (`fc-list`), or, without it, by reading the font folders.
fn system_fonts() -> &'static [SystemFont] {
    static FONTS: std::sync::OnceLock<Vec<SystemFont>> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let mut fonts = fc_list_fonts().unwrap_or_else(scan_font_dirs);
        fonts.sort_by(|a, b| a.path.cmp(&b.path));
        fonts.dedup_by(|a, b| a.path == b.path);
        fonts
    })
}

fn is_font_file(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc")
}

/// Fonts and their charsets as fontconfig lists them; `None` when `fc-list` cannot run.
fn fc_list_fonts() -> Option<Vec<SystemFont>> {
    let out = std::process::Command::new("fc-list")
        .arg("--format")
        .arg("%{file}\t%{index}\t%{weight}\t%{slant}\t%{width}\t%{family[0]}\t%{charset}\n")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fonts = Vec::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let fields = (f.next(), f.next(), f.next(), f.next(), f.next(), f.next(), f.next());
        let (
            Some(file),
            Some(index),
            Some(weight),
            Some(slant),
            Some(width),
            Some(family),
            Some(charset),
        ) = fields
        else {
            continue;
        };
        let path = PathBuf::from(file);
        if index.trim() != "0" || !is_font_file(&path) {
            continue;
        }
        let ranges = charset
            .split_whitespace()
            .filter_map(|r| {
                let (a, b) = r.split_once('-').unwrap_or((r, r));
                Some((u32::from_str_radix(a, 16).ok()?, u32::from_str_radix(b, 16).ok()?))
            })
            .collect();
        // fontconfig: weight 80 is regular (variable fonts list a range), slant 0 is roman.
        // 200 is bold, width 100 is normal.
        let weight = weight.trim();
        let regular = weight == "80" && slant.trim() == "0";
        let sibling = (weight == "80" || weight == "200") && width.trim() == "100";
        let family = family.to_string();
        fonts.push(SystemFont { path, family, regular, sibling, ranges });
    }
    Some(fonts)
}

/// Without fontconfig: read the usual font folders and each font's character map.
fn scan_font_dirs() -> Vec<SystemFont> {
    let mut files = Vec::new();
    let mut dirs: Vec<PathBuf> =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts"]
            .iter()
            .map(PathBuf::from)
            .collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if is_font_file(&p) {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let face = rustybuzz::ttf_parser::Face::parse(&bytes, 0).ok()?;
            let mut ranges: Vec<(u32, u32)> = Vec::new();
            let mut cps = Vec::new();
            if let Some(cmap) = face.tables().cmap {
                for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                    sub.codepoints(|c| cps.push(c));
                }
            }
            cps.sort_unstable();
            cps.dedup();
            for c in cps {
                match ranges.last_mut() {
                    Some(r) if r.1 + 1 == c => r.1 = c,
                    _ => ranges.push((c, c)),
                }
            }
            let upright = !face.is_italic() && !face.is_oblique();
            let normal = face.width() == rustybuzz::ttf_parser::Width::Normal;
            let weight = face.weight().to_number();
            let regular = weight == 400 && upright && normal;
            let sibling = (weight == 400 || weight == 700) && normal;
            let family = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::FAMILY && n.is_unicode())
                .find_map(|n| n.to_string())
                .unwrap_or_default();
            Some(SystemFont { path, family, regular, sibling, ranges })
        })
        .collect()
}

/// Font files (bytes) covering `chars`: the installed font covering the most of the
/// characters still uncovered, then the next, up to [`MAX_SYSTEM_FONTS`]; regular faces and
/// then paths break ties, so the choice is deterministic. Empty when no font helps.
fn system_fonts_for(chars: &BTreeSet<char>) -> Vec<Vec<u8>> {
    let fonts = system_fonts();
    let mut left: Vec<char> = chars.iter().copied().collect();
    let mut out = Vec::new();
    let mut families = 0;
    while !left.is_empty() && families < MAX_SYSTEM_FONTS {
        families += 1;
        let best = fonts
            .iter()
            .map(|f| (left.iter().filter(|c| f.covers(**c)).count(), f))
            .filter(|(n, _)| *n > 0)
            .max_by(|(n1, f1), (n2, f2)| {
                n1.cmp(n2).then(f1.regular.cmp(&f2.regular)).then(f2.path.cmp(&f1.path))
            });
        let Some((_, font)) = best else { break };
        left.retain(|c| !font.covers(*c));
        if let Ok(bytes) = std::fs::read(&font.path) {
            out.push(bytes);
        }
        // Its bold and italic siblings, for text in those styles.
        let siblings = fonts.iter().filter(|f| {
            f.sibling && f.path != font.path && !font.family.is_empty() && f.family == font.family
        });
        for f in siblings.take(3) {
            if let Ok(bytes) = std::fs::read(&f.path) {
                out.push(bytes);
            }
        }
    }
    out
}

/// Write rendered editions to standard output or as `<stem>.<ext>`, all or none.
fn write_rendered(
    editions: Vec<(OutputFormat, Vec<u8>)>,
    stem: &str,
    notes: Vec<String>,
    ctx: &Ctx,
) -> Outcome {
    let mut written = Vec::new();
    if ctx.to_stdout {
        for (_, data) in editions {
            write_stdout(&data).map_err(|e| format!("{e:#}"))?;
            written.push("stdout".into());
        }
        return Ok(Done { written, notes });
    }
    let mut paths = Vec::new();
    for (f, data) in editions {
        let path = ctx.out_dir.join(format!("{stem}.{}", f.extension()));
        if let Err(e) = write_atomically(&path, &data) {
            // Take back this input's editions already in place: all or nothing.
            for p in &paths {
                let _ = std::fs::remove_file(p);
            }
            return Err(format!("{e:#}"));
        }
        written.push(path.display().to_string());
        paths.push(path);
    }
    Ok(Done { written, notes })
}

/// Make a transport-declared charset binding (see [`fetch::to_utf8_with_bom`]) for pages.
fn transcode(bytes: Vec<u8>, mime: Option<&str>, charset: Option<&str>) -> Vec<u8> {
    match mime {
        Some(m) if fetch::is_page_mime(m) => fetch::to_utf8_with_bom(bytes, charset),
        _ => bytes,
    }
}

/// The last path segment of a URL, to guess the format from its extension.
fn last_segment(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    u.path_segments()?.next_back().filter(|s| !s.is_empty()).map(String::from)
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
