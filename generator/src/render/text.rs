//! Text helpers shared by the renderers: spec descriptions made safe for rustdoc and for Markdown/MDX
//! pages, and Rust string literals.

/// A Rust string literal for `s`, escaped by `quote` exactly as the compiler reads it back.
pub fn rust_str(s: &str) -> String {
    quote::quote!(#s).to_string()
}

/// Rustdoc-safe Markdown: no accidental doctests (unlabelled fences become `text`, indentation that
/// would start a code block is removed), bare URLs become autolinks, `[x]` that is not a link is
/// escaped so rustdoc does not look for an item, and HTML-looking `<x>` is escaped.
pub fn rustdoc_markdown(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    let text = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
    let lead_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let common = text.lines().filter(|l| !l.trim().is_empty()).map(lead_of).min().unwrap_or(0);
    let mut blocks = Blocks::default();
    for raw in text.lines() {
        let line = raw.trim_start();
        if line.starts_with("```") {
            if !in_fence && line.trim() == "```" {
                out.push("```text".to_string());
            } else if !in_fence {
                // A labelled fence: keep non-Rust languages, and make sure Rust ones are not run.
                let lang = line.trim_start_matches('`').trim();
                if lang.starts_with("rust") { out.push("```text".to_string()) } else { out.push(format!("```{lang}")) }
            } else {
                out.push("```".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.to_string());
        } else {
            let (pad, quote) = blocks.next(lead_of(raw).saturating_sub(common), line);
            out.push(format!("{}{quote}{}", " ".repeat(pad), escape_inline(line)));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Trim leading and trailing blank lines.
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// The list and quote structure of prose, line by line, so continuation lines keep the indentation that
/// keeps them inside their list item (or quote) and nothing else is indented into a code block.
#[derive(Default)]
struct Blocks {
    /// Open list items: (indentation in the source, indentation written, column their text starts at).
    items: Vec<(usize, usize, usize)>,
    /// The previous line was blank.
    blank: bool,
    /// The previous line was in a block quote.
    quote: bool,
}

impl Blocks {
    /// The indentation to write before `line` (its source indentation is `lead`), and a `> ` for a lazy
    /// quote continuation.
    fn next(&mut self, lead: usize, line: &str) -> (usize, &'static str) {
        if line.is_empty() {
            self.blank = true;
            self.quote = false;
            return (0, "");
        }
        let after_blank = std::mem::replace(&mut self.blank, false);
        if let Some(width) = list_marker(line) {
            while self.items.last().is_some_and(|&(l, _, _)| l > lead) {
                self.items.pop();
            }
            let pad = match self.items.last() {
                Some(&(l, pad, _)) if l == lead => {
                    self.items.pop();
                    pad
                }
                Some(&(_, _, col)) if lead > 0 => col,
                _ => {
                    self.items.clear();
                    0
                }
            };
            self.items.push((lead, pad, pad + width));
            self.quote = false;
            return (pad, "");
        }
        if line.starts_with('>') {
            self.quote = true;
            return (0, "");
        }
        if self.quote {
            return (0, "> ");
        }
        if after_blank && lead == 0 {
            self.items.clear();
        }
        // Right after an item's line a continuation is that item's (lazy or not); after a blank line it is
        // in the deepest item it is indented past.
        let col = if after_blank { self.items.iter().rev().find(|&&(l, _, _)| l < lead) } else { None }
            .or(self.items.last())
            .map(|&(_, _, c)| c);
        (col.unwrap_or(0), "")
    }
}

/// The width of a list marker a line starts with (`- `, `* `, `+ `, `1. `, `2) `), if any.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Escapes one line of prose for rustdoc, leaving code spans alone.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            // Copy a code span verbatim.
            if let Some(end) = chars[i + 1..].iter().position(|&x| x == '`') {
                out.extend(&chars[i..i + end + 2]);
                i += end + 2;
                continue;
            }
        }
        if c == '[' {
            // A Markdown link `[text](url)` stays; any other bracket is escaped.
            if let Some(close) = chars[i + 1..].iter().position(|&x| x == ']') {
                let after = i + 1 + close + 1;
                if chars.get(after) == Some(&'(') {
                    out.extend(&chars[i..after]);
                    i = after;
                    // Copy the URL part verbatim.
                    if let Some(end) = chars[after..].iter().position(|&x| x == ')') {
                        out.extend(&chars[after..after + end + 1]);
                        i = after + end + 1;
                    }
                    continue;
                }
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == '<' {
            let rest: String = chars[i + 1..].iter().collect();
            if (rest.starts_with("http://") || rest.starts_with("https://"))
                && let Some(end) = rest.find('>')
            {
                out.push('<');
                out.push_str(&rest[..=end]);
                i += 1 + rest[..=end].chars().count();
                continue;
            }
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if c == '>' && i > 0 {
            out.push_str("&gt;");
            i += 1;
            continue;
        }
        let rest: String = chars[i..].iter().take(8).collect();
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let url: String = chars[i..].iter().take_while(|c| !c.is_whitespace()).collect();
            let url = url.trim_end_matches(['.', ',', ';', ')', '\'', '"']).to_string();
            out.push('<');
            out.push_str(&url);
            out.push('>');
            i += url.chars().count();
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// `///` comment lines for `text`, indented by `indent` spaces.
pub fn doc_comment(text: &str, indent: usize) -> String {
    prefixed(text, &" ".repeat(indent), "///")
}

/// `//!` comment lines for `text` (module documentation).
pub fn inner_doc(text: &str) -> String {
    let out = prefixed(text, "", "//!");
    if out.is_empty() { "//!".to_string() } else { out }
}

fn prefixed(text: &str, pad: &str, marker: &str) -> String {
    let md = rustdoc_markdown(text);
    md.lines()
        .map(|l| if l.is_empty() { format!("{pad}{marker}") } else { format!("{pad}{marker} {l}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text for a Markdown table cell: one line, pipes escaped, MDX-safe.
pub fn md_cell(text: &str) -> String {
    let joined = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("<br/><br/>");
    mdx_escape(&joined).replace('|', "\\|")
}

/// Prose for a Markdown/MDX page: `{`, `}` and `<` outside code spans and links are escaped so the page
/// renders the same on GitHub and on an MDX docs site.
pub fn md_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .lines()
        .map(|l| {
            // A line that opens with `>` (after at most three spaces) is a block quote, as in the spec's
            // own Markdown (`>**Note:** ...`): its markers stay; the rest of the line is escaped.
            let l = l.trim_end();
            let indent = l.len() - l.trim_start_matches(' ').len();
            let quoted = &l[indent..];
            let markers = quoted.len() - quoted.trim_start_matches(['>', ' ']).len();
            if indent <= 3 && quoted.starts_with('>') {
                format!("{}{}", &l[..indent + markers], mdx_escape(&quoted[markers..]))
            } else {
                mdx_escape(l)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn mdx_escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
        } else if in_code {
            out.push(c);
        } else if c == '<' {
            let rest: String = chars[i..].iter().take(6).collect();
            if rest == "<br/><" || rest.starts_with("<br/>") {
                out.push_str("<br/>");
                i += 5;
                continue;
            }
            out.push_str("&lt;");
        } else if c == '>' {
            out.push_str("&gt;");
        } else if c == '{' || c == '}' {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn block_quotes_keep_their_markers_and_inline_angles_are_escaped() {
        assert_eq!(
            super::md_text("Get a list.\n>**Note:** a > b and <c>\n  > > nested {x}"),
            "Get a list.\n>**Note:** a &gt; b and &lt;c&gt;\n  > > nested \\{x\\}"
        );
    }

    #[test]
    fn lists_and_quotes_keep_their_continuations() {
        let md = super::rustdoc_markdown(
            "Intro:\n- first item\nwrapped lazily\n  - nested\n    more nested\n  lazy nested\n- second\n\nAfter.\n> quoted\nlazy quote\n\n    not code\n1. one\n   cont",
        );
        assert_eq!(
            md,
            "Intro:\n- first item\n  wrapped lazily\n  - nested\n    more nested\n    lazy nested\n- second\n\nAfter.\n> quoted\n> lazy quote\n\nnot code\n1. one\n   cont"
        );
    }

    use super::*;

    #[test]
    fn string_literals_round_trip_through_syn() {
        for s in ["plain", "quote \" and \\ backslash", "line\nbreak", "unicode é ✓", "{braces}"] {
            let lit: syn::LitStr = syn::parse_str(&rust_str(s)).unwrap();
            assert_eq!(lit.value(), s);
        }
    }

    #[test]
    fn rustdoc_text_is_defused() {
        assert_eq!(rustdoc_markdown("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(rustdoc_markdown("    indented code"), "indented code");
        assert_eq!(rustdoc_markdown("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(rustdoc_markdown("[required] and [a](https://b)"), "\\[required\\] and [a](https://b)");
        assert_eq!(rustdoc_markdown("Vec<String> `a<b>`"), "Vec&lt;String&gt; `a<b>`");
    }

    #[test]
    fn markdown_cells_are_one_line_and_mdx_safe() {
        assert_eq!(md_cell("a | b\nc {d}"), "a \\| b c \\{d\\}");
        assert_eq!(md_cell("p1\n\np2 <x> `<y>`"), "p1<br/><br/>p2 &lt;x&gt; `<y>`");
    }
}
