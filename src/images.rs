//! Images made ready for the editions: formats every reading system and the PDF writer
//! support (PNG, JPEG, GIF), no larger than a page needs, no scripts.
//!
//! [`prepare`] is pure and deterministic: the same bytes in give the same bytes out.

use std::io::Cursor;
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::model::{Block, Document};

/// Longest side, in pixels, of an image in an edition; larger images are scaled down.
pub const MAX_SIDE: u32 = 1600;

/// Largest image file read or converted, in bytes.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Largest side accepted from a file (a guard against decompression bombs).
const MAX_DECODE_SIDE: u32 = 20_000;

/// Most memory one decode may allocate.
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

/// JPEG quality for converted and downscaled photographs.
const JPEG_QUALITY: u8 = 85;

/// Make image bytes fit for the editions: PNG, JPEG and GIF at most [`MAX_SIDE`] pixels
/// on the long side and without an EXIF orientation to apply are kept as they are; larger
/// ones are scaled down; images tagged as stored rotated or mirrored are turned upright;
/// WebP and other decodable formats are converted (PNG for lossless or transparent images,
/// JPEG for photographs); SVG is kept unless it carries a script.
///
/// The error is a reason to leave the image out, for a note.
pub fn prepare(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("larger than {} MB", MAX_BYTES / (1024 * 1024)));
    }
    match crate::sniff_image_mime(&bytes) {
        Some("image/svg+xml") => {
            return if contains_script(&bytes) {
                Err("SVG with a script left out".into())
            } else {
                Ok(bytes)
            };
        }
        Some(_) => {}
        None if is_avif(&bytes) => return Err("AVIF images cannot be converted".into()),
        None => return Err("not a recognised image format".into()),
    }
    let format = image::guess_format(&bytes).map_err(|e| e.to_string())?;
    let kept = matches!(format, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif);
    let mut decoder = reader(&bytes)?.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    // Photographs from phones are often stored sideways with an EXIF Orientation tag that
    // browsers follow but PDF and many reading systems do not: turn the pixels upright (the
    // re-encoded file carries no tag). An unreadable tag counts as none.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let upright = orientation == Orientation::NoTransforms;
    if kept && upright && w.max(h) <= MAX_SIDE {
        drop(decoder);
        return Ok(bytes);
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    let img = if w.max(h) > MAX_SIDE {
        img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let photo = match format {
        ImageFormat::Jpeg => true,
        ImageFormat::WebP => is_lossy_webp(&bytes) && !img.color().has_alpha(),
        _ => false,
    };
    if photo {
        encode_jpeg(&img)
    } else {
        encode_png(&img)
    }
}

/// The `src` of every figure of `doc` (body and notes), each once, in reading order.
pub fn figure_srcs(doc: &Document) -> Vec<String> {
    fn walk(blocks: &[Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Figure { src, .. } if !out.contains(src) => out.push(src.clone()),
                Block::Quote { blocks, .. } => walk(blocks, out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.blocks, &mut out);
    for n in &doc.footnotes {
        walk(&n.blocks, &mut out);
    }
    out
}

/// The images carried in `data:` URIs by the figures of `doc`, decoded and prepared, by
/// `src`; the error is a reason for a note.
pub fn inline_images(doc: &Document) -> Vec<(String, Result<Vec<u8>, String>)> {
    figure_srcs(doc)
        .into_iter()
        .filter(|s| s.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("data:")))
        .map(|s| {
            let r = crate::emit::epub::images::decode_data_uri(&s)
                .ok_or_else(|| "undecodable data: URI".to_string())
                .and_then(prepare);
            (s, r)
        })
        .collect()
}

/// Read the local image a figure `src` names, for an HTML file in `dir`: a relative path
/// (percent-encoded as in a URL) or a `file:` URL, resolved against `dir`. `Ok(None)` when
/// `src` is not a local reference (`http:`, `data:`, …). Files outside `dir`'s tree (`..`
/// escapes, absolute paths, links pointing out), missing or larger than [`MAX_BYTES`] are
/// refused with a reason for a note.
pub fn read_local(dir: &Path, src: &str) -> Result<Option<Vec<u8>>, String> {
    let src = src.trim();
    let file_url = match url::Url::parse(src) {
        Ok(u) if u.scheme() == "file" => u,
        Ok(_) => return Ok(None),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let root = dir.canonicalize().map_err(|e| format!("folder {}: {e}", dir.display()))?;
            let base = url::Url::from_directory_path(&root)
                .map_err(|()| format!("folder {} is not absolute", root.display()))?;
            base.join(src).map_err(|e| e.to_string())?
        }
        Err(_) => return Ok(None),
    };
    let path = file_url.to_file_path().map_err(|()| "not a local path".to_string())?;
    let root = dir.canonicalize().map_err(|e| format!("folder {}: {e}", dir.display()))?;
    let real = path.canonicalize().map_err(|_| "not found".to_string())?;
    if !real.starts_with(&root) {
        return Err("outside the page's folder, not read".into());
    }
    let meta = std::fs::metadata(&real).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("larger than {} MB", MAX_BYTES / (1024 * 1024)));
    }
    std::fs::read(&real).map(Some).map_err(|e| e.to_string())
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
    let mut r =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    r.limits(limits);
    Ok(r)
}

fn encode_png(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let img = match img {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => img.clone(),
        _ if img.color().has_alpha() => DynamicImage::ImageRgba8(img.to_rgba8()),
        _ => DynamicImage::ImageRgb8(img.to_rgb8()),
    };
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    rgb.write_with_encoder(enc).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Whether a WebP file holds a lossy (VP8) bitstream: photographs, re-encoded as JPEG.
fn is_lossy_webp(bytes: &[u8]) -> bool {
    bytes.windows(4).take(64).any(|w| w == b"VP8 ")
}

fn is_avif(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp")
        && bytes.get(8..12).is_some_and(|b| b == b"avif" || b == b"avis")
}

fn contains_script(svg: &[u8]) -> bool {
    let text = String::from_utf8_lossy(svg).to_ascii_lowercase();
    text.contains("<script") || has_event_attribute(&text)
}

/// Whether SVG markup carries an event handler attribute (`onload=`, `onclick=`, …).
fn has_event_attribute(text: &str) -> bool {
    text.match_indices("on").any(|(i, _)| {
        let after_space =
            text.get(..i).and_then(|t| t.chars().last()).is_some_and(char::is_whitespace);
        let rest = text.get(i + 2..).unwrap_or("");
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        after_space
            && name_len > 0
            && rest.get(name_len..).is_some_and(|r| r.trim_start().starts_with('='))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 251) as u8, (y % 241) as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img).write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn dims(bytes: &[u8]) -> (u32, u32) {
        let img = image::load_from_memory(bytes).unwrap();
        (img.width(), img.height())
    }

    #[test]
    fn small_supported_images_pass_untouched() {
        let p = png(40, 30);
        assert_eq!(prepare(p.clone()).unwrap(), p);
    }

    #[test]
    fn large_png_is_downscaled_deterministically() {
        let big = png(4000, 3000);
        let a = prepare(big.clone()).unwrap();
        assert_eq!(crate::sniff_image_mime(&a), Some("image/png"));
        assert_eq!(dims(&a), (1600, 1200));
        assert_eq!(prepare(big).unwrap(), a);
    }

    #[test]
    fn large_jpeg_stays_jpeg() {
        let img = RgbImage::from_fn(2000, 500, |x, _| Rgb([(x % 256) as u8, 10, 200]));
        let mut jpg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 90)
            .write_image(img.as_raw(), 2000, 500, image::ExtendedColorType::Rgb8)
            .unwrap();
        let out = prepare(jpg).unwrap();
        assert_eq!(crate::sniff_image_mime(&out), Some("image/jpeg"));
        assert_eq!(dims(&out), (1600, 400));
    }

    /// A `w`×`h` JPEG, red on its left half and blue on its right.
    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img =
            RgbImage::from_fn(
                w,
                h,
                |x, _| if x < w / 2 { Rgb([220, 0, 0]) } else { Rgb([0, 0, 220]) },
            );
        let mut jpg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 90)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        jpg
    }

    /// `jpeg` with an APP1 Exif segment right after SOI holding one IFD entry:
    /// Orientation (0x0112, SHORT) = `value`, big-endian TIFF.
    fn with_orientation(jpeg: &[u8], value: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_be_bytes());
        tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_be_bytes()); // one value
        tiff.extend_from_slice(&value.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]); // value padded to four bytes
        tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&tiff);
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut out = jpeg[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn orientation(bytes: &[u8]) -> Orientation {
        reader(bytes).unwrap().into_decoder().unwrap().orientation().unwrap()
    }

    #[test]
    fn exif_orientation_turns_photos_upright() {
        let plain = jpeg(40, 20);
        let tagged = with_orientation(&plain, 6);
        // The tag is read as the image crate reads it.
        assert_eq!(orientation(&tagged), Orientation::Rotate90);
        let out = prepare(tagged.clone()).unwrap();
        assert_eq!(crate::sniff_image_mime(&out), Some("image/jpeg"));
        assert_eq!(dims(&out), (20, 40), "sides swapped");
        // 6 means "rotate 90° clockwise to view": the left (red) half ends up on top.
        let img = image::load_from_memory(&out).unwrap().to_rgb8();
        let (top, bottom) = (img.get_pixel(10, 5), img.get_pixel(10, 35));
        assert!(top[0] > 150 && top[2] < 80, "top {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 80, "bottom {bottom:?}");
        // The output carries no tag to apply a second time, and stays as it is.
        assert_eq!(orientation(&out), Orientation::NoTransforms);
        assert_eq!(prepare(out.clone()).unwrap(), out);
        assert_eq!(prepare(tagged).unwrap(), out, "deterministic");
    }

    #[test]
    fn upright_jpegs_are_not_reencoded() {
        let plain = jpeg(40, 20);
        assert_eq!(prepare(plain.clone()).unwrap(), plain);
        let upright = with_orientation(&plain, 1);
        assert_eq!(prepare(upright.clone()).unwrap(), upright);
    }

    #[test]
    fn lossless_webp_becomes_png() {
        let img = RgbaImage::from_fn(64, 48, |x, y| Rgba([x as u8 * 3, y as u8 * 5, 7, 200]));
        let mut webp = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
            .write_image(img.as_raw(), 64, 48, image::ExtendedColorType::Rgba8)
            .unwrap();
        assert_eq!(crate::sniff_image_mime(&webp), Some("image/webp"));
        let out = prepare(webp.clone()).unwrap();
        assert_eq!(crate::sniff_image_mime(&out), Some("image/png"));
        assert_eq!(dims(&out), (64, 48));
        let back = image::load_from_memory(&out).unwrap().to_rgba8();
        assert_eq!(back.get_pixel(10, 20), img.get_pixel(10, 20));
        assert_eq!(prepare(webp).unwrap(), out);
    }

    #[test]
    fn scripted_svg_avif_and_junk_are_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>"#.to_vec();
        assert_eq!(prepare(svg.clone()).unwrap(), svg);
        let bad = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(prepare(bad.to_vec()).unwrap_err().contains("script"));
        let onload = br#"<svg xmlns="http://www.w3.org/2000/svg" onload = "x()"></svg>"#;
        assert!(prepare(onload.to_vec()).is_err());
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf".to_vec();
        assert!(prepare(avif).unwrap_err().contains("AVIF"));
        assert!(prepare(b"hello".to_vec()).is_err());
        assert!(prepare(b"\x89PNG\r\n\x1a\nbroken".to_vec()).is_err());
    }

    #[test]
    fn local_images_stay_inside_the_page_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let page = tmp.path().join("site");
        std::fs::create_dir_all(page.join("page_files")).unwrap();
        std::fs::write(page.join("page_files/a b.png"), b"A").unwrap();
        std::fs::write(tmp.path().join("secret.png"), b"S").unwrap();
        let ok = |s: &str| read_local(&page, s);
        assert_eq!(ok("page_files/a%20b.png").unwrap().as_deref(), Some(&b"A"[..]));
        assert_eq!(ok("./page_files/a b.png?x=1#f").unwrap().as_deref(), Some(&b"A"[..]));
        let url = url::Url::from_file_path(page.join("page_files/a b.png")).unwrap();
        assert_eq!(ok(url.as_str()).unwrap().as_deref(), Some(&b"A"[..]));
        assert!(ok("../secret.png").unwrap_err().contains("outside"));
        assert!(ok("page_files/../../secret.png").unwrap_err().contains("outside"));
        let abs = tmp.path().join("secret.png");
        assert!(ok(abs.to_str().unwrap()).is_err());
        assert!(ok("page_files/missing.png").unwrap_err().contains("not found"));
        assert_eq!(ok("https://example.com/a.png").unwrap(), None);
        assert_eq!(ok("data:image/png;base64,AAAA").unwrap(), None);
    }

    #[test]
    fn data_uri_figures_are_decoded() {
        use base64::Engine as _;
        let p = png(3, 2);
        let src = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&p)
        );
        let doc = Document {
            blocks: vec![
                Block::Figure { src: src.clone(), alt: String::new(), caption: vec![] },
                Block::Figure {
                    src: "data:image/png;base64,@@".into(),
                    alt: String::new(),
                    caption: vec![],
                },
                Block::Figure { src: "a.png".into(), alt: String::new(), caption: vec![] },
            ],
            ..Document::default()
        };
        let got = inline_images(&doc);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (src, Ok(p)));
        assert!(got[1].1.is_err());
    }
}
