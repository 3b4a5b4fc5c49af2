//! Splits a pasted shell command into words as a POSIX shell would (quotes, backslashes,
//! line continuations, bash's `$'…'`), without expanding anything.
//!
//! Hand-written: the `shlex` crate has no `$'…'` quoting, which browsers' "copy as cURL"
//! emits for any body with a quote or a newline in it.

/// Text over this is not a command someone pasted.
pub const MAX_COMMAND: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordsError {
    #[error("the command is over {} KiB", MAX_COMMAND / 1024)]
    TooLong,
    #[error("a {0} quote is never closed")]
    Unclosed(&'static str),
    #[error("the command ends with a lone backslash")]
    TrailingBackslash,
}

/// The words of `command`. `$VAR` and `$(…)` stay as written: nothing is run or expanded.
pub fn split(command: &str) -> Result<Vec<String>, WordsError> {
    if command.len() > MAX_COMMAND {
        return Err(WordsError::TooLong);
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => {
                // A comment runs to the end of the line.
                while chars.next_if(|&next| next != '\n').is_some() {}
            }
            '\\' => match chars.next() {
                // A line continuation joins the lines.
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(next) => {
                    word.push(next);
                    in_word = true;
                }
                None => return Err(WordsError::TrailingBackslash),
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(next) => word.push(next),
                        None => return Err(WordsError::Unclosed("single")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(next @ ('$' | '`' | '"' | '\\')) => word.push(next),
                            Some('\n') => {}
                            Some(next) => {
                                word.push('\\');
                                word.push(next);
                            }
                            None => return Err(WordsError::Unclosed("double")),
                        },
                        Some(next) => word.push(next),
                        None => return Err(WordsError::Unclosed("double")),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                ansi_c(&mut chars, &mut word)?;
            }
            other => {
                word.push(other);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// The body of bash's `$'…'` after the opening quote, escapes decoded.
fn ansi_c(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, word: &mut String) -> Result<(), WordsError> {
    loop {
        let Some(c) = chars.next() else { return Err(WordsError::Unclosed("$'…'")) };
        match c {
            '\'' => return Ok(()),
            '\\' => {
                let Some(escape) = chars.next() else { return Err(WordsError::Unclosed("$'…'")) };
                match escape {
                    'n' => word.push('\n'),
                    't' => word.push('\t'),
                    'r' => word.push('\r'),
                    'a' => word.push('\u{7}'),
                    'b' => word.push('\u{8}'),
                    'e' | 'E' => word.push('\u{1b}'),
                    'f' => word.push('\u{c}'),
                    'v' => word.push('\u{b}'),
                    'x' => push_code(chars, word, 16, 2, 'x'),
                    'u' => push_code(chars, word, 16, 4, 'u'),
                    'U' => push_code(chars, word, 16, 8, 'U'),
                    '0'..='7' => {
                        let mut value = escape.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.peek().and_then(|d| d.to_digit(8)) {
                                Some(digit) => {
                                    value = value * 8 + digit;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        word.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                    }
                    other => word.push(other),
                }
            }
            other => word.push(other),
        }
    }
}

/// `\xHH`, `\uHHHH`, `\UHHHHHHHH`: up to `max` digits; none at all keeps the escape as text.
fn push_code(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut String,
    radix: u32,
    max: usize,
    letter: char,
) {
    let mut value = 0u32;
    let mut digits = 0;
    while digits < max {
        match chars.peek().and_then(|d| d.to_digit(radix)) {
            Some(digit) => {
                value = value.saturating_mul(radix).saturating_add(digit);
                chars.next();
                digits += 1;
            }
            None => break,
        }
    }
    if digits == 0 {
        word.push('\\');
        word.push(letter);
    } else {
        word.push(char::from_u32(value).unwrap_or('\u{fffd}'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_continuations_are_read_as_a_shell_does() {
        let command = "curl -X POST 'https://a/x y' \\\n  -H \"Content-Type: a\\\"b\" --data-raw a=1\\ 2";
        assert_eq!(
            split(command).unwrap(),
            ["curl", "-X", "POST", "https://a/x y", "-H", "Content-Type: a\"b", "--data-raw", "a=1 2"]
        );
    }

    #[test]
    fn bash_ansi_c_quotes_are_decoded() {
        assert_eq!(split(r#"--data-raw $'{\"a\":\n\x41\u00e9\'}'"#).unwrap(), ["--data-raw", "{\"a\":\nAé'}"]);
    }

    #[test]
    fn variables_are_left_as_written() {
        assert_eq!(
            split("-u \"id:$SECRET\" -H 'x: $(rm -rf /)'").unwrap(),
            ["-u", "id:$SECRET", "-H", "x: $(rm -rf /)"]
        );
    }

    #[test]
    fn adjacent_quoted_parts_make_one_word() {
        assert_eq!(split("a'b'\"c\"d").unwrap(), ["abcd"]);
        assert_eq!(split("'' x").unwrap(), ["", "x"]);
    }

    #[test]
    fn comments_and_crlf_continuations_are_skipped() {
        assert_eq!(split("curl \\\r\n https://a # the call\n -k").unwrap(), ["curl", "https://a", "-k"]);
    }

    #[test]
    fn broken_quoting_is_an_error() {
        assert_eq!(split("curl 'https://a").unwrap_err(), WordsError::Unclosed("single"));
        assert_eq!(split("curl \"a").unwrap_err(), WordsError::Unclosed("double"));
        assert_eq!(split("curl $'a").unwrap_err(), WordsError::Unclosed("$'…'"));
        assert_eq!(split("curl \\").unwrap_err(), WordsError::TrailingBackslash);
        assert_eq!(split(&"a".repeat(MAX_COMMAND + 1)).unwrap_err(), WordsError::TooLong);
    }
}
