//! The airdrop's merkle tree. The exact rules (a claim tool must follow
//! them to the byte):
//!
//! - leaf = sha256(address bytes || amount as a 16-byte big-endian u128),
//!   the address being its raw bytes (20 for an account), the amount in
//!   the airdrop's base denom;
//! - parent = sha256(min(a, b) || max(a, b)): pairs are sorted, so a proof
//!   is just the sibling hashes from the leaf up, with no left/right bits;
//! - a level's last node without a sibling moves up unchanged;
//! - the leaves are sorted before the tree is built, so the root does not
//!   depend on the order of the list.
//!
//! A leaf's input (36 bytes for an account) never has an inner node's
//! length (64), so no inner node can pass for a leaf.

use sha2::{Digest, Sha256};
use venice_sdk::Address;

pub type Hash = [u8; 32];

pub fn leaf(addr: &Address, amount: u128) -> Hash {
    let mut h = Sha256::new();
    h.update(addr.as_bytes());
    h.update(amount.to_be_bytes());
    h.finalize().into()
}

pub fn parent(a: &Hash, b: &Hash) -> Hash {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut h = Sha256::new();
    h.update(lo);
    h.update(hi);
    h.finalize().into()
}

/// Whether `proof` leads from `leaf` to `root`.
pub fn verify(root: &Hash, leaf: Hash, proof: &[Hash]) -> bool {
    proof.iter().fold(leaf, |acc, sib| parent(&acc, sib)) == *root
}

/// A whole tree, for the genesis tool: the root and each leaf's proof.
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    /// Build from leaves (sorted here; duplicates are the caller's error).
    pub fn new(mut leaves: Vec<Hash>) -> Tree {
        leaves.sort_unstable();
        let mut levels = vec![leaves];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let prev = levels.last().expect("non-empty");
            let next = prev.chunks(2).map(|c| if c.len() == 2 { parent(&c[0], &c[1]) } else { c[0] }).collect();
            levels.push(next);
        }
        Tree { levels }
    }

    /// The root (all zeros for an empty tree).
    pub fn root(&self) -> Hash {
        self.levels.last().and_then(|l| l.first()).copied().unwrap_or([0; 32])
    }

    /// The sibling hashes from `leaf` up to the root; `None` if absent.
    pub fn proof(&self, leaf: &Hash) -> Option<Vec<Hash>> {
        let mut i = self.levels[0].binary_search(leaf).ok()?;
        let mut proof = Vec::new();
        for level in &self.levels[..self.levels.len() - 1] {
            let sib = i ^ 1;
            if sib < level.len() {
                proof.push(level[sib]);
            }
            i /= 2;
        }
        Some(proof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(i: u8) -> Address {
        Address::from_bytes(&[i; 20]).unwrap()
    }

    #[test]
    fn every_proof_verifies_for_every_tree_size() {
        for n in 1..=17u8 {
            let leaves: Vec<Hash> = (0..n).map(|i| leaf(&addr(i), 1000 + i as u128)).collect();
            let t = Tree::new(leaves.clone());
            for (i, l) in leaves.iter().enumerate() {
                let p = t.proof(l).unwrap();
                assert!(verify(&t.root(), *l, &p), "n={n} i={i}");
                // The same proof for another amount fails.
                assert!(!verify(&t.root(), leaf(&addr(i as u8), 1), &p));
            }
            assert!(t.proof(&leaf(&addr(99), 1)).is_none());
        }
    }

    #[test]
    fn root_ignores_list_order_and_leaf_is_exact() {
        let a: Vec<Hash> = (0..5).map(|i| leaf(&addr(i), 7)).collect();
        let mut b = a.clone();
        b.reverse();
        assert_eq!(Tree::new(a).root(), Tree::new(b).root());
        let mut input = [1u8; 20].to_vec();
        input.extend(42u128.to_be_bytes());
        assert_eq!(leaf(&addr(1), 42), <[u8; 32]>::from(Sha256::digest(&input)));
    }
}
