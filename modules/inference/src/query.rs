//! `venice.inference.v1.Query`: Task, Result, Queue, Models, Model,
//! Reputation, Credits, Params.

use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::inference as pb;

use crate::handlers::parse_model_id;
use crate::state::{self, Model, Task};
use crate::{Inference, credits};

pub const SERVICE: &str = pb::QUERY_SERVICE;
/// Most queue entries one query returns.
pub const MAX_QUEUE_PAGE: u32 = 1000;

pub fn task_pb(t: &Task) -> pb::Task {
    pb::Task {
        id: t.id,
        sender: t.sender.to_bech32(),
        model_id: hex::encode(t.model_id),
        input: t.input.clone(),
        data_credential: t
            .data_credential
            .as_ref()
            .map(|d| pb::DataCredentialRef { contract: d.contract.to_bech32(), credential_id: d.credential_id }),
        fee: Some(t.fee.to_proto()),
        work: t.work,
        allowance_used: t.allowance_used,
        status: t.status.as_str().into(),
        submit_height: t.submit_height,
        deadline_height: t.deadline_height,
        assigned_height: t.assigned_height,
        committee: t
            .committee
            .iter()
            .map(|m| pb::CommitteeMember {
                operator: m.operator.to_valoper(),
                consensus_address: m.consensus_address.clone(),
                power: m.power,
            })
            .collect(),
        dataset: t.data_credential.as_ref().map(|d| pb::TaskDataset {
            dataset_id: d.dataset_id,
            data_hash: d.data_hash.clone(),
            uri: d.uri.clone(),
        }),
        storage_uri: t.storage_uri.clone(),
        quant_rule_json: t.quant_rule_json.clone(),
        max_input_bytes: t.max_input_bytes,
        ended_height: t.ended_height,
    }
}

pub fn model_pb(m: &Model) -> pb::Model {
    pb::Model {
        model_id: hex::encode(m.id),
        nft_contract: m.nft_contract.to_bech32(),
        token_id: m.token_id.clone(),
        price_per_call: Some(m.price.to_proto()),
        quant_rule_json: m.quant_rule_json.clone(),
        io_schema_json: m.io_schema_json.clone(),
        max_input_bytes: m.max_input_bytes,
        max_output_bytes: m.max_output_bytes,
        committee_size: m.committee_size,
        storage_uri: m.storage_uri.clone(),
    }
}

pub fn query(_i: &Inference, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Task" => {
            let r = pb::QueryTaskRequest::decode(req)?;
            let t = state::task(ctx, r.task_id)?.ok_or_else(|| Error::NotFound(format!("task {}", r.task_id)))?;
            pb::QueryTaskResponse { task: Some(task_pb(&t)) }.encode_to_vec()
        }
        "Result" => {
            let r = pb::QueryResultRequest::decode(req)?;
            let res = state::result(ctx, r.task_id)?.ok_or_else(|| Error::NotFound(format!("result of task {}", r.task_id)))?;
            let record = pb::TaskResultRecord {
                task_id: res.task_id,
                output_hash: res.output_hash.to_vec(),
                output: res.output,
                height: res.height,
                executors: res.executors.iter().map(Address::to_valoper).collect(),
            };
            pb::QueryResultResponse { result: Some(record) }.encode_to_vec()
        }
        "Queue" => {
            let r = pb::QueryQueueRequest::decode(req)?;
            let limit = if r.limit == 0 { 100 } else { r.limit.min(MAX_QUEUE_PAGE) };
            let mut tasks = Vec::new();
            for (_, id) in state::queue_head(ctx, limit as usize)? {
                if let Some(t) = state::task(ctx, id)? {
                    tasks.push(task_pb(&t));
                }
            }
            pb::QueryQueueResponse { tasks }.encode_to_vec()
        }
        "Models" => {
            pb::QueryModelsRequest::decode(req)?;
            pb::QueryModelsResponse { models: state::models(ctx)?.iter().map(model_pb).collect() }.encode_to_vec()
        }
        "Model" => {
            let r = pb::QueryModelRequest::decode(req)?;
            let id = parse_model_id(&r.model_id)?;
            let m = state::model(ctx, &id)?.ok_or_else(|| Error::NotFound(format!("model {}", r.model_id)))?;
            pb::QueryModelResponse { model: Some(model_pb(&m)) }.encode_to_vec()
        }
        "Reputation" => {
            let r = pb::QueryReputationRequest::decode(req)?;
            let op = Address::parse_valoper(&r.validator_address)?;
            let reputation = state::reputation(ctx, &op)?;
            pb::QueryReputationResponse { reputation, payout_address: state::payout(ctx, &op)?.to_bech32() }.encode_to_vec()
        }
        "Credits" => {
            let r = pb::QueryCreditsRequest::decode(req)?;
            let who = Address::parse(&r.address)?;
            let p = state::params(ctx)?;
            let acct = state::credit_account(ctx, &who)?;
            let today = credits::day(ctx.info.time_secs);
            let a = state::allowance(ctx, &who)?;
            pb::QueryCreditsResponse {
                credits: acct.credits.to_string(),
                locked: acct.locked.to_string(),
                allowance_left: credits::left(&p, acct.credits, a, today),
                allowance_day: today,
                credits_outstanding: state::credits_total(ctx)?.to_string(),
            }
            .encode_to_vec()
        }
        "Params" => {
            pb::QueryParamsRequest::decode(req)?;
            pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
