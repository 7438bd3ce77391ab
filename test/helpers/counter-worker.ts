// A separate process that increments a counter file N times through the store's update primitive,
// for the multi-process contention test. argv: <file> <times>
import { z } from 'zod';
import { update } from '../../src/store/update.ts';

const [file, times] = process.argv.slice(2);
const Schema = z.object({ n: z.number(), by: z.record(z.string(), z.number()) });
for (let i = 0; i < Number(times); i++) {
  await update(
    file!,
    Schema,
    () => ({ n: 0, by: {} as Record<string, number> }),
    (c) => ({ n: c.n + 1, by: { ...c.by, [String(process.pid)]: (c.by[String(process.pid)] ?? 0) + 1 } }),
    { lockBudgetMs: 60_000 },
  );
}
