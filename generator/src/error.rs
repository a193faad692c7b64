//! The generator's one error type: every failure names the spec file and, where it is about the
//! spec's content, the JSON pointer (and the line, when the parser knows it).

use std::fmt;

/// A generator failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec could not be read, parsed or lowered.
    #[error("{0}")]
    Spec(SpecError),
    /// A template produced text that is not valid Rust (a generator bug, not a spec problem).
    #[error("template `{template}` rendered invalid Rust for {what}: {message}")]
    Render {
        /// Template file.
        template: String,
        /// What was being rendered.
        what: String,
        /// The syn error with its location.
        message: String,
    },
    /// Reading or writing files.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Anything else the caller asked that cannot be done.
    #[error("{0}")]
    Usage(String),
}

/// Where in which spec something is wrong, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    /// The spec file.
    pub file: String,
    /// JSON pointer into the document (`/paths/~1tokens/get`); empty for the whole document.
    pub pointer: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, ": at {pointer}: {}", self.message)
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(e)
    }
}

/// Escapes one JSON pointer segment (`/` -> `~1`, `~` -> `~0`).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
