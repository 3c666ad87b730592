//! The pure steps around a sidecar call: what to ask (the task's inputs and
//! the quantisation rule of its listing when submitted) and what to keep of
//! the answer (the canonical output bytes, checked against the sidecar's
//! output hash).

use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use venice_inference::state::Task;
use venice_model_types::QuantRule;
use venice_model_types::quant::{canonical_encoding, validate_rule};
use venice_sidecar_client::{client, pb, rules};
use venice_types::inference::TaskResult;

/// What the executor sends for one task.
#[derive(Clone, Debug)]
pub struct Job {
    pub task_id: u64,
    /// hex sha256 of the ONNX bytes
    pub model: String,
    pub uri: String,
    pub rule: QuantRule,
    /// Empty until [`with_input`] reads a data credential's dataset.
    pub inputs: Vec<pb::Tensor>,
    /// Where the input is when it is not inline.
    pub dataset: Option<DatasetInput>,
    /// Outputs above this stay out of the result (the hash still votes).
    pub max_output_bytes: u64,
}

/// A dataset a data credential opened: fetched, checked, then parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetInput {
    pub uri: String,
    /// sha256, lower-case hex
    pub data_hash: String,
    /// The model's largest input when the task was submitted.
    pub max_bytes: u64,
}

/// The job for `task` (under its listing as it was when submitted), or why
/// it cannot run anywhere.
pub fn job(task: &Task) -> Result<Job, String> {
    let rule: QuantRule =
        serde_json::from_str(&task.quant_rule_json).map_err(|e| format!("listing's quant rule {:?}: {e}", task.quant_rule_json))?;
    validate_rule(&rule).map_err(|e| e.to_string())?;
    let job = Job {
        task_id: task.id,
        model: hex::encode(task.model_id),
        uri: task.storage_uri.clone(),
        rule,
        inputs: Vec::new(),
        dataset: None,
        max_output_bytes: task.max_output_bytes,
    };
    match &task.data_credential {
        None => with_input(job, &task.input),
        Some(d) => Ok(Job {
            dataset: Some(DatasetInput { uri: d.uri.clone(), data_hash: d.data_hash.clone(), max_bytes: task.max_input_bytes }),
            ..job
        }),
    }
}

/// `job` with its input read from `bytes`: the JSON the sidecar takes.
pub fn with_input(mut job: Job, bytes: &[u8]) -> Result<Job, String> {
    let input: Json = serde_json::from_slice(bytes).map_err(|e| format!("input is not JSON: {e}"))?;
    job.inputs = client::inputs_from_json(&input).map_err(|e| format!("input: {e}"))?;
    Ok(job)
}

/// Checks fetched dataset bytes against the task's record of them.
pub fn check_dataset(d: &DatasetInput, bytes: &[u8]) -> Result<(), String> {
    if bytes.len() as u64 > d.max_bytes {
        return Err(format!("dataset {} is {} bytes, over the model's input limit of {}", d.uri, bytes.len(), d.max_bytes));
    }
    let actual = hex::encode(Sha256::digest(bytes));
    if actual != d.data_hash {
        return Err(format!("dataset {} hashes to {actual}, the credential's dataset says {}", d.uri, d.data_hash));
    }
    Ok(())
}

/// The result to extend from the sidecar's answer: the canonical encoding
/// of its quantised outputs, whose sha256 must be the hash it reported,
/// under the rule the listing names.
pub fn task_result(job: &Job, r: &pb::RunResponse) -> Result<TaskResult, String> {
    if r.model != job.model {
        return Err(format!("the sidecar answered for model {}", r.model));
    }
    let rule = rules::from_pb_opt(r.rule.as_ref()).map_err(|e| e.to_string())?.ok_or("the sidecar's answer names no rule")?;
    if rule != job.rule {
        return Err(format!("the sidecar applied {rule:?}, the listing says {:?}", job.rule));
    }
    let tensors = rules::quantized_from_pb(&r.quantized).map_err(|e| e.to_string())?;
    let output = canonical_encoding(&rule, &tensors);
    let hash = Sha256::digest(&output);
    if r.output_hash.as_slice() != hash.as_slice() {
        return Err(format!(
            "the sidecar's output hash {} is not the hash {} of its quantised outputs",
            hex::encode(&r.output_hash),
            hex::encode(hash)
        ));
    }
    let output = if output.len() as u64 <= job.max_output_bytes { output } else { Vec::new() };
    Ok(TaskResult { task_id: job.task_id, output_hash: hash.to_vec(), output })
}

#[cfg(test)]
mod tests {
    use super::*;
    use venice_model_types::Rounding;
    use venice_model_types::quant::{OutputTensor, Values, quantize_and_hash};
    use venice_sdk::{Address, Coin};

    fn task(input: &str) -> Task {
        Task {
            id: 9,
            sender: Address::module("s"),
            model_id: [7; 32],
            nft_contract: Address::module("nft"),
            token_id: "digits".into(),
            committee_size: 1,
            max_output_bytes: 1024,
            max_input_bytes: 4096,
            storage_uri: "file:///models/x.onnx".into(),
            quant_rule_json: RULE.into(),
            input: input.as_bytes().to_vec(),
            data_credential: None,
            fee: Coin { denom: "uvvv".into(), amount: 1 },
            work: 1,
            allowance_used: 0,
            allowance_day: 0,
            status: venice_inference::state::TaskStatus::Assigned,
            submit_height: 1,
            deadline_height: 5,
            assigned_height: 1,
            committee: vec![],
            ended_height: 0,
        }
    }

    const RULE: &str = r#"{"fixed_point":{"scale_exp":4,"rounding":"half_even"}}"#;
    const INPUT: &str = r#"{"inputs":{"input":{"dtype":"float32","shape":[1,2],"data":[0.5,1.0]}}}"#;

    /// A RunResponse as an honest sidecar builds it.
    fn answer(rule: &QuantRule) -> pb::RunResponse {
        let outs = [
            OutputTensor { name: "label".into(), shape: vec![1], values: Values::I64(vec![4]) },
            OutputTensor { name: "probabilities".into(), shape: vec![1, 2], values: Values::F32(vec![0.125, 0.875]) },
        ];
        let (q, hash) = quantize_and_hash(rule, &outs).unwrap();
        pb::RunResponse {
            model: hex::encode([7u8; 32]),
            rule: Some(rules::to_pb(rule)),
            quantized: q.into_iter().map(rules::quantized_to_pb).collect(),
            output_hash: hash.to_vec(),
            ..Default::default()
        }
    }

    fn with_rule(input: &str, rule: &str) -> Task {
        Task { quant_rule_json: rule.into(), ..task(input) }
    }

    #[test]
    fn job_reads_the_listing_rule_and_the_inputs() {
        let j = job(&task(INPUT)).unwrap();
        assert_eq!(j.rule, QuantRule::FixedPoint { scale_exp: 4, rounding: Rounding::HalfEven });
        assert_eq!((j.model.as_str(), j.uri.as_str(), j.task_id), (hex::encode([7u8; 32]).as_str(), "file:///models/x.onnx", 9));
        assert_eq!(j.inputs.len(), 1);
        assert_eq!((j.inputs[0].name.as_str(), j.inputs[0].shape.clone(), j.inputs[0].data.len()), ("input", vec![1, 2], 8));
        assert!(j.dataset.is_none());

        assert!(job(&task("[[0.5]]")).unwrap_err().contains("inputs"));
        assert!(job(&task("not json")).unwrap_err().contains("not JSON"));
        assert!(job(&with_rule(INPUT, r#"{"fixed_point":{"scale_exp":40,"rounding":"floor"}}"#)).is_err());
        assert!(job(&with_rule(INPUT, "{}")).is_err());
    }

    #[test]
    fn a_dataset_input_is_fetched_checked_then_read() {
        let hash = hex::encode(Sha256::digest(INPUT.as_bytes()));
        let mut t = task("");
        t.data_credential = Some(venice_inference::state::DataCredential {
            contract: Address::module("creds"),
            credential_id: 3,
            dataset_id: 1,
            data_hash: hash.clone(),
            uri: "file:///data/in.json".into(),
        });
        let j = job(&t).unwrap();
        let d = j.dataset.clone().unwrap();
        assert_eq!(d, DatasetInput { uri: "file:///data/in.json".into(), data_hash: hash, max_bytes: 4096 });
        assert!(j.inputs.is_empty());
        check_dataset(&d, INPUT.as_bytes()).unwrap();
        assert!(check_dataset(&d, b"{}").unwrap_err().contains("hashes to"));
        let small = DatasetInput { max_bytes: 8, ..d.clone() };
        assert!(check_dataset(&small, INPUT.as_bytes()).unwrap_err().contains("input limit"));
        let j = with_input(j, INPUT.as_bytes()).unwrap();
        assert_eq!(j.inputs.len(), 1);
    }

    #[test]
    fn result_is_the_canonical_output_of_the_sidecars_hash() {
        let j = job(&task(INPUT)).unwrap();
        let a = answer(&j.rule);
        let r = task_result(&j, &a).unwrap();
        assert_eq!((r.task_id, &r.output_hash), (9, &a.output_hash));
        assert_eq!(Sha256::digest(&r.output).as_slice(), a.output_hash.as_slice());
        let (rule, tensors) = venice_model_types::decode::decode_canonical(&r.output).unwrap();
        assert_eq!(rule, j.rule);
        assert_eq!(tensors[1].values, vec![1250, 8750]);

        // Too large to carry: the hash alone.
        let mut small = j.clone();
        small.max_output_bytes = 10;
        let r = task_result(&small, &a).unwrap();
        assert!(r.output.is_empty());
        assert_eq!(r.output_hash, a.output_hash);
    }

    #[test]
    fn inconsistent_answers_are_dropped() {
        let j = job(&task(INPUT)).unwrap();
        let mut tampered = answer(&j.rule);
        tampered.quantized[1].values[0] += 1;
        assert!(task_result(&j, &tampered).unwrap_err().contains("is not the hash"));
        let mut hash = answer(&j.rule);
        hash.output_hash[0] ^= 1;
        assert!(task_result(&j, &hash).is_err());
        // Another rule than the listing's (even self-consistent) is not this task's answer.
        let other = answer(&QuantRule::Argmax);
        assert!(task_result(&j, &other).unwrap_err().contains("listing says"));
        let mut no_rule = answer(&j.rule);
        no_rule.rule = None;
        assert!(task_result(&j, &no_rule).is_err());
        let mut wrong_model = answer(&j.rule);
        wrong_model.model = hex::encode([8u8; 32]);
        assert!(task_result(&j, &wrong_model).is_err());
        let mut dtype = answer(&j.rule);
        dtype.quantized[0].source_dtype = "string".into();
        assert!(task_result(&j, &dtype).is_err());
    }
}
