// Regenerates srp-vectors.json: Cognito USER_SRP_AUTH test vectors produced by the AWS
// reference client (amazon-cognito-identity-js), so our C# SRP can be checked byte for byte.
//
//   npm ci && node generate.js > srp-vectors.json
//
// The login itself runs through CognitoUser.authenticateUser with the service client replaced
// by a stub: the stub hands out fixed challenge parameters and records the ChallengeResponses the
// library computes. Randomness (the private value a) and the clock are pinned, so the output is
// the same on every run. Intermediate values (u, x, S, HKDF key) are captured by wrapping the
// helper's own methods, never recomputed here.
'use strict';

const crypto = require('crypto');
const {
  AuthenticationHelper,
  CognitoUser,
  CognitoUserPool,
  DateHelper,
} = require('amazon-cognito-identity-js');
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;

const RealDate = Date;

// Deterministic byte stream: SHA-256 in counter mode over a label.
function bytes(label, n) {
  const out = [];
  for (let i = 0; out.length < n; i++) {
    out.push(...crypto.createHash('sha256').update(`${label}/${i}`).digest());
  }
  return Buffer.from(out.slice(0, n));
}

function withFixedClock(epochMs, fn) {
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(epochMs);
      else super(...args);
    }
    static now() { return epochMs; }
  }
  global.Date = FixedDate;
  try { return fn(); } finally { global.Date = RealDate; }
}

function timestampOf(epochMs) {
  return withFixedClock(epochMs, () => new DateHelper().getNowString());
}

// Server side of SRP in native BigInt, only to mint a B that a real server could have sent
// (B = k*v + g^b mod N); the client values under test all come from the library.
function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

const probe = new AuthenticationHelper('probe');
const N = BigInt('0x' + probe.N.toString(16));
const g = 2n;
const k = BigInt('0x' + probe.k.toString(16));

function verifier(poolName, userId, password, saltHex) {
  const inner = probe.hash(`${poolName}${userId}:${password}`);
  const x = BigInt('0x' + probe.hexHash(probe.padHex(new BigInteger(saltHex, 16)) + inner));
  return modPow(g, x, N);
}

function runLogin(c) {
  const captured = {};
  const origRandom = AuthenticationHelper.prototype.generateRandomSmallA;
  const origCalcS = AuthenticationHelper.prototype.calculateS;
  const origHkdf = AuthenticationHelper.prototype.computehkdf;
  AuthenticationHelper.prototype.generateRandomSmallA = () => new BigInteger(c.smallA, 16);
  AuthenticationHelper.prototype.calculateS = function (x, B, cb) {
    captured.x = x.toString(16);
    return origCalcS.call(this, x, B, (err, s) => {
      captured.S = s.toString(16);
      captured.paddedS = this.padHex(s);
      captured.u = this.UValue.toString(16);
      captured.uHexHash = this.UHexHash;
      captured.paddedU = this.padHex(this.UValue);
      cb(err, s);
    });
  };
  AuthenticationHelper.prototype.computehkdf = function (ikm, salt) {
    const key = origHkdf.call(this, ikm, salt);
    captured.hkdf = Buffer.from(key).toString('hex');
    captured.paddedA = this.padHex(this.largeAValue);
    return key;
  };
  try {
    return withFixedClock(c.epochMs, () => {
      const pool = new CognitoUserPool({ UserPoolId: `us-west-2_${c.poolName}`, ClientId: 'vectorclient' });
      pool.client.request = (operation, params, callback) => {
        if (operation === 'InitiateAuth') {
          captured.srpA = params.AuthParameters.SRP_A;
          captured.initiateUsername = params.AuthParameters.USERNAME;
          callback(null, {
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeParameters: {
              USER_ID_FOR_SRP: c.userIdForSrp,
              SALT: c.salt,
              SRP_B: c.B,
              SECRET_BLOCK: c.secretBlock,
              USERNAME: c.userIdForSrp,
            },
            Session: 'vector-session',
          });
        } else if (operation === 'RespondToAuthChallenge') {
          captured.responses = params.ChallengeResponses;
          callback({ code: 'NotAuthorizedException', message: 'vector run stops here' }, null);
        } else {
          callback(new Error(`unexpected ${operation}`), null);
        }
      };
      const user = new CognitoUser({ Username: c.username, Pool: pool });
      user.setAuthenticationFlowType('USER_SRP_AUTH');
      let done = false;
      user.authenticateUser(
        new (require('amazon-cognito-identity-js').AuthenticationDetails)({ Username: c.username, Password: c.password }),
        { onSuccess: () => { done = true; }, onFailure: () => { done = true; } },
      );
      if (!done || !captured.responses) throw new Error('login did not run synchronously');
      return captured;
    });
  } finally {
    AuthenticationHelper.prototype.generateRandomSmallA = origRandom;
    AuthenticationHelper.prototype.calculateS = origCalcS;
    AuthenticationHelper.prototype.computehkdf = origHkdf;
  }
}

// Shape flags of a hex string under AWS padHex: odd length gets "0", a high first nibble "00".
function shape(hex) {
  if (hex.length % 2 === 1) return 'odd';
  if (/^[89a-f]/i.test(hex)) return 'msb';
  return 'plain';
}

function makeCase(i, overrides = {}) {
  const label = `schlage2mqtt-srp-${i}`;
  const poolName = overrides.poolName ?? '2zhrVs9d4';
  const userIdForSrp = overrides.userIdForSrp ?? `5f0c${bytes(label + 'uid', 14).toString('hex')}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
  const password = overrides.password ?? `Pw-${bytes(label + 'pw', 6).toString('base64')}`;
  const saltHex = overrides.salt ?? bytes(label + 'salt', 16).toString('hex').replace(/^0+/, '');
  const smallA = bytes(label + 'a', 128).toString('hex');
  const b = BigInt('0x' + bytes(label + 'b', 128).toString('hex'));
  const v = verifier(poolName, userIdForSrp, password, saltHex);
  const B = ((k * v + modPow(g, b, N)) % N).toString(16);
  const c = {
    name: overrides.name ?? `case ${i}`,
    poolName,
    username: overrides.username ?? 'someone@example.com',
    userIdForSrp,
    password,
    salt: saltHex,
    smallA,
    serverSmallB: b.toString(16),
    verifier: v.toString(16),
    B,
    secretBlock: bytes(label + 'sb', 48 + (i % 7) * 31).toString('base64'),
    epochMs: overrides.epochMs ?? RealDate.UTC(2026, i % 12, 1 + (i * 7) % 28, (i * 5) % 24, (i * 13) % 60, (i * 17) % 60),
  };
  const r = runLogin(c);
  return {
    name: c.name,
    inputs: {
      poolName: c.poolName, username: c.username, userIdForSrp: c.userIdForSrp, password: c.password,
      salt: c.salt, smallA: c.smallA, B: c.B, secretBlock: c.secretBlock, epochMs: c.epochMs,
    },
    server: { smallB: c.serverSmallB, verifier: c.verifier },
    expected: {
      srpA: r.srpA,
      paddedA: r.paddedA,
      uHexHash: r.uHexHash,
      u: r.u,
      paddedU: r.paddedU,
      x: r.x,
      S: r.S,
      paddedS: r.paddedS,
      hkdf: r.hkdf,
      timestamp: r.responses.TIMESTAMP,
      challengeUsername: r.responses.USERNAME,
      secretBlock: r.responses.PASSWORD_CLAIM_SECRET_BLOCK,
      signature: r.responses.PASSWORD_CLAIM_SIGNATURE,
    },
    shapes: { A: shape(r.srpA), u: shape(r.u), S: shape(r.S), salt: shape(c.salt) },
  };
}

// Keep the first cases, then search until every padHex shape of A, u, S and salt appears.
const wanted = new Set();
for (const v of ['A', 'u', 'S', 'salt']) for (const s of ['odd', 'msb', 'plain']) wanted.add(`${v}:${s}`);
const cases = [
  makeCase(0, { name: 'Schlage pool, single-digit day', epochMs: RealDate.UTC(2026, 10, 2, 9, 5, 7) }),
  makeCase(1, { name: 'non-ASCII password', password: 'Pässwörd-✓-42' }),
  makeCase(2, { name: 'salt with high bit (00 prefix)', salt: 'f3' + bytes('salt-msb', 15).toString('hex') }),
  makeCase(3, { name: 'odd-length salt (0 prefix)', salt: '7' + bytes('salt-odd', 15).toString('hex') }),
];
const covered = () => { for (const c of cases) for (const [k2, s] of Object.entries(c.shapes)) wanted.delete(`${k2}:${s}`); };
covered();
for (let i = 4; wanted.size > 0 && i < 600; i++) {
  const c = makeCase(i);
  if (Object.entries(c.shapes).some(([k2, s]) => wanted.has(`${k2}:${s}`))) {
    cases.push(c);
    covered();
  }
}
if (wanted.size > 0) throw new Error(`shapes not covered: ${[...wanted].join(', ')}`);

const padHex = [0n, 1n, 0x7fn, 0x80n, 0xfffn, 0x1000n, 0x8000n, 0x123456789an, N, k].map(n => ({
  value: n.toString(16), padded: probe.padHex(new BigInteger(n.toString(16), 16)),
}));

const timestamps = [
  RealDate.UTC(2026, 0, 1, 0, 0, 0), RealDate.UTC(2026, 1, 9, 23, 59, 59), RealDate.UTC(2026, 10, 22, 10, 0, 0),
  RealDate.UTC(2025, 6, 4, 7, 8, 9), RealDate.UTC(2024, 1, 29, 12, 30, 5), RealDate.UTC(2026, 11, 31, 19, 1, 0),
].map(ms => ({ epochMs: ms, text: timestampOf(ms) }));

const secretHash = [
  ['someone@example.com', 't5836cptp2s1il0u9lki03j5', '1kfmt18bgaig51in4j4v1j3jbe7ioqtjhle5o6knqc5dat0tpuvo'],
  ['5f0c1234-aaaa-bbbb-cccc-0123456789ab', 'clientid', 's3cr3t'],
].map(([username, clientId, clientSecret]) => ({
  username, clientId, clientSecret,
  secretHash: crypto.createHmac('sha256', clientSecret).update(username + clientId).digest('base64'),
}));

process.stdout.write(JSON.stringify({
  generator: `amazon-cognito-identity-js ${require('amazon-cognito-identity-js/package.json').version} via generate.js`,
  N: probe.N.toString(16),
  g: probe.g.toString(16),
  k: probe.k.toString(16),
  padHex,
  timestamps,
  secretHash,
  cases,
}, null, 2) + '\n');
