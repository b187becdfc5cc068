//! MHT (MIME HTML, a web archive): the HTML part of a `multipart/related` message, its
//! transfer encoding (quoted-printable, base64) undone, with the charset its header names.
//! Word keeps some documents' text this way, as an altChunk part of the docx.

use anyhow::{Result, bail};
use encoding_rs::Encoding;

/// MIME headers: names lowercased, folded lines joined.
type Headers = Vec<(String, String)>;

/// An HTML part, still in its charset.
#[derive(Debug)]
pub struct HtmlPart {
    pub bytes: Vec<u8>,
    pub charset: Option<&'static Encoding>,
}

/// The first `text/html` part of a MIME message (else its first text part).
pub fn html_part(message: &[u8]) -> Result<HtmlPart> {
    let (headers, body) = split_headers(message);
    let content_type = header(&headers, "content-type").unwrap_or_default();
    // RFC 2046 allows boundaries of 70 characters; a longer one would make the search for
    // it cost its length at every byte of the body.
    if let Some(boundary) = param(&content_type, "boundary").filter(|b| b.len() <= 70) {
        let parts = multipart(body, &boundary);
        let mut chosen = None;
        for (headers, body) in &parts {
            let ct = header(headers, "content-type").unwrap_or_default();
            let media = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if media == "text/html" {
                chosen = Some((headers, body));
                break;
            }
            if chosen.is_none() && (media.starts_with("text/") || media.is_empty()) {
                chosen = Some((headers, body));
            }
        }
        let Some((headers, body)) = chosen else {
            bail!("no HTML part in the MIME message");
        };
        return Ok(part(headers, body));
    }
    Ok(part(&headers, body))
}

fn part(headers: &[(String, String)], body: &[u8]) -> HtmlPart {
    let content_type = header(headers, "content-type").unwrap_or_default();
    let encoding = header(headers, "content-transfer-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let bytes = match encoding.trim() {
        "quoted-printable" => quoted_printable(body),
        "base64" => base64(body),
        _ => body.to_vec(),
    };
    HtmlPart {
        bytes,
        charset: param(&content_type, "charset").and_then(|c| Encoding::for_label(c.as_bytes())),
    }
}

/// The headers of a message or part and the body after the blank line.
fn split_headers(message: &[u8]) -> (Headers, &[u8]) {
    let mut headers: Headers = Vec::new();
    let mut rest = message;
    // Skip the blank lines a part starts with after its boundary line.
    while let Some(r) = rest
        .strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
    {
        rest = r;
    }
    loop {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        rest = rest.get(end + 1..).unwrap_or(&[]);
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        } else {
            // Not a header: there were no headers, all of it is body.
            return (Vec::new(), message);
        }
        if rest.is_empty() {
            break;
        }
    }
    (headers, rest)
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// A parameter of a header value: `boundary` of `multipart/related; boundary="x"`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (key, val) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| val.trim().trim_matches('"').to_string())
    })
}

/// The parts of a multipart body, each split into headers and body.
fn multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<(Headers, &'a [u8])> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(at) = find(&body[i..], delimiter) {
        let pos = i + at;
        // A delimiter only counts at the start of a line.
        if pos == 0 || body[pos - 1] == b'\n' {
            starts.push(pos);
        }
        i = pos + delimiter.len();
    }
    for (n, &start) in starts.iter().enumerate() {
        let after = start + delimiter.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        let end = starts.get(n + 1).copied().unwrap_or(body.len());
        let mut chunk = &body[after..end];
        // The line break before the next delimiter belongs to the delimiter.
        chunk = chunk.strip_suffix(b"\n").unwrap_or(chunk);
        chunk = chunk.strip_suffix(b"\r").unwrap_or(chunk);
        // The rest of the boundary line (transport padding).
        let line_end = chunk
            .iter()
            .position(|&b| b == b'\n')
            .map_or(chunk.len(), |p| p + 1);
        parts.push(split_headers(&chunk[line_end..]));
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        match (body.get(i + 1), body.get(i + 2)) {
            // Soft line break.
            (Some(b'\r'), Some(b'\n')) => i += 3,
            (Some(b'\n'), _) => i += 2,
            (Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0));
                i += 3;
            }
            // A stray '=' is kept, as decoders commonly do.
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Base64, skipping line breaks and anything else outside the alphabet.
fn base64(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in body {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_part_with_charset() {
        let msg = b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type=\"text/html\";\r\n    boundary=\"----=mhtDocumentPart\"\r\n\r\n\r\n------=mhtDocumentPart\r\nContent-Type: text/html;\r\n    charset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: file:///C:/fake/document.html\r\n\r\n<p a=3D\"1\">=D6=D0=\r\n=B9=FA</p>\r\n------=mhtDocumentPart--\r\n";
        let part = html_part(msg).unwrap();
        assert_eq!(part.bytes, b"<p a=\"1\">\xD6\xD0\xB9\xFA</p>");
        assert_eq!(part.charset, Some(encoding_rs::GBK));
    }

    #[test]
    fn base64_part_after_an_image_part() {
        let msg = "Content-Type: multipart/related; boundary=b1\n\n--b1\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b1\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\nPHA+5rOV\n5b6LPC9wPg==\n--b1--\n";
        let part = html_part(msg.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(part.bytes).unwrap(), "<p>法律</p>");
        assert_eq!(part.charset, Some(encoding_rs::UTF_8));
    }
}
