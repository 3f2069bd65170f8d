//! Debug aid: prints the routing, classification, duplicate features and pair score of two lines
//! of a labelled JSONL file. `cargo run -p ducha-triage --example pair -- FILE.jsonl ID1 ID2`
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, a, b] = args.as_slice() else { return Err("usage: pair FILE.jsonl ID1 ID2".into()) };
    let text = std::fs::read_to_string(path)?;
    let items = ducha_triage::eval::parse_eval_set(&text).map_err(|e| format!("{e:?}"))?;
    let t = ducha_triage::Triage::builtin();
    let find = |id: &str| items.iter().find(|i| i.input.id.to_string() == id).ok_or(format!("no {id}"));
    let (x, y) = (find(a)?, find(b)?);
    let ax = t.analyze(&x.input.text, &x.input.identity());
    let ay = t.analyze(&y.input.text, &y.input.identity());
    for (it, an) in [(x, &ax), (y, &ay)] {
        println!(
            "{} {}\n  {:?}\n  {:?}\n  {:?}\n",
            it.input.id, it.input.text, an.routing, an.classification, an.dup_doc
        );
    }
    println!("{:?}", ducha_triage::dup::pair_score(&ay.dup_doc, &ax.dup_doc));
    Ok(())
}
