#!/usr/bin/env node
// Independent verification of a Somu credential with the Digital Credentials Consortium's
// verifier-core (jsonld.js, rdf-canonize, @digitalbazaar data-integrity), offline.
//
// Usage: node verify.mjs [credential.json | -] [--status-list list-credential.json]
//                        [--did-document did.json]
//   (stdin when no file or "-"). With --status-list, that signed
//   BitstringStatusListCredential is served when the verifier fetches its id, so the
//   revocation step runs offline against Somu's own list. With --did-document, that did:web
//   DID document is served at the URL its id maps to (did:web method §3.2).
// Prints one JSON object: { signatureValid, errors, log } and exits 0 only when the
// signature (proof) is valid. Expiry, revocation and issuer-registry steps are reported in
// `log` but do not decide the exit code: offline, status lists and registries cannot be
// fetched, and Somu judges those itself.
import { readFileSync } from 'node:fs';

// Contexts come from the loader's bundled copies and did:key needs no lookup, so nothing
// legitimate needs the network here. Refusing every fetch keeps runs fast and repeatable
// (verifier-core otherwise tries to download the OB JSON schema and status lists).
const args = process.argv.slice(2);
function takeJsonOption(flag) {
  const at = args.indexOf(flag);
  if (at < 0) return null;
  const value = JSON.parse(readFileSync(args[at + 1], 'utf8'));
  args.splice(at, 2);
  return value;
}
const statusList = takeJsonOption('--status-list');
const didDocument = takeJsonOption('--did-document');

// did:web:host[:path…] → https://host/.well-known/did.json or https://host/path…/did.json
function didWebUrl(did) {
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const host = parts.shift();
  return parts.length ? `https://${host}/${parts.join('/')}/did.json` : `https://${host}/.well-known/did.json`;
}
const served = new Map();
if (statusList) served.set(statusList.id, statusList);
if (didDocument) served.set(didWebUrl(didDocument.id), didDocument);

if (process.env.SOMU_VERIFIER_ALLOW_NETWORK !== '1') {
  globalThis.fetch = async (input) => {
    const url = typeof input === 'string' ? input : input?.url ?? String(input);
    if (served.has(url)) {
      return new Response(JSON.stringify(served.get(url)), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }
    throw new TypeError(`offline: refused to fetch ${url}`);
  };
}

// The libraries log diagnostics with console.log; keep stdout for the one JSON result.
console.log = (...args) => console.error(...args);
console.info = console.log;
console.warn = console.log;

const { verifyCredential } = await import('@digitalcredentials/verifier-core');

const source = args[0];
const text = source && source !== '-' ? readFileSync(source, 'utf8') : readFileSync(0, 'utf8');

let credential;
try {
  credential = JSON.parse(text);
} catch (e) {
  process.stdout.write(JSON.stringify({ signatureValid: false, errors: [{ name: 'invalid_json', message: String(e) }], log: [] }) + '\n');
  process.exit(2);
}

const result = await verifyCredential({ credential, knownDIDRegistries: [] });
const signatureStep = (result.log ?? []).find((step) => step.id === 'valid_signature');
const signatureValid = !result.errors && signatureStep?.valid === true;
const errors = (result.errors ?? []).map((e) => ({ name: e.name, message: e.message }));
const log = (result.log ?? []).map(({ id, valid, error }) => ({ id, valid, ...(error ? { error } : {}) }));
process.stdout.write(JSON.stringify({ signatureValid, errors, log }) + '\n');
process.exit(signatureValid ? 0 : 1);
