//! The redactor on arbitrary text: never panics, spans point into the original text on character
//! boundaries, and a mobile number placed between non-digit text is always removed.
#![no_main]

use ducha_triage::{Identity, redact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    // Arbitrary text with arbitrary known identity fields (split on U+0001).
    let mut parts = s.split('\u{1}');
    let text = parts.next().unwrap_or_default();
    let known = Identity {
        name: parts.next().map(str::to_owned),
        phone: parts.next().map(str::to_owned),
        address: parts.next().map(str::to_owned),
        id_number: parts.next().map(str::to_owned),
        email: parts.next().map(str::to_owned),
        handle: parts.next().map(str::to_owned),
    };
    let r = redact(text, &known);
    for span in &r.spans {
        assert!(span.start <= span.end && span.end <= text.len(), "span out of bounds: {span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "span splits a char");
    }

    // Property: an 11-digit mobile number set apart by spaces from digit-free text is removed.
    if data.len() >= 11 {
        let digits: String = data[..10].iter().map(|b| char::from(b'0' + b % 10)).collect();
        let phone = format!("1{}{}", char::from(b'3' + data[10] % 7), &digits[..9]);
        let clean: String = text.chars().filter(|c| !c.is_numeric()).collect();
        let (a, b) =
            clean.split_at(clean.char_indices().nth(clean.chars().count() / 2).map_or(0, |(i, _)| i));
        let with_phone = format!("{a} {phone} {b}");
        let out = redact(&with_phone, &Identity::default());
        assert!(!out.text.contains(&phone), "phone {phone} survived in {:?}", out.text);
    }
});
