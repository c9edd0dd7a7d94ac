#!/usr/bin/env node
// oclif as ESM: the dir is this file's URL; oclif finds package.json and oclif.manifest.json from it.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
