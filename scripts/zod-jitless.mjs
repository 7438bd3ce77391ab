// Injected by scripts/build.mjs ahead of every bundle: zod compiles each object schema into a validator
// (`new Function`) the first time it parses with it. A hook or a status line run parses a few small
// files once and exits, so the compiling costs more than it saves; interpreted validation is the same
// check. (Measured with scripts/bench.mjs: about 10-20 ms less per hook and status line run with a
// small state; no difference with the 50-session state.)
import { config } from 'zod';

config({ jitless: true });
