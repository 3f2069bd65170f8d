//! Screens each line of standard input with no known identity and prints the result (a developer's
//! probe; never feed it a blind set).
#![allow(clippy::unwrap_used, clippy::print_stdout)]
use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let r = ducha_shield::redact(&line, &ducha_shield::Identity::default());
        println!(
            "{}\n  {:?}",
            r.text,
            r.spans.iter().map(|s| (s.kind, &line[s.start..s.end])).collect::<Vec<_>>()
        );
    }
}
