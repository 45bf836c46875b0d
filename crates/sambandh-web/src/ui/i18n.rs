//! The languages of the staff UI: every label and message from Fluent files compiled
//! into the binary (`locales/{en,hi,ta,gu}.ftl`), the language chosen per browser
//! (a cookie set by the language menu) with the browser's `Accept-Language` as the
//! default, and dates, numbers and name order in the chosen language.
//!
//! Numbers use Latin digits with Indian grouping (12,34,567) in every language: it is
//! CLDR's default numbering for en-IN, hi, ta and gu, and what Indian businesses
//! print. Dates use the month names of [`sambandh_domain::written_date`].

use std::cmp::Ordering;
use std::sync::LazyLock;

use axum::http::{HeaderMap, header};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_collator::CollatorBorrowed;
use icu_collator::options::CollatorOptions;
use sambandh_domain::LetterLanguage;

/// The cookie that keeps the language a browser's user picked.
pub const LANGUAGE_COOKIE: &str = "sambandh_lang";

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale(pub LetterLanguage);

/// Every language of the UI, in the order the language menu lists them.
pub const LOCALES: [Locale; 4] = [
    Locale(LetterLanguage::English),
    Locale(LetterLanguage::Hindi),
    Locale(LetterLanguage::Tamil),
    Locale(LetterLanguage::Gujarati),
];

impl Default for Locale {
    fn default() -> Self {
        Self(LetterLanguage::English)
    }
}

impl Locale {
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// The language's own name, as the language menu shows it.
    pub fn endonym(self) -> &'static str {
        match self.0 {
            LetterLanguage::English => "English",
            LetterLanguage::Hindi => "हिन्दी",
            LetterLanguage::Tamil => "தமிழ்",
            LetterLanguage::Gujarati => "ગુજરાતી",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        LetterLanguage::of(code.trim()).map(Self)
    }

    /// The language of a request: the one picked (the cookie), else the first of the
    /// browser's `Accept-Language` that the UI speaks (by weight), else English.
    pub fn of_request(headers: &HeaderMap) -> Self {
        if let Some(picked) = crate::auth::cookie(headers, LANGUAGE_COOKIE).and_then(|code| Self::parse(&code)) {
            return picked;
        }
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(Self::negotiate)
            .unwrap_or_default()
    }

    /// The best language of an `Accept-Language` value, e.g. `ta-IN,ta;q=0.9,en;q=0.8`.
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut ranges: Vec<(f32, usize, Self)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(position, range)| {
                let mut parts = range.split(';');
                let tag = parts.next()?.trim();
                let weight = parts
                    .filter_map(|param| param.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (weight > 0.0).then_some(())?;
                Some((weight, position, Self::parse(tag)?))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal).then(a.1.cmp(&b.1)));
        ranges.first().map(|(_, _, locale)| *locale)
    }

    fn index(self) -> usize {
        match self.0 {
            LetterLanguage::English => 0,
            LetterLanguage::Hindi => 1,
            LetterLanguage::Tamil => 2,
            LetterLanguage::Gujarati => 3,
        }
    }

    /// The message `key` with `args`; English when this language lacks it, and the key
    /// itself when no language has it (so a missing message shows, and a test finds it).
    pub fn message(self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundles = &*BUNDLES;
        for bundle in [&bundles[self.index()], &bundles[0]] {
            if let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(key, locale = self.code(), ?errors, "a message did not format cleanly");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(key, "no message has this key");
        key.to_owned()
    }

    pub fn text(self, key: &str) -> String {
        self.message(key, None)
    }

    /// Sorts `items` by the name `key` gives, by the rules of the UI language, which
    /// orders its own script's letters as its readers expect, and other scripts after.
    pub fn sort_by_name<T>(self, items: &mut [T], key: impl Fn(&T) -> &str) {
        let collator = &COLLATORS[self.index()];
        items.sort_by(|a, b| collator.compare(key(a), key(b)));
    }
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 4]> = LazyLock::new(|| {
    [
        bundle("en", include_str!("../../locales/en.ftl")),
        bundle("hi", include_str!("../../locales/hi.ftl")),
        bundle("ta", include_str!("../../locales/ta.ftl")),
        bundle("gu", include_str!("../../locales/gu.ftl")),
    ]
});

fn bundle(code: &'static str, source: &'static str) -> FluentBundle<FluentResource> {
    let language: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // The UI's languages are all written left to right; isolation marks would only
    // get in the way of copying text.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, errors)| {
        tracing::error!(code, ?errors, "a Fluent file has errors");
        resource
    });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(code, ?errors, "a Fluent file repeats a message");
    }
    bundle
}

static COLLATORS: LazyLock<[CollatorBorrowed<'static>; 4]> =
    LazyLock::new(|| LOCALES.map(|locale| collator(locale.code())));

fn collator(code: &str) -> CollatorBorrowed<'static> {
    let locale: icu_locale_core::Locale = code.parse().unwrap_or(icu_locale_core::Locale::UNKNOWN);
    // Compiled data covers every locale the UI speaks; the root order is the fallback.
    CollatorBorrowed::try_new((&locale).into(), CollatorOptions::default())
        .or_else(|_| CollatorBorrowed::try_new(Default::default(), CollatorOptions::default()))
        .unwrap_or_else(|err| panic!("ICU4X's compiled collation data is missing: {err}"))
}

/// Fluent arguments from `(name, value)` pairs; numbers stay numbers so that plural
/// rules apply.
pub fn args<'a>(pairs: impl IntoIterator<Item = (&'a str, ArgValue)>) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        match value {
            ArgValue::Text(text) => args.set(name, FluentValue::from(text)),
            ArgValue::Number(number) => args.set(name, FluentValue::from(number)),
        }
    }
    args
}

/// A value given to a message.
#[derive(Debug, Clone)]
pub enum ArgValue {
    Text(String),
    Number(i64),
}

/// `value` with Indian digit grouping: 1234567 → "12,34,567".
pub fn group_digits(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 2 + 1);
    if value < 0 {
        grouped.push('-');
    }
    let len = digits.len();
    for (idx, digit) in digits.chars().enumerate() {
        let remaining = len - idx;
        if idx > 0 && (remaining == 3 || (remaining > 3 && remaining % 2 == 1)) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_the_indian_way() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(12_345), "12,345");
        assert_eq!(group_digits(1_234_567), "12,34,567");
        assert_eq!(group_digits(-123_456_789), "-12,34,56,789");
    }

    #[test]
    fn the_browser_language_is_the_default_and_the_pick_wins() {
        assert_eq!(Locale::negotiate("ta-IN,ta;q=0.9,en;q=0.8"), Some(Locale(LetterLanguage::Tamil)));
        assert_eq!(Locale::negotiate("fr, en;q=0.5, gu;q=0.7"), Some(Locale(LetterLanguage::Gujarati)));
        assert_eq!(Locale::negotiate("fr, de"), None);
        assert_eq!(Locale::negotiate("hi;q=0, en"), Some(Locale(LetterLanguage::English)));
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, "hi-IN,hi;q=0.9".parse().unwrap());
        assert_eq!(Locale::of_request(&headers), Locale(LetterLanguage::Hindi));
        headers.insert(header::COOKIE, "sambandh_lang=gu".parse().unwrap());
        assert_eq!(Locale::of_request(&headers), Locale(LetterLanguage::Gujarati));
    }

    #[test]
    fn every_language_has_every_message_of_english() {
        let english = include_str!("../../locales/en.ftl");
        let keys: Vec<&str> = english
            .lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim()))
            .collect();
        assert!(keys.len() > 50, "the English file defines the UI's messages");
        for locale in &LOCALES[1..] {
            let bundle = &BUNDLES[locale.index()];
            let missing: Vec<&&str> = keys.iter().filter(|key| !bundle.has_message(key)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", locale.code());
        }
    }

    #[test]
    fn names_sort_by_the_rules_of_their_script() {
        // Tamil: the vowel sign does not outrank the consonant that carries it, so
        // கா (kā) comes after க (ka) and before கி (ki); ங after க.
        let mut names = vec!["கிருஷ்ணன்", "ஙனம்", "கார்த்திக்", "கமலா"];
        Locale(LetterLanguage::Tamil).sort_by_name(&mut names, |name| name);
        assert_eq!(names, ["கமலா", "கார்த்திக்", "கிருஷ்ணன்", "ஙனம்"]);
        // Latin names ignore case, as a reader does.
        let mut names = vec!["meena", "Arjun", "Zoya", "bala"];
        Locale(LetterLanguage::English).sort_by_name(&mut names, |name| name);
        assert_eq!(names, ["Arjun", "bala", "meena", "Zoya"]);
        // Devanagari: the nukta letter ज़ (U+095B) sorts with ज, not after every letter
        // as its code point would put it.
        let mut names = vec!["टीना", "\u{95B}ोया", "कमल"];
        Locale(LetterLanguage::Hindi).sort_by_name(&mut names, |name| name);
        assert_eq!(names, ["कमल", "\u{95B}ोया", "टीना"]);
    }
}
