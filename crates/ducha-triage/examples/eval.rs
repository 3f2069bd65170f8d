//! Runs the triage engine over a labelled JSONL file and prints the evaluation table.
//! `cargo run -p ducha-triage --release --example eval -- crates/ducha-triage/eval/complaints.jsonl [-v]`
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: eval FILE.jsonl [-v]")?;
    let verbose = args.iter().any(|a| a == "-v");
    let text = std::fs::read_to_string(path)?;
    let items = ducha_triage::eval::parse_eval_set(&text)
        .map_err(|errs| errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
    let mut triage = ducha_triage::Triage::builtin();
    let t0 = std::time::Instant::now();
    let outputs = ducha_triage::eval::run(&mut triage, &items);
    let dt = t0.elapsed();
    let report = ducha_triage::eval::evaluate(&items, &outputs);
    println!("{report}");
    println!("{} items in {:.1} ms", items.len(), dt.as_secs_f64() * 1000.0);
    if verbose {
        for (id, what) in &report.misses {
            println!("{id}\t{what}");
        }
    }
    Ok(())
}
