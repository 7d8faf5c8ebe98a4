//! The text scanner behind [`super`]: one pass over the lines, tracking the block structure
//! (indentation), flow collections (`[`, `{`), quotes and block scalars.
//!
//! Over 400 lines on purpose: it is one state machine, and its state (the block and flow
//! stacks, the pending flow token, the quote) is shared by every branch; split into files it
//! would only be harder to follow.

use std::collections::HashMap;

use super::{At, Seg, Step, render};

#[derive(Debug)]
struct Block {
    /// Column (0-based) of the key or the `-`.
    indent: usize,
    seq: bool,
    step: Option<Step>,
    /// A block mapping whose current key has its value on the same line.
    inline_value: bool,
}

#[derive(Debug)]
pub(super) struct Flow {
    pub(super) map: bool,
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) step: Option<Step>,
}

pub(super) struct Scanner {
    target: Option<(u32, u32)>,
    pub(super) result: Option<At>,
    pub(super) keys: Option<HashMap<String, (u32, u32)>>,
    block: Vec<Block>,
    pub(super) flow: Vec<Flow>,
    /// Inside a flow collection: the scalar read since the last `[`, `{`, `,` or `:`.
    token: String,
    token_at: (u32, u32),
    token_quoted: bool,
    quote: Option<char>,
    /// Lines more indented than this belong to a block scalar (`|`, `>`).
    block_scalar: Option<usize>,
    last_key_indent: usize,
}

impl Scanner {
    pub(super) fn new(target: Option<(u32, u32)>) -> Self {
        Scanner {
            target,
            result: None,
            keys: None,
            block: Vec::new(),
            flow: Vec::new(),
            token: String::new(),
            token_at: (0, 0),
            token_quoted: false,
            quote: None,
            block_scalar: None,
            last_key_indent: 0,
        }
    }

    fn steps(&self) -> Vec<Step> {
        let mut steps: Vec<Step> = self.block.iter().filter_map(|b| b.step.clone()).collect();
        steps.extend(self.flow.iter().filter_map(|f| f.step.clone()));
        steps
    }

    /// The steps of the block structure and of the flow collections outside `flow[depth]`.
    pub(super) fn steps_below_flow(&self, depth: usize) -> Vec<Step> {
        let mut steps: Vec<Step> = self.block.iter().filter_map(|b| b.step.clone()).collect();
        steps.extend(self.flow.iter().take(depth).filter_map(|f| f.step.clone()));
        steps
    }

    fn record_key(&mut self) {
        if let Some(keys) = &mut self.keys {
            let steps: Vec<Step> = self
                .block
                .iter()
                .filter_map(|b| b.step.clone())
                .chain(self.flow.iter().filter_map(|f| f.step.clone()))
                .collect();
            if let Some(last) = steps.last() {
                keys.entry(render(&steps))
                    .or_insert((last.line, last.column));
            }
        }
    }

    /// Stops at the target if `(line, column)` has reached it.
    fn reached(&mut self, line: u32, column: u32) -> bool {
        if self.result.is_some() {
            return true;
        }
        match self.target {
            Some((tl, tc)) if line > tl || (line == tl && column >= tc) => {
                let steps = self.steps();
                let on_key = steps.last().is_some_and(|s| {
                    (s.line, s.column) == (tl, tc) && matches!(s.seg, Seg::Key(_))
                });
                self.result = Some(At { steps, on_key });
                true
            }
            _ => false,
        }
    }

    pub(super) fn run(&mut self, text: &str) {
        for (i, raw) in text.lines().enumerate() {
            let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let chars: Vec<char> = raw.chars().collect();
            if self.flow.is_empty() && self.quote.is_none() {
                self.block_line(line, &chars);
            } else {
                self.flow_chars(line, &chars, 0);
            }
            if self.result.is_some() {
                return;
            }
            // A target on a line with nothing more to read (a comment, the end of a value).
            if self.target.is_some_and(|(tl, _)| tl == line) {
                self.reached(line, u32::MAX);
                return;
            }
        }
        // A target past the end (an error at the end of the input) is enclosed by what is open.
        if let Some((tl, tc)) = self.target {
            self.reached(tl.max(1), tc);
        }
    }

    fn block_line(&mut self, line: u32, chars: &[char]) {
        let mut pos = 0;
        let mut tab = false;
        while pos < chars.len() && (chars[pos] == ' ' || chars[pos] == '\t') {
            tab |= chars[pos] == '\t';
            pos += 1;
        }
        if pos == chars.len() || chars[pos] == '#' {
            return;
        }
        if let Some(k) = self.block_scalar {
            if pos > k {
                return;
            }
            self.block_scalar = None;
        }
        if pos == 0
            && (chars.starts_with(&['-', '-', '-']) || chars.starts_with(&['.', '.', '.']))
            && chars.get(3).is_none_or(|c| c.is_whitespace())
        {
            // A document marker: what follows is a new document.
            self.block.clear();
            return;
        }
        if pos == 0 && chars[0] == '%' {
            return;
        }
        // A tab in the indentation has no width YAML agrees on: take the line for a sibling of
        // the key above, which is what it looks like in most editors.
        let indent = tab.then_some(self.last_key_indent);
        self.block_content(line, chars, pos, indent)
    }

    /// `pos` is where the content starts; `indent_override` is the indentation to assume.
    fn block_content(
        &mut self,
        line: u32,
        chars: &[char],
        mut pos: usize,
        indent_override: Option<usize>,
    ) {
        let col = |p: usize| u32::try_from(p + 1).unwrap_or(u32::MAX);
        // Sequence entries: `- `, possibly several on one line (`- - x`).
        while chars.get(pos) == Some(&'-') && chars.get(pos + 1).is_none_or(|c| *c == ' ') {
            let d = indent_override.unwrap_or(pos);
            if self
                .target
                .is_some_and(|(tl, tc)| tl == line && tc <= col(pos))
            {
                self.reached(line, col(pos));
                return;
            }
            pop_deeper(&mut self.block, d);
            let index = match self.block.last_mut() {
                Some(b) if b.seq && b.indent == d => {
                    let next = match &b.step {
                        Some(Step {
                            seg: Seg::Index(i), ..
                        }) => i + 1,
                        _ => 0,
                    };
                    self.block.pop();
                    next
                }
                _ => 0,
            };
            self.block.push(Block {
                indent: d,
                seq: true,
                step: Some(Step {
                    seg: Seg::Index(index),
                    line,
                    column: col(pos),
                }),
                inline_value: false,
            });
            pos += 1;
            while chars.get(pos) == Some(&' ') {
                pos += 1;
            }
            if pos >= chars.len() || chars[pos] == '#' {
                return;
            }
        }
        if self
            .target
            .is_some_and(|(tl, tc)| tl == line && tc < col(pos))
        {
            self.reached(line, col(pos));
            return;
        }
        let Some((key, colon)) = read_key(chars, pos) else {
            return self.value(line, chars, pos, indent_override.unwrap_or(pos));
        };
        let c = indent_override.unwrap_or(pos);
        // A sequence at the same indentation as this key was the previous key's value.
        while self
            .block
            .last()
            .is_some_and(|b| b.indent > c || (b.seq && b.indent == c))
        {
            self.block.pop();
        }
        let step = Some(Step {
            seg: Seg::Key(key),
            line,
            column: col(pos),
        });
        match self.block.last_mut() {
            Some(b) if !b.seq && (b.indent == c || b.inline_value) => {
                // A sibling; a key indented under a key that already has a value on its line
                // cannot be its child, so it is taken for a (misindented) sibling as well.
                b.step = step;
            }
            _ => self.block.push(Block {
                indent: c,
                seq: false,
                step,
                inline_value: false,
            }),
        }
        self.last_key_indent = c;
        self.record_key();
        let mut v = colon + 1;
        while v < chars.len() && (chars[v] == ' ' || chars[v] == '\t') {
            v += 1;
        }
        let inline = v < chars.len() && chars[v] != '#';
        if let Some(b) = self.block.last_mut() {
            b.inline_value = inline && !matches!(chars[v], '&' | '!' | '|' | '>');
        }
        if self
            .target
            .is_some_and(|(tl, tc)| tl == line && tc < col(v))
        {
            self.reached(line, self.target.map(|t| t.1).unwrap_or(0));
            return;
        }
        if inline {
            self.value(line, chars, v, c);
        }
    }

    /// A value starting at `pos` on a block line whose key (or `-`) is at `indent`.
    fn value(&mut self, line: u32, chars: &[char], mut pos: usize, indent: usize) {
        // Anchors and tags before the value.
        while matches!(chars.get(pos), Some('&' | '!')) {
            while pos < chars.len() && chars[pos] != ' ' {
                pos += 1;
            }
            while chars.get(pos) == Some(&' ') {
                pos += 1;
            }
        }
        match chars.get(pos) {
            Some('[' | '{') => self.flow_chars(line, chars, pos),
            Some('|' | '>') => self.block_scalar = Some(indent),
            Some('"' | '\'') => {
                // A quoted scalar; if it does not close on this line, it continues on the next.
                let q = chars[pos];
                if closing_quote(chars, pos + 1, q).is_none() {
                    self.quote = Some(q);
                    self.token_quoted = true;
                }
                if let Some((tl, tc)) = self.target
                    && tl == line
                    && tc as usize > pos
                {
                    self.reached(tl, tc);
                }
            }
            _ => {
                if let Some((tl, tc)) = self.target
                    && tl == line
                {
                    self.reached(tl, tc);
                }
            }
        }
    }

    /// Flow style from `chars[start]` on; returns to block style when the outermost collection
    /// closes.
    fn flow_chars(&mut self, line: u32, chars: &[char], start: usize) {
        let mut i = start;
        while i < chars.len() {
            let column = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if self.reached(line, column) {
                return;
            }
            let ch = chars[i];
            if let Some(q) = self.quote {
                if ch == q {
                    if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                        self.token.push('\'');
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                } else if q == '"' && ch == '\\' {
                    i += 1;
                    if let Some(c) = chars.get(i) {
                        self.token.push(*c);
                    }
                } else {
                    self.token.push(ch);
                }
                i += 1;
                continue;
            }
            match ch {
                '"' | '\'' => {
                    self.start_token(line, column);
                    self.token_quoted = true;
                    self.quote = Some(ch);
                }
                '#' if i == 0 || chars[i - 1].is_whitespace() => break,
                '[' | '{' => {
                    self.flow.push(Flow {
                        map: ch == '{',
                        line,
                        column,
                        step: (ch == '[').then_some(Step {
                            seg: Seg::Index(0),
                            line,
                            column: column + 1,
                        }),
                    });
                    self.clear_token();
                }
                ']' | '}' => {
                    self.flow.pop();
                    self.clear_token();
                    if self.flow.is_empty() {
                        return;
                    }
                }
                ',' => {
                    if let Some(f) = self.flow.last_mut() {
                        if f.map {
                            f.step = None;
                        } else if let Some(Step {
                            seg: Seg::Index(n),
                            line: l,
                            column: c,
                        }) = &mut f.step
                        {
                            *n += 1;
                            *l = line;
                            *c = column + 1;
                        }
                    }
                    self.clear_token();
                }
                ':' if self.token_quoted
                    || chars
                        .get(i + 1)
                        .is_none_or(|c| c.is_whitespace() || ",[]{}".contains(*c)) =>
                {
                    let key = self.token.trim().to_string();
                    let at = self.token_at;
                    if let Some(f) = self.flow.last_mut()
                        && f.map
                        && f.step.is_none()
                        && !key.is_empty()
                    {
                        f.step = Some(Step {
                            seg: Seg::Key(key),
                            line: at.0,
                            column: at.1,
                        });
                        self.record_key();
                    }
                    self.clear_token();
                }
                c if c.is_whitespace() => {
                    if !self.token.is_empty() {
                        self.token.push(' ');
                    }
                }
                c => {
                    self.start_token(line, column);
                    self.token.push(c);
                }
            }
            i += 1;
        }
        // A plain scalar may continue on the next line.
        if !self.token.is_empty() && self.quote.is_none() {
            self.token.push(' ');
        }
    }

    fn start_token(&mut self, line: u32, column: u32) {
        if self.token.trim().is_empty() {
            self.token.clear();
            self.token_at = (line, column);
            self.token_quoted = false;
        }
    }

    fn clear_token(&mut self) {
        self.token.clear();
        self.token_quoted = false;
    }
}

/// Drops the blocks nested deeper than `indent`.
fn pop_deeper(block: &mut Vec<Block>, indent: usize) {
    while block.last().is_some_and(|b| b.indent > indent) {
        block.pop();
    }
}

fn closing_quote(chars: &[char], from: usize, q: char) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == q {
            if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        if q == '"' && chars[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    None
}

/// A block mapping key starting at `pos`: its text and the index of its `:`.
fn read_key(chars: &[char], pos: usize) -> Option<(String, usize)> {
    let first = *chars.get(pos)?;
    if first == '"' || first == '\'' {
        let end = closing_quote(chars, pos + 1, first)?;
        let mut colon = end + 1;
        while chars.get(colon) == Some(&' ') {
            colon += 1;
        }
        return (chars.get(colon) == Some(&':'))
            .then(|| (chars[pos + 1..end].iter().collect(), colon));
    }
    if "[{&*!|>?%@`#".contains(first) {
        return None;
    }
    let mut i = pos;
    while i < chars.len() {
        match chars[i] {
            ':' if chars.get(i + 1).is_none_or(|c| c.is_whitespace()) => {
                let key: String = chars[pos..i].iter().collect();
                return Some((key.trim_end().to_string(), i));
            }
            '#' if chars[i - 1].is_whitespace() => return None,
            _ => i += 1,
        }
    }
    None
}
