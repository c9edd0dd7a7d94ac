#!/usr/bin/env node
// Renders every help page once, at build time, into dist/help.json: the root, each topic and each
// command, exactly as oclif prints them (its own Help class, 80 columns). `--help`, `caphone help
// COMMAND` and the README's command reference (scripts/readme.mjs) all read these pages, so help
// costs one small file read at run time instead of loading oclif, and the three cannot disagree.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandHelp, Config, Help } from '@oclif/core';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = await Config.load({ root: cli });
// Loaded from a root rather than from the bin, oclif leaves the separator unset; commands are typed with spaces.
config.topicSeparator = config.pjson.oclif.topicSeparator ?? ' ';

// The bundle oclif has just required for the registry (the same instance, from Node's require cache).
const { COMMANDS, EXIT_MEANING } = createRequire(import.meta.url)('../dist/commands.cjs');

/** oclif's command help, with an EXIT CODES section (before the examples) listing the command's own codes. */
class CommandHelpWithExitCodes extends CommandHelp {
  sections() {
    const sections = super.sections();
    // formatCommand has already turned the id into its typed form ("phone edit").
    const codes = COMMANDS[this.command.id.replaceAll(' ', ':')]?.exitCodes;
    if (!codes) return sections;
    const at = sections.findIndex((s) => s.header === 'EXAMPLES');
    sections.splice(at === -1 ? sections.length : at, 0, {
      header: 'EXIT CODES',
      generate: (_input, header) => [{ header, body: codes.map((code) => [String(code), EXIT_MEANING[code]]) }],
    });
    return sections;
  }
}

class CapturedHelp extends Help {
  CommandHelpClass = CommandHelpWithExitCodes;
  text = '';
  log(...args) {
    this.text += `${args.join(' ')}\n`;
  }
}

async function render(id) {
  const help = new CapturedHelp(config, { ...config.pjson.oclif.helpOptions, maxWidth: 80, stripAnsi: true });
  if (id === '') await help.showHelp([]);
  else await help.showHelp(id.split(':'));
  // The root page names the version, platform and Node of the machine that runs it, not of this build.
  return `${help.text.trimEnd().replaceAll(config.userAgent, '{{userAgent}}')}\n`;
}

const commands = config.commands.filter((c) => !c.hidden).map((c) => c.id).sort();
// oclif lists every command as a topic too; the topics proper are the ones that are not commands.
const topics = config.topics.map((t) => t.name).filter((name) => !commands.includes(name)).sort();
const pages = { '': await render('') };
for (const id of [...topics, ...commands]) pages[id] = await render(id);
// Commands that are not caphone's own (shell completion, from @oclif/plugin-autocomplete) print text only.
const textOnly = commands.filter((id) => !COMMANDS[id]?.exitCodes);
writeFileSync(join(cli, 'dist', 'help.json'), `${JSON.stringify({ commands, topics, textOnly, pages })}\n`);
console.log(`help pages: ${Object.keys(pages).length}`);
