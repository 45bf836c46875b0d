//! Finding people by name, in any script: the words a name is indexed under, and the
//! words of a query, normalised the same way so that a query word matches the start of
//! a name word byte for byte.
//!
//! A word is a run of letters, digits and combining marks (the vowel signs and viramas
//! of Indian scripts are marks, so "கார்த்திக்" is one word); everything else separates
//! words: spaces, "R." gives "r", "Mary-Jane" gives "mary" and "jane". Zero-width
//! joiners and non-joiners only change how a word is drawn, so they are dropped. Each
//! word is NFC and lower case.

use std::collections::BTreeSet;

use crate::values::text::nfc;
use unicode_normalization::char::is_combining_mark;

/// The most words a query is searched for; the rest are ignored (a name has a few
/// words, and each query word is one more index range to read).
pub const MAX_SEARCH_WORDS: usize = 8;

/// The words that the names in `names` are found by, each once.
pub fn search_words<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().flat_map(words).collect()
}

/// The words of a search query: each must start a word of the same contact's names.
/// Empty for a query with no words (then nothing is filtered). Repeated words, and words
/// that start another word of the query ("ra" beside "raja", which finds no more), are
/// dropped; at most [`MAX_SEARCH_WORDS`] are kept, in the order typed.
pub fn normalise_search(query: &str) -> Vec<String> {
    let typed: Vec<String> = words(query).collect();
    let mut kept: Vec<String> = Vec::new();
    for (idx, word) in typed.iter().enumerate() {
        let implied = typed.iter().enumerate().any(|(other_idx, other)| {
            other_idx != idx && other.starts_with(word.as_str()) && (other != word || other_idx < idx)
        });
        if !implied {
            kept.push(word.clone());
        }
    }
    kept.truncate(MAX_SEARCH_WORDS);
    kept
}

/// The normalised words of `text`, in order, repeats included.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c) || is_joiner(c)))
        .map(|word| {
            let without_joiners: String = word.chars().filter(|c| !is_joiner(*c)).collect();
            // Lower-casing can undo NFC ('İ' becomes 'i' + a combining dot): normalise after.
            nfc(&nfc(&without_joiners).to_lowercase())
        })
        .filter(|word| !word.is_empty())
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(names: &[&str], expect: &[&str]) {
        let found = search_words(names.iter().copied());
        assert_eq!(found.iter().map(String::as_str).collect::<Vec<_>>(), expect, "{names:?}");
    }

    #[test]
    fn names_split_into_lower_case_words() {
        check(&["R. Karthik", "கார்த்திக்"], &["karthik", "r", "கார்த்திக்"]);
        check(&["Mary-Jane O'Brien,", "  "], &["brien", "jane", "mary", "o"]);
        check(&["KARTHIK", "Karthik", "karthik."], &["karthik"]);
        check(&["अंकित शर्मा"], &["अंकित", "शर्मा"]);
        check(&["નરેન્દ્ર ભાઈ"], &["નરેન્દ્ર", "ભાઈ"]);
        check(&["Ünal İnce"], &["i\u{307}nce", "ünal"]);
    }

    #[test]
    fn tamil_words_keep_their_vowel_signs_and_viramas() {
        // கார்த்திக் ends in a virama (a mark, not a letter): it must stay.
        check(&["கார்த்திக்"], &["கார்த்திக்"]);
        assert!(search_words(["கார்த்திக்"]).iter().all(|w| w.ends_with('\u{0BCD}')));
    }

    #[test]
    fn decomposed_and_composed_text_index_the_same() {
        let composed = "Zoë";
        let decomposed = "Zoe\u{0308}";
        assert_eq!(search_words([composed]), search_words([decomposed]));
        assert_eq!(normalise_search(decomposed), ["zoë"]);
    }

    #[test]
    fn joiners_are_dropped() {
        // Malayalam and Devanagari use ZWJ/ZWNJ to choose a glyph; a query typed without them still matches.
        assert_eq!(search_words(["क्\u{200D}ष"]), search_words(["क्ष"]));
        assert_eq!(normalise_search("\u{200C}"), Vec::<String>::new());
    }

    #[test]
    fn queries_normalise_like_names() {
        assert_eq!(normalise_search("  Kar  R. "), ["kar", "r"]);
        assert_eq!(normalise_search("கார்"), ["கார்"]);
        assert!(normalise_search("").is_empty());
        assert!(normalise_search(" \t ,. ").is_empty());
    }

    #[test]
    fn queries_drop_words_that_add_nothing() {
        assert_eq!(normalise_search("raja RAJA"), ["raja"]);
        assert_eq!(normalise_search("ra raja"), ["raja"]);
        assert_eq!(normalise_search("raja ra kumar"), ["raja", "kumar"]);
        let many = "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10";
        assert_eq!(normalise_search(many).len(), MAX_SEARCH_WORDS);
    }
}
