//! Driving the wasm module through the real app: signed txs into
//! FinalizeBlock, queries over ABCI. Shared by the wasm tests.
#![allow(dead_code)]

use std::io::Write;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxMsgData;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use prost::{Message, Name};
use serde_json::Value;
use tendermint_proto::v0_38::abci;
use venice_sdk::Address;
use venice_sdk::paths::wasm as paths;

use crate::common::Fixture;

pub fn artifact(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make contracts`)", path.display()))
}

pub fn gzip(b: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(b).unwrap();
    enc.finish().unwrap()
}

pub fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

pub fn uvvv(n: u128) -> Vec<PCoin> {
    vec![PCoin { denom: "uvvv".into(), amount: n.to_string() }]
}

/// A hand-written contract (interface_version_8, bump allocator) whose
/// `instantiate` succeeds with an empty response and whose `execute` runs
/// `execute_body` (WAT instructions leaving an i32 result region).
pub fn wat_contract(execute_body: &str, extra_funcs: &str) -> Vec<u8> {
    let ok = br#"{"ok":{"messages":[],"attributes":[],"events":[],"data":null}}"#;
    let esc = |b: &[u8]| b.iter().map(|x| format!("\\{x:02x}")).collect::<String>();
    let region = [1024u32.to_le_bytes(), (ok.len() as u32).to_le_bytes(), (ok.len() as u32).to_le_bytes()].concat();
    let text = format!(
        r#"(module
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 1024) "{ok}")
  (data (i32.const 2048) "{region}")
  (func (export "interface_version_8"))
  (func (export "allocate") (param $size i32) (result i32)
    (local $r i32)
    (local.set $r (global.get $heap))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $size))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (global.set $heap (i32.add (i32.add (local.get $r) (i32.const 12)) (local.get $size)))
    (local.get $r))
  (func (export "deallocate") (param i32))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 2048))
  (func (export "execute") (param i32 i32 i32) (result i32) {execute_body})
  {extra_funcs}
)"#,
        ok = esc(ok),
        region = esc(&region),
    );
    wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The app plus each key's next sequence.
pub struct Chain {
    pub f: Fixture,
    pub seqs: crate::common::Sequences,
}

impl Chain {
    pub fn new(keys: u64) -> Self {
        Chain { f: Fixture::new(keys), seqs: crate::common::Sequences::new(keys as usize) }
    }

    pub fn addr(&self, i: usize) -> Address {
        self.f.keys[i].address()
    }

    /// Sign `msgs` from key `from` with `gas` (the sequence advances: the
    /// ante handler keeps it even when a message fails).
    pub fn tx(&mut self, from: usize, msgs: Vec<Any>, gas: u64) -> Vec<u8> {
        let p = self.seqs.next(from, gas);
        self.f.keys[from].sign_tx(msgs, &p)
    }

    /// As `tx`, signed in SIGN_MODE_LEGACY_AMINO_JSON (Keplr, Ledger).
    pub fn tx_amino(&mut self, from: usize, msgs: Vec<Any>, gas: u64) -> Vec<u8> {
        let p = self.seqs.next(from, gas);
        self.f.keys[from].sign_tx_amino(msgs, &p)
    }

    pub fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<abci::ExecTxResult> {
        self.f.height += 1;
        crate::common::run_block(&self.f.app, self.f.height, txs).tx_results
    }

    pub fn run(&mut self, from: usize, msg: Any, gas: u64) -> abci::ExecTxResult {
        let tx = self.tx(from, vec![msg], gas);
        self.block(vec![tx]).remove(0)
    }

    pub fn ok(&mut self, from: usize, msg: Any, gas: u64) -> abci::ExecTxResult {
        let r = self.run(from, msg, gas);
        assert_eq!(r.code, 0, "{} ({}:{})", r.log, r.codespace, r.code);
        r
    }

    pub fn store(&mut self, from: usize, code: &[u8]) -> (u64, Vec<u8>) {
        let msg = pb::MsgStoreCode { sender: self.addr(from).to_bech32(), wasm_byte_code: code.to_vec(), instantiate_permission: None };
        let r = self.ok(from, any(&msg), 9_000_000);
        let resp: pb::MsgStoreCodeResponse = response(&r);
        (resp.code_id, resp.checksum)
    }

    pub fn instantiate(
        &mut self,
        from: usize,
        code_id: u64,
        msg: &Value,
        admin: Option<usize>,
        funds: u128,
    ) -> (Address, abci::ExecTxResult) {
        let m = pb::MsgInstantiateContract {
            sender: self.addr(from).to_bech32(),
            admin: admin.map(|a| self.addr(a).to_bech32()).unwrap_or_default(),
            code_id,
            label: "test".into(),
            msg: serde_json::to_vec(msg).unwrap(),
            funds: if funds > 0 { uvvv(funds) } else { vec![] },
        };
        let r = self.ok(from, any(&m), 3_000_000);
        let resp: pb::MsgInstantiateContractResponse = response(&r);
        (Address::parse(&resp.address).unwrap(), r)
    }

    pub fn exec_msg(&self, from: usize, contract: &Address, msg: &Value, funds: u128) -> Any {
        any(&pb::MsgExecuteContract {
            sender: self.addr(from).to_bech32(),
            contract: contract.to_bech32(),
            msg: serde_json::to_vec(msg).unwrap(),
            funds: if funds > 0 { uvvv(funds) } else { vec![] },
        })
    }

    pub fn execute(&mut self, from: usize, contract: &Address, msg: &Value, funds: u128) -> abci::ExecTxResult {
        let m = self.exec_msg(from, contract, msg, funds);
        self.run(from, m, 2_000_000)
    }

    pub fn query<R: Message + Default>(&self, path: &str, req: impl Message) -> Result<R, (u32, String)> {
        let r = self.f.query(path, req.encode_to_vec());
        if r.code != 0 {
            return Err((r.code, r.log));
        }
        Ok(R::decode(r.value.as_ref()).unwrap())
    }

    pub fn smart(&self, contract: &Address, msg: &Value) -> Result<Value, (u32, String)> {
        let req = pb::QuerySmartContractStateRequest { address: contract.to_bech32(), query_data: serde_json::to_vec(msg).unwrap() };
        let r: pb::QuerySmartContractStateResponse = self.query(paths::SMART_CONTRACT_STATE, req)?;
        Ok(serde_json::from_slice(&r.data).unwrap())
    }

    pub fn raw(&self, contract: &Address, key: &[u8]) -> Vec<u8> {
        let req = pb::QueryRawContractStateRequest { address: contract.to_bech32(), query_data: key.to_vec() };
        self.query::<pb::QueryRawContractStateResponse>(paths::RAW_CONTRACT_STATE, req).unwrap().data
    }

    pub fn contract_info(&self, contract: &Address) -> pb::ContractInfo {
        let req = pb::QueryContractInfoRequest { address: contract.to_bech32() };
        self.query::<pb::QueryContractInfoResponse>(paths::CONTRACT_INFO, req).unwrap().contract_info.unwrap()
    }

    pub fn bank_balance(&self, addr: &Address) -> u128 {
        use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
        let req = bankpb::QueryBalanceRequest { address: addr.to_bech32(), denom: "uvvv".into() };
        let r: bankpb::QueryBalanceResponse = self.query("/cosmos.bank.v1beta1.Query/Balance", req).unwrap();
        r.balance.unwrap().amount.parse().unwrap()
    }
}

/// The first message's typed response of a successful tx.
pub fn response<M: Message + Default>(r: &abci::ExecTxResult) -> M {
    let data = TxMsgData::decode(r.data.as_ref()).unwrap();
    M::decode(data.msg_responses[0].value.as_slice()).unwrap()
}

pub fn events<'a>(r: &'a abci::ExecTxResult, kind: &str) -> Vec<&'a abci::Event> {
    r.events.iter().filter(|e| e.r#type == kind).collect()
}

pub fn attr(e: &abci::Event, key: &str) -> Option<String> {
    e.attributes.iter().find(|a| a.key == key).map(|a| a.value.clone())
}
