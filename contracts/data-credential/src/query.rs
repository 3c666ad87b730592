//! Read-only side: datasets, credentials and `Verify`.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;

use crate::msg::{ConfigResponse, CredentialResponse, CredentialsResponse, DatasetsResponse, QueryMsg, VerifyResponse};
use crate::state::{credentials, datasets, Dataset, Status, CONFIG, CONSUMERS};

const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 100;

fn limit(l: Option<u32>) -> usize {
    l.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let consumers =
                CONSUMERS.keys(deps.storage, None, None, Order::Ascending).take(MAX_LIMIT as usize).collect::<StdResult<_>>()?;
            to_json_binary(&ConfigResponse { admin: CONFIG.load(deps.storage)?.admin, consumers })
        }
        QueryMsg::Dataset { dataset_id } => to_json_binary(&datasets().load(deps.storage, dataset_id)?),
        QueryMsg::Datasets { issuer, start_after, limit: l } => {
            let start = start_after.map(Bound::exclusive);
            let page = match issuer {
                Some(i) => datasets().idx.issuer.prefix(deps.api.addr_validate(&i)?).range(deps.storage, start, None, Order::Ascending),
                None => datasets().range(deps.storage, start, None, Order::Ascending),
            };
            let datasets = page.take(limit(l)).map(|r| r.map(|(_, d)| d)).collect::<StdResult<Vec<Dataset>>>()?;
            to_json_binary(&DatasetsResponse { datasets })
        }
        QueryMsg::Credential { credential_id } => {
            let credential = credentials().load(deps.storage, credential_id)?;
            let status = credential.status(&env.block);
            to_json_binary(&CredentialResponse { credential, status })
        }
        QueryMsg::Credentials { holder, start_after, limit: l } => {
            let holder = deps.api.addr_validate(&holder)?;
            let credentials = credentials()
                .idx
                .holder
                .prefix(holder)
                .range(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
                .take(limit(l))
                .map(|r| {
                    r.map(|(_, credential)| {
                        let status = credential.status(&env.block);
                        CredentialResponse { credential, status }
                    })
                })
                .collect::<StdResult<_>>()?;
            to_json_binary(&CredentialsResponse { credentials })
        }
        QueryMsg::Verify { holder, dataset_id } => {
            let holder = deps.api.addr_validate(&holder)?;
            let mut reason: Option<Status> = None;
            let mut credential_id = None;
            for r in credentials().idx.holder_dataset.prefix((holder, dataset_id)).range(deps.storage, None, None, Order::Ascending) {
                let (id, c) = r?;
                match c.status(&env.block) {
                    Status::Valid => {
                        credential_id = Some(id);
                        break;
                    }
                    // Ascending ids: the newest credential's reason is kept.
                    other => reason = Some(other),
                }
            }
            let allowed = credential_id.is_some();
            to_json_binary(&VerifyResponse { allowed, credential_id, reason: if allowed { None } else { reason } })
        }
    }
}
