#!/usr/bin/env node
// Team tokens are stored on the edge only as SHA-256 hashes (TEAMS[].tokenSha256).
//
//   pnpm hash-token --new         mints a random token, prints it (give it to the team) and its hash
//   pnpm hash-token < token.txt   prints the hash of a token read from stdin (not from argv, which
//                                 shell history and `ps` would keep)
import { createHash, randomBytes } from 'node:crypto';

const hash = (token) => createHash('sha256').update(token).digest('hex');

if (process.argv.includes('--new')) {
  const token = randomBytes(32).toString('base64url');
  console.log(JSON.stringify({ token, tokenSha256: hash(token) }, null, 2));
} else if (process.stdin.isTTY) {
  console.error('usage: pnpm hash-token --new | pnpm hash-token < file-with-token');
  process.exit(2);
} else {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const token = input.trim();
  if (token === '') {
    console.error('no token on stdin');
    process.exit(2);
  }
  console.log(hash(token));
}
