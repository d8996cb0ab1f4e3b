//! One rule for identifiers.
//!
//! Every id an author writes that becomes a file name, a URL, an HTML `id`
//! or an attribute (plan, pack, indicator, section and table ids) follows the
//! same rule, checked when the content is loaded:
//!
//! - 1 to [`MAX_ID_CHARS`] characters;
//! - only lower-case ASCII letters `a`–`z`, digits `0`–`9` and hyphens `-`;
//! - a letter or digit first and last (a file name starting with `-` reads as
//!   an option to command-line tools);
//! - not a name Windows reserves for devices (`con`, `nul`, `com1`…), which no
//!   Windows file share can hold even with an extension.
//!
//! Lower case only, because the site is often published on a Windows share
//! where `NI-63.html` and `ni-63.html` are the same file. Everything else
//! (spaces, `/`, `\`, `.`, quotes, `<`, accented letters, zero-width and
//! bidirectional-control characters) is refused with a hint naming the slug
//! to use instead. Free-text references (action refs, objective refs,
//! indicator codes) are not ids: their anchors are derived with
//! [`crate::compute::slug`], which can only produce allowed characters.

/// The longest id allowed, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// Device names Windows reserves in every folder, with or without an extension.
const WINDOWS_RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// True for characters that are invisible or reorder text: zero-width
/// spaces and joiners, bidirectional controls, soft hyphens, the byte-order
/// mark and other Unicode format characters. Pasted from Word or a web page,
/// they make two ids that look the same differ, or make text read in a
/// different order from the one it is stored in.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// The value with hidden and control characters written out as `<U+200B>`,
/// so a message can show where they are.
pub fn visible(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if is_hidden(c) || c.is_control() {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// What is wrong with `id` under the identifier rule, in words that finish
/// "… is not a valid id: ", or `None` when it is valid.
pub fn problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(c) = id.chars().find(|c| is_hidden(*c)) {
        return Some(format!(
            "it contains an invisible character, U+{:04X} ({}), probably pasted with the text",
            c as u32,
            hidden_name(c)
        ));
    }
    if let Some(c) = id.chars().find(|c| c.is_control()) {
        return Some(format!(
            "it contains the control character U+{:04X}",
            c as u32
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(match c {
            'A'..='Z' => "it has capital letters (ids are lower case, so they cannot clash on a Windows share)".into(),
            ' ' => "it contains a space".into(),
            '/' | '\\' => format!("it contains `{c}`, which would make it a folder in the output"),
            '.' if id.contains("..") => "it contains `..`, which would climb out of the output folder".into(),
            c if c.is_ascii() => format!("it contains `{c}`"),
            c => format!("it contains `{c}`, which is not a plain letter a–z"),
        });
    }
    if id.starts_with('-') || id.ends_with('-') {
        return Some("it starts or ends with `-`".into());
    }
    let chars = id.chars().count();
    if chars > MAX_ID_CHARS {
        return Some(format!(
            "it is {chars} characters long, more than the {MAX_ID_CHARS} allowed"
        ));
    }
    if WINDOWS_RESERVED.contains(&id) {
        return Some(format!(
            "`{id}` is a device name on Windows, so `{id}.html` cannot be saved on a Windows share"
        ));
    }
    None
}

/// True when `id` follows the identifier rule.
pub fn is_valid(id: &str) -> bool {
    problem(id).is_none()
}

/// The valid id nearest to `value` (its slug, shortened to the limit), if
/// there is one.
pub fn suggestion(value: &str) -> Option<String> {
    let mut s: String = crate::compute::slug(value)
        .chars()
        .take(MAX_ID_CHARS)
        .collect();
    while s.ends_with('-') {
        s.pop();
    }
    if WINDOWS_RESERVED.contains(&s.as_str()) {
        s.push_str("-1");
    }
    is_valid(&s).then_some(s)
}

/// The hint for an invalid id: the rule, and the id to write instead
/// (`example` when nothing of the value can be kept).
pub fn hint(value: &str, example: &str) -> String {
    let better = suggestion(value)
        .filter(|s| s != value)
        .unwrap_or_else(|| example.to_string());
    format!(
        "ids become file names, links and HTML ids, so they use only lower-case letters a–z, digits 0–9 and hyphens (not first or last), at most {MAX_ID_CHARS} characters: write `id: {better}`"
    )
}

/// A name for a hidden character, for messages.
fn hidden_name(c: char) -> &'static str {
    match c {
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "byte-order mark",
        '\u{00AD}' => "soft hyphen",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "a text-direction mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "a text-direction control",
        _ => "a formatting character",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_ids_are_valid() {
        for id in [
            "lac-action-plan-2015",
            "ni-63",
            "ccs-1a",
            "2008-09-q2",
            "t-1a",
            "a",
            "x1",
        ] {
            assert!(is_valid(id), "{id}: {:?}", problem(id));
        }
    }

    #[test]
    fn hostile_and_careless_ids_are_refused() {
        for id in [
            "",
            "../../../x",
            "..",
            ".",
            "ni/63",
            "ni\\63",
            "\" onload=\"alert(1)",
            "<script>",
            "ni\u{200B}63",
            "ni\u{202E}36",
            "ni\u{7}63",
            "ni\u{0}63",
            "NI 63/a",
            "Ni-63",
            "ni 63",
            "ni.63",
            "-rf",
            "ni-",
            "café",
            "con",
            "lpt1",
            "C:x",
            &"a".repeat(MAX_ID_CHARS + 1),
        ] {
            assert!(problem(id).is_some(), "{id:?} was accepted");
        }
        assert!(is_valid(&"a".repeat(MAX_ID_CHARS)));
    }

    #[test]
    fn messages_name_the_problem() {
        assert!(problem("../../../x").unwrap().contains("`..`"));
        assert!(problem("ni/63").unwrap().contains("folder"));
        assert!(
            problem("ni\u{200B}63")
                .unwrap()
                .contains("U+200B (zero-width space)")
        );
        assert!(problem("ni\u{7}63").unwrap().contains("U+0007"));
        assert!(problem("NI-63").unwrap().contains("capital"));
        assert!(problem("nul").unwrap().contains("Windows"));
    }

    #[test]
    fn hints_give_the_slug_to_use() {
        assert!(hint("NI 63/a", "x").ends_with("write `id: ni-63-a`"));
        assert!(hint("../../../x", "x").ends_with("write `id: x`"));
        assert!(hint("\" onload=\"alert(1)", "x").ends_with("write `id: onload-alert-1`"));
        assert!(hint("…", "my-plan").ends_with("write `id: my-plan`"));
        assert!(hint("CON", "x").ends_with("write `id: con-1`"));
        let long = suggestion(&"ab ".repeat(40)).unwrap();
        assert!(long.chars().count() <= MAX_ID_CHARS && is_valid(&long));
    }

    #[test]
    fn visible_shows_hidden_characters() {
        assert_eq!(visible("ni\u{200B}63\u{7}"), "ni<U+200B>63<U+0007>");
    }
}
