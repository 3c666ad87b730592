// Prints the amino JSON sign bytes that cosmjs (an independent
// implementation: @cosmjs/stargate's amino converters, @cosmjs/amino's
// makeSignDoc + serializeSignDoc) produces for a set of transactions, with
// each message's protobuf bytes, so the Rust encoder can be checked byte for
// byte against them. Regenerate with:
//   node tests/cosmjs/amino-fixtures.mjs > crates/types/tests/fixtures/amino_cosmjs.json
import { createMultisigThresholdPubkey, makeSignDoc, pubkeyToAddress, serializeSignDoc } from "@cosmjs/amino";
import { fromUtf8, toBase64, toUtf8 } from "@cosmjs/encoding";
import {
  AminoTypes,
  createBankAminoConverters,
  createDistributionAminoConverters,
  createGovAminoConverters,
  createStakingAminoConverters,
  createVestingAminoConverters,
  defaultRegistryTypes,
} from "@cosmjs/stargate";
import { Registry } from "@cosmjs/proto-signing";
import { MsgExecuteContract, MsgInstantiateContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";

const registry = new Registry(defaultRegistryTypes);
registry.register("/cosmwasm.wasm.v1.MsgExecuteContract", MsgExecuteContract);
registry.register("/cosmwasm.wasm.v1.MsgInstantiateContract", MsgInstantiateContract);

// cosmjs's stargate converters, plus wasm converters written the way
// @cosmjs/cosmwasm-stargate writes them (msg inlined as JSON, funds a list).
const aminoTypes = new AminoTypes({
  ...createBankAminoConverters(),
  ...createStakingAminoConverters(),
  ...createDistributionAminoConverters(),
  ...createGovAminoConverters(),
  ...createVestingAminoConverters(),
  "/cosmwasm.wasm.v1.MsgExecuteContract": {
    aminoType: "wasm/MsgExecuteContract",
    toAmino: ({ sender, contract, msg, funds }) => ({ sender, contract, msg: JSON.parse(fromUtf8(msg)), funds }),
    fromAmino: () => { throw new Error("unused"); },
  },
  "/cosmwasm.wasm.v1.MsgInstantiateContract": {
    aminoType: "wasm/MsgInstantiateContract",
    toAmino: ({ sender, codeId, label, msg, funds, admin }) => ({
      sender, code_id: codeId.toString(), label, msg: JSON.parse(fromUtf8(msg)), funds, admin: admin || undefined,
    }),
    fromAmino: () => { throw new Error("unused"); },
  },
});

const A = "venice1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
const B = "venice1qgpsgpgxquyqjzstpsxsurcszyfpx9q4wtp0ma";
const V = "venicevaloper1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5h6zxqx";
const V2 = "venicevaloper1qgpsgpgxquyqjzstpsxsurcszyfpx9q4r4shgk";
const coin = (amount, denom = "uvvv") => ({ denom, amount: String(amount) });
const fee = (amount, gas) => ({ amount, gas: String(gas) });

const cases = [
  { name: "bank send", msgs: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: A, toAddress: B, amount: [coin(1234)] } }],
    fee: fee([coin(5000)], 200000), memo: "hello <venice> & friends" },
  { name: "bank send, two denoms, empty fee", msgs: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: A, toAddress: B, amount: [coin(1, "stake"), coin(2)] } }], fee: fee([], 100000), memo: "" },
  { name: "multi send", msgs: [{ typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: {
    inputs: [{ address: A, coins: [coin(30)] }], outputs: [{ address: B, coins: [coin(10)] }, { address: A, coins: [coin(20)] }] } }],
    fee: fee([coin(700)], 300000), memo: "multi" },
  { name: "delegate", msgs: [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
    value: { delegatorAddress: A, validatorAddress: V, amount: coin(1000000) } }], fee: fee([coin(5000)], 250000), memo: "" },
  { name: "undelegate and redelegate", msgs: [
    { typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: { delegatorAddress: A, validatorAddress: V, amount: coin(5) } },
    { typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
      value: { delegatorAddress: A, validatorSrcAddress: V, validatorDstAddress: V2, amount: coin(6) } }],
    fee: fee([coin(9000)], 400000), memo: "" },
  { name: "create validator", msgs: [{ typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator", value: {
    description: { moniker: "venice-val", identity: "ABCD1234", website: "https://venice.ai", securityContact: "sec@venice.ai", details: "d" },
    commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
    minSelfDelegation: "1", delegatorAddress: A, validatorAddress: V,
    pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey",
      value: Ed25519PubKey.encode({ key: new Uint8Array(32).map((_, i) => i + 1) }).finish() },
    value: coin(1000000) } }], fee: fee([coin(5000)], 300000), memo: "" },
  { name: "withdraw rewards, set withdraw address, fund pool", msgs: [
    { typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", value: { delegatorAddress: A, validatorAddress: V } },
    { typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", value: { delegatorAddress: A, withdrawAddress: B } },
    { typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { amount: [coin(77)], depositor: A } }],
    fee: fee([coin(5000)], 500000), memo: "" },
  { name: "gov v1beta1 text proposal", msgs: [{ typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal", value: {
    content: { typeUrl: "/cosmos.gov.v1beta1.TextProposal",
      value: TextProposal.encode({ title: "Lower fees", description: "Cut the min gas price to 0.001uvvv" }).finish() },
    initialDeposit: [coin(10000000)], proposer: A } }], fee: fee([coin(5000)], 200000), memo: "" },
  { name: "gov v1beta1 vote, weighted vote, deposit", msgs: [
    { typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: 7n, voter: A, option: 1 } },
    { typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted", value: { proposalId: 7n, voter: A,
      options: [{ option: 1, weight: "700000000000000000" }, { option: 3, weight: "300000000000000000" }] } },
    { typeUrl: "/cosmos.gov.v1beta1.MsgDeposit", value: { proposalId: 7n, depositor: A, amount: [coin(500)] } }],
    fee: fee([coin(5000)], 300000), memo: "" },
  { name: "vesting account", msgs: [{ typeUrl: "/cosmos.vesting.v1beta1.MsgCreateVestingAccount",
    value: { fromAddress: A, toAddress: B, amount: [coin(42)], endTime: 1900000000n, delayed: true } }],
    fee: fee([coin(5000)], 200000), memo: "" },
  { name: "wasm execute", msgs: [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: {
    sender: A, contract: B, msg: toUtf8('{"transfer":{"recipient":"x<y","amount":"100"},"a_first":[3,1.5,{"z":true,"b":null}]}'),
    funds: [] } }], fee: fee([coin(9000)], 350000), memo: "" },
  { name: "wasm instantiate with funds", msgs: [{ typeUrl: "/cosmwasm.wasm.v1.MsgInstantiateContract", value: {
    sender: A, admin: "", codeId: 12n, label: "cw20 VVVC", msg: toUtf8('{"name":"credits","decimals":6}'), funds: [coin(3)] } }],
    fee: fee([coin(9000)], 350000), memo: "" },
  { name: "timeout height", msgs: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: A, toAddress: B, amount: [coin(1)] } }],
    fee: fee([coin(500)], 200000), memo: "t", timeoutHeight: 123456n },
];

const out = cases.map((c, i) => {
  const accountNumber = 7 + i;
  const sequence = 3 * i;
  const amino = c.msgs.map((m) => aminoTypes.toAmino(m));
  const doc = makeSignDoc(amino, c.fee, "venice-test-1", c.memo, accountNumber, sequence, c.timeoutHeight);
  return {
    name: c.name,
    chain_id: "venice-test-1",
    account_number: accountNumber,
    sequence,
    timeout_height: Number(c.timeoutHeight ?? 0n),
    memo: c.memo,
    fee: c.fee,
    msgs: c.msgs.map((m) => ({ type_url: m.typeUrl, value: toBase64(registry.encode(m)) })),
    sign_bytes: fromUtf8(serializeSignDoc(doc)),
  };
});

// Left out on purpose: MsgWithdrawValidatorCommission, whose amino name
// cosmjs still writes in its pre-v0.47 form ("cosmos-sdk/MsgWithdrawValidator
// Commission"; the SDK's is "cosmos-sdk/MsgWithdrawValCommission").
// cosmjs writes empty strings where the SDK leaves the field out: fill
// every field of the cases above so both sides mean the same document.
// A 2-of-3 multisig key and its address.
const keys = ["AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP", "A0HrVhDo3DU9BZsqvNCSHHMk5n6V7TTJbDOsBdkAv2Gh",
  "A4ZkS0e8GXDxdBfLmG7zJ6GKGGFqh1yN7bJpmSkJYvU8"].map((value) => ({ type: "tendermint/PubKeySecp256k1", value }));
const multisig = createMultisigThresholdPubkey(keys, 2, true);
const multisigFixture = { threshold: 2, keys: keys.map((k) => k.value), address: pubkeyToAddress(multisig, "venice") };

process.stdout.write(JSON.stringify({ sign_docs: out, multisig: multisigFixture }, null, 1) + "\n");
