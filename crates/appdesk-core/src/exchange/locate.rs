//! Where a JSON path is in a file: line and column of the value it names.
//!
//! serde_json gives positions for syntax errors only; an import that finds a bad
//! URL at `$.homepageUrl` must also say *where* in the file that is. This is a
//! small scanner over text already known to be valid JSON, recording the start of
//! every value by its path (`$`, `$.tenants[2].id`).

use std::collections::HashMap;

/// 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

pub fn positions(text: &str) -> HashMap<String, Position> {
    let mut scanner = Scanner {
        chars: text.chars().collect(),
        at: 0,
        line: 1,
        column: 1,
        out: HashMap::new(),
    };
    scanner.value("$".to_owned());
    scanner.out
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
    out: HashMap<String, Position>,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.bump();
        }
    }

    fn value(&mut self, path: String) {
        self.skip_ws();
        self.out.insert(
            path.clone(),
            Position {
                line: self.line,
                column: self.column,
            },
        );
        match self.peek() {
            Some('{') => {
                self.bump();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some('"') => {
                            let key = self.string();
                            self.skip_ws();
                            self.bump(); // ':'
                            self.value(format!("{path}.{key}"));
                            self.skip_ws();
                            if self.peek() == Some(',') {
                                self.bump();
                            }
                        }
                        Some('}') | None => {
                            self.bump();
                            return;
                        }
                        Some(_) => {
                            self.bump();
                        }
                    }
                }
            }
            Some('[') => {
                self.bump();
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(']') | None => {
                            self.bump();
                            return;
                        }
                        Some(',') => {
                            self.bump();
                        }
                        Some(_) => {
                            self.value(format!("{path}[{index}]"));
                            index += 1;
                        }
                    }
                }
            }
            Some('"') => {
                self.string();
            }
            _ => {
                let ends_scalar = |c: char| matches!(c, ',' | '}' | ']' | ' ' | '\t' | '\n' | '\r');
                while self.peek().is_some_and(|c| !ends_scalar(c)) {
                    self.bump();
                }
            }
        }
    }

    /// Reads a string token and returns its text (escapes kept as written,
    /// which is all a path needs).
    fn string(&mut self) -> String {
        let mut text = String::new();
        self.bump(); // opening quote
        while let Some(c) = self.bump() {
            match c {
                '"' => break,
                '\\' => {
                    text.push(c);
                    if let Some(e) = self.bump() {
                        text.push(e);
                    }
                }
                _ => text.push(c),
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let text = "{\n  \"name\": \"x\",\n  \"tenants\": [\n    {\"id\": \"1\"},\n    {\"id\": \"2\", \"note\": \"é\"}\n  ]\n}\n";
        let p = positions(text);
        assert_eq!(p["$"], Position { line: 1, column: 1 });
        assert_eq!(
            p["$.name"],
            Position {
                line: 2,
                column: 11
            }
        );
        assert_eq!(
            p["$.tenants"],
            Position {
                line: 3,
                column: 14
            }
        );
        assert_eq!(p["$.tenants[1]"], Position { line: 5, column: 5 });
        assert_eq!(
            p["$.tenants[1].note"],
            Position {
                line: 5,
                column: 25
            }
        );
    }

    #[test]
    fn arrays_of_documents_and_escaped_keys() {
        let p = positions("[{\"a\\\"b\": [1, [2, 3]]}, true]");
        assert_eq!(
            p["$[0].a\\\"b[1][1]"],
            Position {
                line: 1,
                column: 19
            }
        );
        assert_eq!(
            p["$[1]"],
            Position {
                line: 1,
                column: 25
            }
        );
    }
}
