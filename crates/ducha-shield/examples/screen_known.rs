//! Like `screen`, with a known address (a developer's probe).
#![allow(clippy::unwrap_used, clippy::print_stdout)]
use std::io::BufRead;
fn main() {
    let addr = std::env::args().nth(1);
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let id = ducha_shield::Identity { address: addr.clone(), ..Default::default() };
        let r = ducha_shield::redact(&line, &id);
        println!(
            "{}\n  {:?}",
            r.text,
            r.spans.iter().map(|s| (s.kind, &line[s.start..s.end])).collect::<Vec<_>>()
        );
    }
}
