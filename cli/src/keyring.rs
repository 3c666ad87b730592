//! On-disk keyring: one JSON file per key under `HOME/keyring-<backend>/`.
//!
//! * `file` backend: the private key is encrypted with a passphrase
//!   (Argon2id key derivation, XChaCha20-Poly1305 with the address as
//!   associated data, so a file cannot be swapped under another key's name).
//!   All keys of one keyring share its passphrase, as in the Cosmos SDK.
//! * `test` backend: the private key is stored in clear, for scripts and tests.
//!
//! Public data (name, address, public key) is stored in clear in both, so
//! `keys list` and `keys show` never need the passphrase. Files are 0600 and
//! the directory 0700.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{CliError, Result};
use crate::hd;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// Private keys encrypted with a passphrase.
    File,
    /// Private keys unencrypted: only for tests and scripts.
    Test,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::File => "file",
            Backend::Test => "test",
        }
    }
}

/// Argon2id cost parameters; stored in each file so they can be raised later
/// without breaking existing keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes: about a fifth of a second per unlock on a laptop.
    fn default() -> Self {
        KdfParams { m_cost: 64 * 1024, t_cost: 3, p_cost: 1 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EncryptedKey {
    pub kdf: String,
    #[serde(flatten)]
    pub params: KdfParams,
    pub salt: String,
    pub cipher: String,
    pub nonce: String,
    pub ciphertext: String,
}

const KDF_NAME: &str = "argon2id";
const CIPHER_NAME: &str = "xchacha20poly1305";

/// One key as stored on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyRecord {
    pub name: String,
    /// Always "local" (the key material is in this keyring), as the SDK says.
    #[serde(rename = "type")]
    pub kind: String,
    pub algo: String,
    pub address: String,
    /// Compressed secp256k1 public key, base64.
    pub pubkey: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hd_path: Option<String>,
    /// Hex private key (test backend only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// Encrypted private key (file backend only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_private_key: Option<EncryptedKey>,
    /// A multisig key (`type` "multi"): its protobuf JSON; no private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multisig: Option<serde_json::Value>,
}

impl KeyRecord {
    /// The multisig key of a `multi` record.
    pub fn multisig_key(&self) -> Option<venice_types::PubKey> {
        self.multisig.as_ref().and_then(|v| venice_types::PubKey::from_json(v).ok())
    }

    pub fn pubkey_bytes(&self) -> Result<[u8; 33]> {
        if self.multisig.is_some() {
            return Err(CliError::BadFlag {
                flag: "--from",
                reason: format!("{:?} is a multisig key: sign with its members (tx sign --multisig), then tx multisign", self.name),
            });
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&self.pubkey)
            .map_err(|e| CliError::decode(format!("public key of {:?}", self.name), e))?;
        raw.try_into().map_err(|_| CliError::decode(format!("public key of {:?}", self.name), "not 33 bytes"))
    }
}

pub struct Keyring {
    dir: PathBuf,
    backend: Backend,
    kdf: KdfParams,
}

/// Key names become file names: keep them to a safe alphabet.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = (1..=64).contains(&name.len())
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok { Ok(()) } else { Err(CliError::BadKeyName(name.to_string())) }
}

impl Keyring {
    pub fn open(home: &Path, backend: Backend) -> Self {
        Keyring { dir: home.join(format!("keyring-{}", backend.name())), backend, kdf: KdfParams::default() }
    }

    /// Cheaper KDF costs, for tests.
    #[cfg(test)]
    pub fn with_kdf(mut self, kdf: KdfParams) -> Self {
        self.kdf = kdf;
        self
    }

    fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    fn not_found(&self, name: &str) -> CliError {
        CliError::KeyNotFound { name: name.to_string(), backend: self.backend.name(), dir: self.dir.clone() }
    }

    /// All keys, sorted by name.
    pub fn list(&self) -> Result<Vec<KeyRecord>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(CliError::io(format!("reading {}", self.dir.display()), e)),
        };
        let mut keys = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| CliError::io(format!("reading {}", self.dir.display()), e))?;
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            let Some(name) = file_name.strip_suffix(".json") else {
                continue;
            };
            if validate_name(name).is_err() {
                continue; // temp files and foreign files
            }
            match self.load(name) {
                Ok(k) => keys.push(k),
                // One unreadable file must not hide every other key.
                Err(e @ CliError::CorruptKey { .. }) => eprintln!("warning: skipping {e}"),
                Err(e) => return Err(e),
            }
        }
        keys.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(keys)
    }

    fn load(&self, name: &str) -> Result<KeyRecord> {
        let path = self.path_of(name);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(self.not_found(name)),
            Err(e) => return Err(CliError::io(format!("reading {}", path.display()), e)),
        };
        let record: KeyRecord =
            serde_json::from_str(&text).map_err(|e| CliError::CorruptKey { path: path.clone(), detail: e.to_string() })?;
        if record.name != name {
            return Err(CliError::CorruptKey { path, detail: format!("file holds key {:?}", record.name) });
        }
        Ok(record)
    }

    /// Looks a key up by name, or by its `venice1…` address.
    pub fn get(&self, name_or_address: &str) -> Result<KeyRecord> {
        if validate_name(name_or_address).is_ok() {
            match self.load(name_or_address) {
                Err(CliError::KeyNotFound { .. }) => {}
                other => return other,
            }
        }
        if name_or_address.starts_with(venice_types::BECH32_PREFIX)
            && let Some(k) = self.list()?.into_iter().find(|k| k.address == name_or_address)
        {
            return Ok(k);
        }
        Err(self.not_found(name_or_address))
    }

    /// Stores a new key. `passphrase` is required by the file backend and
    /// must match the keyring's existing keys, if any.
    pub fn add(&self, name: &str, private_key: &[u8; 32], hd_path: Option<String>, passphrase: Option<&str>) -> Result<KeyRecord> {
        validate_name(name)?;
        let pubkey = hd::public_key(private_key)?;
        let address = hd::account_address(&pubkey);
        let existing = self.list()?;
        if existing.iter().any(|k| k.name == name) {
            return Err(CliError::KeyExists(name.to_string()));
        }
        if let Some(k) = existing.iter().find(|k| k.address == address) {
            return Err(CliError::DuplicateKey { name: name.to_string(), existing: k.name.clone() });
        }
        let mut record = KeyRecord {
            name: name.to_string(),
            kind: "local".into(),
            algo: "secp256k1".into(),
            address: address.clone(),
            pubkey: base64::engine::general_purpose::STANDARD.encode(pubkey),
            hd_path,
            private_key: None,
            encrypted_private_key: None,
            multisig: None,
        };
        match self.backend {
            Backend::Test => record.private_key = Some(hex::encode(private_key)),
            Backend::File => {
                let passphrase = passphrase.ok_or(CliError::WrongPassphrase)?;
                // One passphrase per keyring: check it against a key already there.
                if let Some(first) = existing.first() {
                    self.private_key(first, Some(passphrase))?;
                }
                record.encrypted_private_key = Some(encrypt(private_key, passphrase, &address, self.kdf)?);
            }
        }
        self.write_new(&record)?;
        Ok(record)
    }

    /// Stores a multisig key (public keys only: its members sign with their own keys).
    pub fn add_multisig(&self, name: &str, key: &venice_types::MultisigKey) -> Result<KeyRecord> {
        validate_name(name)?;
        let pk = venice_types::PubKey::Multisig(key.clone());
        let address = pk.address().to_bech32();
        let existing = self.list()?;
        if existing.iter().any(|k| k.name == name) {
            return Err(CliError::KeyExists(name.to_string()));
        }
        if let Some(k) = existing.iter().find(|k| k.address == address) {
            return Err(CliError::DuplicateKey { name: name.to_string(), existing: k.name.clone() });
        }
        let record = KeyRecord {
            name: name.to_string(),
            kind: "multi".into(),
            algo: "multi".into(),
            address,
            pubkey: String::new(),
            hd_path: None,
            private_key: None,
            encrypted_private_key: None,
            multisig: Some(pk.to_json()),
        };
        self.write_new(&record)?;
        Ok(record)
    }

    /// Whether unlocking a key of this keyring needs a passphrase.
    pub fn needs_passphrase(&self) -> bool {
        self.backend == Backend::File
    }

    /// Whether this keyring already holds keys (so a passphrase is not new).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.list()?.is_empty())
    }

    /// The private key of `record`, decrypted with `passphrase` for the file
    /// backend; checked against the stored address.
    pub fn private_key(&self, record: &KeyRecord, passphrase: Option<&str>) -> Result<Zeroizing<[u8; 32]>> {
        let path = self.path_of(&record.name);
        let corrupt = |detail: String| CliError::CorruptKey { path: path.clone(), detail };
        let key: Zeroizing<[u8; 32]> = if let Some(enc) = &record.encrypted_private_key {
            let passphrase = passphrase.ok_or(CliError::WrongPassphrase)?;
            decrypt(enc, passphrase, &record.address).map_err(|e| match e {
                CliError::Decode { detail, .. } => corrupt(detail),
                other => other,
            })?
        } else if let Some(hex_key) = &record.private_key {
            let raw = Zeroizing::new(hex::decode(hex_key).map_err(|e| corrupt(e.to_string()))?);
            let arr: [u8; 32] = raw.as_slice().try_into().map_err(|_| corrupt("private key is not 32 bytes".into()))?;
            Zeroizing::new(arr)
        } else {
            return Err(corrupt("no private key".into()));
        };
        let pubkey = hd::public_key(&key)?;
        if hd::account_address(&pubkey) != record.address {
            return Err(corrupt("private key does not match the stored address".into()));
        }
        Ok(key)
    }

    pub fn delete(&self, name: &str) -> Result<KeyRecord> {
        let record = self.get(name)?;
        let path = self.path_of(&record.name);
        fs::remove_file(&path).map_err(|e| CliError::io(format!("removing {}", path.display()), e))?;
        Ok(record)
    }

    /// Writes a new key file atomically and never over an existing one:
    /// a 0600 temp file, fsynced, then hard-linked into place.
    fn write_new(&self, record: &KeyRecord) -> Result<()> {
        fs::create_dir_all(&self.dir).map_err(|e| CliError::io(format!("creating {}", self.dir.display()), e))?;
        fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| CliError::io(format!("chmod {}", self.dir.display()), e))?;
        let path = self.path_of(&record.name);
        let tmp = self.dir.join(format!(".{}.{}.tmp", record.name, std::process::id()));
        let json = Zeroizing::new(serde_json::to_string_pretty(record).expect("record serialises"));
        let io_err = |e| CliError::io(format!("writing {}", tmp.display()), e);
        {
            let mut f = fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp).map_err(io_err)?;
            f.write_all(json.as_bytes()).map_err(io_err)?;
            f.write_all(b"\n").map_err(io_err)?;
            f.sync_all().map_err(io_err)?;
        }
        let linked = fs::hard_link(&tmp, &path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(CliError::KeyExists(record.name.clone())),
            Err(e) => Err(CliError::io(format!("writing {}", path.display()), e)),
        }
    }
}

fn derive_key(passphrase: &str, salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let p =
        Params::new(params.m_cost, params.t_cost, params.p_cost, Some(32)).map_err(|e| CliError::decode("key file KDF parameters", e))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| CliError::decode("key file KDF", e))?;
    Ok(out)
}

pub fn encrypt(private_key: &[u8; 32], passphrase: &str, address: &str, params: KdfParams) -> Result<EncryptedKey> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let key = derive_key(passphrase, &salt, params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: private_key, aad: address.as_bytes() })
        .map_err(|_| CliError::TxBuild("encryption failed".into()))?;
    Ok(EncryptedKey {
        kdf: KDF_NAME.into(),
        params,
        salt: hex::encode(salt),
        cipher: CIPHER_NAME.into(),
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ciphertext),
    })
}

/// Decrypts; an authentication failure means a wrong passphrase (or a file
/// edited by hand), reported as `WrongPassphrase`.
pub fn decrypt(enc: &EncryptedKey, passphrase: &str, address: &str) -> Result<Zeroizing<[u8; 32]>> {
    if enc.kdf != KDF_NAME || enc.cipher != CIPHER_NAME {
        return Err(CliError::decode("encrypted key", format!("unsupported scheme {}/{}", enc.kdf, enc.cipher)));
    }
    let salt = hex::decode(&enc.salt).map_err(|e| CliError::decode("salt", e))?;
    let nonce = hex::decode(&enc.nonce).map_err(|e| CliError::decode("nonce", e))?;
    let ciphertext = hex::decode(&enc.ciphertext).map_err(|e| CliError::decode("ciphertext", e))?;
    if nonce.len() != 24 {
        return Err(CliError::decode("nonce", "not 24 bytes"));
    }
    let key = derive_key(passphrase, &salt, enc.params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: address.as_bytes() })
            .map_err(|_| CliError::WrongPassphrase)?,
    );
    let arr: [u8; 32] = plain.as_slice().try_into().map_err(|_| CliError::decode("private key", "not 32 bytes"))?;
    Ok(Zeroizing::new(arr))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams { m_cost: 256, t_cost: 1, p_cost: 1 };

    fn key(n: u8) -> [u8; 32] {
        let mut k = [7u8; 32];
        k[31] = n;
        k
    }

    #[test]
    fn encrypt_decrypt_round_trip_and_wrong_passphrase() {
        let k = key(1);
        let addr = hd::account_address(&hd::public_key(&k).unwrap());
        let enc = encrypt(&k, "correct horse", &addr, CHEAP).unwrap();
        assert_eq!(*decrypt(&enc, "correct horse", &addr).unwrap(), k);
        assert!(matches!(decrypt(&enc, "wrong horse", &addr), Err(CliError::WrongPassphrase)));
        // Bound to the address: moving the blob to another record fails.
        assert!(decrypt(&enc, "correct horse", "venice1other").is_err());
        // Fresh salt and nonce every time.
        let enc2 = encrypt(&k, "correct horse", &addr, CHEAP).unwrap();
        assert_ne!(enc.ciphertext, enc2.ciphertext);
        assert!(!enc.ciphertext.contains(&hex::encode(k)));
    }

    #[test]
    fn file_backend_stores_encrypted_with_0600() {
        let home = tempfile::tempdir().unwrap();
        let kr = Keyring::open(home.path(), Backend::File).with_kdf(CHEAP);
        let rec = kr.add("alice", &key(1), Some(hd::hd_path(0, 0)), Some("passphrase1")).unwrap();
        let path = home.path().join("keyring-file/alice.json");
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&hex::encode(key(1))), "private key in clear");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(home.path().join("keyring-file")).unwrap().permissions().mode() & 0o777, 0o700);
        let loaded = kr.get("alice").unwrap();
        assert_eq!(loaded.address, rec.address);
        assert_eq!(*kr.private_key(&loaded, Some("passphrase1")).unwrap(), key(1));
        let err = kr.private_key(&loaded, Some("nope")).unwrap_err();
        assert!(matches!(err, CliError::WrongPassphrase), "{err}");
        assert_eq!(err.to_string(), "incorrect keyring passphrase");
        // Second key must use the keyring's passphrase.
        assert!(matches!(kr.add("bob", &key(2), None, Some("other-pass")), Err(CliError::WrongPassphrase)));
        kr.add("bob", &key(2), None, Some("passphrase1")).unwrap();
        // Lookup by address too.
        assert_eq!(kr.get(&rec.address).unwrap().name, "alice");
    }

    #[test]
    fn test_backend_list_show_delete() {
        let home = tempfile::tempdir().unwrap();
        let kr = Keyring::open(home.path(), Backend::Test);
        assert!(kr.list().unwrap().is_empty());
        kr.add("zed", &key(3), None, None).unwrap();
        kr.add("amy", &key(4), None, None).unwrap();
        let names: Vec<_> = kr.list().unwrap().into_iter().map(|k| k.name).collect();
        assert_eq!(names, ["amy", "zed"]);
        let amy = kr.get("amy").unwrap();
        assert_eq!(*kr.private_key(&amy, None).unwrap(), key(4));
        assert_eq!(amy.pubkey_bytes().unwrap(), hd::public_key(&key(4)).unwrap());
        // Duplicates by name and by key are refused.
        assert!(matches!(kr.add("amy", &key(5), None, None), Err(CliError::KeyExists(_))));
        assert!(matches!(kr.add("amy2", &key(4), None, None), Err(CliError::DuplicateKey { .. })));
        kr.delete("amy").unwrap();
        assert!(matches!(kr.get("amy"), Err(CliError::KeyNotFound { .. })));
        assert!(matches!(kr.delete("amy"), Err(CliError::KeyNotFound { .. })));
        // The file backend does not see test keys.
        assert!(Keyring::open(home.path(), Backend::File).list().unwrap().is_empty());
    }

    #[test]
    fn bad_names_and_tampering() {
        let home = tempfile::tempdir().unwrap();
        let kr = Keyring::open(home.path(), Backend::Test);
        for bad in ["", "../x", "a/b", ".hidden", "sp ace", &"x".repeat(65)] {
            assert!(matches!(kr.add(bad, &key(1), None, None), Err(CliError::BadKeyName(_))), "{bad:?}");
        }
        let rec = kr.add("eve", &key(6), None, None).unwrap();
        let path = home.path().join("keyring-test/eve.json");
        let text = fs::read_to_string(&path).unwrap().replace(&hex::encode(key(6)), &hex::encode(key(7)));
        fs::write(&path, text).unwrap();
        let err = kr.private_key(&kr.get("eve").unwrap(), None).unwrap_err();
        assert!(matches!(err, CliError::CorruptKey { .. }), "{err}");
        fs::write(&path, "{not json").unwrap();
        assert!(matches!(kr.get(&rec.name), Err(CliError::CorruptKey { .. })));
        // list() skips it and still shows the others.
        kr.add("fine", &key(8), None, None).unwrap();
        let names: Vec<_> = kr.list().unwrap().into_iter().map(|k| k.name).collect();
        assert_eq!(names, ["fine"]);
    }
}
