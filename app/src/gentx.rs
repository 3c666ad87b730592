//! `veniced genesis gentx` and `veniced genesis collect-gentxs`: how
//! operators create a chain's first validators, as with any Cosmos SDK node.
//!
//! - `gentx KEY_NAME AMOUNT`: signs a `MsgCreateValidator` self-delegating
//!   AMOUNT from the operator key KEY_NAME of the `venice` CLI's keyring
//!   (`venice keys …`, same `--keyring-backend` and home; the key is read
//!   with `venice keys export --unarmored-hex --unsafe`, so the file
//!   backend asks for its passphrase as the CLI does), for the node's
//!   consensus key (`config/priv_validator_key.json`). Written to
//!   `config/gentx/gentx-<node id>.json`, memo `<node id>@<ip>:<p2p port>`.
//! - `collect-gentxs`: every `config/gentx/*.json` (in file-name order) into
//!   `app_state.genutil.gen_txs`; genesis.json's `validators` is emptied
//!   because InitChain returns the set the gentxs bond. The result is
//!   checked by running InitChain on a scratch store.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use venice_sdk::{Address, Coins};
use venice_types::staking::{CommissionText, ConsensusKeyJson, ValidatorDescription, msg_create_validator};
use venice_types::tx::{FeeSpec, UnsignedTx, sign_with_k256};

use crate::genesis::AppGenesis;
use crate::genutil::{GenesisState as GenutilGenesis, TxJson};
use crate::home::{self, read_json, write_json};

/// What `gentx` is asked to sign.
#[derive(Clone, Debug, clap::Args)]
pub struct GentxArgs {
    /// Operator key in the venice CLI's keyring
    pub key_name: String,
    /// Self-delegation, e.g. 100000000uvvv (100 VVV)
    pub amount: String,
    /// Chain id (default: genesis.json's)
    #[arg(long)]
    pub chain_id: Option<String>,
    /// Validator name (default: config.toml's moniker)
    #[arg(long)]
    pub moniker: Option<String>,
    #[arg(long, default_value = "0.10")]
    pub commission_rate: String,
    #[arg(long, default_value = "0.20")]
    pub commission_max_rate: String,
    #[arg(long, default_value = "0.01")]
    pub commission_max_change_rate: String,
    /// Minimum self-delegation in uvvv
    #[arg(long, default_value = "1")]
    pub min_self_delegation: String,
    #[arg(long, default_value = "")]
    pub details: String,
    #[arg(long, default_value = "")]
    pub identity: String,
    #[arg(long, default_value = "")]
    pub website: String,
    #[arg(long, default_value = "")]
    pub security_contact: String,
    /// Keyring backend of the venice CLI: file or test
    #[arg(long, env = "VENICE_KEYRING_BACKEND", default_value = "file")]
    pub keyring_backend: String,
    /// Directory holding the CLI's keyrings (default: --home)
    #[arg(long)]
    pub keyring_dir: Option<PathBuf>,
    /// The venice CLI binary (default: next to veniced, then PATH)
    #[arg(long)]
    pub venice_bin: Option<PathBuf>,
    /// This node's public IP, for the memo other nodes dial
    #[arg(long, default_value = "127.0.0.1")]
    pub ip: String,
    #[arg(long, default_value_t = 400_000)]
    pub gas: u64,
    /// Write here instead of config/gentx/gentx-<node id>.json
    #[arg(long)]
    pub output_document: Option<PathBuf>,
}

/// CometBFT's node id: hex of the first 20 bytes of sha256(ed25519 public key).
pub fn node_id(home: &Path) -> Result<String> {
    let nk = read_json(&home::config_dir(home).join("node_key.json"))?;
    let priv_b64 = nk["priv_key"]["value"].as_str().ok_or_else(|| anyhow!("node_key.json: priv_key.value missing"))?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(priv_b64).context("node_key.json: priv_key.value")?;
    // CometBFT stores seed || public key.
    let public = bytes.get(32..64).ok_or_else(|| anyhow!("node_key.json: expected a 64-byte ed25519 key"))?;
    Ok(hex::encode(&Sha256::digest(public)[..20]))
}

/// The p2p port of config.toml's `[p2p] laddr`.
fn p2p_port(home: &Path) -> Result<String> {
    let text = std::fs::read_to_string(home::config_dir(home).join("config.toml")).context("reading config.toml")?;
    let mut in_p2p = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_p2p = l == "[p2p]";
        } else if in_p2p && l.starts_with("laddr") {
            return l.rsplit(':').next().map(|p| p.trim_matches('"').to_string()).ok_or_else(|| anyhow!("config.toml: bad [p2p] laddr"));
        }
    }
    Ok("26656".into())
}

fn find_venice(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Ok(exe) = std::env::current_exe() {
        let sibling = exe.with_file_name("venice");
        if sibling.exists() {
            return sibling;
        }
    }
    PathBuf::from("venice")
}

/// The operator's secp256k1 key, from the CLI's keyring.
fn operator_key(args: &GentxArgs, home: &Path) -> Result<k256::ecdsa::SigningKey> {
    let bin = find_venice(args.venice_bin.as_deref());
    let keyring_home = args.keyring_dir.clone().unwrap_or_else(|| home.to_path_buf());
    let out = Command::new(&bin)
        .args(["keys", "export", &args.key_name, "--unarmored-hex", "--unsafe", "--yes", "--keyring-backend", &args.keyring_backend])
        .arg("--home")
        .arg(&keyring_home)
        // The file backend prompts for its passphrase on the terminal.
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {} (the venice CLI holds the keyring; pass --venice-bin)", bin.display()))?;
    if !out.status.success() {
        bail!("could not read key {:?} from the {} keyring under {}", args.key_name, args.keyring_backend, keyring_home.display());
    }
    let hex_key = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let bytes = zeroize::Zeroizing::new(hex::decode(&hex_key).context("venice keys export: not hex")?);
    k256::ecdsa::SigningKey::from_slice(&bytes).map_err(|e| anyhow!("key {:?}: {e}", args.key_name))
}

/// This node's consensus public key (`config/priv_validator_key.json`) as
/// `comet show-validator` prints it.
pub fn consensus_key(home: &Path) -> Result<ConsensusKeyJson> {
    let pv = read_json(&home::config_dir(home).join("priv_validator_key.json"))?;
    let key = base64::engine::general_purpose::STANDARD
        .decode(pv["pub_key"]["value"].as_str().ok_or_else(|| anyhow!("priv_validator_key.json: pub_key.value missing"))?)
        .context("priv_validator_key.json: pub_key.value")?;
    let json = ConsensusKeyJson::ed25519(&key);
    json.ed25519_bytes()?;
    Ok(json)
}

/// `veniced genesis gentx`: returns the file written.
pub fn gentx(home: &Path, args: &GentxArgs) -> Result<PathBuf> {
    let genesis = read_json(&home::genesis_path(home))?;
    let chain_id = match &args.chain_id {
        Some(c) => c.clone(),
        None => genesis["chain_id"].as_str().ok_or_else(|| anyhow!("genesis.json: chain_id missing"))?.to_string(),
    };
    let coins = Coins::parse(&args.amount).with_context(|| format!("amount {:?}", args.amount))?;
    let [coin] = coins.clone().into_vec().try_into().map_err(|_| anyhow!("amount: one coin expected, e.g. 100000000uvvv"))?;

    let cons_key = consensus_key(home)?.ed25519_bytes()?;

    let sk = operator_key(args, home)?;
    let pubkey = sk.verifying_key().to_encoded_point(true).as_bytes().to_vec();
    let operator = Address::from_secp256k1_pubkey(&pubkey);

    // The operator must be funded in genesis with at least the amount.
    let app = AppGenesis::from_value(genesis["app_state"].clone())?;
    let bank: venice_bank::genesis::GenesisState = app.section("bank")?;
    let have = bank
        .balances
        .iter()
        .find(|b| b.address == operator.to_bech32())
        .map(|b| b.coins.iter().filter(|c| c.denom == coin.denom).map(|c| c.amount.parse::<u128>().unwrap_or(0)).sum::<u128>())
        .ok_or_else(|| anyhow!("account {} is not in genesis: add it with `veniced genesis add-genesis-account`", operator))?;
    if have < coin.amount {
        bail!("account {operator} has {have}{} in genesis, less than the {} to delegate", coin.denom, coin);
    }

    let moniker = match &args.moniker {
        Some(m) => m.clone(),
        None => config_moniker(home)?,
    };
    let description = ValidatorDescription {
        moniker,
        identity: args.identity.clone(),
        website: args.website.clone(),
        security_contact: args.security_contact.clone(),
        details: args.details.clone(),
    };
    let commission = CommissionText {
        rate: args.commission_rate.clone(),
        max_rate: args.commission_max_rate.clone(),
        max_change_rate: args.commission_max_change_rate.clone(),
    };
    let any = msg_create_validator(&description, &commission, &args.min_self_delegation, &operator.to_valoper(), &cons_key, &coin)?;
    // The chain's own stateless checks, before anything is written.
    venice_staking::handlers::signers(&any).map_err(|e| anyhow!("{e}"))?;

    let id = node_id(home)?;
    let memo = format!("{id}@{}:{}", args.ip, p2p_port(home)?);
    let fee = FeeSpec { amount: vec![], gas_limit: args.gas };
    // Genesis transactions are signed with account number 0, sequence 0.
    let raw = UnsignedTx::direct(vec![any], &memo, 0, Some(&pubkey), 0, &fee)
        .sign(&chain_id, 0, |doc| Ok::<_, std::convert::Infallible>(sign_with_k256(&sk, doc)))
        .unwrap_or_else(|never| match never {});
    let tx = TxJson::from_raw(&raw).map_err(|e| anyhow!("gentx: {e}"))?;

    let path = match &args.output_document {
        Some(p) => p.clone(),
        None => {
            let dir = home::config_dir(home).join("gentx");
            std::fs::create_dir_all(&dir)?;
            dir.join(format!("gentx-{id}.json"))
        }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    write_json(&path, &serde_json::to_value(&tx)?)?;
    Ok(path)
}

fn config_moniker(home: &Path) -> Result<String> {
    let text = std::fs::read_to_string(home::config_dir(home).join("config.toml")).context("reading config.toml")?;
    text.lines()
        .find_map(|l| l.strip_prefix("moniker = ").map(|v| v.trim().trim_matches('"').to_string()))
        .ok_or_else(|| anyhow!("config.toml: no moniker; pass --moniker"))
}

/// `veniced genesis collect-gentxs`: returns the persistent peers the
/// gentxs' memos name (what the SDK prints for operators).
pub fn collect_gentxs(home: &Path, gentx_dir: Option<&Path>) -> Result<String> {
    let dir = gentx_dir.map(Path::to_path_buf).unwrap_or_else(|| home::config_dir(home).join("gentx"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no gentx files in {}", dir.display());
    }
    let mut gen_txs = Vec::new();
    let mut peers = Vec::new();
    for f in &files {
        let v = read_json(f)?;
        let tx: TxJson = serde_json::from_value(v.clone()).with_context(|| format!("{}", f.display()))?;
        tx.to_raw().map_err(|e| anyhow!("{}: {e}", f.display()))?;
        if !tx.body.memo.is_empty() {
            peers.push(tx.body.memo.clone());
        }
        gen_txs.push(v);
    }
    let path = home::genesis_path(home);
    let mut g = read_json(&path)?;
    let mut app = AppGenesis::from_value(g["app_state"].take())?;
    app.set_section(crate::genutil::MODULE, &GenutilGenesis { gen_txs })?;
    g["app_state"] = serde_json::to_value(&app)?;
    // CometBFT takes the set InitChain returns from the gentxs.
    g["validators"] = json!([]);
    check_genesis(&g).with_context(|| "the collected genesis does not initialise a chain")?;
    write_json(&path, &g)?;
    Ok(peers.join(","))
}

/// Run InitChain of `genesis` on a scratch store (`veniced genesis validate`).
pub fn check_genesis(genesis: &Value) -> Result<Vec<tendermint_proto::v0_38::abci::ValidatorUpdate>> {
    let dir = std::env::temp_dir().join(format!("veniced-validate-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir)?;
    let out = (|| {
        let store = venice_store::Store::open(&dir, Default::default())?;
        let app = crate::App::new(store, vec![]);
        let mut req = crate::genesis::init_chain_request(genesis)?;
        if let Some(t) = genesis["genesis_time"].as_str().and_then(venice_types::Timestamp::parse_rfc3339) {
            req.time = Some(tendermint_proto::google::protobuf::Timestamp { seconds: t.secs, nanos: t.nanos as i32 });
        }
        Ok(app.init_chain(req)?.validators)
    })();
    std::fs::remove_dir_all(&dir).ok();
    out
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}
