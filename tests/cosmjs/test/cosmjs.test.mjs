// An unmodified cosmjs client (the npm packages as published) against a real
// Venice chain: CometBFT + veniced, started by ./chain.mjs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Secp256k1Wallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Chain } from "./chain.mjs";

const START = 7_000_000_000n;
let chain, wallet, sender, recipient, aminoWallet, aminoSender;

before(async () => {
  wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: "venice" });
  [{ address: sender }] = await wallet.getAccounts();
  const other = await DirectSecp256k1HdWallet.generate(12, { prefix: "venice" });
  [{ address: recipient }] = await other.getAccounts();
  // An amino-only signer (Keplr's amino mode, Ledger): it can only sign
  // SIGN_MODE_LEGACY_AMINO_JSON documents.
  aminoWallet = await Secp256k1Wallet.fromKey(new Uint8Array(32).fill(7), "venice");
  [{ address: aminoSender }] = await aminoWallet.getAccounts();
  chain = await Chain.start({
    chainId: "venice-cosmjs-1",
    accounts: [[sender, `${START}uvvv`], [aminoSender, `${START}uvvv`]],
  });
}, { timeout: 120_000 });

after(async () => {
  if (chain) await chain.stop();
}, { timeout: 60_000 });

test("addresses use the venice prefix", { timeout: 90_000 }, () => {
  assert.match(sender, /^venice1[02-9ac-hj-np-z]{38}$/);
});

test("StargateClient: chain id, height, getAccount, getBalance", { timeout: 90_000 }, async () => {
  const client = await StargateClient.connect(chain.rpcUrl);
  try {
    assert.equal(await client.getChainId(), "venice-cosmjs-1");
    assert.ok((await client.getHeight()) >= 2);
    const account = await client.getAccount(sender);
    assert.ok(account, "genesis account exists");
    assert.equal(account.address, sender);
    assert.equal(account.sequence, 0);
    assert.ok(["number", "bigint"].includes(typeof account.accountNumber), "account number");
    assert.equal(account.pubkey, null, "no public key before the first tx");
    assert.deepEqual(await client.getBalance(sender, "uvvv"), { denom: "uvvv", amount: String(START) });
    assert.deepEqual(await client.getBalance(recipient, "uvvv"), { denom: "uvvv", amount: "0" });
    assert.equal(await client.getAccount(recipient), null, "an unknown account is null, not an error");
  } finally {
    client.disconnect();
  }
});

async function signingClient() {
  return SigningStargateClient.connectWithSigner(chain.rpcUrl, wallet, { gasPrice: GasPrice.fromString("0.025uvvv") });
}

const attrs = (tx, type, key) =>
  tx.events.filter((e) => e.type === type).flatMap((e) => e.attributes).filter((a) => a.key === key).map((a) => a.value);

async function balanceOf(client, addr) {
  return BigInt((await client.getBalance(addr, "uvvv")).amount);
}

// Runs in order: the explicit-fee send is sequence 0, the "auto" one 1.
test("SigningStargateClient: sendTokens with an explicit fee, then getTx with its events", { timeout: 90_000 }, async () => {
  const client = await signingClient();
  try {
    const before = await balanceOf(client, sender);
    const fee = { amount: [{ denom: "uvvv", amount: "5000" }], gas: "200000" };
    const result = await client.sendTokens(sender, recipient, [{ denom: "uvvv", amount: "4242" }], fee, "hello from cosmjs");
    assert.equal(result.code, 0, `send failed: ${JSON.stringify(result, (_, v) => (typeof v === "bigint" ? String(v) : v))}`);
    assert.ok(result.height > 0);
    assert.equal(await balanceOf(client, recipient), 4242n);
    assert.equal(await balanceOf(client, sender), before - 4242n - 5000n);

    const account = await client.getAccount(sender);
    assert.equal(Number(account.sequence), 1);
    assert.ok(account.pubkey, "the public key is set by the first tx");

    const tx = await client.getTx(result.transactionHash);
    assert.ok(tx, "getTx finds the tx");
    assert.equal(tx.code, 0);
    assert.equal(tx.hash, result.transactionHash);
    assert.equal(tx.height, result.height);
    assert.ok(attrs(tx, "transfer", "recipient").includes(recipient), "transfer.recipient");
    assert.ok(attrs(tx, "transfer", "sender").includes(sender), "transfer.sender");
    assert.ok(attrs(tx, "transfer", "amount").includes("4242uvvv"), "transfer.amount");
    assert.ok(attrs(tx, "coin_spent", "spender").includes(sender), "coin_spent.spender");
    assert.ok(attrs(tx, "coin_received", "receiver").includes(recipient), "coin_received.receiver");
    assert.ok(attrs(tx, "message", "action").includes("/cosmos.bank.v1beta1.MsgSend"), "message.action");
    assert.ok(attrs(tx, "message", "sender").includes(sender), "message.sender");
    assert.ok(attrs(tx, "tx", "acc_seq").includes(`${sender}/0`), "tx.acc_seq");
    assert.ok(attrs(tx, "tx", "fee").includes("5000uvvv"), "tx.fee");

    // The kv indexer finds it by event, as cosmjs's searchTx asks.
    const found = await client.searchTx(`transfer.recipient='${recipient}'`);
    assert.deepEqual(found.map((t) => t.hash), [result.transactionHash]);
  } finally {
    client.disconnect();
  }
});

test("SigningStargateClient: sendTokens with an \"auto\" fee (gas from Simulate)", { timeout: 90_000 }, async () => {
  const client = await signingClient();
  try {
    const before = await balanceOf(client, sender);
    const result = await client.sendTokens(sender, recipient, [{ denom: "uvvv", amount: "1000" }], "auto");
    assert.equal(result.code, 0);
    assert.ok(result.gasUsed > 0n && result.gasUsed <= result.gasWanted, "simulated gas x 1.4 covers the use");
    assert.ok(result.gasWanted < 200000n, `an estimate, not a default: ${result.gasWanted}`);
    // "auto": gas limit = simulated gas x 1.4, fee = ceil(gas limit x 0.025).
    const fee = (BigInt(result.gasWanted) * 25n + 999n) / 1000n;
    assert.equal(await balanceOf(client, sender), before - 1000n - fee);
    assert.equal(await balanceOf(client, recipient), 5242n);
    const tx = await client.getTx(result.transactionHash);
    assert.ok(attrs(tx, "tx", "fee").includes(`${fee}uvvv`), "tx.fee");
    assert.ok(attrs(tx, "tx", "acc_seq").includes(`${sender}/1`), "tx.acc_seq");
  } finally {
    client.disconnect();
  }
});

test("a send beyond the balance fails with the SDK's insufficient-funds code", { timeout: 90_000 }, async () => {
  const client = await signingClient();
  try {
    const huge = [{ denom: "uvvv", amount: String(START * 10n) }];
    const fee = { amount: [{ denom: "uvvv", amount: "5000" }], gas: "200000" };
    let code;
    try {
      code = (await client.sendTokens(sender, recipient, huge, fee)).code;
    } catch (e) {
      // CheckTx refusals surface as exceptions carrying the log.
      assert.match(String(e), /insufficient funds/);
      code = 5;
    }
    assert.equal(code, 5);
  } finally {
    client.disconnect();
  }
});

test("an amino-only signer (Secp256k1Wallet) sends with SIGN_MODE_LEGACY_AMINO_JSON", { timeout: 90_000 }, async () => {
  const client = await SigningStargateClient.connectWithSigner(chain.rpcUrl, aminoWallet);
  try {
    const before = await balanceOf(client, recipient);
    const fee = { amount: [{ denom: "uvvv", amount: "5000" }], gas: "200000" };
    const result = await client.sendTokens(aminoSender, recipient, [{ denom: "uvvv", amount: "333" }], fee, "signed as amino <json> & sorted");
    assert.equal(result.code, 0, `amino send failed: ${result.rawLog}`);
    assert.equal(await balanceOf(client, recipient), before + 333n);
    assert.equal(await balanceOf(client, aminoSender), START - 333n - 5000n);
    const account = await client.getAccount(aminoSender);
    assert.equal(Number(account.sequence), 1);
    // A second one at the next sequence.
    const again = await client.sendTokens(aminoSender, recipient, [{ denom: "uvvv", amount: "1" }], fee);
    assert.equal(again.code, 0);
  } finally {
    client.disconnect();
  }
});
