import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, Interfaces } from '@oclif/core';

/**
 * caphone as oclif's root plugin, made from what the package already holds, so that oclif's
 * `Config.load` runs with `plugins` given (the option oclif itself uses when a command reloads
 * its config) instead of discovering the plugin on disk.
 *
 * What oclif's own `Plugin.load` does at that point, and why it is not needed here: it looks for
 * the package root and reads package.json (bin/run.cjs has both), reads oclif.manifest.json (read
 * here too, the same file), and sorts the commands with `localeCompare`, whose first call
 * initialises ICU's collator: 6-13 ms of CPU on every start, the largest single cost of oclif's
 * config load in the profile. The ids are ASCII, so they are sorted by code point here.
 * With `plugins` given, oclif also skips user plugins (the data directory's package.json) and dev
 * plugins: caphone ships neither a `plugins` command nor dev plugins, so there are none to load.
 * The config that results is oclif's own (commands, topics, hooks, theme, directories), and every
 * step after it (init hook, command_not_found, prerun/postrun, the command's lifecycle) is oclif's.
 */
export class BundledPlugin implements Interfaces.Plugin {
  readonly _base: string;
  readonly alias: string;
  readonly name: string;
  readonly version: string;
  readonly root: string;
  readonly pjson: Interfaces.PJSON;
  readonly options: Interfaces.PluginOptions;
  readonly hooks: Interfaces.Plugin['hooks'];
  readonly commands: Command.Loadable[];
  readonly commandsDir = undefined;
  readonly hasManifest = true;
  isRoot = true;
  moduleType: 'commonjs' | 'module' = 'module';
  type = 'core';
  valid = true;

  constructor(
    root: string,
    pjson: Interfaces.PJSON,
    manifest: Interfaces.Manifest,
    private readonly registry: Readonly<Record<string, Command.Class>>,
  ) {
    this.root = root;
    this.pjson = pjson;
    this.name = pjson.name;
    this.alias = pjson.name;
    this.version = pjson.version;
    this._base = `${pjson.name}@${pjson.version}`;
    this.options = { root, pjson, isRoot: true, type: 'core' };
    // As oclif reads package.json's oclif.hooks: a target alone means its default export.
    this.hooks = Object.fromEntries(
      Object.entries(pjson.oclif.hooks ?? {}).map(([event, hooks]) => [
        event,
        (Array.isArray(hooks) ? hooks : [hooks]).map((hook) => (typeof hook === 'string' ? { target: hook, identifier: 'default' } : { ...hook, identifier: hook.identifier ?? 'default' })),
      ]),
    );
    this.commands = Object.entries(manifest.commands)
      .map(([id, cached]): Command.Loadable => ({ ...cached, load: async () => this.findCommand(id, { must: true }), pluginAlias: this.alias, pluginType: this.type }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get commandIDs(): string[] {
    return this.commands.map((command) => command.id);
  }

  get topics(): Interfaces.Topic[] {
    // caphone's topics are one level deep (phone, config, migrate): no subtopics to flatten.
    return Object.entries(this.pjson.oclif.topics ?? {}).map(([name, topic]) => ({ ...topic, name }));
  }

  async load(): Promise<void> {
    // Everything was read in the constructor.
  }

  findCommand(id: string, opts: { must: true }): Promise<Command.Class>;
  findCommand(id: string, opts?: { must: boolean }): Promise<Command.Class> | undefined;
  findCommand(id: string, opts: { must?: boolean } = {}): Promise<Command.Class> | undefined {
    const command = Object.hasOwn(this.registry, id) ? this.registry[id] : undefined;
    if (!command) return opts.must ? Promise.reject(new Error(`command ${id} not found`)) : undefined;
    // What oclif's Plugin sets on a command it hands out.
    command.id = id;
    command.plugin = this;
    return Promise.resolve(command);
  }
}

/**
 * The plugin for the package at `root`, or undefined when its manifest is missing or was written
 * for another version (oclif's own plugin would then load every command to rebuild it; let it).
 */
export function bundledPlugin(root: string, pjson: Interfaces.PJSON, registry: Readonly<Record<string, Command.Class>>): BundledPlugin | undefined {
  let manifest: Interfaces.Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as Interfaces.Manifest;
  } catch {
    return undefined;
  }
  if (manifest.version?.split('-')[0] !== pjson.version?.split('-')[0]) return undefined;
  const ids = Object.keys(manifest.commands ?? {});
  // A registry and a manifest that disagree (a build half done) are not to be trusted either.
  if (ids.length !== Object.keys(registry).length || !ids.every((id) => Object.hasOwn(registry, id))) return undefined;
  return new BundledPlugin(root, pjson, manifest, registry);
}
