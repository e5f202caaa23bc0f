//! lopdf post-processing: nested outline with precise destinations, `/Lang`, Info and XMP
//! metadata, PDF 1.7 header and deterministic file identifiers.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::PdfOptions;
use crate::error::{Error, Result};
use crate::model::Document;

/// One heading in the outline.
#[derive(Debug, Clone)]
pub(crate) struct OutlineItem {
    pub level: u8,
    pub title: String,
    /// 0-based page index.
    pub page: usize,
    pub x: f32,
    pub y: f32,
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as is, otherwise UTF-16BE with a BOM.
pub(crate) fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        // Long literal strings trip poppler's parser when lopdf writes them (seen with
        // titles over ~130 characters); hex strings are read fine.
        let format = if s.len() > 100 { StringFormat::Hexadecimal } else { StringFormat::Literal };
        Object::String(s.as_bytes().to_vec(), format)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// The document date as (PDF date string, XMP date string).
fn dates(doc: &Document, opts: &PdfOptions) -> Option<(String, String)> {
    use chrono::{DateTime, NaiveDate, Utc};
    let from_meta = doc.meta.date.as_deref().and_then(|d| {
        let d = d.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(d) {
            return Some(dt.with_timezone(&Utc));
        }
        let day = d.get(..10).unwrap_or(d);
        NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .ok()
            .and_then(|nd| nd.and_hms_opt(0, 0, 0))
            .map(|ndt| ndt.and_utc())
    });
    let dt = from_meta
        .or_else(|| opts.source_date_epoch.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0)))?;
    Some((dt.format("D:%Y%m%d%H%M%SZ").to_string(), dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn keywords(doc: &Document) -> Vec<String> {
    let mut k = Vec::new();
    if let Some(site) = &doc.meta.site {
        k.push(site.clone());
    }
    if let Some(src) = &doc.meta.source {
        if let Ok(u) = url::Url::parse(src) {
            if let Some(h) = u.host_str() {
                let h = h.trim_start_matches("www.").to_string();
                if !k.contains(&h) {
                    k.push(h);
                }
            }
        }
    }
    k
}

fn xmp(doc: &Document, date: Option<&str>) -> String {
    let m = &doc.meta;
    let mut d = String::new();
    d.push_str("   <dc:format>application/pdf</dc:format>\n");
    d.push_str(&format!(
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        xml_escape(doc.title_or_default())
    ));
    if !m.authors.is_empty() {
        d.push_str("   <dc:creator><rdf:Seq>");
        for a in &m.authors {
            d.push_str(&format!("<rdf:li>{}</rdf:li>", xml_escape(a)));
        }
        d.push_str("</rdf:Seq></dc:creator>\n");
    }
    if let Some(desc) = &m.description {
        d.push_str(&format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            xml_escape(desc)
        ));
    }
    if let Some(date) = &m.date {
        d.push_str(&format!(
            "   <dc:date><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:date>\n",
            xml_escape(date)
        ));
    }
    if let Some(src) = &m.source {
        d.push_str(&format!("   <dc:source>{}</dc:source>\n", xml_escape(src)));
        d.push_str(&format!("   <dc:identifier>{}</dc:identifier>\n", xml_escape(src)));
    }
    if let Some(lang) = &m.lang {
        d.push_str(&format!(
            "   <dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
            xml_escape(lang)
        ));
    }
    if let Some(site) = &m.site {
        d.push_str(&format!(
            "   <dc:publisher><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:publisher>\n",
            xml_escape(site)
        ));
    }
    if let Some(date) = date {
        d.push_str(&format!("   <xmp:CreateDate>{date}</xmp:CreateDate>\n"));
        d.push_str(&format!("   <xmp:ModifyDate>{date}</xmp:ModifyDate>\n"));
        d.push_str(&format!("   <xmp:MetadataDate>{date}</xmp:MetadataDate>\n"));
    }
    d.push_str("   <xmp:CreatorTool>offprint</xmp:CreatorTool>\n");
    d.push_str("   <pdf:Producer>offprint (printpdf)</pdf:Producer>\n");
    let kw = keywords(doc);
    if !kw.is_empty() {
        d.push_str(&format!("   <pdf:Keywords>{}</pdf:Keywords>\n", xml_escape(&kw.join(", "))));
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
         {d}</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
    )
}

/// Post-process the document printpdf built.
pub(crate) fn finish(
    lo: &mut lopdf::Document,
    doc: &Document,
    opts: &PdfOptions,
    outline: &[OutlineItem],
) -> Result<()> {
    lo.version = "1.7".to_string();
    let root = lo
        .trailer
        .get(b"Root")
        .and_then(|o| o.as_reference())
        .map_err(|e| Error::emit("pdf", format!("no catalog: {e}")))?;
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let date = dates(doc, opts);

    // Info dictionary, replacing printpdf's (which carries empty PDF/X keys).
    let mut info = Dictionary::new();
    info.set("Title", text_string(doc.title_or_default()));
    if !doc.meta.authors.is_empty() {
        info.set("Author", text_string(&doc.meta.authors.join(", ")));
    }
    if let Some(d) = &doc.meta.description {
        info.set("Subject", text_string(d));
    }
    let kw = keywords(doc);
    if !kw.is_empty() {
        info.set("Keywords", text_string(&kw.join(", ")));
    }
    info.set("Creator", text_string("offprint"));
    info.set("Producer", text_string("offprint (printpdf)"));
    if let Some((pdf_date, _)) = &date {
        info.set(
            "CreationDate",
            Object::String(pdf_date.as_bytes().to_vec(), StringFormat::Literal),
        );
        info.set("ModDate", Object::String(pdf_date.as_bytes().to_vec(), StringFormat::Literal));
    }
    let old_info = lo.trailer.get(b"Info").and_then(|o| o.as_reference()).ok();
    if let Some(id) = old_info {
        lo.objects.remove(&id);
    }
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", info_id);

    // XMP metadata (uncompressed, as readers expect).
    let xmp_text = xmp(doc, date.as_ref().map(|(_, x)| x.as_str()));
    let mut sd = Dictionary::new();
    sd.set("Type", Object::Name(b"Metadata".to_vec()));
    sd.set("Subtype", Object::Name(b"XML".to_vec()));
    let xmp_stream = Stream::new(sd, xmp_text.into_bytes()).with_compression(false);
    let xmp_id = lo.add_object(xmp_stream);

    // Outline.
    let outline_root = build_outline(lo, outline, &pages);

    let catalog = lo
        .get_object_mut(root)
        .and_then(|o| o.as_dict_mut())
        .map_err(|e| Error::emit("pdf", format!("bad catalog: {e}")))?;
    catalog.set("Metadata", xmp_id);
    if let Some(lang) = &doc.meta.lang {
        catalog.set("Lang", text_string(lang));
    }
    let mut vp = Dictionary::new();
    vp.set("DisplayDocTitle", true);
    catalog.set("ViewerPreferences", vp);
    match outline_root {
        Some(id) => {
            catalog.set("Outlines", id);
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }

    // Deterministic file identifier: a hash of the document model and the style.
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(doc).unwrap_or_default());
    h.update(format!("{:?}", opts.style).as_bytes());
    h.update(pages.len().to_le_bytes());
    let digest = h.finalize();
    let id = digest.get(..16).unwrap_or(&[]).to_vec();
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    compress(lo);
    Ok(())
}

/// Flate-compress every stream that allows it (lopdf's own `compress` uses level 9, which
/// costs a third of the writer's time for a few per cent of size).
fn compress(lo: &mut lopdf::Document) {
    // One compressor per level, reset between streams: setting one up zeroes a third of a
    // megabyte of tables, and a PDF has about a dozen streams.
    let (mut content, mut programs) = (None, None);
    for obj in lo.objects.values_mut() {
        let Object::Stream(stream) = obj else { continue };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        // Font programs, images and metadata (the streams with a /Length1 or /Subtype) at
        // level 3: on those of 40 corpus PDFs it takes 31% less time than level 6 for 0.16%
        // more bytes (level 2: 38% less, 1% more). Page content and ToUnicode maps at level
        // 2: 57% less time than 6 for 29% more bytes of them, 5% more PDF (level 1 would
        // cost 14% more bytes).
        let program = stream.dict.get(b"Length1").is_ok() || stream.dict.get(b"Subtype").is_ok();
        let (slot, level) = if program { (&mut programs, 3) } else { (&mut content, 2) };
        let z = slot
            .get_or_insert_with(|| flate2::Compress::new(flate2::Compression::new(level), true));
        let Some(packed) = zlib(z, &stream.content) else { continue };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(packed);
        }
    }
}

/// `data` as one zlib stream from the compressor `z` (reset first); `None` on an error.
fn zlib(z: &mut flate2::Compress, data: &[u8]) -> Option<Vec<u8>> {
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = usize::try_from(z.total_in()).ok()?;
        let rest = data.get(read..)?;
        match z.compress_vec(rest, &mut out, flate2::FlushCompress::Finish).ok()? {
            flate2::Status::StreamEnd => return Some(out),
            _ => out.reserve(out.capacity().max(1024)),
        }
    }
}

/// Build a nested outline; returns the `/Outlines` dictionary id.
fn build_outline(
    lo: &mut lopdf::Document,
    items: &[OutlineItem],
    pages: &[ObjectId],
) -> Option<ObjectId> {
    if items.is_empty() {
        return None;
    }
    let root_id = lo.new_object_id();
    let ids: Vec<ObjectId> = items.iter().map(|_| lo.new_object_id()).collect();
    // Parent of each item: nearest previous item with a smaller level.
    let mut parent: Vec<Option<usize>> = vec![None; items.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        while stack.last().is_some_and(|&p| items.get(p).is_some_and(|pi| pi.level >= it.level)) {
            stack.pop();
        }
        parent[i] = stack.last().copied();
        stack.push(i);
    }
    let children =
        |p: Option<usize>| -> Vec<usize> { (0..items.len()).filter(|&i| parent[i] == p).collect() };
    let mut descendants = vec![0i64; items.len()];
    for i in (0..items.len()).rev() {
        if let Some(p) = parent[i] {
            descendants[p] += 1 + descendants[i];
        }
    }
    for (i, it) in items.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&it.title));
        d.set("Parent", parent[i].map(|p| ids[p]).unwrap_or(root_id));
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        if pos > 0 {
            if let Some(&prev) = siblings.get(pos - 1) {
                d.set("Prev", ids[prev]);
            }
        }
        if let Some(&next) = siblings.get(pos + 1) {
            d.set("Next", ids[next]);
        }
        let kids = children(Some(i));
        if let (Some(&f), Some(&l)) = (kids.first(), kids.last()) {
            d.set("First", ids[f]);
            d.set("Last", ids[l]);
            d.set("Count", descendants[i]);
        }
        let page_ref = pages.get(it.page).copied().map(Object::Reference).unwrap_or(Object::Null);
        d.set(
            "Dest",
            Object::Array(vec![
                page_ref,
                Object::Name(b"XYZ".to_vec()),
                Object::Real(it.x),
                Object::Real((it.y * 100.0).round() / 100.0),
                Object::Null,
            ]),
        );
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
        root.set("First", ids[f]);
        root.set("Last", ids[l]);
    }
    root.set("Count", items.len() as i64);
    lo.objects.insert(root_id, Object::Dictionary(root));
    Some(root_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(packed: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(packed).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn one_compressor_gives_whole_streams_one_after_another() {
        let mut z = flate2::Compress::new(flate2::Compression::new(2), true);
        // Text that packs well, then bytes that do not (the output outgrows its first
        // allocation), then nothing, then the text again: each is a stream of its own.
        let text = b"BT /F1 10 Tf (Hello) Tj ET\n".repeat(200);
        let mut noise = Vec::with_capacity(20_000);
        let mut x: u32 = 2_463_534_242;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            noise.push(x.to_le_bytes()[0]);
        }
        let first = zlib(&mut z, &text).unwrap();
        for data in [&noise[..], &[][..], &text[..]] {
            let packed = zlib(&mut z, data).unwrap();
            assert_eq!(inflate(&packed), data);
        }
        assert_eq!(zlib(&mut z, &text).unwrap(), first, "a reset compressor starts afresh");
        assert!(first.len() < text.len() / 10);
        let mut fresh = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(2));
        std::io::Write::write_all(&mut fresh, &text).unwrap();
        assert_eq!(fresh.finish().unwrap(), first, "the same bytes as a new encoder");
    }
}
