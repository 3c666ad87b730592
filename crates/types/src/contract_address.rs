//! Contract addresses as wasmd derives them, so that tools predict the
//! address a contract gets: 32 bytes of the SDK's ADR-028 module-derived
//! address of module `wasm` (`address.Module("wasm", key)`).
//!
//! - classic (`MsgInstantiateContract`): key = code id ‖ instance id, both
//!   8-byte big-endian (`BuildContractAddressClassic`);
//! - predictable (`MsgInstantiateContract2`): key = checksum ‖ creator ‖
//!   salt ‖ init msg (empty unless `fix_msg`), each preceded by its length as
//!   8-byte big-endian (`BuildContractAddressPredictable`).

use sha2::{Digest, Sha256};

use crate::address::Address;

/// The module name in the derivation (wasmd's `types.ModuleName`).
pub const WASM_MODULE: &str = "wasm";
/// Length of a contract address (wasmd's `types.ContractAddrLen`).
pub const CONTRACT_ADDR_LEN: usize = 32;

/// `address.Module(module, key)` of the SDK with one derivation key:
/// `sha256(sha256("module") ‖ module ‖ 0x00 ‖ key)`.
pub fn module_derived(module: &str, key: &[u8]) -> [u8; 32] {
    let typ = Sha256::digest(b"module");
    let mut h = Sha256::new();
    h.update(typ);
    h.update(module.as_bytes());
    h.update([0u8]);
    h.update(key);
    h.finalize().into()
}

/// Address of the `instance_id`-th contract instantiated on the chain (the
/// module's global instance sequence), from code `code_id`.
pub fn classic(code_id: u64, instance_id: u64) -> Address {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&code_id.to_be_bytes());
    key[8..].copy_from_slice(&instance_id.to_be_bytes());
    contract(&module_derived(WASM_MODULE, &key))
}

/// Address of an `instantiate2` contract. `init_msg` is the instantiate
/// message's bytes when `fix_msg` is set, else empty.
pub fn predictable(checksum: &[u8], creator: &[u8], salt: &[u8], init_msg: &[u8]) -> Address {
    let mut key = Vec::with_capacity(32 + checksum.len() + creator.len() + salt.len() + init_msg.len());
    for part in [checksum, creator, salt, init_msg] {
        key.extend_from_slice(&(part.len() as u64).to_be_bytes());
        key.extend_from_slice(part);
    }
    contract(&module_derived(WASM_MODULE, &key))
}

fn contract(hash: &[u8; 32]) -> Address {
    Address::from_bytes(&hash[..CONTRACT_ADDR_LEN]).expect("32 bytes is a valid address length")
}

#[cfg(test)]
mod tests {
    use super::*;
    use bech32::{Bech32, Hrp};

    fn purple(bytes: &[u8]) -> String {
        bech32::encode::<Bech32>(Hrp::parse("purple").unwrap(), bytes).unwrap()
    }

    // Vectors of wasmd's x/wasm/keeper/addresses_test.go (bech32 prefix "purple").
    #[test]
    fn classic_matches_wasmd() {
        let cases = [
            (0, 0, "purple1w0w8sasnut0jx0vvsnvlc8nayq0q2ej8xgrpwgel05tn6wy4r57qfplul7"),
            (0, 1, "purple156r47kpk4va938pmtpuee4fh77847gqcw2dmpl2nnpwztwfgz04s5cr8hj"),
            (1, 0, "purple1mzdhwvvh22wrt07w59wxyd58822qavwkx5lcej7aqfkpqqlhaqfs5efvjk"),
            (1, 1, "purple14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9smc2vxm"),
        ];
        for (code, instance, want) in cases {
            assert_eq!(purple(classic(code, instance).as_bytes()), want, "code {code} instance {instance}");
        }
    }

    #[test]
    fn predictable_matches_wasmd() {
        let checksum = hex::decode("13a1fc994cc6d1c81b746ee0c0ff6f90043875e0bf1d9be6b7d779fc978dc2a5").unwrap();
        let creator20 = hex::decode("9999999999aaaaaaaaaabbbbbbbbbbcccccccccc").unwrap();
        let creator32 = hex::decode("9999999999aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffff").unwrap();
        let long_salt = hex::decode(
            "aabbccddeeffffeeddbbccddaa66551155aaaabbcc787878789900aabbccddeeffffeeddbbccddaa66551155aaaabbcc787878789900aabbbbcc221100acadae",
        )
        .unwrap();
        let nested = br#"{"some":123,"structure":{"nested":["ok",true]}}"#.as_slice();
        type Case<'a> = (&'a [u8], &'a [u8], &'a [u8], &'a str);
        let cases: [Case; 6] = [
            (&creator20, b"a", b"", "5e865d3e45ad3e961f77fd77d46543417ced44d924dc3e079b5415ff6775f847"),
            (&creator20, b"a", b"{}", "0995499608947a5281e2c7ebd71bdb26a1ad981946dad57f6c4d3ee35de77835"),
            (&creator20, b"a", nested, "83326e554723b15bac664ceabc8a5887e27003abe9fbd992af8c7bcea4745167"),
            (&creator20, &long_salt, b"", "9384c6248c0bb171e306fd7da0993ec1e20eba006452a3a9e078883eb3594564"),
            (&creator32, b"a", b"{}", "b056e539bbaf447ba18f3f13b792970111fc78933eb6700f4d227b5216d63658"),
            (&creator32, &long_salt, nested, "a0d0c942adac6f3e5e7c23116c4c42a24e96e0ab75f53690ec2d3de16067c751"),
        ];
        for (creator, salt, msg, want) in cases {
            assert_eq!(hex::encode(predictable(&checksum, creator, salt, msg).as_bytes()), want);
        }
        assert_eq!(
            purple(predictable(&checksum, &creator20, b"a", b"").as_bytes()),
            "purple1t6r960j945lfv8mhl4mage2rg97w63xeynwrupum2s2l7em4lprs9ce5hk"
        );
    }
}
