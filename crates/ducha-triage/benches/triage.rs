//! Triage throughput per core on a synthetic corpus: `cargo bench -p ducha-triage --bench triage`.
//! Divan prints the time per line and, with the item counter, lines per second.

use divan::counter::ItemsCount;
use ducha_triage::eval::EvalItem;
use ducha_triage::synth::{Synth, SynthConfig};
use ducha_triage::{Identity, Router, Triage, classify, redact};

fn main() {
    divan::main();
}

fn corpus(n: usize) -> Vec<EvalItem> {
    Synth::builtin(SynthConfig { seed: 2023, ..SynthConfig::default() }).take(n).collect()
}

const N: usize = 1000;

/// The whole pinned line: redact, route, classify, duplicate query + add.
#[divan::bench(sample_count = 10)]
fn triage_line(b: divan::Bencher) {
    let items = corpus(N);
    let router = Router::builtin();
    b.counter(ItemsCount::new(N)).with_inputs(|| Triage::with_router(router.clone())).bench_local_values(
        |mut t| {
            for it in &items {
                divan::black_box(t.triage_line(&it.input));
            }
        },
    );
}

#[divan::bench(sample_count = 10)]
fn route(b: divan::Bencher) {
    let items = corpus(N);
    let router = Router::builtin();
    b.counter(ItemsCount::new(N)).bench_local(|| {
        for it in &items {
            divan::black_box(router.route(&it.input.text));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn classify_only(b: divan::Bencher) {
    let items = corpus(N);
    b.counter(ItemsCount::new(N)).bench_local(|| {
        for it in &items {
            divan::black_box(classify(&it.input.text));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn redact_only(b: divan::Bencher) {
    let items = corpus(N);
    let ids: Vec<Identity> = items.iter().map(|i| i.input.identity()).collect();
    b.counter(ItemsCount::new(N)).bench_local(|| {
        for (it, id) in items.iter().zip(&ids) {
            divan::black_box(redact(&it.input.text, id));
        }
    });
}
