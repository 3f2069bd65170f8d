//! `ducha triage`: the IO around the pure triage engine (`ducha-triage`).
//!
//! - `--input FILE.jsonl` (or `-`): streams JSONL in, writes the pinned JSONL of DESIGN.md to standard
//!   output, one line per good input line, in input order. Duplicates are compared with earlier lines
//!   only. A bad line is named on standard error by its number and skipped; the rest is processed and
//!   the exit code is non-zero at the end.
//! - `--eval FILE`: runs the engine over a labelled file and prints per-field precision/recall; the
//!   exit code is non-zero when a quality bar of issue 3 is missed.
//! - `--score EXPECTED OUTPUT`: scores an output file written by any program (e.g. the Python peer
//!   of `scripts/bench-triage-peer`) with the same scorer as `--eval`.
//!
//! Lines are read in chunks; the expensive part (redact, route, classify, duplicate features) runs on
//! `--jobs` threads, then the duplicate lookup runs in input order on one thread, exactly as
//! [`Triage::triage_line`] would (a test holds the two equal).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args};
use ducha_triage::batch::analyse_parallel;
use ducha_triage::eval::{EvalItem, EvalReport, evaluate, parse_eval_set};
use ducha_triage::{
    Gazetteer, OutputConfidence, Places, Triage, TriageInput, TriageOutput, parse_jsonl_line,
};

use crate::gazetteer::load_gazetteer;

/// Lines analysed together (per chunk, split across the worker threads).
const CHUNK_LINES: usize = 4096;
/// Bad lines named one by one on standard error before only the count is given.
const MAX_LINE_ERRORS_SHOWN: usize = 100;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("mode").required(true).args(["input", "eval", "score"])))]
pub struct Opts {
    /// JSONL input, one complaint per line (`-` for standard input); JSONL out on standard output.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Labelled JSONL (the format of `crates/ducha-triage/eval/complaints.jsonl` and `ducha gen`):
    /// print per-field precision/recall; exit non-zero if a quality bar of issue 3 is missed.
    #[arg(long, value_name = "FILE")]
    pub eval: Option<PathBuf>,
    /// Score an output file (pinned JSONL, from any program) against a labelled file, like `--eval`.
    #[arg(long, num_args = 2, value_names = ["EXPECTED", "OUTPUT"])]
    pub score: Option<Vec<PathBuf>>,
    /// Gazetteer directory in the NBS CSV layout (provinces.csv, cities.csv, areas.csv, streets.csv,
    /// villages*.csv, optional zones.toml); the built-in one when absent.
    #[arg(long, value_name = "DIR")]
    pub gazetteer: Option<PathBuf>,
    /// The deployment's city (4 digits) within `--gazetteer`.
    #[arg(long, value_name = "CODE", default_value = "4109")]
    pub city: String,
    /// Places file (`name,kind,county_code,township_code,village_code,aliases`); the built-in Puyang
    /// file when absent and the city is 4109.
    #[arg(long, value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// Worker threads for text analysis (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// With `--eval`/`--score`: also list every miss (item id and what was wrong).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// With `--eval`/`--score`: print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ducha triage`.
pub fn run(args: &Opts) -> Result<ExitCode> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
        .clamp(1, 64);
    if let Some(files) = &args.score {
        let [expected, output] = files.as_slice() else {
            bail!("--score 需要两个文件：标注文件 和 输出文件")
        };
        return score(expected, output, args);
    }
    let triage = build_triage(args)?;
    if let Some(path) = &args.eval {
        return eval(path, triage, jobs, args);
    }
    let Some(input) = &args.input else { bail!("请用 --input、--eval 或 --score 指定输入") };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let stats = if input.as_os_str() == "-" {
        let stdin = io::stdin();
        stream(stdin.lock(), "标准输入", &mut out, triage, jobs)?
    } else {
        let f = File::open(input).with_context(|| format!("无法打开输入文件 {}", input.display()))?;
        stream(BufReader::with_capacity(1 << 16, f), &input.display().to_string(), &mut out, triage, jobs)?
    };
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        r => r.context("无法写出结果")?,
    }
    if stats.bad > 0 {
        eprintln!("共 {} 行无法处理（已跳过），其余 {} 行已输出", stats.bad, stats.good);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn build_triage(args: &Opts) -> Result<Triage> {
    let places_owned;
    let places: &Places = match &args.places {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("无法读取地点文件 {}", p.display()))?;
            places_owned =
                Places::from_csv(&text).with_context(|| format!("地点文件 {} 有误", p.display()))?;
            &places_owned
        }
        None if args.gazetteer.is_none() || args.city == "4109" => Places::builtin(),
        None => {
            places_owned = Places::empty();
            &places_owned
        }
    };
    Ok(match &args.gazetteer {
        Some(dir) => {
            let g = load_gazetteer(dir, &args.city)?;
            Triage::new(&g, places)
        }
        None => Triage::new(Gazetteer::builtin(), places),
    })
}

/// The engine of one run: analysis on several threads, then linking (the duplicate index over the
/// lines seen so far) in input order.
#[derive(Debug)]
pub struct Engine {
    triage: Triage,
}

impl Engine {
    pub fn new(triage: Triage) -> Engine {
        Engine { triage }
    }

    /// Outputs for a run of inputs (in order), analysed on `jobs` threads.
    pub fn triage_all(&mut self, inputs: &[&TriageInput], jobs: usize) -> Vec<TriageOutput> {
        let analyses = analyse_parallel(&self.triage, inputs, jobs);
        inputs.iter().zip(analyses).map(|(i, a)| self.triage.link(i, a)).collect()
    }
}

/// Lines written and lines refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamStats {
    pub good: usize,
    pub bad: usize,
}

/// Reads one line (without its end) into `buf`; false at the end of input.
fn read_line(r: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.clear();
    if r.read_until(b'\n', buf)? == 0 {
        return Ok(false);
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    Ok(true)
}

/// Streams JSONL from `reader` to `out`; bad lines are named on standard error.
pub fn stream(
    mut reader: impl BufRead,
    source: &str,
    out: &mut impl Write,
    triage: Triage,
    jobs: usize,
) -> Result<StreamStats> {
    let mut engine = Engine::new(triage);
    let mut stats = StreamStats::default();
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    let stderr = io::stderr();
    let complain = |stats: &mut StreamStats, line: usize, msg: &str| {
        stats.bad += 1;
        if stats.bad <= MAX_LINE_ERRORS_SHOWN {
            let _ = writeln!(stderr.lock(), "错误：{source} 第{line}行：{msg}");
        } else if stats.bad == MAX_LINE_ERRORS_SHOWN + 1 {
            let _ = writeln!(stderr.lock(), "错误：{source} 有更多行无法处理，不再逐行列出");
        }
    };
    let mut eof = false;
    while !eof {
        // Read and parse one chunk; errors are reported in line order before the chunk's output.
        let mut chunk: Vec<TriageInput> = Vec::with_capacity(CHUNK_LINES);
        while chunk.len() < CHUNK_LINES {
            if !read_line(&mut reader, &mut buf).with_context(|| format!("无法读取 {source}"))? {
                eof = true;
                break;
            }
            line_no += 1;
            let Ok(text) = std::str::from_utf8(&buf) else {
                complain(&mut stats, line_no, "不是有效的UTF-8文本");
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match parse_jsonl_line(text, line_no) {
                Ok(input) => chunk.push(input),
                Err(e) => complain(&mut stats, line_no, &e.message),
            }
        }
        let refs: Vec<&TriageInput> = chunk.iter().collect();
        for o in engine.triage_all(&refs, jobs) {
            let written = serde_json::to_writer(&mut *out, &o)
                .map_err(io::Error::from)
                .and_then(|()| out.write_all(b"\n"));
            match written {
                Ok(()) => stats.good += 1,
                // The reader went away (`| head`): stop quietly.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(stats),
                Err(e) => return Err(e).context("无法写出结果"),
            }
        }
    }
    Ok(stats)
}

fn read_eval_items(path: &Path) -> Result<Vec<EvalItem>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("无法读取标注文件 {}", path.display()))?;
    parse_eval_set(&text).map_err(|errs| {
        let shown: Vec<String> = errs
            .iter()
            .take(20)
            .map(|e| format!("{} 第{}行：{}", path.display(), e.line.unwrap_or(0), e.message))
            .collect();
        anyhow::anyhow!("标注文件有 {} 行无法解析：\n{}", errs.len(), shown.join("\n"))
    })
}

fn print_report(report: &EvalReport, args: &Opts) -> Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, report)?;
        writeln!(out)?;
    } else {
        write!(out, "{report}")?;
        if args.verbose {
            for (id, what) in &report.misses {
                writeln!(out, "{id}\t{what}")?;
            }
        }
    }
    out.flush()?;
    Ok(if report.failed_bars().is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn eval(path: &Path, triage: Triage, jobs: usize, args: &Opts) -> Result<ExitCode> {
    let items = read_eval_items(path)?;
    let t0 = Instant::now();
    let mut engine = Engine::new(triage);
    let inputs: Vec<&TriageInput> = items.iter().map(|i| &i.input).collect();
    let outputs = engine.triage_all(&inputs, jobs);
    let dt = t0.elapsed();
    eprintln!("{} 条，用时 {:.1} ms（{} 个线程）", items.len(), dt.as_secs_f64() * 1000.0, jobs);
    print_report(&evaluate(&items, &outputs), args)
}

/// The output a program gave no line for: nothing located, nothing found, nothing redacted.
fn missing_output(item: &EvalItem) -> TriageOutput {
    TriageOutput {
        id: item.input.id.clone(),
        county_code: "UNKNOWN".into(),
        township_code: None,
        village_code: None,
        pollution_types: Vec::new(),
        sansan: None,
        dup_of: None,
        redacted_text: item.input.text.clone(),
        confidence: OutputConfidence::default(),
    }
}

/// Aligns output lines with labelled items by id (items without a line get [`missing_output`]).
/// Returns the aligned outputs and the number of items without an output line.
pub fn align_outputs(items: &[EvalItem], outputs: Vec<TriageOutput>) -> (Vec<TriageOutput>, usize) {
    let mut by_id: std::collections::HashMap<String, TriageOutput> =
        outputs.into_iter().map(|o| (o.id.to_string(), o)).collect();
    let mut missing = 0;
    let aligned = items
        .iter()
        .map(|it| {
            by_id.remove(&it.input.id.to_string()).unwrap_or_else(|| {
                missing += 1;
                missing_output(it)
            })
        })
        .collect();
    (aligned, missing)
}

fn score(expected: &Path, output: &Path, args: &Opts) -> Result<ExitCode> {
    let items = read_eval_items(expected)?;
    let f = File::open(output).with_context(|| format!("无法打开输出文件 {}", output.display()))?;
    let mut reader = BufReader::new(f);
    let mut buf = Vec::new();
    let mut outputs = Vec::with_capacity(items.len());
    let mut line_no = 0;
    let mut bad = 0;
    while read_line(&mut reader, &mut buf)? {
        line_no += 1;
        let parsed = std::str::from_utf8(&buf).map_err(|e| e.to_string()).and_then(|t| {
            if t.trim().is_empty() {
                Ok(None)
            } else {
                serde_json::from_str(t).map(Some).map_err(|e| e.to_string())
            }
        });
        match parsed {
            Ok(Some(o)) => outputs.push(o),
            Ok(None) => {}
            Err(e) => {
                bad += 1;
                if bad <= MAX_LINE_ERRORS_SHOWN {
                    eprintln!("错误：{} 第{line_no}行：不是规定格式的输出行：{e}", output.display());
                }
            }
        }
    }
    let (aligned, missing) = align_outputs(&items, outputs);
    if missing > 0 {
        eprintln!("注意：{} 条标注没有对应的输出行，按“未定位、未识别、未脱敏”计分", missing);
    }
    let code = print_report(&evaluate(&items, &aligned), args)?;
    Ok(if bad > 0 { ExitCode::from(1) } else { code })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ducha_triage::synth::{Synth, SynthConfig};

    const EVAL: &str = include_str!("../../crates/ducha-triage/eval/complaints.jsonl");

    #[test]
    fn parallel_engine_gives_exactly_what_triage_line_gives() {
        let mut inputs: Vec<TriageInput> =
            parse_eval_set(EVAL).unwrap().into_iter().map(|i| i.input).collect();
        inputs.extend(
            Synth::builtin(SynthConfig { seed: 11, ..SynthConfig::default() }).take(3000).map(|i| i.input),
        );
        let mut reference = Triage::builtin();
        let want: Vec<TriageOutput> = inputs.iter().map(|i| reference.triage_line(i)).collect();
        assert!(want.iter().filter(|o| o.dup_of.is_some()).count() > 300, "the corpus has duplicates");
        for jobs in [1, 3] {
            let mut engine = Engine::new(Triage::builtin());
            let refs: Vec<&TriageInput> = inputs.iter().collect();
            // Several calls, as the chunked stream makes them: the index carries over.
            let mut got = Vec::new();
            for part in refs.chunks(700) {
                got.extend(engine.triage_all(part, jobs));
            }
            assert_eq!(got, want, "jobs = {jobs}");
        }
    }

    #[test]
    fn stream_names_bad_lines_and_keeps_going() {
        let mut input = Vec::new();
        input
            .extend_from_slice("{\"id\":1,\"text\":\"清丰县城关镇有个工地半夜打桩，噪音很大\"}\n".as_bytes());
        input.extend_from_slice(b"not json\n\n   \n");
        input.extend_from_slice(b"{\"id\":2,\"text\":\"\xc3\x28\"}\n");
        input.extend_from_slice(
            "{\"id\":3,\"text\":\"南乐县有家饭店油烟直排\",\"received_at\":\"昨天\"}\n".as_bytes(),
        );
        input.extend_from_slice("{\"id\":4,\"text\":\"南乐县有家饭店油烟直排\"}".as_bytes());
        let mut out = Vec::new();
        let stats = stream(&input[..], "测试", &mut out, Triage::builtin(), 2).unwrap();
        assert_eq!(stats, StreamStats { good: 2, bad: 3 });
        let ids: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].clone())
            .collect();
        assert_eq!(ids, [serde_json::json!(1), serde_json::json!(4)]);
    }

    #[test]
    fn streaming_many_chunks_matches_one_pass() {
        let items: Vec<String> = Synth::builtin(SynthConfig { seed: 2, ..SynthConfig::default() })
            .take(CHUNK_LINES + 500)
            .map(|i| serde_json::to_string(&i).unwrap())
            .collect();
        let text = items.join("\n");
        let mut out = Vec::new();
        let stats = stream(text.as_bytes(), "测试", &mut out, Triage::builtin(), 2).unwrap();
        assert_eq!(stats.good, CHUNK_LINES + 500);
        let mut reference = Triage::builtin();
        let want: String = items
            .iter()
            .enumerate()
            .map(|(n, l)| {
                let o = reference.triage_line(&parse_jsonl_line(l, n + 1).unwrap());
                format!("{}\n", serde_json::to_string(&o).unwrap())
            })
            .collect();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn outputs_are_aligned_by_id_and_missing_ones_score_as_nothing_found() {
        let items = parse_eval_set(EVAL).unwrap();
        let mut t = Triage::builtin();
        let mut outs: Vec<TriageOutput> = items.iter().map(|i| t.triage_line(&i.input)).collect();
        let full = evaluate(&items, &outs);
        outs.reverse();
        let removed = outs.remove(0);
        let (aligned, missing) = align_outputs(&items, outs);
        assert_eq!(missing, 1);
        let last = aligned.last().unwrap();
        assert_eq!(last.id, removed.id);
        assert_eq!(last.county_code, "UNKNOWN");
        assert_eq!(last.redacted_text, items.last().unwrap().input.text);
        let r = evaluate(&items, &aligned);
        assert_eq!(r.items, full.items);
        assert!(r.pii.correct <= full.pii.correct);
        assert_eq!(r.county.total, full.county.total);
    }
}
