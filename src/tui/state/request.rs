//! The request editor: method, URL, headers, body and required scopes, edited before sending.

use std::collections::BTreeMap;

use crate::core::model::profile::Endpoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestField {
    Method,
    Url,
    Headers,
    Body,
    Scopes,
}

impl RequestField {
    pub const ALL: [RequestField; 5] =
        [RequestField::Method, RequestField::Url, RequestField::Headers, RequestField::Body, RequestField::Scopes];

    pub fn label(self) -> &'static str {
        match self {
            RequestField::Method => "method",
            RequestField::Url => "url",
            RequestField::Headers => "headers",
            RequestField::Body => "body",
            RequestField::Scopes => "needs scopes",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RequestEditor {
    /// The endpoint this started from (`None` for an ad-hoc URL).
    pub origin: Option<String>,
    /// That endpoint's index in the profile, so reopening finds these edits again.
    pub from_index: Option<usize>,
    pub method: tui_input::Input,
    pub url: tui_input::Input,
    /// `Name: value` pairs separated by `;`.
    pub headers: tui_input::Input,
    pub body: tui_input::Input,
    /// Space-separated scopes the request needs, for the scope gap and the diagnosis.
    pub scopes: tui_input::Input,
    pub field: RequestField,
    pub error: Option<String>,
    /// Send with the profile's token (Ctrl-T toggles).
    pub with_token: bool,
    /// Ctrl-S: asking for the name to save the request under.
    pub saving: Option<SaveAs>,
}

impl RequestEditor {
    pub fn from_endpoint(endpoint: &Endpoint, index: usize) -> Self {
        let headers: Vec<String> = endpoint.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        RequestEditor {
            origin: Some(endpoint.name.clone()),
            from_index: Some(index),
            method: endpoint.method.clone().into(),
            url: endpoint.url.clone().into(),
            headers: headers.join("; ").into(),
            body: endpoint.body.clone().unwrap_or_default().into(),
            scopes: endpoint.required_scopes.join(" ").into(),
            field: RequestField::Url,
            error: None,
            with_token: true,
            saving: None,
        }
    }

    /// A blank request; the URL starts with `base` (e.g. the API's origin), so only a path is left to type.
    pub fn ad_hoc(base: Option<&str>) -> Self {
        RequestEditor {
            origin: None,
            from_index: None,
            method: "GET".into(),
            url: base.unwrap_or("https://").into(),
            headers: tui_input::Input::default(),
            body: tui_input::Input::default(),
            scopes: tui_input::Input::default(),
            field: RequestField::Url,
            error: None,
            with_token: true,
            saving: None,
        }
    }

    pub fn input_mut(&mut self, field: RequestField) -> &mut tui_input::Input {
        match field {
            RequestField::Method => &mut self.method,
            RequestField::Url => &mut self.url,
            RequestField::Headers => &mut self.headers,
            RequestField::Body => &mut self.body,
            RequestField::Scopes => &mut self.scopes,
        }
    }

    pub fn input(&self, field: RequestField) -> &tui_input::Input {
        match field {
            RequestField::Method => &self.method,
            RequestField::Url => &self.url,
            RequestField::Headers => &self.headers,
            RequestField::Body => &self.body,
            RequestField::Scopes => &self.scopes,
        }
    }

    pub fn shift(&mut self, delta: isize) {
        let all = RequestField::ALL;
        let index = all.iter().position(|f| *f == self.field).unwrap_or(0) as isize;
        self.field = all[((index + delta).rem_euclid(all.len() as isize)) as usize];
    }

    /// The endpoint to send, or what is wrong with the fields.
    pub fn to_endpoint(&self) -> Result<Endpoint, String> {
        let method = self.method.value().trim().to_ascii_uppercase();
        if method.is_empty() || method.parse::<reqwest::Method>().is_err() {
            return Err(format!("\"{method}\" is not an HTTP method"));
        }
        let url = self.url.value().trim().to_owned();
        crate::core::store::profile_store::check_http_url(&url).map_err(|e| format!("url: {e}"))?;
        let headers = parse_headers(self.headers.value())?;
        let body = Some(self.body.value().to_owned()).filter(|b| !b.trim().is_empty());
        let name = match &self.origin {
            Some(origin) => format!("{origin}, edited"),
            None => format!("{method} {url}"),
        };
        Ok(Endpoint {
            name,
            method,
            url,
            required_scopes: self.scopes.value().split_whitespace().map(str::to_owned).collect(),
            headers,
            body,
        })
    }

    /// The name "save as endpoint" offers: the endpoint it came from, else method and path.
    pub fn suggested_name(&self) -> String {
        match &self.origin {
            Some(origin) => origin.clone(),
            None => {
                let url = self.url.value().trim();
                let path = url::Url::parse(url).map(|u| u.path().to_owned()).unwrap_or_else(|_| url.to_owned());
                format!("{} {path}", self.method.value().trim().to_ascii_uppercase())
            }
        }
    }
}

/// "Save as endpoint": the name asked for, and whether it replaces the endpoint it came from.
#[derive(Debug, Clone)]
pub struct SaveAs {
    pub name: tui_input::Input,
    /// Replace the origin endpoint (only offered for an edited endpoint); else add a new one.
    pub replace: bool,
    pub error: Option<String>,
}

/// `Name: value` pairs separated by `;`, as the request editor and the endpoint form take them.
/// Authorization is refused: tokdbg adds the Bearer token itself.
pub fn parse_headers(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut headers = BTreeMap::new();
    for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = pair.split_once(':') else {
            return Err(format!("header \"{pair}\" needs the form Name: value"));
        };
        let name = name.trim();
        if name.is_empty() || name.parse::<reqwest::header::HeaderName>().is_err() {
            return Err(format!("\"{name}\" is not a valid header name"));
        }
        if name.eq_ignore_ascii_case("authorization") {
            return Err("leave Authorization out: tokdbg adds the Bearer token itself (b sends without)".to_owned());
        }
        headers.insert(name.to_owned(), value.trim().to_owned());
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_an_endpoint_or_a_clear_error() {
        let mut editor = RequestEditor::ad_hoc(None);
        editor.url = "http://127.0.0.1:1/api".into();
        editor.headers = "X-Trace: 1; Accept: application/json".into();
        editor.scopes = "order:read".into();
        let endpoint = editor.to_endpoint().unwrap();
        assert_eq!(endpoint.headers.len(), 2);
        assert_eq!(endpoint.required_scopes, vec!["order:read".to_owned()]);
        editor.headers = "Authorization: Bearer x".into();
        assert!(editor.to_endpoint().unwrap_err().contains("Authorization"));
        editor.headers = "nocolon".into();
        assert!(editor.to_endpoint().unwrap_err().contains("Name: value"));
        editor.headers = tui_input::Input::default();
        editor.method = "G ET".into();
        assert!(editor.to_endpoint().is_err());
    }
}
