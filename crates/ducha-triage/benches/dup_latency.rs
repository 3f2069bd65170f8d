//! Duplicate-index latency and memory at 10 k and 100 k synthetic complaints (and 1 M on request):
//! `cargo bench -p ducha-triage --bench dup_latency` or `... -- --sizes 10000,100000,1000000`.
//! Prints build time, query p50/p99/max over 2 000 fresh queries, and the index's memory estimate.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use ducha_triage::synth::{Synth, SynthConfig};
use ducha_triage::{DupDoc, DupIndex, Triage};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let max = sizes.iter().copied().max().unwrap_or(0);
    let queries = 2_000;
    let t0 = Instant::now();
    let triage = Triage::builtin();
    println!(
        "start-up: gazetteer + places + router automaton {:.0} ms ({} patterns)",
        t0.elapsed().as_secs_f64() * 1000.0,
        triage.router().pattern_count()
    );
    let t0 = Instant::now();
    ducha_triage::dup::warm_up();
    println!("jieba dictionary load: {:.0} ms", t0.elapsed().as_secs_f64() * 1000.0);

    // Documents are built once (route + classify + features), then indexed at each size.
    let t0 = Instant::now();
    let mut synth = Synth::builtin(SynthConfig { seed: 99, ..SynthConfig::default() });
    let docs: Vec<DupDoc> = (&mut synth)
        .take(max + queries)
        .map(|it| triage.analyze(&it.input.text, &it.input.identity()).dup_doc)
        .collect();
    let per = t0.elapsed().as_secs_f64() / docs.len() as f64;
    println!("document analysis: {} docs, {:.1} µs/doc ({:.0} docs/s)", docs.len(), per * 1e6, 1.0 / per);
    let (corpus, probe) = docs.split_at(max);

    println!(
        "{:>9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "docs", "build s", "add µs", "p50 µs", "p99 µs", "max µs", "mem MiB"
    );
    for &n in &sizes {
        let mut ix = DupIndex::new();
        let t0 = Instant::now();
        for (i, d) in corpus[..n].iter().enumerate() {
            ix.add(i as u64, d);
        }
        let build = t0.elapsed().as_secs_f64();
        let mut lat: Vec<f64> = probe
            .iter()
            .map(|q| {
                let t = Instant::now();
                std::hint::black_box(ix.query(q));
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        lat.sort_by(f64::total_cmp);
        let mut cand: Vec<usize> = probe.iter().map(|q| ix.candidate_count(q)).collect();
        cand.sort_unstable();
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        println!(
            "{:>9} {:>8.2} {:>8.2} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>5}/{:<5}",
            n,
            build,
            build / n as f64 * 1e6,
            pct(0.50),
            pct(0.99),
            lat[lat.len() - 1],
            ix.memory_bytes() as f64 / (1024.0 * 1024.0),
            cand[cand.len() / 2],
            cand[cand.len() * 99 / 100]
        );
    }
}
