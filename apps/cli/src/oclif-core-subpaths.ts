// What the bundle sees when any module imports '@oclif/core' (scripts/build.mjs points it here).
// The package's index loads every part of oclif and runs a Node-version check through semver on
// import (about 45 modules); the commands need only these parts, so the bundle holds only these.
export { Command } from '@oclif/core/command';
export * as Args from '@oclif/core/args';
export * as Flags from '@oclif/core/flags';
export { Config } from '@oclif/core/config';
export { ux } from '@oclif/core/ux';
