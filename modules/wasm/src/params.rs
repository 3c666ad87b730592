//! wasm parameters (who may upload code, the default instantiate
//! permission of new code) and access configs, with wasmd's JSON shape:
//! `{"permission": "Everybody", "addresses": []}`.

use cosmos_sdk_proto::cosmwasm::wasm::v1::{self as pb, AccessType};
use serde::{Deserialize, Serialize};
use venice_sdk::{Address, Error, Result};

use crate::error::WasmError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessConfigJson {
    pub permission: String,
    #[serde(default)]
    pub addresses: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    pub code_upload_access: AccessConfigJson,
    pub instantiate_default_permission: String,
}

impl Default for ParamsJson {
    fn default() -> Self {
        ParamsJson::from_proto(&default_params())
    }
}

/// Everybody uploads, everybody instantiates (wasmd's defaults).
pub fn default_params() -> pb::Params {
    pb::Params { code_upload_access: Some(everybody()), instantiate_default_permission: AccessType::Everybody as i32 }
}

pub fn everybody() -> pb::AccessConfig {
    pb::AccessConfig { permission: AccessType::Everybody as i32, addresses: vec![] }
}

/// wasmd's JSON names of the access types.
fn type_name(t: i32) -> &'static str {
    match AccessType::try_from(t) {
        Ok(AccessType::Nobody) => "Nobody",
        Ok(AccessType::Everybody) => "Everybody",
        Ok(AccessType::AnyOfAddresses) => "AnyOfAddresses",
        _ => "Unspecified",
    }
}

fn parse_type(s: &str) -> Result<AccessType> {
    match s {
        "Nobody" | "ACCESS_TYPE_NOBODY" => Ok(AccessType::Nobody),
        "Everybody" | "ACCESS_TYPE_EVERYBODY" => Ok(AccessType::Everybody),
        "AnyOfAddresses" | "ACCESS_TYPE_ANY_OF_ADDRESSES" => Ok(AccessType::AnyOfAddresses),
        other => Err(WasmError::Invalid(format!("unknown access type {other:?}")).into()),
    }
}

impl AccessConfigJson {
    pub fn from_proto(c: &pb::AccessConfig) -> Self {
        AccessConfigJson { permission: type_name(c.permission).into(), addresses: c.addresses.clone() }
    }
    pub fn to_proto(&self) -> Result<pb::AccessConfig> {
        let c = pb::AccessConfig { permission: parse_type(&self.permission)? as i32, addresses: self.addresses.clone() };
        validate_access(&c)?;
        Ok(c)
    }
}

impl ParamsJson {
    pub fn from_proto(p: &pb::Params) -> Self {
        ParamsJson {
            code_upload_access: AccessConfigJson::from_proto(&p.code_upload_access.clone().unwrap_or_else(everybody)),
            instantiate_default_permission: type_name(p.instantiate_default_permission).into(),
        }
    }
    pub fn to_proto(&self) -> Result<pb::Params> {
        let p = pb::Params {
            code_upload_access: Some(self.code_upload_access.to_proto()?),
            instantiate_default_permission: parse_type(&self.instantiate_default_permission)? as i32,
        };
        if p.instantiate_default_permission == AccessType::AnyOfAddresses as i32 {
            return Err(Error::Genesis("wasm.params.instantiate_default_permission: AnyOfAddresses needs addresses".into()));
        }
        Ok(p)
    }
}

/// wasmd's `AccessConfig.ValidateBasic`: addresses only with AnyOfAddresses,
/// at least one, unique and valid.
pub fn validate_access(c: &pb::AccessConfig) -> Result<()> {
    match AccessType::try_from(c.permission) {
        Ok(AccessType::Nobody | AccessType::Everybody) if c.addresses.is_empty() => Ok(()),
        Ok(AccessType::Nobody | AccessType::Everybody) => Err(WasmError::Invalid("addresses must be empty".into()).into()),
        Ok(AccessType::AnyOfAddresses) => {
            if c.addresses.is_empty() {
                return Err(WasmError::Empty("addresses".into()).into());
            }
            for (i, a) in c.addresses.iter().enumerate() {
                Address::parse(a)?;
                if c.addresses[..i].contains(a) {
                    return Err(WasmError::Duplicate(format!("address {a}")).into());
                }
            }
            Ok(())
        }
        _ => Err(WasmError::Invalid(format!("access type {}", c.permission)).into()),
    }
}

/// Whether `actor` passes `config`.
pub fn allowed(config: &pb::AccessConfig, actor: &Address) -> bool {
    match AccessType::try_from(config.permission) {
        Ok(AccessType::Everybody) => true,
        Ok(AccessType::AnyOfAddresses) => config.addresses.iter().any(|a| Address::parse(a).is_ok_and(|a| &a == actor)),
        _ => false,
    }
}

/// The instantiate permission new code gets by default: the param, where
/// AnyOfAddresses means "the uploader" (wasmd's `AccessConfig.With`).
pub fn default_instantiate_access(params: &pb::Params, creator: &Address) -> pb::AccessConfig {
    match AccessType::try_from(params.instantiate_default_permission) {
        Ok(AccessType::AnyOfAddresses) => {
            pb::AccessConfig { permission: AccessType::AnyOfAddresses as i32, addresses: vec![creator.to_bech32()] }
        }
        _ => pb::AccessConfig { permission: params.instantiate_default_permission, addresses: vec![] },
    }
}

/// wasmd's `IsSubset`: a code's instantiate permission may not be wider
/// than the chain's default allows for the uploader.
pub fn is_subset(requested: &pb::AccessConfig, allowed_cfg: &pb::AccessConfig) -> bool {
    let (r, a) = (AccessType::try_from(requested.permission), AccessType::try_from(allowed_cfg.permission));
    match (a, r) {
        (Ok(AccessType::Everybody), _) => true,
        (Ok(AccessType::Nobody), Ok(AccessType::Nobody)) => true,
        (Ok(AccessType::AnyOfAddresses), Ok(AccessType::Nobody)) => true,
        (Ok(AccessType::AnyOfAddresses), Ok(AccessType::AnyOfAddresses)) => {
            requested.addresses.iter().all(|x| allowed_cfg.addresses.contains(x))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_checks() {
        let p = ParamsJson::default();
        assert_eq!(serde_json::to_value(&p).unwrap()["code_upload_access"]["permission"], "Everybody");
        assert_eq!(p.to_proto().unwrap(), default_params());
        let a = Address::from_bytes(&[1; 20]).unwrap();
        let any = AccessConfigJson { permission: "AnyOfAddresses".into(), addresses: vec![a.to_bech32()] }.to_proto().unwrap();
        assert!(allowed(&any, &a));
        assert!(!allowed(&any, &Address::from_bytes(&[2; 20]).unwrap()));
        assert!(AccessConfigJson { permission: "AnyOfAddresses".into(), addresses: vec![] }.to_proto().is_err());
        assert!(AccessConfigJson { permission: "Sometimes".into(), addresses: vec![] }.to_proto().is_err());
        assert!(is_subset(&any, &everybody()));
        assert!(!is_subset(&everybody(), &any));
    }
}
