//! Prints N synthetic labelled complaints as JSONL (the format of `eval/complaints.jsonl`).
//! `cargo run -p ducha-triage --example synth -- 100 [SEED]`
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(10);
    let seed: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(42);
    let cfg = ducha_triage::synth::SynthConfig { seed, ..Default::default() };
    for item in ducha_triage::synth::Synth::builtin(cfg).take(n) {
        println!("{}", serde_json::to_string(&item)?);
    }
    Ok(())
}
