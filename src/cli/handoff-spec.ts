// The command lines of `cco handoff` and its actions (see args.ts).
import { command } from './args.ts';

export const HANDOFF = command({
  name: 'handoff',
  summary: 'Handoffs: a summary of a session that the next session started in its project gets once.',
  options: {},
});

export const HANDOFF_ACTIONS = {
  save: command({
    name: 'handoff save',
    summary: 'Builds a handoff of the session (or takes it on stdin), saves it and marks it pending for its project.',
    synopsis: '[--session <id>] [--stdin | --dry-run]',
    options: {
      session: { type: 'string', arg: '<id>', help: 'the session (default: CLAUDE_CODE_SESSION_ID, else the latest seen in this directory)' },
      stdin: { type: 'boolean', help: 'save the markdown read on stdin instead of the built one' },
      'dry-run': { type: 'boolean', help: 'print the built handoff and save nothing' },
    },
  }),
  show: command({
    name: 'handoff show',
    summary: 'Prints the pending handoff of a project.',
    options: { project: { type: 'string', arg: '<dir>', help: 'the project (default: the current directory)' } },
  }),
  list: command({
    name: 'handoff list',
    summary: 'Pending handoffs and saved files, newest first.',
    options: { json: { type: 'boolean', help: 'print them as JSON (every saved file, times in epoch ms)' } },
  }),
};
