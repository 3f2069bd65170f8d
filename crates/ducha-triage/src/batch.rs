//! Analysis of many lines at once: [`analyse_parallel`] runs [`Triage::analyze`] (redact, route,
//! classify, duplicate features) over a run of inputs on several threads and gives the results in
//! input order. Linking (the duplicate lookup) stays with the caller, in input order on one thread.

use crate::triage::{Analysis, Triage, TriageInput};

/// Inputs below this many are analysed on the calling thread alone.
const MIN_PARALLEL: usize = 64;

/// Analyses `inputs` (redact, route, classify, duplicate features) on up to `jobs` threads; the
/// results are in input order.
pub fn analyse_parallel(triage: &Triage, inputs: &[&TriageInput], jobs: usize) -> Vec<Analysis> {
    let work = |part: &[&TriageInput]| -> Vec<Analysis> {
        part.iter().map(|i| triage.analyze(&i.text, &i.identity())).collect()
    };
    if jobs <= 1 || inputs.len() < MIN_PARALLEL {
        return work(inputs);
    }
    let per = inputs.len().div_ceil(jobs);
    std::thread::scope(|s| {
        let mut parts = inputs.chunks(per);
        let first = parts.next().unwrap_or(&[]);
        let handles: Vec<_> = parts.map(|p| s.spawn(move || work(p))).collect();
        let mut all = work(first);
        for h in handles {
            // A worker panics only on an engine bug; pass the panic on rather than lose lines.
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{Synth, SynthConfig};

    #[test]
    fn parallel_analysis_is_the_sequential_one_in_input_order() {
        let items: Vec<_> =
            Synth::builtin(SynthConfig { seed: 5, ..SynthConfig::default() }).take(300).collect();
        let inputs: Vec<&TriageInput> = items.iter().map(|i| &i.input).collect();
        let triage = Triage::builtin();
        let want = analyse_parallel(&triage, &inputs, 1);
        assert_eq!(want.len(), inputs.len());
        for jobs in [2, 3, 7] {
            assert_eq!(analyse_parallel(&triage, &inputs, jobs), want, "jobs = {jobs}");
        }
    }
}
