//! Debug aid: prints what triage finds for each argument text.
//! `cargo run -p ducha-triage --example route -- "东明县马头镇一家化工企业夜间排放废气"`
#![allow(clippy::print_stdout)]

fn main() {
    let t = ducha_triage::Triage::builtin();
    for text in std::env::args().skip(1) {
        let a = t.analyze(&text, &ducha_triage::Identity::default());
        println!("{text}\n  {:?}\n  {:?}\n  {}\n", a.routing, a.classification, a.redacted.text);
    }
}
