//! The injected extended commit: signatures, the 2/3 of power, its place
//! in the block, and the results it carries reaching the state machine.

use ed25519_consensus::SigningKey;
use tendermint_proto::v0_38::abci::{
    ExtendedCommitInfo, ExtendedVoteInfo, RequestExtendVote, RequestPrepareProposal, RequestProcessProposal, Validator,
};
use venice_sdk::manager::{ExtensionPart, VoteExtension};
use venice_types::inference::{InferenceVoteExtension, TaskResult};

use super::*;
use crate::commit::{self, encode_injected, sign_bytes};
use crate::local::LocalResults;
use crate::state::TaskStatus;

/// The envelope the app's manager wraps inference's part in.
fn envelope(results: Vec<TaskResult>) -> Vec<u8> {
    let part = InferenceVoteExtension { results }.encode_to_vec();
    borsh::to_vec(&VoteExtension { parts: vec![ExtensionPart { module: crate::MODULE.into(), data: part }] }).unwrap()
}

fn result(task: u64, hash: u8) -> TaskResult {
    TaskResult { task_id: task, output_hash: vec![hash; 32], output: vec![] }
}

/// A commit vote of validator `i` for `height`, signed with `key`.
fn vote(i: u8, power: i64, height: u64, ext: Vec<u8>, key: &SigningKey) -> ExtendedVoteInfo {
    let sig = key.sign(&sign_bytes(&ext, height, 0, CHAIN_ID));
    ExtendedVoteInfo {
        validator: Some(Validator { address: cons(i).into(), power }),
        vote_extension: ext.into(),
        extension_signature: sig.to_bytes().to_vec().into(),
        block_id_flag: 2,
    }
}

fn absent(i: u8, power: i64) -> ExtendedVoteInfo {
    ExtendedVoteInfo { validator: Some(Validator { address: cons(i).into(), power }), block_id_flag: 1, ..Default::default() }
}

const POWERS: [i64; 4] = [10, 20, 30, 40];

/// Validators in `signing` commit with `ext(i)`; the others are absent.
fn commit_of(height: u64, signing: &[u8], ext: impl Fn(u8) -> Vec<u8>) -> ExtendedCommitInfo {
    let votes = (0..4u8)
        .map(|i| match signing.contains(&i) {
            true => vote(i, POWERS[i as usize], height, ext(i), &signing_key(i as usize)),
            false => absent(i, POWERS[i as usize]),
        })
        .collect();
    ExtendedCommitInfo { round: 0, votes }
}

/// An env at height 3 whose signer sets for heights 1 and 2 are recorded
/// (blocks 1 and 2 ran their hooks), with one task assigned at height 2.
fn env_with_task() -> (Env, u64) {
    let mut env = Env::new(|_| {});
    let model = env.list(1, 100, 4);
    env.scoped(|ctx, i| i.apply_injected(ctx, &[])).unwrap(); // block 1: records the first set
    env.end_block();
    env.next_block();
    let id = env.submit(2, &model, b"in", 100, 0).unwrap();
    env.end_block(); // height 2: assigns, records the set signing 3
    env.next_block();
    assert_eq!(env.task(id).status, TaskStatus::Assigned);
    (env, id)
}

fn process(env: &mut Env, txs: Vec<Vec<u8>>) -> Result<()> {
    let req = RequestProcessProposal { txs: txs.into_iter().map(Into::into).collect(), height: env.height as i64, ..Default::default() };
    env.scoped(|ctx, i| i.check_proposal(ctx, &req))
}

#[test]
fn a_commit_of_more_than_two_thirds_verifies_and_finalises_its_task() {
    let (mut env, id) = env_with_task();
    let c = commit_of(2, &[1, 2, 3], |_| envelope(vec![result(id, 7)]));
    let tx = encode_injected(&c);
    process(&mut env, vec![tx.clone(), b"\x0a\x00user-tx".to_vec()]).unwrap();
    // The block applies it before anything else: 90 of 100 agree.
    env.scoped(|ctx, i| i.apply_injected(ctx, &[tx.into()])).unwrap();
    assert_eq!(env.task(id).status, TaskStatus::Final);
    let r = env.scoped(|ctx, _| state::result(ctx, id)).unwrap().unwrap();
    assert_eq!((r.output_hash, r.height), ([7; 32], 3));
    env.invariant_holds();
}

#[test]
fn a_forged_signature_is_rejected() {
    let (mut env, id) = env_with_task();
    let mut c = commit_of(2, &[1, 2, 3], |_| envelope(vec![result(id, 7)]));
    // Validator 3's extension signed by another key.
    c.votes[3] = vote(3, 40, 2, envelope(vec![result(id, 7)]), &signing_key(9));
    let e = process(&mut env, vec![encode_injected(&c)]).unwrap_err();
    assert!(e.to_string().contains("bad extension signature"), "{e}");
}

#[test]
fn a_tampered_output_hash_breaks_its_signature() {
    let (mut env, id) = env_with_task();
    let mut c = commit_of(2, &[1, 2, 3], |_| envelope(vec![result(id, 7)]));
    // The proposer rewrites validator 1's answer after it was signed.
    c.votes[1].vote_extension = envelope(vec![result(id, 8)]).into();
    let e = process(&mut env, vec![encode_injected(&c)]).unwrap_err();
    assert!(e.to_string().contains("bad extension signature"), "{e}");
}

#[test]
fn extensions_of_two_thirds_or_less_of_the_power_are_rejected() {
    let (mut env, id) = env_with_task();
    // 10 + 20 + 30 = 60 of 100.
    let c = commit_of(2, &[0, 1, 2], |_| envelope(vec![result(id, 7)]));
    let e = process(&mut env, vec![encode_injected(&c)]).unwrap_err();
    assert!(e.to_string().contains("60 of 100"), "{e}");
    // A vote signed for another height does not count either.
    let mut c = commit_of(2, &[1, 2, 3], |_| vec![]);
    c.votes[3] = vote(3, 40, 1, vec![], &signing_key(3));
    assert!(process(&mut env, vec![encode_injected(&c)]).is_err());
}

#[test]
fn the_commit_must_come_first_and_once() {
    let (mut env, _) = env_with_task();
    let tx = encode_injected(&commit_of(2, &[1, 2, 3], |_| vec![]));
    let user = b"\x0a\x00user-tx".to_vec();
    process(&mut env, vec![tx.clone(), user.clone()]).unwrap();
    let e = process(&mut env, vec![user.clone(), tx.clone()]).unwrap_err();
    assert!(e.to_string().contains("positions [1]"), "{e}");
    assert!(process(&mut env, vec![tx.clone(), tx.clone()]).is_err(), "twice");
    assert!(process(&mut env, vec![user]).is_err(), "missing");
    // Garbage behind the prefix.
    let mut junk = commit::INJECTED_PREFIX.to_vec();
    junk.extend_from_slice(b"\xff\xff");
    assert!(process(&mut env, vec![junk]).is_err());
}

#[test]
fn unknown_repeated_or_non_commit_votes_with_extensions_are_rejected() {
    let (mut env, _) = env_with_task();
    let mut c = commit_of(2, &[1, 2, 3], |_| vec![]);
    c.votes.push(c.votes[3].clone());
    assert!(process(&mut env, vec![encode_injected(&c)]).unwrap_err().to_string().contains("two votes"));
    let mut c = commit_of(2, &[1, 2, 3], |_| vec![]);
    c.votes[0] = ExtendedVoteInfo { vote_extension: b"x".to_vec().into(), ..absent(0, 10) };
    assert!(process(&mut env, vec![encode_injected(&c)]).unwrap_err().to_string().contains("did not commit"));
    let mut c = commit_of(2, &[1, 2, 3], |_| vec![]);
    c.votes[0] = vote(9, 10, 2, vec![], &signing_key(0));
    assert!(process(&mut env, vec![encode_injected(&c)]).unwrap_err().to_string().contains("unknown validator"));
}

#[test]
fn an_extension_that_breaks_the_format_rejects_the_block() {
    let (mut env, id) = env_with_task();
    // Well signed, but task ids out of order.
    let c = commit_of(2, &[1, 2, 3], |_| envelope(vec![result(id + 1, 7), result(id, 7)]));
    let e = process(&mut env, vec![encode_injected(&c)]).unwrap_err();
    assert!(e.to_string().contains("out of order"), "{e}");
}

#[test]
fn before_extensions_start_no_commit_is_expected_or_allowed() {
    let mut env = Env::new(|_| {});
    // Height 1 (extensions start at 1: the first commit rides in block 2).
    process(&mut env, vec![b"\x0a\x00user".to_vec()]).unwrap();
    let tx = encode_injected(&commit_of(0, &[0, 1, 2, 3], |_| vec![]));
    assert!(process(&mut env, vec![tx]).is_err());
    let req = RequestPrepareProposal { height: 1, local_last_commit: Some(ExtendedCommitInfo::default()), ..Default::default() };
    assert!(env.scoped(|ctx, i| i.inject(ctx, &req)).unwrap().is_empty());
    let req = RequestPrepareProposal { height: 2, ..req };
    env.height = 2;
    let txs = env.scoped(|ctx, i| i.inject(ctx, &req)).unwrap();
    assert_eq!(txs.len(), 1);
    assert!(commit::is_injected(&txs[0]));
}

#[test]
fn signer_sets_are_recorded_per_height_and_pruned() {
    let mut env = Env::new(|_| {});
    env.scoped(|ctx, i| i.apply_injected(ctx, &[])).unwrap();
    for _ in 0..6 {
        env.end_block();
        env.next_block();
    }
    // At height 7: sets for 1..=7 were written; those more than 3 behind the
    // last end block (6) are gone.
    let have: Vec<u64> = (1..=8).filter(|h| env.scoped(|ctx, _| state::signers(ctx, *h)).unwrap().is_some()).collect();
    assert_eq!(have, vec![4, 5, 6, 7]);
    let set = env.scoped(|ctx, _| state::signers(ctx, 7)).unwrap().unwrap();
    assert_eq!(set.iter().map(|s| s.power).collect::<Vec<_>>(), vec![10, 20, 30, 40]);
}

struct Local(Vec<u8>, Vec<TaskResult>);
impl LocalResults for Local {
    fn consensus_address(&self) -> Option<Vec<u8>> {
        Some(self.0.clone())
    }
    fn finished(&self) -> Vec<TaskResult> {
        self.1.clone()
    }
}

#[test]
fn extend_vote_carries_only_what_the_chain_still_wants_from_this_validator() {
    let (mut env, id) = env_with_task();
    let member = env.task(id).committee[0].consensus_address.clone();
    // Task 999 does not exist; `id` is wanted.
    env.inf.set_local_results(Arc::new(Local(member.clone(), vec![result(999, 1), result(id, 7)])));
    let bytes = env.scoped(|ctx, i| i.extend(ctx, &RequestExtendVote::default())).unwrap();
    let ext = InferenceVoteExtension::decode(bytes.as_slice()).unwrap();
    assert_eq!(ext.results, vec![result(id, 7)]);
    env.scoped(|ctx, i| i.verify_extension(ctx, &bytes)).unwrap();
    // Once its vote is recorded, it is not sent again.
    env.with(|ctx, _| {
        ctx.scoped(state::PREFIX, |ctx| state::set_vote(ctx, id, &member, &state::Vote { output_hash: [7; 32], output: vec![] }))
    })
    .unwrap();
    assert!(env.scoped(|ctx, i| i.extend(ctx, &RequestExtendVote::default())).unwrap().is_empty());
}

#[test]
fn assignments_index_follows_the_task_to_its_end() {
    let (mut env, id) = env_with_task();
    let member = env.task(id).committee[0].consensus_address.clone();
    let a = env.scoped(|ctx, i| i.assignments(ctx, 2, &member)).unwrap();
    assert_eq!(a.iter().map(|a| a.task.id).collect::<Vec<_>>(), vec![id]);
    // Delisting leaves an assigned task runnable: its listing travels with it.
    let delist = pb::MsgDelistModel { owner: addr(1).to_bech32(), model_id: hex::encode(a[0].task.model_id) };
    env.exec(handlers::MSG_DELIST_MODEL, &delist).unwrap();
    let a = env.scoped(|ctx, i| i.assignments(ctx, 2, &member)).unwrap();
    assert_eq!((a[0].task.storage_uri.as_str(), a[0].task.quant_rule_json.as_str()), ("venice://models/digits", "\"exact\""));
    assert!(env.scoped(|ctx, i| i.assignments(ctx, 2, &[1; 20])).unwrap().is_empty(), "not a member");
    env.report(2, &[(1, id, 7), (2, id, 7), (3, id, 7)]);
    assert_eq!(env.task(id).status, TaskStatus::Final);
    assert!(env.scoped(|ctx, _| state::assigned_at(ctx, 2)).unwrap().is_empty());
}
