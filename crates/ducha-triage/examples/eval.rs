//! Runs the triage engine over a labelled JSONL file and prints the evaluation table.
//! `cargo run -p ducha-triage --release --example eval -- crates/ducha-triage/eval/complaints.jsonl [-v]
//! [--places data/places/4109.csv]`, or `-- synth:2000` for the synthetic corpus.
#![allow(clippy::print_stdout)]

use ducha_triage::eval::{evaluate, parse_eval_set, run};
use ducha_triage::synth::{Synth, SynthConfig};
use ducha_triage::{Gazetteer, Places, Triage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: eval FILE.jsonl|synth:N [-v] [--places FILE]")?;
    let verbose = args.iter().any(|a| a == "-v");
    let items = if let Some(n) = path.strip_prefix("synth:") {
        Synth::builtin(SynthConfig::default()).take(n.parse()?).collect()
    } else {
        let text = std::fs::read_to_string(path)?;
        parse_eval_set(&text)
            .map_err(|errs| errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?
    };
    let mut triage = match args.iter().position(|a| a == "--places").and_then(|i| args.get(i + 1)) {
        Some(p) => Triage::new(Gazetteer::builtin(), &Places::from_csv(&std::fs::read_to_string(p)?)?),
        None => Triage::builtin(),
    };
    let t0 = std::time::Instant::now();
    let outputs = run(&mut triage, &items);
    let dt = t0.elapsed();
    let report = evaluate(&items, &outputs);
    println!("{report}");
    println!("{} items in {:.1} ms", items.len(), dt.as_secs_f64() * 1000.0);
    if verbose {
        for (id, what) in &report.misses {
            println!("{id}\t{what}");
        }
    }
    Ok(())
}
