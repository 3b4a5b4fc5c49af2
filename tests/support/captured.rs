//! Captured server answers (`tests/fixtures/<stack>/*.http`): a few `# key: value` lines, then
//! the raw HTTP response (status line, headers, blank line, body), parsed for the tests that
//! read them (`server_messages`, `demo_fidelity`).

use std::path::{Path, PathBuf};

/// One fixture, split into what it expects and the answer itself.
pub struct Fixture {
    pub expect: Vec<(String, String)>,
    pub sent_token: bool,
    pub status: u16,
    /// Every header, names lower-case, values trimmed.
    pub headers: Vec<(String, String)>,
    pub www_authenticate: Vec<String>,
    pub body: String,
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn parse(text: &str) -> Result<Fixture, String> {
    let mut expect = Vec::new();
    let mut sent_token = true;
    let mut rest = text;
    while let Some(line) = rest.strip_prefix("# ") {
        let (line, after) = line.split_once('\n').unwrap_or((line, ""));
        rest = after;
        let (key, value) = line.split_once(": ").ok_or_else(|| format!("not `# key: value`: {line:?}"))?;
        match key {
            "note" => {}
            "sent-token" => sent_token = value != "no",
            _ => expect.push((key.to_owned(), value.trim_end_matches('\r').to_owned())),
        }
    }
    let (head, body) =
        rest.split_once("\r\n\r\n").or_else(|| rest.split_once("\n\n")).ok_or("no blank line after the headers")?;
    let mut lines = head.lines().map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().ok_or("no status line")?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let www_authenticate =
        headers.iter().filter(|(name, _)| name == "www-authenticate").map(|(_, value)| value.clone()).collect();
    Ok(Fixture { expect, sent_token, status, headers, www_authenticate, body: body.to_owned() })
}

impl Fixture {
    /// The first value of header `name` (lower-case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}
